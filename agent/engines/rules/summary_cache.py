"""Summaries of the repository's functions kept once known, with recursion solved by
iteration.

A function met again while its own summary is being computed answers with a guess, at first
the best case. What is computed under a guess about a function still open is kept aside.
When the outermost function of a cycle ends with the answer it was guessed to have, all of
that holds and is kept; when it ends with another answer, what rested on the wrong guess is
dropped and the cycle is computed again from that answer (one pass under the best guess
read `g(x, y)` returning `g(y, x)` as keeping neither argument; the second pass, from that
answer, finds it keeps both).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent.engines.rules.effects import Summary
    from agent.engines.rules.project import FunctionRef

Key = tuple[str, str]
ROUNDS = 6
"""Rounds of a cycle before its outermost function is taken to be impure."""
_NONE = 1 << 30


class SummaryCache:
    def __init__(
        self, compute: Callable[[FunctionRef], Summary], best: Summary, worst: Summary
    ) -> None:
        self._compute = compute
        self._best, self._worst = best, worst
        self._done: dict[Key, Summary] = {}
        self._aside: dict[Key, Summary] = {}
        self._open: list[Key] = []
        self._guess: dict[Key, Summary] = {}
        self._assumed = _NONE  # the lowest open frame whose guess a later answer rests on

    def get(self, ref: FunctionRef) -> Summary:
        key = (ref.path, ref.qualname)
        known = self._done.get(key) or self._aside.get(key)
        if known is not None:
            return known
        if key in self._guess:
            self._assumed = min(self._assumed, self._open.index(key))
            return self._guess[key]
        depth = len(self._open)
        self._open.append(key)
        self._guess[key] = self._best
        try:
            result = self._solve(ref, key, depth)
        finally:
            self._open.pop()
            del self._guess[key]
        if self._assumed < depth:
            self._aside[key] = result
        else:
            self._done.update(self._aside)
            self._aside.clear()
            self._done[key] = result
            self._assumed = _NONE
        return result

    def _solve(self, ref: FunctionRef, key: Key, depth: int) -> Summary:
        for _ in range(ROUNDS):
            try:
                result = self._compute(ref)
            except RecursionError:
                result = self._worst
            if self._assumed != depth or result == self._guess[key]:
                return result
            self._guess[key] = result  # rested on a wrong guess about itself: again
            self._aside.clear()
            self._assumed = _NONE
        return self._worst
