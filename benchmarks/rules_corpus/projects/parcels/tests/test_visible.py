import pytest

from parcels import Parcel, clean_address, consolidate, manifest, quote_all, rate_for, zone_for
from parcels.rates import NoRate


def test_clean_address() -> None:
    expected = "12b main street, apartment 4, berlin"
    assert clean_address("  12 B  Main St. ,Apt 4 , Berlin") == expected
    assert clean_address("12b MAIN STREET, APARTMENT 4, BERLIN") == clean_address(
        "12 b main st., apt 4, berlin"
    )


def test_zones_longest_prefix() -> None:
    assert zone_for("10115") == "A"
    assert zone_for("12043") == "B"
    assert zone_for("sw1a 1aa") == "L"
    assert zone_for("N1 9GU") == "M"
    with pytest.raises(NoRate):
        zone_for("ZZ9")


def test_rates() -> None:
    assert rate_for("A", 1.0) == round(4.90 * 1.045, 2)
    assert rate_for("A", 2.0) == round(4.90 * 1.045, 2)
    assert rate_for("B", 2.01, express=True) == round(7.60 * 1.045 * 1.35, 2)
    with pytest.raises(NoRate):
        rate_for("A", 40)


def test_quotes_consolidation_manifest() -> None:
    parcels = [
        Parcel("p1", "Ann", "1 Main St", "10115", 1.0),
        Parcel("p2", "Ann", "1 main street", "101 15", 3.0),
        Parcel("p3", "Bob", "9 Oak Ave", "SW1A 1AA", 50.0),
        Parcel("p4", "Cy", "1 Main St", "10115", 1.0, express=True),
    ]
    quotes = quote_all(parcels)
    assert quotes["p3"] is None and quotes["p1"] == 5.12
    assert [[p.ref for p in g] for g in consolidate(parcels)] == [["p1", "p2"], ["p3"], ["p4"]]
    lines = manifest(parcels)
    assert lines[0] == "A|p1|ANN|1 Main Street|1.00kg"
    assert lines[3] == "A|TOTAL|3 parcels|5.00kg"
    assert lines[-1] == "L|TOTAL|1 parcels|50.00kg"
