"""An SVG flame graph from collapsed stacks ("root;child;leaf 12" per line).

The output is a standalone `<svg>` element for inline use in an HTML page: no scripts, no
external references, every frame name escaped (frame names come from the profiled code).
Frames are stacked root at the bottom, siblings sorted by name as in Brendan Gregg's
flamegraph.pl, widths proportional to samples; hovering shows each frame's `<title>`.
"""

from __future__ import annotations

import html
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FlameConfig:
    """How the graph is drawn."""

    width: int = 1160
    """Total width of the SVG in pixels."""
    frame_height: int = 17
    """Height of one stack level in pixels."""
    min_frame_px: float = 0.6
    """Frames (and their callees) narrower than this are left out to keep the SVG small."""
    char_px: float = 6.6
    """Approximate width of one label character at the 11 px monospace font."""
    max_depth: int = 128
    """Deeper stacks are cut here: a runaway recursion must not produce a megabyte of SVG."""


@dataclass
class Frame:
    """One node of the merged call tree: a function and the samples spent in or below it."""

    name: str
    samples: int = 0
    children: dict[str, Frame] = field(default_factory=dict)

    def child(self, name: str) -> Frame:
        found = self.children.get(name)
        if found is None:
            found = self.children[name] = Frame(name)
        return found


def parse_collapsed(text: str) -> Frame:
    """Merge collapsed-stack lines into a call tree rooted at "all".

    Lines that do not end in a positive integer count are ignored: a truncated or foreign
    artifact degrades the picture, it does not break the report.
    """
    root = Frame("all")
    for line in text.splitlines():
        stack, _, count = line.strip().rpartition(" ")
        if not stack or not count.isdigit() or int(count) <= 0:
            continue
        n = int(count)
        root.samples += n
        node = root
        for name in stack.split(";"):
            if name:
                node = node.child(name)
                node.samples += n
    return root


@dataclass(frozen=True)
class Box:
    """A frame placed on the canvas."""

    name: str
    samples: int
    depth: int
    x: float
    width: float


def layout(root: Frame, cfg: FlameConfig) -> list[Box]:
    """Place every frame wide enough to see; x and width in pixels, depth 0 is the root."""
    if root.samples <= 0:
        return []
    scale = cfg.width / root.samples
    boxes: list[Box] = []

    def place(node: Frame, depth: int, x: float) -> None:
        width = node.samples * scale
        if width < cfg.min_frame_px or depth > cfg.max_depth:
            return
        boxes.append(Box(node.name, node.samples, depth, x, width))
        offset = x
        for name in sorted(node.children):
            child = node.children[name]
            place(child, depth + 1, offset)
            offset += child.samples * scale

    place(root, 0, 0.0)
    return boxes


def frame_color(name: str) -> str:
    """A warm colour that depends only on the frame's name, so the same function keeps its
    colour from one report to the next."""
    h = zlib.crc32(name.encode())
    red = 205 + h % 50
    green = 80 + (h >> 8) % 130
    blue = 40 + (h >> 16) % 50
    return f"rgb({red},{green},{blue})"


def _label(name: str, width: float, cfg: FlameConfig) -> str:
    fits = int((width - 6) / cfg.char_px)
    if fits >= len(name):
        return name
    return name[: fits - 2] + ".." if fits >= 4 else ""


def _frames(boxes: list[Box], total: int, height: int, cfg: FlameConfig) -> Iterator[str]:
    esc = html.escape
    for b in boxes:
        y = height - (b.depth + 1) * cfg.frame_height
        share = 100.0 * b.samples / total
        title = f"{b.name} — {b.samples} samples ({share:.1f} %)"
        label = _label(b.name, b.width, cfg)
        text = (
            f'<text x="{b.x + 3:.1f}" y="{y + cfg.frame_height - 5}">{esc(label)}</text>'
            if label
            else ""
        )
        yield (
            f'<g class="frame"><title>{esc(title)}</title>'
            f'<rect x="{b.x:.2f}" y="{y}" width="{max(b.width - 0.5, 0.1):.2f}" '
            f'height="{cfg.frame_height - 1}" rx="2" fill="{frame_color(b.name)}"/>'
            f"{text}</g>"
        )


def flamegraph_svg(collapsed: str, cfg: FlameConfig | None = None) -> str:
    """The flame graph of `collapsed` as an inline `<svg>`; empty string when it holds no samples."""
    cfg = cfg or FlameConfig()
    root = parse_collapsed(collapsed)
    boxes = layout(root, cfg)
    if not boxes:
        return ""
    depth = max(b.depth for b in boxes) + 1
    height = depth * cfg.frame_height
    body = "".join(_frames(boxes, root.samples, height, cfg))
    return (
        f'<svg class="flamegraph" viewBox="0 0 {cfg.width} {height}" width="{cfg.width}" '
        f'height="{height}" role="img" aria-label="flame graph of the baseline profile" '
        f'font-family="ui-monospace, Menlo, Consolas, monospace" font-size="11">'
        f"{body}</svg>"
    )
