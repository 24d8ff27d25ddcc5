"""Drug stock in batches: dicts of batch_id, drug, qty, expiry and received (ISO dates).

Stock goes out from the batch expiring first; nothing is dispensed on or after its expiry date.
"""

from .dates import format_date, parse_date
from .drugs import normalize_drug_name


class StockError(Exception):
    """Not enough usable stock to dispense."""

    def __init__(self, drug, wanted, available):
        super().__init__(f"{drug}: wanted {wanted}, only {available} available")
        self.drug = drug
        self.wanted = wanted
        self.available = available


def make_batch(batch_id, drug, qty, expiry, received):
    """Validated batch record. Raises ValueError for bad quantities or dates."""
    if not batch_id:
        raise ValueError("batch id is required")
    try:
        qty = int(qty)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"bad quantity for batch {batch_id}: {qty!r}") from exc
    if qty <= 0:
        raise ValueError(f"batch {batch_id} must have a positive quantity")
    expiry_s = format_date(expiry)
    received_s = format_date(received)
    if parse_date(expiry_s) <= parse_date(received_s):
        raise ValueError(f"batch {batch_id} received already expired")
    return {"batch_id": batch_id, "drug": normalize_drug_name(drug), "qty": qty,
            "expiry": expiry_s, "received": received_s}


def receive_delivery(batches, lines, received):
    """Append delivery lines (batch_id, drug, qty, expiry) to batches; returns the new records.
    A batch id already in stock raises ValueError and nothing is added."""
    new_batches = []
    for line in lines:
        batch_id, drug, qty, expiry = line
        existing = [b["batch_id"] for b in batches] + [b["batch_id"] for b in new_batches]
        if batch_id in existing:
            raise ValueError(f"duplicate batch id: {batch_id}")
        new_batches.append(make_batch(batch_id, drug, qty, expiry, received))
    batches.extend(new_batches)
    return new_batches


def is_usable(batch, on_date):
    return batch["qty"] > 0 and parse_date(batch["expiry"]) > parse_date(on_date)


def usable_batches(batches, drug, on_date):
    """Batches of drug usable on on_date: earliest expiry, then received, then batch id."""
    target = normalize_drug_name(drug)
    found = []
    for batch in batches:
        if normalize_drug_name(batch["drug"]) == target and is_usable(batch, on_date):
            found.append(batch)
    found.sort(key=lambda b: (parse_date(b["expiry"]), parse_date(b["received"]),
                              b["batch_id"]))
    return found


def stock_on_hand(batches, drug, on_date):
    """Units of drug that can still be dispensed on on_date."""
    return sum(batch["qty"] for batch in usable_batches(batches, drug, on_date))


def dispense_stock(batches, drug, quantity, on_date):
    """Take quantity units of drug, earliest-expiring batch first, reducing batch qty in
    place. Returns [(batch_id, units)]. ValueError if quantity is not positive; StockError
    (stock untouched) if there is not enough usable stock."""
    if quantity <= 0:
        raise ValueError(f"quantity must be positive, got {quantity}")
    candidates = usable_batches(batches, drug, on_date)
    available = sum(b["qty"] for b in candidates)
    if available < quantity:
        raise StockError(normalize_drug_name(drug), quantity, available)
    taken = []
    remaining = quantity
    for batch in candidates:
        if remaining == 0:
            break
        units = min(batch["qty"], remaining)
        batch["qty"] -= units
        remaining -= units
        taken.append((batch["batch_id"], units))
    return taken

