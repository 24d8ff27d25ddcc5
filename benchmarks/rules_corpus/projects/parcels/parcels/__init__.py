"""Parcel shipping: address cleaning, zones, rates, consolidation and manifests."""

from parcels.addresses import clean_address, normalize_postcode
from parcels.model import Parcel
from parcels.rates import rate_for, zone_for
from parcels.shipping import consolidate, manifest, quote_all

__all__ = [
    "Parcel",
    "clean_address",
    "consolidate",
    "manifest",
    "normalize_postcode",
    "quote_all",
    "rate_for",
    "zone_for",
]
