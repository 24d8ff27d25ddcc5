"""SEARCH/REPLACE edit blocks: a strict parser and an all-or-nothing applier.

The format (aider's "diff" format, one or more blocks, each after its file path line)::

    pkg/module.py
    ```python
    <<<<<<< SEARCH
    exact lines from the current file
    =======
    the lines that replace them
    >>>>>>> REPLACE
    ```

A block without its own path line inside the same reply reuses the previous block's path.
Matching is per block, on whole lines, down a ladder: exact, then whitespace-tolerant (trailing
and inner runs of whitespace ignored, indentation still equal), then re-indented (the whole
block at a uniformly different indentation; the replacement is re-indented the same way). A
block must match exactly one place at the first tier that matches at all; several places is an
"ambiguous" failure, never a guess. Unlike OpenEvolve (which silently skips unmatched blocks),
every failure is reported with the closest lines of the file, and nothing is applied unless
every block applies (`apply_blocks(...).ok`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from agent.llm.edit_match import apply_block, closest_lines, split_lines

__all__ = [
    "ApplyResult",
    "BlockFailure",
    "EditBlock",
    "EditFormatError",
    "apply_block",
    "apply_blocks",
    "closest_lines",
    "parse_blocks",
    "resolve_path",
    "split_lines",
    "syntax_errors",
]

HEAD = re.compile(r"^\s*<{5,9} ?SEARCH\s*$")
DIVIDER = re.compile(r"^\s*={5,9}\s*$")
TAIL = re.compile(r"^\s*>{5,9} ?REPLACE\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


class EditFormatError(ValueError):
    """The reply's blocks are malformed (the message names the line and what was expected)."""


@dataclass(frozen=True)
class EditBlock:
    """One SEARCH/REPLACE block as the model wrote it."""

    path: str
    search: str
    replace: str
    line: int
    """1-based line of the `<<<<<<< SEARCH` marker in the reply."""


@dataclass(frozen=True)
class BlockFailure:
    """Why one block could not be applied, with what helps the model fix it."""

    index: int
    """0-based position of the block in the reply."""
    block: EditBlock
    kind: str
    """"refused", "no-match", "ambiguous" or "empty-search"."""
    reason: str
    hint: str = ""

    def report(self) -> str:
        """The block, the reason and the hint, as shown to the model."""
        parts = [
            f"## Block {self.index + 1} ({self.block.path}) failed: {self.reason}",
            "```",
            "<<<<<<< SEARCH",
            _quoted(self.block.search),
            "=======",
            _quoted(self.block.replace),
            ">>>>>>> REPLACE",
            "```",
        ]
        if self.hint:
            parts.append(self.hint)
        return "\n".join(parts)


QUOTED_LINES = 40
"""A failed block longer than this is quoted by its head and tail in a re-ask."""


def _quoted(text: str) -> str:
    lines = text.rstrip("\n").splitlines()
    if len(lines) <= QUOTED_LINES:
        return "\n".join(lines)
    head, tail = lines[: QUOTED_LINES // 2], lines[-QUOTED_LINES // 4 :]
    cut = len(lines) - len(head) - len(tail)
    return "\n".join([*head, f"[{cut} more lines of your block, not repeated here]", *tail])


@dataclass
class ApplyResult:
    """The outcome of applying a reply's blocks to a set of files."""

    texts: dict[str, str]
    """Every file after the blocks that did apply (a working copy, not yet accepted)."""
    applied: list[tuple[int, str]] = field(default_factory=list)
    """(block index, ladder tier) for each block that applied."""
    failures: list[BlockFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def changed(self, original: Mapping[str, str]) -> dict[str, str]:
        """Files whose text differs from `original` (whole new texts)."""
        return {p: t for p, t in self.texts.items() if original.get(p) != t}


# parsing -------------------------------------------------------------------------------------
def _path_from(line: str) -> str | None:
    """The file path a line names, or None when it is prose."""
    text = line.strip().strip("`*").strip()
    text = text.lstrip("#").strip().rstrip(":").strip().strip("`*").strip()
    if not text or " " in text or "\t" in text:
        return None
    if "/" not in text and "." not in text:
        return None
    return text


def parse_blocks(reply: str) -> list[EditBlock]:
    """Every SEARCH/REPLACE block in `reply`, or `EditFormatError` on any malformed one."""
    lines = reply.splitlines()
    blocks: list[EditBlock] = []
    path: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if DIVIDER.match(line) or TAIL.match(line):
            raise EditFormatError(
                f"line {i + 1}: {line.strip()!r} outside a SEARCH/REPLACE block "
                "(each block is <<<<<<< SEARCH, =======, >>>>>>> REPLACE)"
            )
        if not HEAD.match(line):
            i += 1
            continue
        start = i
        # A block without its own path line edits the previous block's file (as in aider).
        path = _path_before(lines, i) or path
        if path is None:
            raise EditFormatError(
                f"line {i + 1}: SEARCH block without a file path line before it "
                "(put the file's path alone on the line above the opening fence)"
            )
        search: list[str] = []
        i += 1
        while i < len(lines) and not DIVIDER.match(lines[i]):
            if HEAD.match(lines[i]) or TAIL.match(lines[i]):
                raise EditFormatError(
                    f"line {i + 1}: expected ======= to end the SEARCH section started "
                    f"on line {start + 1}, found {lines[i].strip()!r}"
                )
            search.append(lines[i])
            i += 1
        if i >= len(lines):
            raise EditFormatError(f"line {start + 1}: SEARCH block never reaches its =======")
        replace: list[str] = []
        i += 1
        while i < len(lines) and not TAIL.match(lines[i]):
            if HEAD.match(lines[i]) or DIVIDER.match(lines[i]):
                raise EditFormatError(
                    f"line {i + 1}: expected >>>>>>> REPLACE to end the block started on "
                    f"line {start + 1}, found {lines[i].strip()!r}"
                )
            replace.append(lines[i])
            i += 1
        if i >= len(lines):
            raise EditFormatError(f"line {start + 1}: block never reaches its >>>>>>> REPLACE")
        blocks.append(EditBlock(path, _join(search), _join(replace), start + 1))
        i += 1
    if not blocks:
        raise EditFormatError("no SEARCH/REPLACE blocks found in the reply")
    return blocks


def _path_before(lines: Sequence[str], i: int) -> str | None:
    """The path named on the (up to 3) lines above a block, skipping fences and blanks."""
    seen = 0
    j = i - 1
    while j >= 0 and seen < 3:
        text = lines[j]
        if TAIL.match(text):
            return None
        if not text.strip():
            j -= 1
            continue
        if FENCE.match(text):
            # "```python pkg/mod.py" style: the path may sit on the fence line itself.
            rest = FENCE.sub("", text).strip().split()
            if len(rest) == 2 or (len(rest) == 1 and ("/" in rest[0] or "." in rest[0])):
                return _path_from(rest[-1])
            j -= 1
            seen += 1
            continue
        return _path_from(text)
    return None


def _join(lines: Sequence[str]) -> str:
    return "".join(f"{line}\n" for line in lines)


# applying ------------------------------------------------------------------------------------
def resolve_path(path: str, editable: Collection[str]) -> str | None:
    """The editable file a block names: exact, or the one editable path it is a suffix of."""
    p = path.strip().replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    if p in editable:
        return p
    matches = [e for e in editable if e.endswith("/" + p)]
    return matches[0] if len(matches) == 1 else None


def refusal(path: str) -> str:
    return (
        f"{path} is not an editable file (tests, benchmark files, build configuration and "
        "files outside the task's include globs are read-only; new files cannot be created)"
    )


def apply_blocks(
    blocks: Sequence[EditBlock],
    texts: Mapping[str, str],
    original: Mapping[str, str] | None = None,
) -> ApplyResult:
    """Apply blocks in order to a copy of `texts` (the editable files).

    Every block is tried, so the report lists every failure at once; the caller accepts the
    result only when `ok` (all-or-nothing). Blocks naming a file outside `texts` are refused.
    With `original` (the files before an earlier, partly applied reply), a re-sent block that
    matches the original and whose replacement is already in place counts as applied
    ("already") instead of failing.
    """
    result = ApplyResult(texts=dict(texts))
    for index, block in enumerate(blocks):
        path = resolve_path(block.path, texts)
        if path is None:
            result.failures.append(
                BlockFailure(index, block, "refused", refusal(block.path), _editable_hint(texts))
            )
            continue
        try:
            new, tier = apply_block(result.texts[path], block)
        except LookupError as exc:
            kind, reason, hint = exc.args
            if kind == "no-match" and _already_applied(block, path, result.texts, original):
                result.applied.append((index, "already"))
                continue
            result.failures.append(BlockFailure(index, block, kind, reason, hint))
            continue
        result.texts[path] = new
        result.applied.append((index, tier))
    return result


def _already_applied(
    block: EditBlock, path: str, texts: Mapping[str, str], original: Mapping[str, str] | None
) -> bool:
    if original is None or path not in original or texts[path] == original[path]:
        return False
    replace = block.replace.strip("\n")
    if not replace.strip() or replace not in texts[path]:
        return False
    try:
        apply_block(original[path], block)
    except LookupError:
        return False
    return True


def _editable_hint(texts: Mapping[str, str]) -> str:
    names = sorted(texts)
    shown = ", ".join(names[:30]) + (f", ... ({len(names)} files)" if len(names) > 30 else "")
    return f"Editable files: {shown}."


def syntax_errors(files: Mapping[str, str]) -> list[str]:
    """One line per Python file that no longer parses, with a few lines around the error."""
    out = []
    for path, text in sorted(files.items()):
        if not path.endswith(".py"):
            continue
        try:
            ast.parse(text, filename=path)
        except SyntaxError as exc:
            line = exc.lineno or 1
            lines = text.splitlines()
            lo, hi = max(0, line - 4), min(len(lines), line + 3)
            around = "\n".join(f"{k + 1:>5} | {lines[k]}" for k in range(lo, hi))
            out.append(f"{path} line {line}: SyntaxError: {exc.msg}\n```\n{around}\n```")
    return out
