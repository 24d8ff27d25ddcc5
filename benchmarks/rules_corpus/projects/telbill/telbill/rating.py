"""Rating: turn parsed CDRs into priced calls, consuming free-minute bundles in call order."""

from decimal import Decimal

from .rates import billable_seconds, call_charge, find_rate, is_peak
from .tables import PLANS


class RatingError(LookupError):
    """A call that cannot be priced (no rate for its destination)."""


def get_account(accounts, account_id):
    """The account dict with this id; the first one if the list holds it twice."""
    for account in accounts:
        if account["id"] == account_id:
            return account
    raise KeyError(f"unknown account {account_id!r}")


def home_country(account):
    return account.get("country") or account["region"][:2]


def bundle_applies(plan, account, country):
    if not plan["bundle_minutes"]:
        return False
    return plan["bundle_scope"] == "all" or country == home_country(account)


def rate_calls(records, accounts, deck, plans=None, rejected=None):
    """Price every record and return the rated calls in call order.

    Calls are taken in (start, call_id) order; within each account and calendar month
    the plan's free minutes are used up by the first eligible calls, a call that
    crosses the end of the bundle being charged only for the part outside it.
    A call whose destination has no rate raises RatingError, or, when a ``rejected``
    list is given, is appended there and left out. An unknown account raises KeyError.
    """
    if plans is None:
        plans = PLANS
    ordered = sorted(records, key=lambda rec: (rec["start"], rec["call_id"]))
    rated = []
    history = {}
    for rec in ordered:
        account = get_account(accounts, rec["account"])
        plan = plans[account["plan"]]
        month = rec["start"].strftime("%Y-%m")
        entry = find_rate(deck, rec["callee"])
        if entry is None:
            if rejected is None:
                raise RatingError(f"no rate for +{rec['callee']} (call {rec['call_id']})")
            rejected.append(rec)
            continue
        prefix, country, peak_rate, offpeak_rate = entry
        peak = is_peak(rec["start"], account["region"])
        calls = history.setdefault(rec["account"], [])
        if rec["kind"] == "sms":
            rate = plan["sms"]
            billed = free = 0
            charge = plan["sms"]
        else:
            rate = (peak_rate if peak else offpeak_rate) * plan["markup"]
            billed = billable_seconds(rec["duration"], plan["rounding"])
            free = 0
            if bundle_applies(plan, account, country):
                used = sum(call["free_seconds"] for call in calls if call["month"] == month)
                left = plan["bundle_minutes"] * 60 - used
                free = min(billed, max(left, 0))
            charge = call_charge(rate, billed - free)
        row = {
            "call_id": rec["call_id"],
            "account": rec["account"],
            "kind": rec["kind"],
            "callee": rec["callee"],
            "prefix": prefix,
            "country": country,
            "start": rec["start"],
            "month": month,
            "peak": peak,
            "duration": rec["duration"],
            "billed_seconds": billed,
            "free_seconds": free,
            "rate": rate,
            "charge": charge,
        }
        calls.append(row)
        rated.append(row)
    return rated


def bundle_usage(rated, account_id, month):
    """Free seconds an account used in a month, from rated calls."""
    return sum(call["free_seconds"] for call in rated
               if call["account"] == account_id and call["month"] == month)


def total_charges(rated):
    return sum((call["charge"] for call in rated), Decimal("0"))
