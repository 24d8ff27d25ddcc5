"""perfagent's own helpers in a project do not block the rules that refuse attributes reached
by a computed name: recognised by their exact text, they read only the fields their callers
name by literal. Anything else that reads by a computed name still blocks."""

from __future__ import annotations

import pytest

from agent.engines.rules.attr_stores import dynamic_access
from agent.engines.rules.list_index import KEY_OF_TEMPLATE
from agent.engines.rules.own_helpers import own_helpers
from agent.engines.rules.project import project_for
from tests.models.rules_corpus import helpers

DESK = """
class Copy:
    def __init__(self, cid, isbn):
        self.cid = cid
        self.isbn = isbn


class Member:
    def __init__(self, mid, name):
        self.mid = mid
        self.name = name


class Desk:
    def __init__(self):
        self._copies = []
        self._members = []

    def add_copy(self, c):
        self._copies.append(c)

    def add_member(self, m):
        self._members.append(m)

    def copy(self, cid):
        for c in self._copies:
            if c.cid == cid:
                return c
        return None

    def member(self, mid):
        for m in self._members:
            if m.mid == mid:
                return m
        return None
"""


def _indexed() -> str:
    text = helpers.rewrite(DESK, "index-attribute", "Desk.copy")
    assert text is not None and "class _ListIndex" in text
    return text


def test_a_list_index_written_in_one_round_leaves_the_next_list_indexable() -> None:
    # Regression: the index's own `vars(record)` and `getattr(record, field)` made every
    # attribute "reached by a computed name", so once a candidate holding them became a
    # parent, index-attribute fired nowhere in its project.
    text = _indexed()
    assert not dynamic_access(project_for({"mod.py": text}), "_members")
    again = helpers.rewrite(text, "index-attribute", "Desk.member")
    assert again is not None
    assert 'self._members_index.candidates(self._members, "mid", mid)' in again
    assert again.count("class _ListIndex") == 1
    before, after = helpers.run_module(DESK, "own_before"), helpers.run_module(again, "own_after")
    for mod in (before, after):
        desk = mod["Desk"]()
        for i in range(30):
            desk.add_copy(mod["Copy"](i % 7, f"isbn{i}"))
            desk.add_member(mod["Member"](i % 5, f"m{i}"))
        mod["found"] = [(desk.copy(k).isbn, desk.member(k % 5).name) for k in range(7)]
        mod["missing"] = (desk.copy(99), desk.member("3"))
    assert before["found"] == after["found"] and before["missing"] == after["missing"]


def test_the_fields_the_index_reads_by_name_still_count_as_read() -> None:
    project = project_for({"mod.py": _indexed()})
    assert own_helpers(project).fields == {"cid"}
    assert dynamic_access(project, "cid")
    assert not dynamic_access(project, "cid", reads=False)  # it never writes one


def test_a_field_named_by_a_variable_blocks_as_before() -> None:
    text = _indexed() + "\n\ndef pick(desk, field, value):\n"
    text += "    return desk._copies_index.candidates(desk._copies, field, value)\n"
    project = project_for({"mod.py": text})
    assert own_helpers(project).fields is None
    assert dynamic_access(project, "_members")


def test_a_key_reader_handed_on_as_a_value_blocks() -> None:
    text = _indexed() + "\n\nREADERS = [_plain_key_of]\n"
    assert own_helpers(project_for({"mod.py": text})).fields is None
    assert dynamic_access(project_for({"mod.py": text}), "_members")


def test_a_helper_whose_text_was_changed_is_not_ours() -> None:
    text = _indexed()
    for old, new in [
        ("key = getattr(record, field)", "key = getattr(record, field.strip())"),
        ("return attr in vars(record)", "return vars(record).pop(attr, 0)"),
    ]:
        edited = text.replace(old, new)
        assert edited != text
        assert dynamic_access(project_for({"mod.py": edited}), "_members")


def test_a_user_function_with_our_name_but_other_text_is_not_ours() -> None:
    text = "def _plain_key_of(record, field):\n    return getattr(record, field)\n"
    text += "\n\ndef read(r):\n    return _plain_key_of(r, 'x')\n"
    assert own_helpers(project_for({"mod.py": text})).nodes == frozenset()
    assert dynamic_access(project_for({"mod.py": text}), "y")
    mixed = _indexed() + "\n\ndef read(r):\n    return _plain_key_of(r, 'x')\n"
    assert own_helpers(project_for({"mod.py": mixed})).fields == {"cid", "x"}
    assert not dynamic_access(project_for({"mod.py": mixed}), "y")


SHELF = """
_NO_KEY = object()


class Rec:
    kind = "none"

    def __init__(self, name, kind):
        self.name = name
        self.kind = kind


def forget(rec):
    _plain_key_of(rec, "kind")


class Shelf:
    def __init__(self):
        self.items = []

    def add(self, r):
        self.items.append(r)

    def of_kind(self, k):
        return [r.name for r in self.items if r.kind == k]
"""


def test_our_text_around_a_name_bound_to_something_else_is_not_ours() -> None:
    # Regression: the template's placeholders matched any identifier, so a user function
    # with the key reader's text and `delattr` as its "plain-read check" deleted attributes
    # unseen, and index-attribute filed a record under a key it no longer had.
    reader = KEY_OF_TEMPLATE.format(name="_plain_key_of", plain="delattr", no_key="_NO_KEY")
    source = reader.lstrip() + SHELF
    assert own_helpers(project_for({"mod.py": source})).nodes == frozenset()
    assert dynamic_access(project_for({"mod.py": source}), "kind", reads=False)
    assert helpers.rewrite(source, "index-attribute", "Shelf.of_kind") is None


def test_a_module_that_rebinds_a_builtin_the_helpers_use_has_none_of_ours() -> None:
    text = _indexed() + "\n\ndef getattr(obj, name):\n    return None\n"
    assert own_helpers(project_for({"mod.py": text})).nodes == frozenset()


@pytest.mark.parametrize(
    "extra",
    [
        "def keys_of(desk, rec, field):\n    return desk._copies_index.keys(rec, field)\n",
        "def pick(desk, field, v):\n    ask = desk._copies_index.candidates\n"
        "    return ask(desk._copies, field, v)\n",
        "def pick(desk, field, v):\n"
        "    return getattr(desk._copies_index, 'candidates')(desk._copies, field, v)\n",
        "def peek(rec, name):\n    index, records = _ListIndex(), []\n"
        "    index.groups[name] = {}\n    index.append_to(records, rec)\n"
        "    return next(iter(index.groups[name]))\n",
        "import operator\n\ndef pick(desk, field, v):\n"
        "    ask = operator.methodcaller('cand' 'idates', desk._copies, field, v)\n"
        "    return ask(desk._copies_index)\n",
    ],
    ids=["keys-method", "bound-method", "getattr", "its-tables", "methodcaller"],
)
def test_a_field_given_to_the_index_some_other_way_blocks(extra: str) -> None:
    project = project_for({"mod.py": _indexed() + "\n\n" + extra})
    assert own_helpers(project).fields is None
    assert dynamic_access(project, "name")


LENDING = (
    DESK
    + """
    def isbns(self, cids):
        out = []
        for cid in cids:
            out.append(self.copy(cid).isbn)
        return out
"""
)


def test_a_served_method_call_leaves_the_next_list_indexable() -> None:
    # The guard a served method call writes reads `vars(cls)` and `vars(obj)`: only to
    # inspect the method it finds, so it blocks no attribute rule of a later round.
    joined = helpers.rewrite(LENDING, "join-index-call", "Desk.isbns")
    assert joined is not None and "def _own_method(" in joined
    assert not dynamic_access(project_for({"mod.py": joined}), "_members")
    again = helpers.rewrite(joined, "index-attribute", "Desk.member")
    assert again is not None
    before, after = helpers.run_module(LENDING, "lend_a"), helpers.run_module(again, "lend_b")
    for mod in (before, after):
        desk = mod["Desk"]()
        for i in range(20):
            desk.add_copy(mod["Copy"](i, f"isbn{i}"))
            desk.add_member(mod["Member"](i % 6, f"m{i}"))
        mod["got"] = (desk.isbns([3, 1, 3] * 5), [desk.member(k) is not None for k in range(8)])
    assert before["got"] == after["got"]


@pytest.mark.parametrize(
    ("extra", "other"),
    [
        ("def _install():\n    global _plain_key\n    _plain_key = delattr\n", None),
        ("globals()['_plain_key'] = delattr\n", None),
        ("import sys\nsys.modules[__name__]._plain_key = delattr\n", None),
        ("", "import mod\nmod._plain_key = delattr\n"),
        ("exec(SOURCE)\n", None),
        ("_g = globals\n_g()['_plain_' + 'key'] = delattr\n", None),
        ("import sys\nsys._getframe(0).f_globals.update(_plain_key=delattr)\n", None),
        ("", "import builtins\nbuiltins.getattr = delattr\n"),
    ],
    ids=[
        "global-in-a-function",
        "globals",
        "sys-modules",
        "another-module",
        "exec",
        "globals-aliased",
        "a-frames-globals",
        "builtins-rebound",
    ],
)
def test_a_helper_name_rebound_from_elsewhere_is_not_ours(extra: str, other: str | None) -> None:
    # Regression: only bindings in the module itself were counted, so `global _plain_key`
    # in a function (or another module's `mod._plain_key = delattr`) made the recognised
    # plain-read check delete attributes while the index was built.
    sources = {"mod.py": _indexed() + "\n\n" + extra}
    if other is not None:
        sources["patch.py"] = other
    project = project_for(sources)
    assert own_helpers(project).nodes == frozenset()
    assert dynamic_access(project, "_members")
