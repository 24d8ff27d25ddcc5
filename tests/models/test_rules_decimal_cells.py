"""constant-table for a table whose building does Decimal arithmetic: it is kept per decimal
context settings (precision, rounding, exponent limits, traps), built in a copy of the
context, and the flags its building raised are raised again at every call that reads it."""

from __future__ import annotations

import decimal

import pytest

from tests.models.rules_corpus import helpers

LADDER = """
from decimal import Decimal

ONE = Decimal("1")
STEPS = ("1/3", "2/7", "5/2", "evs")


def _value(text):
    if text == "evs":
        return ONE + ONE
    top, bottom = text.split("/")
    return ONE + Decimal(int(top)) / Decimal(int(bottom))


def nearest(price):
    ladder = []
    for text in STEPS:
        ladder.append((text, _value(text)))
    best = min(ladder, key=lambda step: abs(step[1] - Decimal(price)))
    return best[0], str(best[1])
"""


def _both() -> tuple[object, object]:
    text = helpers.rewrite(LADDER, "constant-table", "nearest")
    assert text is not None
    assert "with _decimal.localcontext() as _building:" in text
    before = helpers.run_module(LADDER, "decimal_before")["nearest"]
    after = helpers.run_module(text, "decimal_after")["nearest"]
    return before, after


def _flags() -> set[str]:
    return {s.__name__ for s, on in decimal.getcontext().flags.items() if on}


def test_the_table_follows_the_precision_and_rounding_of_each_call() -> None:
    before, after = _both()
    for prec, rounding in (
        (28, decimal.ROUND_HALF_EVEN),
        (3, decimal.ROUND_DOWN),
        (28, decimal.ROUND_UP),
        (3, decimal.ROUND_DOWN),
    ):
        with decimal.localcontext() as context:
            context.prec, context.rounding = prec, rounding
            assert after("1.3") == before("1.3")  # type: ignore[operator]
            assert after("3.4") == before("3.4")  # type: ignore[operator]


def test_every_call_raises_the_flags_its_table_raised() -> None:
    before, after = _both()
    with decimal.localcontext():
        after("1.3")  # type: ignore[operator]  # builds the table
        for fn in (before, after):
            decimal.getcontext().clear_flags()
            fn("1.3")  # type: ignore[operator]
            seen = _flags()
            assert {"Inexact", "Rounded"} <= seen, fn
        decimal.getcontext().clear_flags()
        before("1.3")  # type: ignore[operator]
        expected = _flags()
        decimal.getcontext().clear_flags()
        after("1.3")  # type: ignore[operator]
        assert _flags() == expected


def test_a_trap_raises_as_before_and_keeps_nothing() -> None:
    before, after = _both()
    for fn in (before, after):
        with decimal.localcontext() as context:
            context.traps[decimal.Inexact] = True
            with pytest.raises(decimal.Inexact):
                fn("1.3")  # type: ignore[operator]
            assert "Inexact" in _flags()
    with decimal.localcontext():
        assert after("1.3") == before("1.3")  # type: ignore[operator]


def test_a_function_reading_the_context_is_not_closed() -> None:
    """Guards `touches_context`: reading `decimal.DefaultContext.prec` (state a program may
    change) made a function closed, so cache-pure-function-guarded kept its result across a
    change of the default precision (an older hole)."""
    source = (
        "import decimal\n\n\ndef digits(n):\n    total = 0\n    for i in range(n):\n"
        "        total += i * decimal.DefaultContext.prec\n    return total\n"
    )
    assert helpers.rewrite(source, "cache-pure-function-guarded", "digits") is None
    plain = source.replace("decimal.DefaultContext.prec", "7")
    assert helpers.rewrite(plain, "cache-pure-function-guarded", "digits") is not None


# --- the review of the Decimal cells: tables whose building reads the context in ways an
# analysis of Decimal arithmetic missed; every table of a repository that uses `decimal`
# is now kept per context ---------------------------------------------------------------


def _call(fn: object) -> tuple[str, list[str]]:
    try:
        shown = repr(fn())  # type: ignore[operator]
    except Exception as exc:
        shown = type(exc).__name__
    return shown, sorted(_flags())


def _precision(fn: object) -> list[tuple[str, list[str]]]:
    context = decimal.getcontext()
    out = [_call(fn)]
    context.clear_flags()
    out.append(_call(fn))
    context.clear_flags()
    context.prec = 3
    return [*out, _call(fn)]


def _trap(signal: type) -> object:
    def scenario(fn: object) -> list[tuple[str, list[str]]]:
        context = decimal.getcontext()
        context.traps[signal] = False
        out = [_call(fn)]
        context.clear_flags()
        out.append(_call(fn))
        context.clear_flags()
        context.traps[signal] = True
        return [*out, _call(fn)]

    return scenario


def _formats(fn: object) -> list[tuple[str, list[str]]]:
    out = [_call(fn)]
    decimal.getcontext().capitals = 0
    decimal.getcontext().rounding = decimal.ROUND_HALF_UP
    return [*out, _call(fn)]


REVIEWED = {
    "comprehension-variable": ("NS = (1, 2)", "[n / Decimal(7) for n in NS]", _precision),
    "bad-string": (
        'NS = ("1.5", "abc")',
        "[Decimal(s) for s in NS]",
        _trap(decimal.InvalidOperation),
    ),
    "float": ("NS = (0.5, 0.25)", "[Decimal(x) for x in NS]", _trap(decimal.FloatOperation)),
    "nan-comparison": (
        'NS = ("1", "NaN", "3")',
        "[s for s in NS if Decimal(s) < 2]",
        _trap(decimal.InvalidOperation),
    ),
    "capitals": ('NS = ("1E+10", "0.25")', "[str(Decimal(s)) for s in NS]", _formats),
    "format-rounding": ('NS = ("0.25", "0.35")', '[f"{Decimal(s):.1f}" for s in NS]', _formats),
    "multi-line-string": (
        "NS = ()",
        '[Decimal(len(s)) / 7 for s in """ab\nc""".split("\\n")]',
        _precision,
    ),
}


@pytest.mark.parametrize("case", REVIEWED.values(), ids=REVIEWED.keys())
def test_reviewed_tables_follow_the_context_as_before(case: tuple[str, str, object]) -> None:
    constants, table, scenario = case
    source = (
        f"from decimal import Decimal\n\n{constants}\n\n\ndef f():\n    t = {table}\n"
        "    return tuple(t)\n"
    )
    text = helpers.rewrite(source, "constant-table", "f")
    assert text is not None and "localcontext" in text
    seen = []
    for version, module in ((source, "reviewed_before"), (text, "reviewed_after")):
        with decimal.localcontext(decimal.Context()):
            seen.append(scenario(helpers.run_module(version, module)["f"]))  # type: ignore[operator]
    assert seen[0] == seen[1]


def test_a_helper_with_a_context_default_is_refused() -> None:
    """The context object named in a parameter's default, not the body."""
    source = (
        'from decimal import Decimal, getcontext\n\nNS = ("1", "2")\n\n\n'
        "def h(s, ctx=getcontext()):\n    return Decimal(s) / 7 if ctx.prec > 10 else Decimal(s) / 3\n\n\n"
        "def f():\n    t = [h(s) for s in NS]\n    return t[0]\n"
    )
    assert helpers.rewrite(source, "constant-table", "f") is None
    plain = source.replace("ctx=getcontext()", "ctx=None").replace("ctx.prec > 10", "ctx is None")
    assert helpers.rewrite(plain, "constant-table", "f") is not None
