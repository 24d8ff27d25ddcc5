"""Reference tables: rate plans, tax rates and peak hours by region, holidays, country names."""

from decimal import Decimal

# VAT (or local equivalent) applied to the statement subtotal, by billing region
TAX_RATES = {
    "IE": Decimal("0.23"),
    "GB": Decimal("0.20"),
    "FR": Decimal("0.20"),
    "DE": Decimal("0.19"),
    "NL": Decimal("0.21"),
    "ES": Decimal("0.21"),
    "ES-CN": Decimal("0.07"),
    "PT": Decimal("0.23"),
    "PT-AC": Decimal("0.16"),
}

# peak window on working days: first hour included, last hour excluded
PEAK_HOURS = {
    "IE": (8, 19),
    "GB": (8, 19),
    "FR": (8, 20),
    "DE": (7, 19),
    "NL": (8, 18),
    "ES": (9, 21),
    "ES-CN": (9, 21),
    "PT": (9, 20),
    "PT-AC": (9, 20),
}

# network-wide holidays: the whole day is billed off-peak
HOLIDAYS = [
    "2024-01-01",
    "2024-03-18",
    "2024-03-29",
    "2024-04-01",
    "2024-05-01",
    "2024-05-06",
    "2024-06-03",
    "2024-08-05",
    "2024-10-28",
    "2024-12-25",
    "2024-12-26",
]

ROUNDING_MODES = ("second", "minute", "60/1", "30/6")

PLANS = {
    "payg": {
        "name": "Pay As You Go",
        "monthly_fee": Decimal("0.00"),
        "bundle_minutes": 0,
        "bundle_scope": "home",
        "rounding": "second",
        "markup": Decimal("1.00"),
        "sms": Decimal("0.10"),
    },
    "talk100": {
        "name": "Talk 100",
        "monthly_fee": Decimal("9.99"),
        "bundle_minutes": 100,
        "bundle_scope": "home",
        "rounding": "minute",
        "markup": Decimal("1.00"),
        "sms": Decimal("0.08"),
    },
    "talk300": {
        "name": "Talk 300",
        "monthly_fee": Decimal("17.50"),
        "bundle_minutes": 300,
        "bundle_scope": "home",
        "rounding": "60/1",
        "markup": Decimal("0.95"),
        "sms": Decimal("0.06"),
    },
    "world": {
        "name": "World Traveller",
        "monthly_fee": Decimal("24.00"),
        "bundle_minutes": 200,
        "bundle_scope": "all",
        "rounding": "30/6",
        "markup": Decimal("0.80"),
        "sms": Decimal("0.05"),
    },
    "business": {
        "name": "Business",
        "monthly_fee": Decimal("39.00"),
        "bundle_minutes": 1000,
        "bundle_scope": "all",
        "rounding": "second",
        "markup": Decimal("0.70"),
        "sms": Decimal("0.04"),
    },
}

COUNTRY_NAMES = [
    ("AE", "United Arab Emirates"), ("AR", "Argentina"), ("AT", "Austria"),
    ("AU", "Australia"), ("BE", "Belgium"), ("BR", "Brazil"), ("CA", "Canada"),
    ("CH", "Switzerland"), ("CL", "Chile"), ("CN", "China"), ("CO", "Colombia"),
    ("CZ", "Czechia"), ("DE", "Germany"), ("DK", "Denmark"), ("EG", "Egypt"),
    ("ES", "Spain"), ("FI", "Finland"), ("FR", "France"), ("GB", "United Kingdom"),
    ("GR", "Greece"), ("HK", "Hong Kong"), ("HU", "Hungary"), ("ID", "Indonesia"),
    ("IE", "Ireland"), ("IL", "Israel"), ("IN", "India"), ("IT", "Italy"), ("JP", "Japan"),
    ("KE", "Kenya"), ("KR", "South Korea"), ("MA", "Morocco"), ("MX", "Mexico"),
    ("MY", "Malaysia"), ("NG", "Nigeria"), ("NL", "Netherlands"), ("NO", "Norway"),
    ("NZ", "New Zealand"), ("PE", "Peru"), ("PH", "Philippines"), ("PK", "Pakistan"),
    ("PL", "Poland"), ("PT", "Portugal"), ("RO", "Romania"), ("RU", "Russia"),
    ("SE", "Sweden"), ("SG", "Singapore"), ("TH", "Thailand"), ("TR", "Turkey"),
    ("US", "United States"), ("VN", "Vietnam"), ("ZA", "South Africa"),
]
