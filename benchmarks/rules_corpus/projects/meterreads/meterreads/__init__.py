"""Smart meter analytics: parse readings, bucket them, price them and report per meter/area."""

from meterreads.model import Meter, Reading, Tariff, TariffBand
from meterreads.parse import ParseError, ParseResult, parse_line, parse_lines
from meterreads.report import (
    AreaSummary,
    MeterSummary,
    Report,
    ReportBuilder,
    find_meter,
    find_tariff,
    price_readings,
)
from meterreads.series import (
    Gap,
    Spike,
    by_meter,
    daily,
    find_gaps,
    find_spikes,
    hourly,
    median,
    rolling_medians,
)

__all__ = [
    "AreaSummary", "Gap", "Meter", "MeterSummary", "ParseError", "ParseResult", "Reading",
    "Report", "ReportBuilder", "Spike", "Tariff", "TariffBand", "by_meter", "daily",
    "find_gaps", "find_spikes", "find_meter", "find_tariff", "hourly", "median",
    "parse_line", "parse_lines", "price_readings", "rolling_medians",
]
