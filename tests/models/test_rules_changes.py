"""Helpers whose only effect is on containers handed to them (`changes.changed_params`), and
loops that call them on containers of their own (`changes.own_changes`): a join may index
records such a loop cannot reach. Before/after, and the loops that must stay refused."""

from __future__ import annotations

import gc
import textwrap

import libcst as cst
import pytest

from agent.engines.rules.changes import changed_params, own_changes
from agent.engines.rules.effects import Effects, effects_of
from agent.engines.rules.project import FunctionRef, Project, project_for
from agent.engines.rules.rewrite import function_context
from agent.engines.rules.syntax import walk
from tests.models.rules_corpus import helpers

HELPERS = """
LOG = []


def put(acc, key, value):
    acc[key] = value


def bump(counts, key):
    counts[key] = counts.get(key, 0) + 1
    return counts[key]


def nested(groups, key, value):
    groups.setdefault(key, []).append(value)


def logged(acc, key):
    acc[key] = 1
    LOG.append(key)


def pure(acc, key):
    return acc.get(key)


def rebound(acc, key):
    acc = {}
    acc[key] = 1
"""


@pytest.mark.parametrize(
    ("name", "changed"),
    [
        ("put", frozenset({0})),
        ("bump", frozenset({0})),
        ("nested", None),  # it changes a list inside the container, not the container
        ("logged", None),  # and a module list
        ("pure", None),
        ("rebound", None),
    ],
)
def test_which_helpers_only_change_what_they_are_handed(
    name: str, changed: frozenset[int] | None
) -> None:
    project = project_for({"mod.py": textwrap.dedent(HELPERS)})
    ref = project.function("mod.py", name)
    assert ref is not None
    assert changed_params(effects_of(project), ref) == changed


JOIN = """
def put(acc, key, value):
    acc[key] = value


def owners(pets, people):
    names = {}
    for pet in pets:
        for person in people:
            if person.ident == pet.owner:
                put(names, pet.name, person.name)
    return names
"""


class _Rec:
    def __init__(self, **fields: object) -> None:
        self.__dict__.update(fields)


def _loop_of(source: str, function: str) -> bool:
    text = textwrap.dedent(source)
    ctx = function_context("mod.py", text, function, project_for({"mod.py": text}))
    assert ctx is not None
    loop = next(n for n in walk(ctx.fn) if isinstance(n, cst.For))
    return own_changes(ctx.scope, loop)


def test_a_loop_filling_its_own_dict_through_a_helper_is_joined() -> None:
    assert _loop_of(JOIN, "owners")
    text = helpers.rewrite(JOIN, "join-index-guarded", "owners")
    assert text is not None
    before = helpers.run_module(JOIN, "changes_before")["owners"]
    after = helpers.run_module(text, "changes_after")["owners"]
    people = [_Rec(ident=i, name=f"p{n}") for n, i in enumerate(["a", "b", 1, 1.0, "a"])]
    pets = [_Rec(owner=o, name=f"pet{n}") for n, o in enumerate(["a", True, "b", "zz", 1])]
    assert after(pets, people) == before(pets, people)


REFUSED = {
    "a-parameter": JOIN.replace("    names = {}\n", "").replace(
        "def owners(pets, people):", "def owners(pets, people, names):"
    ),
    "the-records-local": JOIN.replace(
        "    names = {}\n", "    names = {}\n    people = list(people)\n"
    ).replace("put(names, pet.name, person.name)", "put(people, 0, person)"),
    "an-element-changed-after": JOIN.replace(
        "put(names, pet.name, person.name)",
        "put(names, pet.name, person)\n                names[pet.name].ident = None",
    ),
    "a-helper-changing-more": JOIN.replace(
        "    acc[key] = value", "    acc[key] = value\n    LOG.append(key)"
    )
    + "\n\nLOG = []\n",
}


@pytest.mark.parametrize("source", REFUSED.values(), ids=REFUSED.keys())
def test_loops_whose_helpers_reach_further_are_refused(source: str) -> None:
    assert not _loop_of(source, "owners")
    assert helpers.rewrite(source, "join-index-guarded", "owners") is None


def test_a_foreign_value_stored_by_a_helper_leaves_the_container_foreign_inside() -> None:
    """Guards the caller's freshness: `put` stores the caller's record into `names`, so
    changing what `names` holds changes a record the index was built from."""
    source = JOIN.replace(
        "put(names, pet.name, person.name)",
        "put(names, pet.name, person)\n                names[pet.name].append(1)",
    )
    assert not _loop_of(source, "owners")


PEOPLE = """
from dataclasses import dataclass


@dataclass
class Person:
    ident: str
    name: str


@dataclass
class Pet:
    owner: str
    name: str


HELPER


def owners(pets: list[Pet], people: list[Person]):
    names = {}
    BODY
    return names
"""

SECOND_REVIEW = {
    # a helper changes a container the caller made that is one of the records
    "a-record-changed-by-a-helper": (
        "def setkey(d, v):\n    d['ident'] = v\n\n\ndef find(rows, q):\n"
        "    for r in rows:\n        if r['ident'] == q:\n            return r['name']\n"
        "    return None",
        "    rec = {'ident': 'a', 'name': 'A'}\n    rows = [rec, {'ident': 'b', 'name': 'B'}]\n"
        "    hits = []\n    for pet in pets:\n        hits.append(find(rows, pet.owner))\n"
        "        setkey(rec, 'z')\n    names['hits'] = hits\n",
        "join-index-call",
        ("        setkey(rec, 'z')\n", ""),
    ),
    # the same object changed directly: an attribute of a record the function made
    "a-record-changed-in-the-loop": (
        "",
        "    a = Person('a', 'A')\n    rows = [a, Person('b', 'B')]\n    hits = []\n"
        "    for pet in pets:\n        for person in rows:\n"
        "            if person.ident == pet.owner:\n                hits.append(person.name)\n"
        "        a.ident = pet.name\n    names['hits'] = hits\n",
        "join-index",
        ("        a.ident = pet.name\n", ""),
    ),
    # the container handed to the helper is an object whose `append` has effects
    "a-container-of-a-class": (
        "SEEN = []\n\n\nclass Store:\n    def append(self, value):\n        SEEN.append(value)\n"
        "\n\ndef put(acc, value):\n    acc.append(value)",
        "    store = Store()\n    hits = []\n    for pet in pets:\n        for person in people:\n"
        "            if person.ident == pet.owner:\n                hits.append(person.name)\n"
        "                put(store, pet.name)\n    names['hits'] = hits\n",
        "join-index",
        ("store = Store()", "store = []"),
    ),
    # `acc[key] += value` extends the list held there: the records themselves
    "an-item-augmented-in-place": (
        "def add(acc, key, value):\n    acc[key] += value",
        "    names['k'] = people\n    hits = []\n    for pet in pets:\n        for person in people:\n"
        "            if person.ident == pet.owner:\n                hits.append(person.name)\n"
        "                add(names, 'k', [Person(pet.name, 'new')])\n    names['hits'] = hits\n",
        "join-index",
        ("acc[key] += value", "acc[key] = value"),
    ),
}


@pytest.mark.parametrize("case", SECOND_REVIEW.values(), ids=SECOND_REVIEW.keys())
def test_loops_that_reach_the_records_through_the_functions_own_objects(
    case: tuple[str, str, str, tuple[str, str]],
) -> None:
    """Each hazard alone keeps the join out: its safe twin is joined."""
    helper, body, rule, (hazard, safe) = case
    source = PEOPLE.replace("HELPER", helper).replace("    BODY\n", body)
    twin = source.replace(hazard, safe)
    assert twin != source
    assert helpers.rewrite(source, rule, "owners") is None
    assert helpers.rewrite(twin, rule, "owners") is not None


def test_an_answer_is_never_read_for_another_projects_analysis() -> None:
    """Guards the memo against recycled ids: answers were kept by `id(effects)` alone, so the
    analysis of other sources, allocated where a freed one had been, read its answer (a helper
    that also appends to a module list was taken to change only its argument)."""
    only_arg = "def fill(best, xs):\n    for x in xs:\n        best.append(x)\n"
    also_global = "G = []\n\n\n" + only_arg + "    G.append(1)\n"

    def fill_of(project: Project) -> FunctionRef:
        return next(r for r in project.all_functions() if r.qualname == "fill")

    first, second = Project({"m.py": only_arg}), Project({"m.py": also_global})
    for _ in range(20):  # CPython hands a freed object's address to the next one of its size
        effects = Effects(first)
        assert changed_params(effects, fill_of(first)) == frozenset({0})
        del effects
        gc.collect(1)  # the young generations, where the analysis and its cycles are
        other = Effects(second)
        assert changed_params(other, fill_of(second)) is None
        del other
        gc.collect(1)  # the young generations, where the analysis and its cycles are
