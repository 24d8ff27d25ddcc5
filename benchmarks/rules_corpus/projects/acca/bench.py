"""Deterministic workload for acca: a day's card, a shop's worth of slips, the liability
report before the off, then settlement against the results."""

import random
import zlib
from decimal import Decimal
from fractions import Fraction

import acca

SEED = 20240819
N_RACES = 30
N_MATCHES = 12
N_SLIPS = 800

WORDS_A = ["Silver", "Golden", "Midnight", "Royal", "Wild", "Lucky", "Iron", "Crimson",
           "Velvet", "Northern", "Brave", "Quiet", "Desert", "Copper", "Storm", "Misty"]
WORDS_B = ["Arrow", "Dancer", "Legend", "Harbour", "Comet", "Echo", "Sovereign", "Rebel",
           "Lantern", "Falcon", "Meadow", "Thunder", "Whisper", "Voyager", "Empress", "Rascal"]
TEAMS = ["Ashford", "Bramley", "Carlton", "Dunmore", "Eastleigh", "Fairfield", "Glenwood",
         "Hartley", "Ingleby", "Kenton", "Langley", "Marston", "Norbury", "Oakham", "Penrith",
         "Redcar", "Selby", "Thornbury", "Upton", "Wexham", "Yarmouth", "Zennor", "Alston",
         "Bexley"]
BET_WEIGHTS = [("single", 14), ("double", 8), ("treble", 6), ("accumulator", 8),
               ("singles", 6), ("doubles", 5), ("trebles", 4), ("trixie", 7), ("patent", 6),
               ("yankee", 8), ("lucky15", 9), ("canadian", 3), ("lucky31", 4), ("heinz", 2),
               ("lucky63", 2), ("super_heinz", 1), ("goliath", 1)]
STAKES = ["0.10", "0.20", "0.25", "0.50", "1", "1", "2", "2.50", "5", "5", "10", "20", "50"]


def crc_of(value, crc=0):
    return zlib.crc32(repr(value).encode(), crc)


LADDER = [(acca.parse_odds(text), text) for text in acca.STANDARD_FRACTIONS]


def ladder_text(rng, strength):
    """Snap a rough decimal price to the display ladder."""
    target = Decimal(1) + Decimal(strength).quantize(Decimal("0.01"))
    return min(LADDER, key=lambda pair: abs(pair[0] - target))[1]


def respell(rng, text, feed):
    odds = acca.parse_odds(text)
    if feed == "us":
        return acca.format_odds(odds, "american")
    if feed == "eu":
        return acca.format_odds(odds, "decimal")
    if text == "1/1":
        return rng.choice(["evs", "EVS", "Evens"])
    if rng.random() < 0.15:
        return text.replace("/", "-")
    if rng.random() < 0.1:
        return f" {text} "
    return text


def make_card(rng):
    events = []
    for number in range(N_RACES):
        size = rng.randint(6, 14)
        names = rng.sample([f"{a} {b}" for a in WORDS_A for b in WORDS_B], size)
        weights = sorted((rng.random() ** 2 for _ in names), reverse=True)
        total = sum(weights) / 1.18
        feed = rng.choice(["uk", "uk", "uk", "us", "eu"])
        prices = {}
        for name, weight in zip(names, weights):
            text = ladder_text(rng, max(total / weight - 1, 0.2))
            prices[name] = respell(rng, text, feed)
        favourite = names[0]
        if feed == "uk":
            prices[favourite] = prices[favourite].strip() + "F"
        places = 0 if size < 5 else 2 if size < 8 else 3 if size < 12 else 4
        fraction = Fraction(1, 4) if size < 12 else Fraction(1, 5)
        events.append(acca.Event(f"R{number:02d}", f"Race {number + 1}", prices, places,
                                 fraction, off_time=20 + number * 4))
    teams = list(TEAMS)
    rng.shuffle(teams)
    for number in range(N_MATCHES):
        home, away = teams[2 * number], teams[2 * number + 1]
        h = rng.uniform(0.25, 0.6)
        d = rng.uniform(0.2, 0.3)
        a = max(1.0 - h - d, 0.12)
        prices = {home: ladder_text(rng, 0.95 / h - 1), "Draw": ladder_text(rng, 0.95 / d - 1),
                  away: ladder_text(rng, 0.95 / a - 1)}
        events.append(acca.Event(f"F{number:02d}", f"{home} v {away}", prices, 0,
                                 off_time=60 + number * 5))
    return events


def make_slips(rng, card):
    kinds = [name for name, weight in BET_WEIGHTS for _ in range(weight)]
    slips = []
    for number in range(N_SLIPS):
        bet_type = rng.choice(kinds)
        needed = acca.BET_TYPES[bet_type][0]
        if needed is None:
            needed = rng.randint(4, 7) if bet_type == "accumulator" else rng.randint(3, 5)
        events = rng.sample(card, needed)
        struck = rng.randint(0, 100)
        selections = []
        for event in events:
            runners = event.runners
            runner = runners[min(int(rng.expovariate(0.7)), len(runners) - 1)]
            price = None
            if rng.random() < 0.2:
                current = acca.parse_odds(event.prices[runner])
                rung = min(range(len(LADDER)), key=lambda i: abs(LADDER[i][0] - current))
                rung = max(0, min(len(LADDER) - 1, rung + rng.choice((-1, 1))))
                price = LADDER[rung][1]
            selections.append(event.selection(runner, struck_at=struck, price=price))
        each_way = all(event.places for event in events) and rng.random() < 0.4
        stake = rng.choice(STAKES[:6] if needed >= 5 else STAKES)
        slips.append(acca.Slip(f"S{number:05d}", bet_type, selections, stake, each_way,
                               customer=f"C{rng.randint(1, 120):03d}"))
    return slips


def make_results(rng, card):
    results = []
    for event in card:
        runners = event.runners
        non_runners = []
        if event.places and rng.random() < 0.45:
            for runner in rng.sample(runners[1:], rng.randint(1, 2)):
                non_runners.append(acca.NonRunner(runner, event.prices[runner],
                                                  rng.randint(30, 130)))
        withdrawn = {nr.runner for nr in non_runners}
        field_ = [r for r in runners if r not in withdrawn]
        keyed = sorted(field_, key=lambda r: rng.expovariate(1.0) * float(acca.parse_odds(
            event.prices[r])))
        if not event.places:
            keyed = keyed[:1]
        positions = list(range(1, len(keyed) + 1))
        if event.places and rng.random() < 0.2:
            spot = rng.randint(0, min(event.places, len(keyed) - 2))
            positions[spot + 1] = positions[spot]
        placings = dict(zip(keyed, positions))
        abandoned = rng.random() < 0.03
        results.append(acca.Result(event.event_id, placings, non_runners, abandoned))
    return results


def main():
    rng = random.Random(SEED)
    card = make_card(rng)
    slips = make_slips(rng, card)
    results = make_results(rng, card)
    runners = sum(len(event.prices) for event in card)
    margin = sum((event.book_percentage() for event in card), Decimal(0)) / len(card)
    print(f"events={len(card)} runners={runners} mean_overround={margin:.4f}")

    crc = 0
    lines = 0
    staked = Decimal(0)
    potential = Decimal(0)
    for slip in slips:
        lines += len(acca.build_lines(slip))
        staked += acca.total_stake(slip)
        potential += acca.potential_return(slip)
        crc = zlib.crc32("\n".join(acca.slip_receipt(slip)).encode(), crc)
    print(f"slips={len(slips)} lines={lines} staked={acca.format_money(staked)} "
          f"potential={acca.format_money(potential)} receipts_crc={crc:08x}")

    rows = acca.liability_report(card, slips)
    print(f"liability rows={len(rows)} exposure={acca.format_money(acca.total_exposure(rows))}"
          f" crc={crc_of(rows):08x}")
    for text in acca.liability_table(rows, 6):
        print("  " + text)

    settler = acca.Settler(results)
    settlements = settler.settle_all(slips)
    returned = sum((s.returns for s in settlements), Decimal(0))
    house = staked - returned
    print(f"settled={len(settlements)} {acca.status_counts(settlements)} "
          f"returns={acca.format_money(returned)} house={acca.format_money(house)} "
          f"crc={crc_of(settlements):08x}")
    book = acca.statement(settlements)
    print(f"statement rows={len(book)} crc={zlib.crc32(chr(10).join(book).encode()):08x}")
    print("  " + book[-1])

    prices = []
    for event in card:
        for runner, text in event.prices.items():
            prices.append((text, acca.format_odds(text, "decimal"), acca.to_fractional(text),
                           acca.format_odds(text, "american")))
    print(f"prices={len(prices)} crc={crc_of(prices):08x} sample={prices[:3]}")


if __name__ == "__main__":
    main()
