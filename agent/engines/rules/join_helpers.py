"""The run-time helpers the guarded joins write into a module, each written once there (a
second rewrite in the module finds the first one's and uses it)."""

from __future__ import annotations

from agent.engines.rules.edits import module_helper, reused_import
from agent.engines.rules.rewrite import Change, FunctionContext

PLAIN_SCANS = 8
"""Scans an outer loop makes over all the records before it builds their index: reading each
record's key for the index costs some ten times what comparing it in a scan does, so a loop
that runs only a few times (a short loop in a method called often) is left to its scans."""

_GROUP = '''
def {name}(records, key, attr):
    """`{{key(r): [r, ...]}}` (in order) for a list or tuple whose keys are all str or int,
    whose == agrees with hashing; None for anything else, or when a key cannot be read (a
    scan that stops early may never read it: it raises, if at all, where it always did), or
    reading it could run code of the record's (see `{plain}`)."""
    if type(records) is not list and type(records) is not tuple:
        return None
    groups = {{}}
    for record in records:
        if not {plain}(record, attr):
            return None
        try:
            k = key(record)
        except Exception:
            return None
        if type(k) is not str and type(k) is not int:
            return None
        groups.setdefault(k, []).append(record)
    return groups
'''


_PICK = '''
def {name}(groups, records, probe, *ran):
    """The records whose key can equal `probe`: its group, or all of them while there is
    no index (`groups` is not a dict: not built yet, or refused) or once a flag in `ran`
    says iterating may have run code (and may have changed them); iterating records that
    are not a list or tuple may run code, so handing them on sets the flags."""
    if (
        type(groups) is not dict
        or any(flag[0] for flag in ran)
        or (type(probe) is not str and type(probe) is not int)
    ):
        if type(records) is not list and type(records) is not tuple:
            for flag in ran:
                flag[0] = True
        return records
    return groups.get(probe, ())
'''


PLAIN_TEMPLATE = '''

def {name}(record, attr):
    """Reading a key (or the probe) runs no code of the record's: for an item (`attr` None),
    the record is a dict, list or tuple; for an attribute, the record's class keeps the
    generic attribute access (no `__getattribute__` or `__getattr__` of its own) and the
    attribute is a slot or a named tuple's field, or is in the object's own `__dict__`
    while the class defines no data descriptor (a property) by that name, which would take
    precedence."""
    cls = type(record)
    if attr is None:
        return cls is dict or cls is list or cls is tuple
    if cls.__getattribute__ not in {generic} or hasattr(cls, "__getattr__"):
        return False
    for klass in cls.__mro__:
        if attr in vars(klass):
            found = type(vars(klass)[attr])
            if found in {fields}:
                return True
            if hasattr(found, "__set__") or hasattr(found, "__delete__"):
                return False
            break
    try:
        return attr in vars(record)
    except TypeError:
        return False

'''


GENERIC_TEXT = "(object.__getattribute__, tuple.__getattribute__)"
FIELDS_TEMPLATE = (
    "(\n"
    '    type(type("_Slots", (), {{"__slots__": ("key",)}}).key),  # a slot\n'
    '    type({namedtuple}("_Fields", "key").key),  # a named tuple\'s field\n'
    ")"
)


def plain_helper(ctx: FunctionContext, change: Change) -> str:
    """Put the check that reading a record's key runs no code of the record's in the module
    (with its constants); its name."""
    namedtuple = reused_import(
        ctx.module, ctx.module_names, change.imports, "collections", "namedtuple", "_namedtuple"
    )

    def constant(base: str, text: str) -> str:
        return module_helper(
            ctx.module, ctx.module_names, change.constants, base, lambda n: f"{n} = {text}\n"
        )

    generic = constant("_GENERIC_ACCESS", GENERIC_TEXT)
    fields = constant("_PLAIN_FIELDS", FIELDS_TEMPLATE.format(namedtuple=namedtuple))
    return _helper(ctx, change, "_plain_key", PLAIN_TEMPLATE, generic=generic, fields=fields)


def add_helpers(ctx: FunctionContext, change: Change) -> tuple[str, str, str]:
    """Put the run-time helpers in the module: the names of the index builder, the
    candidates picker and the plain-read check."""
    plain = plain_helper(ctx, change)
    group = _helper(ctx, change, "_group_by_key", _GROUP, plain=plain)
    pick = _helper(ctx, change, "_candidates", _PICK)
    return group, pick, plain


def _helper(ctx: FunctionContext, change: Change, base: str, template: str, **names: str) -> str:
    return module_helper(
        ctx.module,
        ctx.module_names,
        change.constants,
        base,
        lambda n: template.format(name=n, **names).lstrip(),
    )
