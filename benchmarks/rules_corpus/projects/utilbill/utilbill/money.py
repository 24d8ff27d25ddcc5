"""Money and metered-quantity helpers. Everything is Decimal, rounded half-up."""

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
UNIT = Decimal("0.001")  # resolution of metered quantities (kWh, m3)
ZERO = Decimal("0.00")


def to_decimal(value):
    """Convert an int, str, float or Decimal to a finite Decimal."""
    if isinstance(value, bool):
        raise TypeError("a bool is not a number")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
    else:
        raise TypeError(f"cannot use {type(value).__name__} as a number")
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def round_money(value):
    """Round to whole pence, half-up."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def round_units(value):
    """Round a metered quantity to the meter resolution, half-up."""
    return to_decimal(value).quantize(UNIT, rounding=ROUND_HALF_UP)


def format_money(value, symbol="£"):
    amount = round_money(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{abs(amount):,.2f}"


def parse_rate(text):
    """'5%' -> Decimal('0.05'); a bare number is taken as a fraction already."""
    if not isinstance(text, str):
        raise TypeError("rate must be given as text")
    text = text.strip()
    if text.endswith("%"):
        return to_decimal(text[:-1]) / 100
    return to_decimal(text)


def split_amount(total, weights):
    """Split a money total across weights so that the parts add up exactly.

    Every part is first rounded down to the penny; the pennies left over go to the parts
    with the largest remainders (earlier parts win ties).
    """
    total = round_money(total)
    weights = [to_decimal(w) for w in weights]
    if not weights:
        raise ValueError("no weights to split across")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    whole = sum(weights)
    if whole == 0:
        raise ValueError("weights add up to zero")
    cents = int(total / CENT)
    raw = [total * w / whole / CENT for w in weights]
    parts = [int(r.to_integral_value(rounding=ROUND_FLOOR)) for r in raw]
    leftover = cents - sum(parts)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[:leftover]:
        parts[i] += 1
    return [Decimal(p) * CENT for p in parts]
