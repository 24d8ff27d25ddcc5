"""Which plans to propose: the rewrites that apply in the hot functions, their combinations,
and what the measured outcomes so far say about them.

The profile orders the functions (most inclusive time first). Round one proposes every
rewrite in the hottest functions together (applied the hottest first, and again the least hot
first when that order loses a rewrite), per-function combinations and single rewrites.
Later rounds learn from `PlanRequest.history`: a single rewrite that measured slower or
failed a check is never combined again, nor are the rewrites of a combination in one function
that measured slower; a combination that failed a check is split in halves, then quarters,
until the culprit is a single rewrite; the rewrites of the plans that measured faster, single
rewrites or combinations, are proposed together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from agent.engines.rules.catalogue import IMPACT
from agent.engines.rules.project import Project, project_for
from agent.engines.rules.rewrite import Rule
from agent.engines.rules.steps import Step, run_step
from agent.protocols import Outcome, Plan
from storage.vocabulary import FASTER_THAN_BASE, REJECTED_BY_CHECKS, Status

FAILED_STATUSES = REJECTED_BY_CHECKS | {Status.EDIT_FAILED, Status.SLOWER}
"""Outcomes after which a single rewrite is left out of later combined plans."""
SPLIT_STATUSES = REJECTED_BY_CHECKS | {Status.EDIT_FAILED}
"""Outcomes after which a combination is split to find the rewrite that caused them."""

Key = tuple[str, str, str]
ENABLERS = frozenset({"inline-call", "expose-callee-work", "count-by-bisect"})
"""Rewrites after which the combined plans try every rule again (they expose new sites)."""
ONLY_ENABLING = frozenset({"expose-callee-work", "count-by-bisect"})
"""Enablers that gain nothing on their own: proposed only with what they enable."""
MOST_SITES = 4
"""How often a combined plan applies a one-site rule (`Rule.one_site`) in one function."""


@dataclass
class Hot:
    file: str
    function: str
    share: float | None
    """Fraction of samples with the function on the stack; None without a profile."""
    self_share: float | None = None
    steps: list[tuple[Step, str]] = field(default_factory=list)
    """Applicable single rewrites and their plain-words description."""
    caller: bool = False
    """Not a hotspot itself: a caller on a hotspot's call path, with the callee's share."""

    def weight(self, rule: str) -> float:
        """Expected gain of `rule` here: the share it can act on times its impact. A
        constant-factor rewrite (impact 1) only speeds up the function's own code, so it counts
        the self share (none for a pass-through caller); the others remove repeated work or
        scans below the function too, so they count the inclusive share."""
        impact = IMPACT.get(rule, 1)
        share = self.share if self.share is not None else 0.5
        if impact <= 1 and self.caller:
            share = 0.0
        elif impact <= 1 and self.self_share is not None:
            share = self.self_share
        return share * impact


@dataclass
class Candidate:
    title: str
    steps: list[Step]
    words: list[tuple[Hot, str]]
    share: float | None


@dataclass
class Learned:
    """What the outcomes so far say about rewrites, alone and together."""

    failed: set[Key] = field(default_factory=set)
    faster: list[frozenset[Key]] = field(default_factory=list)
    """The rewrites of each plan that measured faster: a single rewrite, or a combination."""
    measured: set[frozenset[Key]] = field(default_factory=set)
    """The rewrites of each plan measured so far, whatever the outcome."""
    split: list[Candidate] = field(default_factory=list)
    """Halves of failed combinations, not measured yet."""


def single_title(step: Step) -> str:
    return f"rules: {step.rule} in {step.file}:{step.function}"


def share_words(hot: Hot) -> str:
    if hot.share is None:
        return "no profile was available, so this is a static finding"
    words = f"{round(hot.share * 100)} % of samples"
    if hot.self_share is not None and hot.self_share < hot.share * 0.9:
        words += f" ({round(hot.self_share * 100)} % in its own code)"
    return words


class Search:
    """Plans for one planning round."""

    def __init__(
        self,
        rules: Sequence[Rule],
        sources: Mapping[str, str],
        hot: list[Hot],
        project: Project,
        combine_top: int,
    ) -> None:
        self.rules = rules
        self.sources = sources
        self.hot = [h for h in hot if h.steps]
        self.project = project
        self.combine_top = combine_top
        self.by_key = {s.key: (h, s, d) for h in self.hot for s, d in h.steps}

    def plans(self, history: Sequence[Outcome]) -> list[Plan]:
        learned = self.learn(history)
        out = [*learned.split, *self._winners(learned), *self._base(learned.failed)]
        tried = {o.plan_title for o in history}
        seen: set[str] = set()
        plans = []
        for c in out:
            if c.title in tried or c.title in seen or not c.steps:
                continue
            seen.add(c.title)
            plans.append(to_plan(c))
        return plans

    # --- learning -----------------------------------------------------------------------------

    def learn(self, history: Sequence[Outcome]) -> Learned:
        singles = Learned()
        for outcome in history:
            keys = self._single_key(outcome)
            if keys and outcome.status in FAILED_STATUSES:
                singles.failed.add(keys[0])
        known = {c.title: c for c in [*self._base(set()), *self._base(singles.failed)]}
        slower = _slower_together(history, known)
        if slower - singles.failed:
            known.update((c.title, c) for c in self._base(singles.failed | slower))
        learned = Learned()
        learned.failed |= slower
        for outcome in history:
            found = known.get(outcome.plan_title)
            keys = [s.key for s in found.steps] if found else self._single_key(outcome)
            if not keys:
                continue
            learned.measured.add(frozenset(keys))
            if outcome.status in FAILED_STATUSES and len(keys) == 1:
                learned.failed.add(keys[0])
            if outcome.status in FASTER_THAN_BASE:
                learned.faster.append(frozenset(keys))
            if found is not None and outcome.status in SPLIT_STATUSES and len(keys) > 1:
                for half in self._halves(found):
                    known[half.title] = half
        measured = {o.plan_title for o in history}
        learned.split = [
            c
            for title, c in known.items()
            if "[part " in title
            and title not in measured
            and not {s.key for s in c.steps} & learned.failed
        ]
        return learned

    def _single_key(self, outcome: Outcome) -> list[Key]:
        for key, (_h, step, _d) in self.by_key.items():
            if single_title(step) == outcome.plan_title:
                return [key]
        return []

    def _halves(self, combo: Candidate) -> list[Candidate]:
        mid = (len(combo.steps) + 1) // 2
        parts = [combo.steps[:mid], combo.steps[mid:]]
        out = []
        for i, part in enumerate(parts, start=1):
            keys = {s.key for s in part}
            order = list(dict.fromkeys((s.file, s.function) for s in part))
            hots = [h for h in self.hot if (h.file, h.function) in order]
            hots.sort(key=lambda h: order.index((h.file, h.function)))  # the combination's order
            steps, words = self._combine(hots, keys=keys)
            title = f"{combo.title} [part {i} of 2]"
            out.append(Candidate(title, steps, words, combo.share))
        return out

    # --- proposals ----------------------------------------------------------------------------

    def _winners(self, learned: Learned) -> list[Candidate]:
        """The rewrites of every plan that measured faster, together, when that is more than
        any one of those plans held."""
        keys = set().union(*learned.faster) - learned.failed
        if len(keys) < 2 or any(keys <= group for group in learned.faster):
            return []
        hots = [h for h in self.hot if any(k[1:] == (h.file, h.function) for k in keys)]
        steps, words = self._combine(hots, keys=keys)
        got = frozenset(s.key for s in steps)
        if len(steps) < 2 or got in learned.measured or any(got <= g for g in learned.faster):
            return []  # measured already, or no more than one winner held
        ids = ", ".join(f"{s.rule} in {s.function}" for s in steps)
        return [
            Candidate(
                f"rules: the rewrites that measured faster together ({ids})",
                steps,
                words,
                hots[0].share,
            )
        ]

    def _base(self, failed: set[Key]) -> list[Candidate]:
        out: list[Candidate] = []
        top = self._top(failed)
        if len(top) >= 2:
            names = ", ".join(f"{h.file}:{h.function}" for h in top)
            title = f"rules: all rewrites in the {len(top)} hottest functions ({names})"
            if any(k[1:] == (h.file, h.function) for k in failed for h in self._top(set())):
                title += " without those that failed"
            steps, words = self._combine(top, banned=failed)
            if len({(s.file, s.function) for s in steps}) >= 2:
                out.append(Candidate(title, steps, words, top[0].share))
            out.extend(self._reversed(top, failed, steps, title))
        for h in self.hot:
            steps, words = self._combine([h], banned=failed)
            if len(steps) >= 2:
                ids = ", ".join(s.rule for s in steps)
                out.append(
                    Candidate(f"rules: {ids} in {h.file}:{h.function}", steps, words, h.share)
                )
        out.extend(self._singles())
        return out

    def _top(self, failed: set[Key]) -> list[Hot]:
        """The `combine_top` functions whose rewrites that have not failed are worth most,
        hottest first (a function whose every rewrite failed leaves its place to the next)."""
        best = {
            id(h): max((h.weight(s.rule) for s, _ in h.steps if s.key not in failed), default=0.0)
            for h in self.hot
        }
        live = [h for h in self.hot if any(s.key not in failed for s, _ in h.steps)]
        chosen = {id(h) for h in sorted(live, key=lambda h: -best[id(h)])[: self.combine_top]}
        return [h for h in self.hot if id(h) in chosen]

    def _reversed(
        self, top: list[Hot], failed: set[Key], steps: list[Step], title: str
    ) -> list[Candidate]:
        """The same functions' rewrites applied the least hot first, when applying them the
        hottest first lost some that apply alone. A rewrite can take another's site away: a
        caller's join over calls of a method leaves that method's own scan unindexable, while
        the method's index would have served the caller too. Which of the two gains more is
        for the measurement to say."""
        kept = {s.key for s in steps}
        lost = {
            s.key
            for h in top
            for s, _ in h.steps
            if s.key not in failed and s.key not in kept and s.rule not in ENABLERS
        }
        if not lost:
            return []
        other, words = self._combine(top[::-1], banned=failed)
        if not {s.key for s in other} & lost or len({(s.file, s.function) for s in other}) < 2:
            return []
        return [Candidate(f"{title}, the least hot first", other, words, top[0].share)]

    def _singles(self) -> list[Candidate]:
        ranked = []
        for order, h in enumerate(self.hot):
            for step, desc in h.steps:
                if step.rule in ONLY_ENABLING:
                    continue
                ranked.append(
                    (
                        -h.weight(step.rule),
                        order,
                        Candidate(single_title(step), [step], [(h, desc)], h.share),
                    )
                )
        out, seen = [], set()
        for _, _, c in sorted(ranked, key=lambda t: (t[0], t[1])):
            step = c.steps[0]
            if (step.rule, step.file, step.sites) not in seen:  # one edit found from two methods
                seen.add((step.rule, step.file, step.sites))
                out.append(c)
        return out

    def _combine(
        self,
        hots: Iterable[Hot],
        *,
        banned: set[Key] | None = None,
        keys: set[Key] | None = None,
    ) -> tuple[list[Step], list[tuple[Hot, str]]]:
        """Apply the applicable rewrites of `hots` in catalogue order (only `keys` when given,
        never `banned`), keeping those that still apply after the earlier ones. Once an
        earlier rewrite changed a function (an inlined helper), every rule is tried on it:
        the change may have made new ones applicable. An enabler can also take a site away
        (an inlined call can no longer be hoisted), so each function's rewrites are found
        with and without each subset of the enablers that fired there, and the set worth more
        is kept."""
        texts = dict(self.sources)
        project = self.project
        steps: list[Step] = []
        words: list[tuple[Hot, str]] = []
        for h in hots:
            run = self._function_steps(h, texts, project, banned or set(), keys, frozenset())
            fired = sorted({s.rule for s in run[0]} & ENABLERS)
            for skip in _subsets(fired):
                bare = self._function_steps(h, texts, project, banned or set(), keys, skip)
                gain, kept = _worth(h, bare[0]), _worth(h, run[0])
                if gain > kept or (gain == kept and skip & ONLY_ENABLING):
                    run = bare  # an enabler that enables nothing is left out
            found, said, texts, project = run
            steps += found
            words += said
        return steps, words

    def _function_steps(
        self,
        h: Hot,
        texts: dict[str, str],
        project: Project,
        banned: set[Key],
        keys: set[Key] | None,
        skip: frozenset[str],
    ) -> tuple[list[Step], list[tuple[Hot, str]], dict[str, str], Project]:
        applicable = {s.rule for s, _ in h.steps} - skip
        steps: list[Step] = []
        words: list[tuple[Hot, str]] = []
        for rule in self.rules:
            key = (rule.id, h.file, h.function)
            enabled = any(s.rule in ENABLERS for s in steps)
            if (rule.id not in applicable and not enabled) or key in banned or rule.id in skip:
                continue
            if keys is not None and key not in keys:
                continue
            for _ in range(MOST_SITES if rule.one_site else 1):
                trial = dict(texts)
                try:
                    step, desc = run_step(trial, Step(*key), verify=False, project=project)
                except Exception:  # a rewrite that no longer applies, or a rule bug: skip it
                    break
                texts = trial
                project = project_for(texts)  # later steps read the facts of this code
                steps.append(step)
                words.append((h, desc))
        return steps, words, texts, project


def _slower_together(history: Sequence[Outcome], known: Mapping[str, Candidate]) -> set[Key]:
    """The rewrites of every combination confined to one function that measured slower: one
    of them, or how they meet, costs time there, so later combined plans leave them all out
    (each is still tried alone). A combination that failed a check is split instead, to find
    the culprit; one spanning functions says nothing about any one of them."""
    out: set[Key] = set()
    for outcome in history:
        found = known.get(outcome.plan_title)
        if found is None or outcome.status != Status.SLOWER or len(found.steps) < 2:
            continue
        if len({(s.file, s.function) for s in found.steps}) == 1:
            out |= {s.key for s in found.steps}
    return out


def _subsets(names: Sequence[str]) -> list[frozenset[str]]:
    """Every non-empty subset of `names` (the enablers that fired: at most three)."""
    return [
        frozenset(n for i, n in enumerate(names) if mask >> i & 1)
        for mask in range(1, 2 ** len(names))
    ]


def _worth(h: Hot, steps: Sequence[Step]) -> float:
    """What a function's rewrites are expected to gain, their enablers aside."""
    return sum(h.weight(s.rule) for s in steps if s.rule not in ENABLERS)


def to_plan(c: Candidate) -> Plan:
    lines = [f"{desc} in `{h.file}:{h.function}`; {share_words(h)}." for h, desc in c.words]
    text = lines[0] if len(lines) == 1 else "\n".join(f"- {line}" for line in lines)
    targets = tuple(dict.fromkeys(f"{s.file}:{s.function}" for s in c.steps))
    return Plan(
        title=c.title,
        text=text,
        source="rules",
        targets=targets,
        data={
            "engine": "rules",
            "rules": list(dict.fromkeys(s.rule for s in c.steps)),
            "steps": [s.to_json() for s in c.steps],
            "share": c.share,
        },
    )
