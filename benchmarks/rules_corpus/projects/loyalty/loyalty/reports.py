"""Monthly customer statements and the programme summary report."""

from collections import Counter, namedtuple
from itertools import groupby
from operator import attrgetter, itemgetter

from .models import add_months, month_bounds
from .tiers import TIERS, next_tier_gap, rolling_spend, tier_changes, tier_on

Statement = namedtuple(
    "Statement",
    "customer_id name year month spend earned redeemed expired closing tier changes lines",
)


def format_money(cents):
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{part:02d}"


def find_customer(customers, customer_id):
    for c in customers:
        if c.customer_id == customer_id:
            return c
    raise KeyError(customer_id)


def statement_for(customer, transactions, earnings, ledger, year, month, tiers=TIERS):
    cid = customer.customer_id
    first, last = month_bounds(year, month)
    mine = [t for t in transactions if t.customer_id == cid]
    in_month = sorted((t for t in mine if first <= t.day <= last),
                      key=lambda t: (t.day, t.txn_id))
    points = {e.txn_id: e.points for e in earnings if e.customer_id == cid}
    earned = sum(points[t.txn_id] for t in in_month)
    redeemed = sum(o.points for o in ledger.outcomes
                   if o.accepted and o.customer_id == cid and first <= o.day <= last)
    expired = sum(lot.points for lot in ledger.expired
                  if lot.customer_id == cid and first <= lot.expires <= last)
    closing = (
        sum(e.points for e in earnings if e.customer_id == cid and e.day <= last)
        - sum(o.points for o in ledger.outcomes
              if o.accepted and o.customer_id == cid and o.day <= last)
        - sum(lot.points for lot in ledger.expired
              if lot.customer_id == cid and lot.expires <= last)
    )
    lines = [(t.day, t.category, t.amount, points[t.txn_id]) for t in in_month]
    return Statement(
        cid, customer.name, year, month,
        sum(t.amount for t in in_month), earned, redeemed, expired, closing,
        tier_on(mine, cid, last, tiers).name,
        tier_changes(mine, cid, first, last, tiers),
        lines,
    )


def monthly_statements(customers, transactions, earnings, ledger, year, month, tiers=TIERS):
    """Statements for every customer who had any activity or balance that month."""
    statements = []
    for customer in sorted(customers, key=attrgetter("customer_id")):
        stmt = statement_for(customer, transactions, earnings, ledger, year, month, tiers)
        if stmt.lines or stmt.redeemed or stmt.expired or stmt.closing:
            statements.append(stmt)
    return statements


def render_statement(stmt, tiers=TIERS):
    text = f"Statement {stmt.year}-{stmt.month:02d} for {stmt.name} ({stmt.customer_id})\n"
    text += f"Tier: {stmt.tier}\n"
    for day, old, new in stmt.changes:
        text += f"  {day.isoformat()} tier {old} -> {new}\n"
    for day, category, amount, points in stmt.lines:
        text += f"  {day.isoformat()}  {category:<12}{format_money(amount):>12}{points:>8}\n"
    text += f"Spend {format_money(stmt.spend)}  earned {stmt.earned}  redeemed {stmt.redeemed}"
    text += f"  expired {stmt.expired}  balance {stmt.closing}\n"
    return text


def category_breakdown(transactions):
    """[(category, spend, count)] by spend, largest first (ties by name)."""
    ordered = sorted(transactions, key=attrgetter("category"))
    rows = []
    for category, group in groupby(ordered, key=attrgetter("category")):
        amounts = [t.amount for t in group]
        rows.append((category, sum(amounts), len(amounts)))
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def programme_summary(customers, transactions, earnings, ledger, as_of, tiers=TIERS, top=10,
                      active_days=90):
    active_since = as_of.toordinal() - active_days
    active = {t.customer_id for t in transactions if t.day.toordinal() > active_since}
    tier_counts = Counter(
        tier_on(transactions, c.customer_id, as_of, tiers).name for c in customers
    )
    earned_by = Counter()
    for e in earnings:
        earned_by[e.customer_id] += e.points
    leaders = sorted(earned_by.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    near_upgrade = []
    for c in customers:
        gap = next_tier_gap(rolling_spend(transactions, c.customer_id, as_of), tiers)
        if gap is not None and gap[1] <= 10_000:
            near_upgrade.append((c.customer_id, gap[0], gap[1]))
    accepted = [o for o in ledger.outcomes if o.accepted]
    rewards = Counter(o.reward for o in accepted)
    expiring_soon = sum(lot.points for lot in ledger.lots if lot.expires <= add_months(as_of, 1))
    return {
        "members": len(customers),
        "active": len(active),
        "spend": sum(t.amount for t in transactions),
        "issued": sum(e.points for e in earnings),
        "redeemed": sum(o.points for o in accepted),
        "rejected": len(ledger.outcomes) - len(accepted),
        "expired": sum(lot.points for lot in ledger.expired),
        "outstanding": sum(lot.points for lot in ledger.lots),
        "expiring_soon": expiring_soon,
        "tiers": {t.name: tier_counts.get(t.name, 0) for t in tiers},
        "leaders": [(find_customer(customers, cid).name, pts) for cid, pts in leaders],
        "near_upgrade": sorted(near_upgrade, key=itemgetter(2, 0)),
        "rewards": sorted(rewards.items(), key=lambda kv: (-kv[1], kv[0])),
        "categories": category_breakdown(transactions),
    }


def render_summary(summary):
    out = ["Programme summary"]
    for key in ("members", "active", "issued", "redeemed", "rejected", "expired",
                "outstanding", "expiring_soon"):
        out.append(f"{key:<14}{summary[key]:>12}")
    out.append(f"{'spend':<14}{format_money(summary['spend']):>12}")
    out.extend(f"tier {name:<9}{count:>12}" for name, count in summary["tiers"].items())
    out.extend(f"leader {name:<20}{pts:>10}" for name, pts in summary["leaders"])
    out.extend(f"near {cid} -> {name} needs {format_money(gap)}"
               for cid, name, gap in summary["near_upgrade"])
    out.extend(f"reward {name:<12}{n:>6}" for name, n in summary["rewards"])
    out.extend(f"category {cat:<12}{format_money(spend):>14}{n:>7}"
               for cat, spend, n in summary["categories"])
    return "\n".join(out) + "\n"
