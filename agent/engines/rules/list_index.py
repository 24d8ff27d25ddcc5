"""The helpers `index-attribute` writes into a module: a list's index by a field (kept beside
the list as it grows and loses records) and the reader of a record's key."""

from __future__ import annotations

from collections.abc import Callable

from agent.engines.rules.edits import module_helper
from agent.engines.rules.join_helpers import plain_helper
from agent.engines.rules.rewrite import Change, FunctionContext

INDEX_TEMPLATE = '''
class {name}:
    """A list's records grouped by the value of one of their fields (`{{field: {{value:
    [record, ...]}}}}`, in list order; for a tuple of fields, by the value of each of them),
    built at the first scan that asks and kept up to date as the list grows or loses a record
    to `remove`; any other change to the list drops them, and so does a change it was not
    told of (the list's length or last record is not what it saw last). A scan is given only
    the group of its probe while the probe and every value read are exactly str or int (for
    which equal values hash alike) or None (which equals no such probe: filed nowhere) and
    reading the field runs no code of the record's (`{plain}`); otherwise it is given all the
    records."""

    __slots__ = ("groups", "blocked", "size", "last")

    def __init__(self):
        self.groups = {{}}
        self.blocked = set()
        self.size = 0
        self.last = None

    def synced(self, records):
        if len(records) == self.size and (not records or records[-1] is self.last):
            return True
        self.reset()
        self.size = len(records)
        self.last = records[-1] if records else None
        return False

    def keys(self, record, field):
        if type(field) is not tuple:
            key = {key_of}(record, field)
            if key is {no_key}:
                return None
            return () if key is None else (key,)
        keys = []
        for one in field:
            key = {key_of}(record, one)
            if key is {no_key}:
                return None
            if key is not None and key not in keys:
                keys.append(key)
        return keys

    def append_to(self, records, record):
        self.synced(records)
        records.append(record)
        self.size += 1
        self.last = record
        for field, groups in list(self.groups.items()):
            keys = self.keys(record, field)
            if keys is None:
                del self.groups[field]
                self.blocked.add(field)
                continue
            for key in keys:
                groups.setdefault(key, []).append(record)

    def remove_from(self, records, value):
        if not self.synced(records):
            records.remove(value)
            return
        for at, record in enumerate(records):  # what `remove` compares, in its order
            if record is value or record == value:
                break
        else:
            [].remove(value)  # `remove`'s own error, comparing nothing
        del records[at]
        self.size -= 1
        self.last = records[-1] if records else None
        for field, groups in list(self.groups.items()):
            keys = self.keys(record, field)
            if keys is None or not all(self.unfile(groups.get(k, ()), record) for k in keys):
                del self.groups[field]  # not where it was filed: built again at the next scan

    @staticmethod
    def unfile(group, record):
        for place, other in enumerate(group):
            if other is record:
                del group[place]
                return True
        return False

    def reset(self):
        self.groups.clear()
        self.blocked.clear()
        self.size = -1

    def candidates(self, records, field, probe):
        if type(probe) is not str and type(probe) is not int:
            return records
        self.synced(records)
        groups = self.groups.get(field)
        if groups is None:
            if field in self.blocked:
                return records
            groups = {{}}
            for record in records:
                keys = self.keys(record, field)
                if keys is None:
                    self.blocked.add(field)
                    return records
                for key in keys:
                    groups.setdefault(key, []).append(record)
            self.groups[field] = groups
        return groups.get(probe, ())
'''

KEY_OF_TEMPLATE = '''
def {name}(record, field):
    """The record's `field` (an attribute, or a tuple's item) when reading it runs no code of
    the record's and it is exactly a str or int, or None."""
    if type(field) is int:
        if not isinstance(record, tuple) or type(record).__getitem__ is not tuple.__getitem__:
            return {no_key}
        if not -tuple.__len__(record) <= field < tuple.__len__(record):
            return {no_key}
        key = tuple.__getitem__(record, field)
    elif {plain}(record, field):
        key = getattr(record, field)
    else:
        return {no_key}
    return key if type(key) is str or type(key) is int or key is None else {no_key}
'''


LIST_INDEX_BUILTINS = frozenset(
    ["type", "len", "set", "list", "enumerate", "str", "int", "tuple", "isinstance", "getattr",
     "object", "hasattr", "vars", "TypeError", "all", "staticmethod"]
)  # fmt: skip
"""The builtins the helpers name (a module that binds one of them gets no index)."""


def add_index_helpers(ctx: FunctionContext, change: Change) -> str:
    """Put the index class and its key reader in the module, once (a second index there, or
    a second rewrite, reuses them); the class's name."""
    plain = plain_helper(ctx, change)

    def helper(base: str, text_of: Callable[[str], str]) -> str:
        return module_helper(ctx.module, ctx.module_names, change.constants, base, text_of)

    no_key = helper("_NO_KEY", lambda n: f"{n} = object()\n")
    key_of = helper(
        "_plain_key_of",
        lambda n: KEY_OF_TEMPLATE.format(name=n, plain=plain, no_key=no_key).lstrip(),
    )
    return helper(
        "_ListIndex",
        lambda n: INDEX_TEMPLATE.format(name=n, plain=plain, key_of=key_of, no_key=no_key).lstrip(),
    )
