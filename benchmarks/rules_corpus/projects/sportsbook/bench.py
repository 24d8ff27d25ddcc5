"""Deterministic workload for sportsbook: price feeds, margins, arbitrage, slips and P&L."""

import bisect
import math
import random
import zlib

import sportsbook as sb

SEED = 20240504
DAYS = [f"2024-05-0{d}" for d in range(1, 7)]
TEAMS = ["Arsenal", "Villa", "Bournemouth", "Brentford", "Brighton", "Chelsea", "Palace",
         "Everton", "Fulham", "Ipswich", "Leicester", "Liverpool", "City", "United",
         "Newcastle", "Forest", "Southampton", "Spurs", "West Ham", "Wolves"]
BOOKS = [("Acme Bet", 0.045, "decimal"), ("bet  north", 0.062, "decimal"),
         ("Crown Odds", 0.038, "fractional"), ("Desert Sports", 0.071, "american"),
         ("Eagle Book", 0.052, "decimal"), ("fortune-line", 0.084, "decimal"),
         ("Granite", 0.030, "fractional")]
LADDER = sorted({(n, d) for d in (1, 2, 4, 5, 8, 10, 11, 13, 20) for n in range(1, 100)
                 if 1.05 <= 1 + n / d <= 41 and math.gcd(n, d) == 1},
                key=lambda nd: nd[0] / nd[1])
LADDER_DECIMALS = [1 + n / d for n, d in LADDER]
N_EVENTS = 260
N_SLIPS = 2000


def crc_of(value, crc=0):
    return zlib.crc32(repr(value).encode(), crc)


def write_price(rng, decimal, style):
    if style == "american":
        if decimal >= 2:
            return f"+{round((decimal - 1) * 100)}"
        return f"-{round(100 / (decimal - 1))}"
    if style == "fractional":
        i = bisect.bisect_left(LADDER_DECIMALS, decimal)
        if i == len(LADDER) or (i > 0 and decimal - LADDER_DECIMALS[i - 1]
                                <= LADDER_DECIMALS[i] - decimal):
            i -= 1
        n, d = LADDER[i]
        return "evs" if (n, d) == (1, 1) and rng.random() < 0.5 else f"{n}/{d}"
    return f"{decimal:.2f}"


def make_world(seed):
    rng = random.Random(seed)
    sb.clear_markets()
    truth = {}
    for i in range(N_EVENTS):
        home, away = rng.sample(TEAMS, 2)
        day = DAYS[i * len(DAYS) // N_EVENTS]
        event = f"{home} v {away}"
        strength = rng.gauss(0.25, 0.6)
        p_draw = max(0.12, 0.29 - 0.08 * abs(strength))
        p_home = (1 - p_draw) / (1 + 10 ** (-strength))
        probs_1x2 = [p_home, p_draw, 1 - p_home - p_draw]
        sb.register_market(f"EPL-{i:04d}-1X2", event, ["Home", "Draw", "Away"], day)
        truth[f"EPL-{i:04d}-1X2"] = probs_1x2
        p_over = min(0.8, max(0.3, rng.gauss(0.53, 0.1)))
        sb.register_market(f"EPL-{i:04d}-OU25", event, ["Over 2.5", "Under 2.5"], day)
        truth[f"EPL-{i:04d}-OU25"] = [p_over, 1 - p_over]
    return rng, truth


def make_feed(rng, truth):
    lines = ["# odds feed snapshot", ""]
    for name, margin, style in BOOKS:
        for market_id, probs in truth.items():
            if rng.random() < 0.04:
                continue
            selections = sb.get_market(market_id).selections
            noisy = [p * rng.uniform(0.97, 1.03) for p in probs]
            total = sum(noisy)
            for selection, p in zip(selections, noisy):
                decimal = max(1.01, min(41.0, 1 / (p / total * (1 + margin))))
                shown = selection.lower() if rng.random() < 0.3 else selection
                book_name = name if rng.random() < 0.8 else "  " + name.upper() + " "
                lines.append(f"{book_name} | {market_id.lower()} |  {shown} | "
                             f"{write_price(rng, decimal, style)}")
                if rng.random() < 0.05:
                    lines.append(f"{name}|{market_id}|{selection}|"
                                 f"{write_price(rng, decimal * 1.03, style)}")
            if rng.random() < 0.01:
                lines.append(f"{name} | {market_id} | Nobody | 3.00")
    return lines


def make_slips(rng, books, truth):
    names = sorted(books)
    market_ids = list(truth)
    slips = []
    for i in range(N_SLIPS):
        book = books[rng.choice(names)]
        n_legs = rng.choice([1, 1, 1, 2, 2, 3, 4, 5])
        legs = []
        for market_id in rng.sample(market_ids, n_legs):
            market = book.market(market_id)
            if market is None:
                continue
            selection = rng.choice(sb.get_market(market_id).selections)
            price = book.price(market_id, selection)
            if price is not None:
                legs.append(sb.Leg(market_id, selection, price))
        if not legs:
            continue
        stake = rng.choice(["2", "5", "10", "10", "20", "25.50", "50", "100", "250"])
        slips.append(sb.Slip(f"S{i:05d}", book.name, stake, legs))
    return slips


def make_results(rng, truth):
    lines = []
    for market_id, probs in truth.items():
        spec = sb.get_market(market_id)
        if spec.day == DAYS[-1] and rng.random() < 0.3:
            continue
        if rng.random() < 0.02:
            lines.append(f"{market_id} = VOID")
            continue
        winner = rng.choices(spec.selections, weights=probs)[0]
        lines.append(f"{market_id} = {winner}")
    rng.shuffle(lines)
    return [sb.parse_result(line) for line in lines]


def main():
    rng, truth = make_world(SEED)
    feed = make_feed(rng, truth)
    books = sb.parse_feed(feed)

    book_lines = []
    for name in sorted(books):
        book = books[name]
        margins = [m.overround() for m in book.markets if m.is_complete()]
        avg = float(sum(margins) / len(margins))
        book_lines.append((name, len(book.markets), len(margins), avg))

    arbs = sb.find_arbitrage(books, total_stake=1000)
    arb_profit = sum(a.profit for a in arbs)

    featured = [f"EPL-{i:04d}-1X2" for i in range(0, N_EVENTS, 3)]
    bets = sb.value_bets(books, featured, min_edge=0.02, bankroll=5000.0)

    slips = make_slips(rng, books, truth)
    results = make_results(rng, truth)
    settled = sb.settle_slips(slips, results)
    ledger = sb.build_ledger(settled)
    report = sb.daily_report(settled)
    text = sb.format_report(report)

    statuses = {}
    for s in settled:
        statuses[s.status] = statuses.get(s.status, 0) + 1
    print(f"feed lines: {len(feed)}  books: {len(books)}  quotes: {len(sb.all_quotes(books))}")
    for name, n_markets, n_complete, avg in book_lines:
        print(f"  {name:<14} markets={n_markets} complete={n_complete} avg_overround={avg:.5f}")
    print(f"arbitrage: {len(arbs)}  locked profit: {sb.money(arb_profit)}  crc={crc_of(arbs)}")
    print(f"value bets: {len(bets)}  staked: {sum(b.stake for b in bets):.2f}  crc={crc_of(bets)}")
    print(f"slips: {len(slips)}  statuses: {sorted(statuses.items())}  crc={crc_of(settled)}")
    print(f"ledger rows: {len(ledger)}  final balance: {ledger[-1].balance}  "
          f"max drawdown: {max(r.drawdown for r in ledger)}  crc={crc_of(ledger)}")
    print(text)
    print(f"report crc={crc_of(report)}")


if __name__ == "__main__":
    main()
