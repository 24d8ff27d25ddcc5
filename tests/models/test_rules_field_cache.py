"""cache-method-by-fields: a method that computes its result from its object's fields alone
keeps it per value of those fields. Before/after, the same results when a field changes or a
caller changes what it got, no caching for values that are not safe keys, and refusals."""

from __future__ import annotations

import pytest

from tests.models.rules_corpus import helpers

TAXES = """
class TaxTable:
    def __init__(self, spec, scale=100):
        self.spec = spec
        self.scale = scale

    def rates(self):
        \"\"\"{category: rate} from the spec.\"\"\"
        out = {}
        for part in self.spec.split(";"):
            key, _, value = part.partition("=")
            out[key.strip()] = float(value) / self.scale
        return out

    def rate_for(self, category):
        table = self.rates()
        return table.get(category, table["default"])
"""


def test_the_result_is_kept_per_value_of_the_fields_it_reads() -> None:
    text = helpers.rewrite(TAXES, "cache-method-by-fields", "TaxTable.rates")
    assert text is not None
    assert "_taxtable_rates_cache = {}" in text
    assert (
        "        if type(self.spec) in (str, int, bool, bytes, type(None)) and "
        "type(self.scale) in (str, int, bool, bytes, type(None)):\n"
        "            _key = (type(self.spec), self.spec, type(self.scale), self.scale,)\n"
        "            if _key in _taxtable_rates_cache:\n"
        "                return _keep_copy(None, None, _taxtable_rates_cache[_key])\n"
    ) in text
    assert "        return _keep_copy(_taxtable_rates_cache, _key, (out))\n" in text
    before = helpers.run_module(TAXES, "field_cache_before")
    after = helpers.run_module(text, "field_cache_after")
    for ns in (before, after):
        table = ns["TaxTable"]("food=7;default=19")  # type: ignore[operator]
        got = [table.rates(), table.rate_for("food")]
        got[0]["food"] = 99.0  # a caller changes what it got: never seen by the next call
        got.append(table.rates())
        table.spec = "food=8;default=20"  # a new value, a new key
        got.append(table.rates())
        table.scale = 10.0  # a float is no safe key (0.0 == -0.0): computed every time
        got += [table.rates(), table.rates()]
        table.spec = "food=x"
        with pytest.raises(ValueError):
            table.rates()
        with pytest.raises(ValueError):
            table.rates()  # an exception is never cached
        ns["got"] = got
    assert before["got"] == after["got"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # another parameter
        ("    def rates(self):\n", "    def rates(self, sep=';'):\n"),
        # it calls a method of its object
        ('self.spec.split(";")', "self.parts()"),
        # it hands its object on
        ('self.spec.split(";")', "split_spec(self)"),
        # it changes its object
        ("        out = {}\n", "        out = {}\n        self.calls = 1\n"),
        # what it returns holds containers: a shallow copy would share them
        ("float(value) / self.scale", "[float(value) / self.scale]"),
        # a generator
        ("        return out\n", "        yield out\n"),
    ],
)
def test_refused_when_a_precondition_fails(old: str, new: str) -> None:
    source = TAXES.replace(old, new, 1) + (
        "\n\ndef split_spec(table):\n    return table.spec.split(';')\n"
    )
    assert TAXES.replace(old, new, 1) != TAXES
    assert helpers.rewrite(source, "cache-method-by-fields", "TaxTable.rates") is None


@pytest.mark.parametrize(
    "extra",
    [
        "\n\nclass Other:\n    @property\n    def spec(self):\n        return 'a=1'\n",
        "\n\nclass Other:\n    spec = object()\n",
        "\n\nclass Other:\n    def __getattr__(self, name):\n        return 1\n",
    ],
    ids=["a-property-by-that-name", "a-class-level-object", "an-attribute-trap"],
)
def test_refused_when_reading_a_field_could_run_code(extra: str) -> None:
    assert helpers.rewrite(TAXES + extra, "cache-method-by-fields", "TaxTable.rates") is None


LINE = """
class Line:
    def __init__(self, code, minutes):
        self.code = code
        self.minutes = minutes

    @property
    def label(self):
        parts = []
        for ch in self.code:
            parts.append(ch.upper())
        return "-".join(parts) + f" ({self.minutes} min)"
"""


def test_a_property_getter_is_cached_like_a_method() -> None:
    text = helpers.rewrite(LINE, "cache-method-by-fields", "Line.label")
    assert text is not None and "    @property\n    def label(self):" in text
    before = helpers.run_module(LINE, "field_cache_prop_a")
    after = helpers.run_module(text, "field_cache_prop_b")
    for ns in (before, after):
        line = ns["Line"]("ab", 5)  # type: ignore[operator]
        got = [line.label, line.label]
        line.code = "xyz"
        got.append(line.label)
        line.minutes = 7
        got.append(line.label)
        ns["got"] = got
    assert before["got"] == after["got"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    @property\n", "    @functools.cached_property\n"),
        ("    @property\n", "    @staticmethod\n    @property\n"),
        ("class Line:\n", "def property(f):\n    return f\n\n\nclass Line:\n"),
        ("class Line:\n", "class Line:\n    property = staticmethod(lambda f: f)\n"),
    ],
    ids=["cached-property", "stacked", "shadowed-in-the-module", "shadowed-in-the-class"],
)
def test_a_getter_under_another_decorator_is_left_alone(old: str, new: str) -> None:
    source = LINE.replace(old, new, 1)
    if "functools" in new:
        source = "import functools\n" + source
    assert source != LINE
    assert helpers.rewrite(source, "cache-method-by-fields", "Line.label") is None
