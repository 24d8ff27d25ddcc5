"""Module tables the repository only reads (`agent.engines.rules.readonly`): a pure function
that reads `SUFFIX_RULES = [(pattern, replacement), ...]` may be cached like one that reads
a tuple, and any way the table could change (in place, through an alias, from another
module, from a function it is handed to) keeps the cache off."""

from __future__ import annotations

import pytest

from agent.engines.rules import Step, StepFailed, run_step
from agent.engines.rules.project import project_for
from tests.models.rules_corpus import helpers

STEMMER = """
import re

SUFFIX_RULES = [(r"(\\w{2,})ies$", r"\\1y"), (r"(\\w{3,})ings?$", r"\\1"), (r"(\\w{3,})s$", r"\\1")]
STOP_WORDS = frozenset("a an the of".split())
UNITS = {"kg": 1000, "g": 1}


def stem(word: str) -> str:
    if word in STOP_WORDS:
        return ""
    for pattern, replacement in SUFFIX_RULES:
        stemmed, count = re.subn(pattern, replacement, word)
        if count:
            return stemmed
    return word


def grams(unit: str) -> int:
    total = 0
    for name in sorted(UNITS):
        if name == unit:
            total += UNITS.get(name, 0) * len(UNITS)
    return total
"""


def test_a_pure_function_reading_a_list_of_literal_rules_is_cached() -> None:
    text = helpers.rewrite(STEMMER, "cache-pure-function", "stem")
    assert text is not None and "lru_cache" in text
    before = helpers.run_module(STEMMER, "readonly_a")["stem"]
    after = helpers.run_module(text, "readonly_b")["stem"]
    for word in ("cities", "singing", "cats", "the", "go", "", "ſings", "ties"):
        assert after(word) == before(word)
        assert after(word) == before(word)  # a second call is served from the cache


def test_a_dict_table_read_through_get_and_sorted_is_a_constant_too() -> None:
    text = helpers.rewrite(STEMMER, "cache-pure-function", "grams")
    assert text is not None and "lru_cache" in text


@pytest.mark.parametrize(
    "extra",
    [
        "def add(p, r):\n    SUFFIX_RULES.append((p, r))\n",
        "def swap():\n    SUFFIX_RULES[0] = ('x', 'y')\n",
        "def drop():\n    del SUFFIX_RULES[0]\n",
        "def first():\n    SUFFIX_RULES[0], n = ('x', 'y'), 1\n",
        "def alias():\n    rules = SUFFIX_RULES\n    return rules\n",
        "def handed():\n    return SUFFIX_RULES\n",
        "def sort_them():\n    SUFFIX_RULES.sort()\n",
        "def given(f):\n    f(SUFFIX_RULES)\n",
        "def loop():\n    for SUFFIX_RULES[0] in [1]:\n        pass\n",
        "class Holder:\n    rules = SUFFIX_RULES\n",
    ],
    ids=[
        "appended",
        "item-set",
        "item-deleted",
        "item-set-in-a-tuple",
        "aliased",
        "returned",
        "sorted-in-place",
        "passed-on",
        "a-for-target",
        "a-class-attribute",
    ],
)
def test_a_table_that_can_change_is_no_constant(extra: str) -> None:
    source = STEMMER + "\n\n" + extra
    compile(source, "mod.py", "exec")
    assert helpers.rewrite(source, "cache-pure-function", "stem") is None


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("SUFFIX_RULES = [", "SUFFIX_RULES = [(1, 2)]\nOLD = ["),
        ("    return word\n", "    return word + SUFFIX_RULES[0][1]\n"),
    ],
    ids=["one-element", "read-at-a-fixed-place"],
)
def test_a_list_used_as_a_mutable_cell_is_no_constant(old: str, new: str) -> None:
    """`SCALE = [1.0]` read as `SCALE[0]` is the idiom for a value meant to change."""
    source = STEMMER.replace(old, new, 1)
    assert source != STEMMER
    assert helpers.rewrite(source, "cache-pure-function", "stem") is None


def test_a_lower_case_table_is_no_constant() -> None:
    source = STEMMER.replace("SUFFIX_RULES", "suffix_rules")
    assert helpers.rewrite(source, "cache-pure-function", "stem") is None


def test_a_table_of_mutable_elements_is_no_constant() -> None:
    source = STEMMER.replace('(r"(\\w{3,})s$", r"\\1")]', '[r"(\\w{3,})s$", r"\\1"]]')
    assert source != STEMMER
    assert helpers.rewrite(source, "cache-pure-function", "stem") is None


def _cached_across(other: str) -> bool:
    texts = {"pkg/words.py": STEMMER, "pkg/use.py": other}
    try:
        run_step(texts, Step("cache-pure-function", "pkg/words.py", "stem"), verify=False,
                 project=project_for(texts))  # fmt: skip
    except StepFailed:
        return False
    return "lru_cache" in texts["pkg/words.py"]


def test_another_module_may_read_it_through_from_import() -> None:
    reads = "from pkg.words import SUFFIX_RULES\n\n\ndef count():\n    return len(SUFFIX_RULES)\n"
    assert _cached_across(reads)


@pytest.mark.parametrize(
    "other",
    [
        "from pkg.words import SUFFIX_RULES\n\n\ndef grow():\n    SUFFIX_RULES.append(('a', 'b'))\n",
        "from pkg.words import SUFFIX_RULES as RULES\n\n\ndef count():\n    return len(RULES)\n",
        "from pkg import words\n\n\ndef grow():\n    words.SUFFIX_RULES.append(('a', 'b'))\n",
        "import pkg.words\n\n\ndef reset():\n    pkg.words.SUFFIX_RULES.clear()\n",
    ],
    ids=["changed-after-import", "aliased-import", "module-attribute", "dotted-attribute"],
)
def test_another_module_that_could_change_it_keeps_the_cache_off(other: str) -> None:
    assert not _cached_across(other)


@pytest.mark.parametrize(
    "extra",
    [
        "def sorted(xs):\n    xs.append('a')\n    return xs\n\n\ndef grow():\n    sorted(SUFFIX_RULES)\n",
        "def grow():\n    max(SUFFIX_RULES, []).append(('a', 'b'))\n",
        "def grow(len):\n    len(SUFFIX_RULES)\n",
        "from os.path import *\n\n\ndef size():\n    return len(SUFFIX_RULES)\n",
    ],
    ids=["a-sorted-of-its-own", "max-returns-the-table", "a-parameter-named-len", "star-import"],
)
def test_a_reading_builtin_must_be_the_builtin(extra: str) -> None:
    """Guards `_read`: a call counts as reading only when it is the builtin, and `min`/`max`
    of several arguments may return the table itself."""
    source = STEMMER + "\n\n" + extra
    compile(source, "mod.py", "exec")
    assert helpers.rewrite(source, "cache-pure-function", "stem") is None


WORDS = """
import re

DESCRIPTORS = ["fresh", "chopped", "large"]


def clean(text: str) -> str:
    return re.sub(r"\\b(" + "|".join(DESCRIPTORS) + r")\\b", " ", text.lower()).strip()
"""


def test_a_literal_strings_join_only_reads_the_table() -> None:
    text = helpers.rewrite(WORDS, "cache-pure-function", "clean")
    assert text is not None and "lru_cache" in text
    before = helpers.run_module(WORDS, "readonly_join_a")["clean"]
    after = helpers.run_module(text, "readonly_join_b")["clean"]
    for word in ("Fresh Basil", "large chopped onions", "", "freshly"):
        assert after(word) == before(word) == after(word)


@pytest.mark.parametrize(
    "extra",
    [
        "def joined(sep):\n    return sep.join(DESCRIPTORS)\n",  # `sep` could be anything
        "def spread():\n    return ''.join(*DESCRIPTORS)\n",
    ],
    ids=["join-of-an-unknown-receiver", "starred"],
)
def test_a_join_that_is_not_a_literals_keeps_the_cache_off(extra: str) -> None:
    assert helpers.rewrite(WORDS + "\n\n" + extra, "cache-pure-function", "clean") is None
