"""Deterministic workload for telbill: two months of CDRs rated, billed and summarised."""

import random
import zlib
from datetime import datetime, timedelta

import telbill as tb

SEED = 20240405
MONTHS = [(2024, 3), (2024, 4)]
N_ACCOUNTS = 100
CODES = [
    ("1", "US"), ("1204", "CA"), ("1416", "CA"), ("1514", "CA"), ("1604", "CA"), ("7", "RU"),
    ("20", "EG"), ("27", "ZA"), ("30", "GR"), ("31", "NL"), ("32", "BE"), ("33", "FR"),
    ("34", "ES"), ("36", "HU"), ("39", "IT"), ("40", "RO"), ("41", "CH"), ("43", "AT"),
    ("44", "GB"), ("45", "DK"), ("46", "SE"), ("47", "NO"), ("48", "PL"), ("49", "DE"),
    ("51", "PE"), ("52", "MX"), ("54", "AR"), ("55", "BR"), ("56", "CL"), ("57", "CO"),
    ("60", "MY"), ("61", "AU"), ("62", "ID"), ("63", "PH"), ("64", "NZ"), ("65", "SG"),
    ("66", "TH"), ("81", "JP"), ("82", "KR"), ("84", "VN"), ("86", "CN"), ("90", "TR"),
    ("91", "IN"), ("92", "PK"), ("212", "MA"), ("234", "NG"), ("254", "KE"), ("351", "PT"),
    ("353", "IE"), ("358", "FI"), ("420", "CZ"), ("852", "HK"), ("971", "AE"), ("972", "IL"),
]
HOME = {"IE": "353", "GB": "44", "FR": "33", "DE": "49", "NL": "31", "ES": "34", "PT": "351"}
REGIONS = ["IE"] * 5 + ["GB"] * 3 + ["FR", "DE", "NL", "ES", "ES-CN", "PT", "PT-AC"]
PLAN_MIX = ["payg"] * 3 + ["talk100"] * 3 + ["talk300"] * 2 + ["world", "business"]
FIRST = ["Aoife", "Sean", "Marie", "Jonas", "Lucia", "Tiago", "Emma", "Liam", "Noor", "Pieter"]
LAST = ["Murphy", "Kelly", "Dubois", "Schmidt", "Garcia", "Silva", "Smith", "de Vries", "Walsh"]


def crc_of(value, crc=0):
    return zlib.crc32(repr(value).encode(), crc)


def make_deck(rng):
    lines = ["prefix,country,peak,offpeak", "# carrier deck 2024-Q1"]
    for code, country in CODES:
        base = rng.randint(20, 900)
        subs = {code}
        lines.append(f"{code},{country},{base / 10000:.4f},{base * 0.7 / 10000:.4f}")
        extra = rng.randint(4, 7) if country in HOME else rng.randint(0, 1)
        while len(subs) < extra + 1:
            sub = code + str(rng.randint(1, 9)) + "".join(
                str(rng.randint(0, 9)) for _ in range(rng.randint(0, 2)))
            if sub in subs:
                continue
            subs.add(sub)
            rate = base * rng.uniform(1.0, 3.5)
            lines.append(f"{sub},{country},{rate / 10000:.4f},{rate * 0.6 / 10000:.4f}")
    rng.shuffle(lines[2:])
    return lines


def make_number(rng, deck, country):
    prefixes = [entry[0] for entry in deck if entry[1] == country]
    prefix = rng.choice(prefixes)
    return prefix + "".join(str(rng.randint(0, 9)) for _ in range(11 - len(prefix)))


def written(rng, digits):
    style = rng.random()
    if style < 0.4:
        return "+" + digits
    if style < 0.6:
        return "00" + digits
    if style < 0.8:
        return f"+{digits[:2]} {digits[2:5]} {digits[5:8]} {digits[8:]}"
    return f"(+{digits[:3]}) {digits[3:6]}-{digits[6:]}"


def make_accounts(rng, deck):
    accounts = []
    for i in range(N_ACCOUNTS):
        region = rng.choice(REGIONS)
        accounts.append({
            "id": f"ACC{10000 + i * 7:06d}",
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "plan": rng.choice(PLAN_MIX),
            "region": region,
            "country": region[:2],
            "line": make_number(rng, deck, region[:2]),
        })
    rng.shuffle(accounts)
    return accounts


def make_cdrs(rng, deck, accounts):
    lines = ["call_id,account,caller,callee,start,duration,kind"]
    foreign = sorted({entry[1] for entry in deck})
    serial = 0
    for account in accounts:
        pool = [make_number(rng, deck, account["country"]) for _ in range(rng.randint(6, 12))]
        pool += [make_number(rng, deck, rng.choice(foreign)) for _ in range(rng.randint(2, 6))]
        if rng.random() < 0.1:
            pool.append("99912345678")
        for year, month in MONTHS:
            first = datetime(year, month, 1)
            for _ in range(rng.randint(20, 100)):
                serial += 1
                start = first + timedelta(days=rng.randint(0, 29), hours=rng.choice(
                    [7, 8, 9, 10, 11, 12, 13, 14, 17, 18, 19, 20, 21, 22]),
                    minutes=rng.randint(0, 59), seconds=rng.randint(0, 59))
                kind = "sms" if rng.random() < 0.15 else "voice"
                duration = 0 if kind == "sms" else min(int(rng.expovariate(1 / 150)), 7200)
                callee = rng.choice(pool)
                lines.append(",".join([
                    f"C{serial:07d}", account["id"], written(rng, account["line"]),
                    written(rng, callee), start.strftime("%Y-%m-%d %H:%M:%S"),
                    str(duration), kind.upper() if rng.random() < 0.05 else kind,
                ]))
    body = lines[1:]
    rng.shuffle(body)
    for k in range(12):
        at = rng.randrange(len(body))
        broken = body[at].split(",")
        broken[[4, 5, 3, 6][k % 4]] = ["2024-02-30 10:00:00", "-5", "0612345678", "fax"][k % 4]
        body[at] = ",".join(broken)
    body[100:100] = [body[7], "", body[42]]
    return lines[:1] + body


def main():
    rng = random.Random(SEED)
    deck_lines = make_deck(rng)
    deck = tb.parse_rate_deck(deck_lines)
    accounts = make_accounts(rng, deck)
    cdr_lines = make_cdrs(rng, deck, accounts)
    errors = []
    records = tb.parse_cdr_lines(cdr_lines, errors)
    print(f"deck={len(deck)} accounts={len(accounts)} lines={len(cdr_lines)} "
          f"records={len(records)} errors={len(errors)}")
    crc = crc_of(errors)

    rejected = []
    rated = tb.rate_calls(records, accounts, deck, rejected=rejected)
    crc = crc_of(rated, crc)
    print(f"rated={len(rated)} rejected={len(rejected)} charges={tb.total_charges(rated)} "
          f"peak={tb.peak_share(rated)}%")

    for year, month in MONTHS:
        label = f"{year}-{month:02d}"
        statements = tb.build_statements(rated, accounts, label)
        totals = tb.statement_totals(statements)
        usage = tb.usage_by_country(rated, label)
        daily = tb.daily_usage(rated, label)
        crc = crc_of(statements, crc)
        crc = crc_of(usage, crc)
        crc = crc_of(daily, crc)
        busiest = max(daily, key=lambda row: (row[1], row[0]))
        free = sum(s["free_seconds"] for s in statements)
        print(f"{label} statements={len(statements)} subtotal={totals['subtotal']} "
              f"tax={totals['tax']} total={totals['total']} free_min={free // 60} "
              f"countries={len(usage)} busiest={busiest[0]}:{busiest[1]}")
        top = usage[0]
        print(f"  top destination {top[1]} ({top[0]}): {top[2]} calls, {top[4]} ({top[5]}%)")

    usage = tb.usage_by_country(rated)
    crc = crc_of(usage, crc)
    crc = crc_of(tb.usage_by_hour(rated), crc)
    print(tb.format_usage(usage, 6))

    # a rate-deck correction arrives: the home mobile ranges go up 5 % and April is re-rated
    corrected = [(prefix, country, peak * 105 / 100, off * 105 / 100)
                 if country in HOME and len(prefix) > len(HOME[country]) else
                 (prefix, country, peak, off) for prefix, country, peak, off in deck]
    last = f"{MONTHS[-1][0]}-{MONTHS[-1][1]:02d}"
    april = [rec for rec in records if rec["start"].strftime("%Y-%m") == last]
    rerated = tb.rate_calls(april, accounts, corrected, rejected=[])
    crc = crc_of(rerated, crc)
    statements = tb.build_statements(rerated, accounts, last)
    crc = crc_of(statements, crc)
    print(f"re-rated {last} total={tb.statement_totals(statements)['total']} "
          f"charges={tb.total_charges(rerated)}")

    ledger = tb.Ledger(statements[0]["account"])
    ledger.charge(statements[0])
    ledger.pay("20", "2024-05-03")
    print(ledger)
    print(tb.render_statement(statements[0]))
    print(f"crc={crc:08x}")


if __name__ == "__main__":
    main()
