"""Records unpacked into plain names (`for a, b, c in rows if b == q`): which names, and
how to read one of them from a record without the scan."""

from __future__ import annotations

import libcst as cst


def unpacked_names(target: cst.BaseExpression) -> list[str]:
    """The plain names of a flat tuple target (`a, b, c` or `(a, b, c)`), else []."""
    if not isinstance(target, cst.Tuple | cst.List):
        return []
    names = []
    for element in target.elements:
        if not isinstance(element, cst.Element) or not isinstance(element.value, cst.Name):
            return []  # a starred or nested target
        names.append(element.value.value)
    return names


def unpacked_key(names: list[str], key: str) -> str:
    """The key `key`, one of the names a record is unpacked into, read from `record` by
    unpacking it the same way (a record of another length raises TypeError)."""
    at = len(names) - 1 - names[::-1].index(key)  # a repeated name binds last
    fields = ", ".join(f"_{i}" for i in range(len(names)))
    return f"(lambda {fields}: _{at})(*record)"
