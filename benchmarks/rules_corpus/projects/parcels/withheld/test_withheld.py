import copy
import random

import pytest

from parcels import Parcel, clean_address, consolidate, manifest, normalize_postcode, quote_all
from parcels.addresses import same_address
from parcels.rates import RATE_CARD, ZONES, NoRate, rate_for, zone_for
from parcels.shipping import invoice_lines


def test_postcode_normalization_errors() -> None:
    assert normalize_postcode(" ec1a-1bb ") == "EC1A1BB"
    with pytest.raises(ValueError):
        normalize_postcode(" - ")
    with pytest.raises(ValueError):
        zone_for("")


def test_abbreviations_only_as_whole_words() -> None:
    assert clean_address("Strand St") == "strand street"
    assert clean_address("No. 5, Stone Rd.") == "number 5, stone road"
    assert clean_address("Apt, 3") == "apartment, 3"
    assert clean_address("") == ""
    assert same_address("5 A High St", "5a high street")


def test_rate_edges() -> None:
    assert rate_for("F", 31.5) == round(24.50 * 1.045, 2)
    with pytest.raises(NoRate):
        rate_for("Q", 1.0)
    with pytest.raises(LookupError):
        rate_for("A", 31.51)
    assert rate_for("M", 0.01) == round(8.90 * 1.045, 2)


def test_zone_prefix_ties_first_listed() -> None:
    assert zone_for("80331") == "D"
    assert zone_for("81000") == "E"
    assert zone_for("EC2") == "L"
    assert zone_for("E2") == "M"
    assert zone_for("40") == "B"


def test_tables_not_mutated() -> None:
    zones, card = copy.deepcopy(ZONES), copy.deepcopy(RATE_CARD)
    for code in ("10115", "SW1A", "9", "E1"):
        rate_for(zone_for(code), 3.0, True)
    assert ZONES == zones and RATE_CARD == card


def test_consolidate_keeps_order_and_does_not_mutate() -> None:
    parcels = [
        Parcel("a", "x", "1 Oak Ave", "10115", 1.0),
        Parcel("b", "x", "2 Oak Ave", "10115", 1.0),
        Parcel("c", "x", "1 OAK AVENUE", "10115", 1.0),
        Parcel("d", "x", "1 oak ave", "10116", 1.0),
        Parcel("e", "x", "1 Oak Ave", "10115", 1.0, express=True),
        Parcel("f", "x", "1 oak  ave.", "1 0115", 2.0, express=True),
    ]
    before = copy.deepcopy(parcels)
    groups = consolidate(parcels)
    assert [[p.ref for p in g] for g in groups] == [["a", "c"], ["b"], ["d"], ["e", "f"]]
    assert parcels == before
    assert consolidate([]) == []


def test_postcode_variants_with_dashes_are_different_doors() -> None:
    parcels = [
        Parcel("a", "x", "1 Oak Ave", "SW1A-1AA", 1.0),
        Parcel("b", "x", "1 Oak Ave", "sw1a 1aa", 1.0),
        Parcel("c", "x", "1 Oak Ave", "SW1A1AA", 1.0),
    ]
    assert [[p.ref for p in g] for g in consolidate(parcels)] == [["a"], ["b", "c"]]


def test_manifest_skips_unknown_zones_and_formats() -> None:
    parcels = [
        Parcel("z", "zed", "nowhere", "ZZ1", 1.0),
        Parcel("m", "max", "4 high st", "N1", 0.5),
        Parcel("a", "amy", "3 low rd", "100", 2.25),
    ]
    assert manifest(parcels) == [
        "A|a|AMY|3 Low Road|2.25kg",
        "A|TOTAL|1 parcels|2.25kg",
        "M|m|MAX|4 High Street|0.50kg",
        "M|TOTAL|1 parcels|0.50kg",
    ]
    assert manifest([]) == []
    lines = invoice_lines(parcels)
    assert lines[0] == "z: not accepted"
    assert lines[-1] == f"total: {round(8.90 * 1.045, 2) + round(6.90 * 1.045, 2):.2f} EUR"


def test_invalid_weight() -> None:
    with pytest.raises(ValueError):
        Parcel("x", "y", "z", "1", 0)


def test_random_quotes_match_rate_card() -> None:
    rng = random.Random(17)
    parcels = [
        Parcel(f"p{i}", "r", "1 a st", rng.choice(["10", "12", "SW1", "E9", "99", "7"]),
               round(rng.uniform(0.1, 35), 2), rng.random() < 0.5)
        for i in range(200)
    ]
    quotes = quote_all(parcels)
    for p in parcels:
        zone = zone_for(p.postcode)
        bands = [(limit, price) for z, limit, price in RATE_CARD if z == zone]
        fitting = [price for limit, price in sorted(bands) if p.weight_kg <= limit]
        if not fitting:
            assert quotes[p.ref] is None
        else:
            expected = fitting[0] * 1.045 * (1.35 if p.express else 1)
            assert quotes[p.ref] == pytest.approx(round(expected, 2))
