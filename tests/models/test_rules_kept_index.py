"""kept-index: a lookup by a computed key that runs on every call keeps an index of the
records between calls. Before/after over sequences of calls with the records changed in
every way a caller can change them, records whose reads run code, and refusals where the key
is not a function of one field alone or the scan could change what it scans."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import pytest

from tests.models.rules_corpus import helpers

REPO = """
def normalize(name):
    if not isinstance(name, str):
        raise TypeError(f"not a name: {name!r}")
    return name.strip().lower().replace("_", "-")

def versions_of(repo, name):
    target = normalize(name)
    found = [pkg for pkg in repo if normalize(pkg[0]) == target]
    found.sort(key=lambda pkg: pkg[1], reverse=True)
    return found

def find(repo, name, version):
    target = normalize(name)
    for pkg in repo:
        if normalize(pkg[0]) == target and pkg[1] == version:
            return pkg
    return None

def owner(people, login):
    return next((p for p in people if p.login.lower() == login), None)
"""


def _pair(source: str, function: str, tag: str) -> tuple[Any, Any, dict[str, Any]]:
    text = helpers.rewrite(source, "kept-index", function)
    assert text is not None
    before = helpers.run_module(source, f"kept_{tag}_a")
    after = helpers.run_module(text, f"kept_{tag}_b")
    return before[function], after[function], after


def _outcome(fn: Any, *args: Any) -> tuple[str, str]:
    try:
        return ("ok", repr(fn(*args)))
    except Exception as exc:
        return ("raised", f"{type(exc).__name__}: {exc}")


def test_the_scan_iterates_the_kept_candidates() -> None:
    text = helpers.rewrite(REPO, "kept-index", "versions_of")
    assert text is not None
    body = helpers.body_of(text, "versions_of")
    assert (
        "for pkg in _kept_candidates(_versions_of_index, repo, lambda pkg: normalize(pkg[0]), "
        "_versions_of_field, None, target) if normalize(pkg[0]) == target]"
    ) in body
    assert "_versions_of_field = operator.itemgetter(0)" in text
    compile(text, "kept", "exec")


def test_the_index_is_built_at_the_second_call_and_then_serves() -> None:
    before, after, space = _pair(REPO, "versions_of", "serves")
    repo = [("Lib_A", 2), ("lib-a", 3), ("lib_b", 1)]
    for _ in range(3):
        assert after(repo, "LIB_A") == before(repo, "LIB_A")
    snapshot, fields, groups = space["_versions_of_index"][0]
    assert snapshot == tuple(repo) and fields is True  # items of the very same tuples
    assert groups == {"lib-a": [("Lib_A", 2), ("lib-a", 3)], "lib-b": [("lib_b", 1)]}
    rows = [["Lib_A", 2], ["lib_b", 1]]  # lists: their fields are compared at every call
    for _ in range(3):
        assert after(rows, "lib-b") == before(rows, "lib-b")
    assert space["_versions_of_index"][0][1] == ["Lib_A", "lib_b"]


def _append(repo: list[Any]) -> None:
    repo.append(("LIB_A ", 9))


def _replace_equal(repo: list[Any]) -> None:
    repo[0] = ("Lib_A", 2)  # equal, but another object: the caller may tell them apart


def _set_field(repo: list[Any]) -> None:
    repo[1][0] = "lib_b"  # a list record's key field changed in place


def _pop(repo: list[Any]) -> None:
    repo.pop(0)


def _odd_record(repo: list[Any]) -> None:
    repo.append({0: "lib_a"})  # a dict with key 0 still has a field 0


def _not_a_name(repo: list[Any]) -> None:
    repo.append((None, 1))  # the key raises: the scan must raise where it did


def _text_subclass(repo: list[Any]) -> None:
    class Loud(str):
        def lower(self) -> str:
            return "lib-a"

    repo[2] = (Loud("X"), 5)


@pytest.mark.parametrize(
    "change",
    [_append, _replace_equal, _set_field, _pop, _odd_record, _not_a_name, _text_subclass],
)
def test_every_change_between_calls_is_seen(change: Any) -> None:
    before, after, _ = _pair(REPO, "versions_of", change.__name__)
    old = [("Lib_A", 2), ["lib-a", 3], ("lib_b", 1)]
    new = [tuple(r) if isinstance(r, tuple) else list(r) for r in old]
    for _ in range(3):  # snapshot, build, serve
        assert _outcome(after, new, "lib_a") == _outcome(before, old, "lib_a")
    change(old)
    change(new)
    for probe in ("lib_a", "LIB-B", "x"):
        for _ in range(3):
            got, want = _outcome(after, new, probe), _outcome(before, old, probe)
            assert got == want, (change.__name__, probe)
    if change is _replace_equal:  # the very object in the list now, not the one replaced
        assert after(new, "lib_a")[1] is new[0]


@pytest.mark.parametrize("probe", [1, 1.0, True, None, float("nan"), b"lib-a", "lib-a"])
def test_probes_and_keys_of_every_kind(probe: Any) -> None:
    source = REPO.replace(
        "    if not isinstance(name, str):\n",
        "    if not isinstance(name, str):\n        return name\n",
    )
    before, after, _ = _pair(source, "find", f"probe_{abs(hash(repr(probe)))}")
    records = [(1, 1), (1.0, 1), (True, 1), ("LIB-A", 1), (None, 1), (b"lib-a", 1)]
    for _ in range(4):
        assert _outcome(after, records, probe, 1) == _outcome(before, records, probe, 1)
        assert after(records, probe, 1) is before(records, probe, 1)


class Person:
    def __init__(self, login: Any) -> None:
        self.login = login


class Watched:
    """Counts the reads of its key: a property runs code the index must not skip or add."""

    reads = 0

    @property
    def login(self) -> str:
        Watched.reads += 1
        return "Ann"


def test_attribute_keys_and_records_whose_reads_run_code() -> None:
    before, after, _ = _pair(REPO, "owner", "attrs")
    people = [Person("Ann"), Person("bob"), Person("ANN")]
    for _ in range(3):
        assert after(people, "ann") is before(people, "ann")
    people[0].login = "zed"  # the key field set anew
    assert after(people, "ann") is before(people, "ann") is people[2]
    Person.login = property(lambda self: "bob")  # type: ignore[attr-defined]
    try:
        watched = [Watched(), Watched()]
        counts = []
        for fn in (before, after):
            Watched.reads = 0
            for _ in range(3):
                fn(watched, "ann")
            counts.append(Watched.reads)
        assert counts[0] == counts[1]
    finally:
        del Person.login  # type: ignore[attr-defined]


def test_named_tuples_and_tuples_of_records() -> None:
    before, after, _ = _pair(REPO, "versions_of", "named")
    Pkg = namedtuple("Pkg", "name version")
    records = (Pkg("A", 1), Pkg("a ", 2), Pkg("b", 3))
    for _ in range(3):
        assert after(records, "a") == before(records, "a")


REFUSED = {
    "reads a parameter": (
        "def find(repo, name, mode):\n"
        "    return [p for p in repo if normalize(p[0]) + mode == name]\n"
    ),
    "reads a changing global": (
        "ALIASES = {}\n"
        "def find(repo, name):\n"
        "    return [p for p in repo if ALIASES.get(normalize(p[0])) == name]\n"
    ),
    "calls nothing": "def find(repo, name):\n    return [p for p in repo if p[0] == name]\n",
    "reads two fields": (
        "def find(repo, name):\n"
        "    return [p for p in repo if normalize(p[0]) + normalize(p[1]) == name]\n"
    ),
    "calls a method of the record": (
        "def find(repo, name):\n    return [p for p in repo if p.get(0).lower() == name]\n"
    ),
    "impure key": (
        "SEEN = []\n"
        "def noted(v):\n"
        "    SEEN.append(v)\n"
        "    return v\n"
        "def find(repo, name):\n"
        "    return [p for p in repo if noted(p[0]) == name]\n"
    ),
    "changes the records": (
        "def find(repo, name):\n"
        "    for p in repo:\n"
        "        if normalize(p[0]) == name:\n"
        "            repo.remove(p)\n"
        "    return repo\n"
    ),
    "loop variable read after": (
        "def find(repo, name):\n"
        "    for p in repo:\n"
        "        if normalize(p[0]) == name:\n"
        "            break\n"
        "    return p\n"
    ),
    "generator kept": (
        "def find(repo, name):\n    return (p for p in repo if normalize(p[0]) == name)\n"
    ),
    "probe computed": (
        "def find(repo, name):\n"
        "    return [p for p in repo if normalize(p[0]) == normalize(name)]\n"
    ),
    "probe a global": (
        "WANTED = 'a'\ndef find(repo):\n    return [p for p in repo if normalize(p[0]) == WANTED]\n"
    ),
    "records computed": (
        "def find(repo, name):\n    return [p for p in list(repo) if normalize(p[0]) == name]\n"
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refusals(case: str) -> None:
    source = REPO.split("def versions_of")[0] + REFUSED[case]
    assert helpers.rewrite(source, "kept-index", "find") is None, case


WHOLE = """
import re

def normalize(name):
    if not isinstance(name, str):
        raise ValueError(f"names must be strings, got {name!r}")
    return re.sub(r"\\\\s+", " ", name.strip()).casefold()

def resolve(raw, candidates):
    key = normalize(raw)
    for name in candidates:
        if normalize(name) == key:
            return name
    return None
"""


def test_a_key_of_the_record_itself() -> None:
    text = helpers.rewrite(WHOLE, "kept-index", "resolve")
    assert text is not None
    assert "lambda name: normalize(name), None, None, key)" in helpers.body_of(text, "resolve")
    before = helpers.run_module(WHOLE, "kept_whole_a")["resolve"]
    after = helpers.run_module(text, "kept_whole_b")["resolve"]
    candidates = ["Ann  Lee", "bob", "ANN LEE"]
    for raw in ("ann lee", "BOB", "cy", "ann lee", "bob"):
        for _ in range(3):
            assert after(raw, candidates) is before(raw, candidates)
    candidates[0] = "Zed"  # replaced: seen
    assert after("ann lee", candidates) == before("ann lee", candidates)
    odd: list[object] = ["x", ["ann lee"], "ann lee"]  # not a str: the scan raises as before
    for _ in range(3):
        got = _outcome(after, "ann lee", odd)
        assert got == _outcome(before, "ann lee", odd)


def test_group_by_call_leaves_a_kept_lookup_to_its_own_index() -> None:
    """A caller's pass per call rebuilds what the callee's kept index builds once."""
    source = (
        WHOLE
        + """
def clean(entries, candidates):
    out = []
    for entry in entries:
        out.append(resolve(entry, candidates))
    return out
"""
    )
    plain = source.replace("if normalize(name) == key:", "if name == key:")
    assert helpers.rewrite(plain, "group-by-call", "clean") is not None
    assert helpers.rewrite(source, "group-by-call", "clean") is None
    assert helpers.rewrite(source, "kept-index", "resolve") is not None


PREFIXES = """
def longest(deck, number):
    best = None
    for entry in deck:
        if number.startswith(entry[0]):
            if best is None or len(entry[0]) > len(best[0]):
                best = entry
    return best

def active(deck, number):
    return [e for e in deck if number.startswith(e[0]) and e[1]]
"""


def test_a_prefix_scan_iterates_the_records_whose_key_starts_the_probe() -> None:
    text = helpers.rewrite(PREFIXES, "kept-index", "longest")
    assert text is not None
    assert (
        "for entry in _kept_candidates(_longest_index, deck, lambda entry: entry[0], "
        "_longest_field, None, number, True):"
    ) in helpers.body_of(text, "longest")
    before, after, space = _pair(PREFIXES, "longest", "prefix_serves")
    deck = [("44", 1), ("4", 2), ("447", 3), ("1", 4), ("447", 5), ("", 6)]
    for number in ("447700", "447", "4", "", "9", "44", "4477"):
        for _ in range(3):
            assert after(deck, number) is before(deck, number)
    groups = space["_longest_index"][0][2]
    assert groups[None] == [0, 1, 2, 3] and groups["447"] == [2, 4]


def _shorter(deck: list[Any]) -> None:
    deck.append(("4477", 9))


def _key_changed(deck: list[Any]) -> None:
    deck[1][0] = "44770"  # a list record's key changed in place


def _not_text(deck: list[Any]) -> None:
    deck.append((44, 9))  # no str key: the scan answers


def _bytes_key(deck: list[Any]) -> None:
    deck[0] = (b"4", 9)  # `str.startswith(bytes)` raises: the scan must raise it


@pytest.mark.parametrize("change", [_shorter, _key_changed, _not_text, _bytes_key, _pop])
def test_every_change_to_a_prefix_deck_is_seen(change: Any) -> None:
    before, after, _ = _pair(PREFIXES, "longest", f"prefix_{change.__name__}")
    old = [("44", 1), ["4", 2], ("447", 3)]
    new = [tuple(r) if isinstance(r, tuple) else list(r) for r in old]
    for _ in range(3):
        assert _outcome(after, new, "447700") == _outcome(before, old, "447700")
    change(old)
    change(new)
    for number in ("447700", "44770", "4", "x"):
        for _ in range(3):
            assert _outcome(after, new, number) == _outcome(before, old, number), number


class Loud(str):
    def startswith(self, prefix: Any, *args: Any) -> bool:
        return True


@pytest.mark.parametrize("number", [Loud("9"), b"447", 447, None])
def test_a_probe_that_is_not_exactly_text_gets_the_scan(number: Any) -> None:
    before, after, _ = _pair(PREFIXES, "active", f"prefix_probe_{type(number).__name__}")
    deck = [(b"4", 1), ("44", 1), ("9", 0)]
    for _ in range(3):
        assert _outcome(after, deck, number) == _outcome(before, deck, number)


PREFIX_REFUSED = {
    "the record's key starts with the probe": (
        "def find(deck, number):\n    return [e for e in deck if e[0].startswith(number)]\n"
    ),
    "a start position": (
        "def find(deck, number):\n    return [e for e in deck if number.startswith(e[0], 1)]\n"
    ),
    "a computed probe": (
        "def find(deck, number):\n    return [e for e in deck if number.strip().startswith(e[0])]\n"
    ),
    "a key of two fields": (
        "def find(deck, number):\n    return [e for e in deck if number.startswith(e[0] + e[1])]\n"
    ),
}


@pytest.mark.parametrize("case", sorted(PREFIX_REFUSED))
def test_prefix_refusals(case: str) -> None:
    assert helpers.rewrite(PREFIX_REFUSED[case], "kept-index", "find") is None, case
