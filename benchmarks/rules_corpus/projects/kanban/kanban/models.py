"""A tiny in-memory ORM: every model class keeps its instances in a class-level list."""


class Model:
    """Base class: declared `fields`, keyword construction, simple class-level queries."""

    fields: tuple = ()
    defaults: dict = {}
    objects: list = []

    def __init__(self, **fields):
        cls = type(self)
        unknown = [name for name in fields if name not in self.fields]
        if unknown:
            raise TypeError(f"{cls.__name__} has no field(s): {', '.join(sorted(unknown))}")
        for name in self.fields:
            if name in fields:
                value = fields[name]
            elif name == "id":
                value = max((obj.id for obj in cls.objects), default=0) + 1
            elif name in self.defaults:
                value = self.defaults[name]
                if isinstance(value, list):
                    value = list(value)
            else:
                raise TypeError(f"{cls.__name__} needs a value for {name!r}")
            setattr(self, name, value)
        if "id" in fields and cls.filter(id=fields["id"]):
            raise ValueError(f"duplicate {cls.__name__} id {fields['id']!r}")
        cls.objects.append(self)

    def as_dict(self):
        return {name: getattr(self, name) for name in self.fields}

    def __repr__(self):
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.fields)
        return f"{type(self).__name__}({inner})"

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self.as_dict() == other.as_dict()

    def __hash__(self):
        return hash((type(self).__name__, self.id))

    @classmethod
    def all(cls):
        return list(cls.objects)

    @classmethod
    def filter(cls, **criteria):
        return list(
            filter(
                lambda obj: all(getattr(obj, key) == value for key, value in criteria.items()),
                cls.objects,
            )
        )

    @classmethod
    def get(cls, **criteria):
        found = cls.filter(**criteria)
        if not found:
            wanted = ", ".join(f"{key}={value!r}" for key, value in criteria.items())
            raise LookupError(f"no {cls.__name__} with {wanted}")
        return found[0]

    @classmethod
    def by_id(cls, obj_id):
        return cls.get(id=obj_id)

    @classmethod
    def order_by(cls, *names, items=None):
        items = cls.objects if items is None else items
        return sorted(items, key=lambda obj: tuple(getattr(obj, name) for name in names))


class Board(Model):
    fields = ("id", "name")
    objects: list = []


class Column(Model):
    fields = ("id", "board_id", "name", "position", "wip_limit")
    defaults = {"wip_limit": None}
    objects: list = []


class Card(Model):
    fields = ("id", "board_id", "title", "assignee", "labels", "estimate", "created",
              "column_id", "blocked_by")
    defaults = {"assignee": None, "labels": [], "estimate": 1, "created": 0, "blocked_by": []}
    objects: list = []


class Move(Model):
    """One history event: a card entering a column (from_column_id is None on creation)."""

    fields = ("id", "card_id", "from_column_id", "to_column_id", "day")
    defaults = {"from_column_id": None}
    objects: list = []


MODELS = (Board, Column, Card, Move)


def reset():
    """Forget every stored object (a fresh, empty tracker)."""
    for model in MODELS:
        model.objects.clear()
