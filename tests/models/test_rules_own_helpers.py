"""perfagent's own helpers in a project do not block the rules that refuse attributes reached
by a computed name: recognised by their exact text, they read only the fields their callers
name by literal. Anything else that reads by a computed name still blocks."""

from __future__ import annotations

from agent.engines.rules.attr_stores import dynamic_access
from agent.engines.rules.join_helpers import PLAIN_TEMPLATE
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
    edited = text.replace("key = getattr(record, field)", "key = getattr(record, field.strip())")
    assert edited != text
    project = project_for({"mod.py": edited})
    assert dynamic_access(project, "_members")
    plain = PLAIN_TEMPLATE.format(name="_plain_key", generic="_G", fields="_F")
    assert not dynamic_access(project_for({"mod.py": plain}), "anything")
    bent = plain.replace("return attr in vars(record)", "return vars(record).pop(attr, 0)")
    assert dynamic_access(project_for({"mod.py": bent}), "anything")


def test_a_user_function_with_our_name_but_other_text_is_not_ours() -> None:
    text = "def _plain_key_of(record, field):\n    return getattr(record, field)\n"
    text += "\n\ndef read(r):\n    return _plain_key_of(r, 'x')\n"
    assert own_helpers(project_for({"mod.py": text})).nodes == frozenset()
    assert dynamic_access(project_for({"mod.py": text}), "y")
    ours = KEY_OF_TEMPLATE.format(name="_plain_key_of", plain="_p", no_key="_N").lstrip()
    mixed = ours + "\n\ndef read(r):\n    return _plain_key_of(r, 'x')\n"
    assert own_helpers(project_for({"mod.py": mixed})).fields == {"x"}
    assert not dynamic_access(project_for({"mod.py": mixed}), "y")
