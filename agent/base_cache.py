"""The profilers' base-results cache (`profilers.cache.BaseCache`) kept in the store.

A value is kept with the run that measured it and found by every later candidate, run and
resume of the same base. A value the secret filter would change is not kept at all: it
could not be compared once redacted, and a secret must never reach the store.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from storage import Store


@dataclass
class StoreBaseCache:
    store: Store
    run_id: str
    redact: Callable[[str], str]

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        return self.store.base_result(kind, key)

    def put(self, kind: str, key: str, value: Mapping[str, Any]) -> None:
        data = dict(value)
        text = json.dumps(data, sort_keys=True)
        if self.redact(text) != text:
            self.store.log(self.run_id, "warning", f"the base's {kind} holds a secret: not kept")
            return
        if self.store.add_base_result(kind, key, data, run_id=self.run_id):
            self.store.log(self.run_id, "base-result", f"kept the base's {kind}", result=kind)
