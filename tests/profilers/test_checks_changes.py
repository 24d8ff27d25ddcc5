"""Which functions a head changes: what the behaviour capture records and replays."""

from __future__ import annotations

from pathlib import Path

from profilers.checks.changes import changed_targets, tree_changes

BASE = """LIMIT = 10


class Box:
    def __init__(self, items):
        self.items = items

    def total(self):
        return sum(self.items)

    @staticmethod
    def unit():
        return 1


def helper(x):
    return x * 2


def outer(x):
    def inner(y):
        return y + 1

    return inner(x)


def bounded(x):
    return min(x, LIMIT)


async def fetch():
    return 1
"""


def targets_for(
    tmp_path: Path, head: str
) -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, str]]:
    base_root, head_root = tmp_path / "base", tmp_path / "head"
    for root, text in ((base_root, BASE), (head_root, head)):
        (root / "pkg").mkdir(parents=True)
        (root / "pkg" / "mod.py").write_text(text)
        (root / "pkg" / "other.py").write_text("def untouched():\n    return 0\n")
    t = changed_targets(tree_changes(base_root, head_root), base_root, head_root)
    return t.functions, t.rebuilt, t.skipped


def test_a_changed_body_targets_its_function_and_a_nested_change_its_outer(tmp_path: Path) -> None:
    head = BASE.replace("return x * 2", "return x + x").replace("return y + 1", "return 1 + y")
    functions, rebuilt, _ = targets_for(tmp_path, head)
    assert functions == {"pkg/mod.py": {"helper", "outer"}}
    assert rebuilt == {}


def test_a_module_constant_targets_the_functions_that_read_it(tmp_path: Path) -> None:
    functions, _, _ = targets_for(tmp_path, BASE.replace("LIMIT = 10", "LIMIT = 11"))
    assert functions == {"pkg/mod.py": {"bounded"}}


def test_methods_and_a_changed_constructor_rebuild_the_class(tmp_path: Path) -> None:
    head = BASE.replace("self.items = items", "self.items = list(items)").replace(
        "return sum(self.items)", "return sum(self.items, 0)"
    )
    functions, rebuilt, _ = targets_for(tmp_path, head)
    assert functions == {"pkg/mod.py": {"Box.__init__", "Box.total"}}
    assert rebuilt == {"pkg/mod.py": {"Box"}}


def test_new_async_and_rebound_functions(tmp_path: Path) -> None:
    """A new function is not captured (the base never calls it) but the function it replaces
    by rebinding is; async functions are reported, not captured."""
    head = BASE.replace("fetch():\n    return 1", "fetch():\n    return 2")
    head += "\n\ndef fast(x):\n    return x << 1\n\n\nhelper = fast\n"
    functions, _, skipped = targets_for(tmp_path, head)
    assert functions == {"pkg/mod.py": {"helper"}}
    assert skipped["pkg/mod.py::fast"].startswith("new")
    assert skipped["pkg/mod.py::fetch"].startswith("async")


def test_untouched_trees_change_nothing(tmp_path: Path) -> None:
    functions, rebuilt, skipped = targets_for(tmp_path, BASE)
    assert functions == {} and rebuilt == {} and skipped == {}
