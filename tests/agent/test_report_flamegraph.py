"""The flame graph: widths follow samples, names are escaped, bad lines are ignored."""

from __future__ import annotations

import re

from agent.views.flamegraph import FlameConfig, flamegraph_svg, layout, parse_collapsed


def test_collapsed_stacks_merge_into_a_tree_with_sample_counts() -> None:
    root = parse_collapsed("a;b;c 12\na;b 3\na;d 5\n")
    assert root.samples == 20
    a = root.children["a"]
    assert a.samples == 20 and a.children["b"].samples == 15
    assert a.children["b"].children["c"].samples == 12 and a.children["d"].samples == 5


def test_malformed_lines_are_ignored() -> None:
    """Guards against a truncated or foreign profile artifact breaking the whole report."""
    root = parse_collapsed("a;b 4\nno count here\na;c -3\na;c 2.5\n\n;; 7\na;c 1")
    assert root.samples == 12 and set(root.children["a"].children) == {"b", "c"}
    assert root.children["a"].children["c"].samples == 1


def test_widths_are_proportional_to_samples_and_children_sit_inside_parents() -> None:
    boxes = layout(parse_collapsed("main;fast 25\nmain;slow 75"), FlameConfig(width=1000))
    by_name = {b.name: b for b in boxes}
    assert by_name["all"].width == 1000 and by_name["main"].width == 1000
    assert by_name["fast"].width == 250 and by_name["slow"].width == 750
    assert by_name["fast"].x == 0 and by_name["slow"].x == 250  # siblings sorted by name
    assert by_name["slow"].depth == 2


def test_frames_too_narrow_to_see_are_left_out() -> None:
    boxes = layout(parse_collapsed("big 100000\ntiny;deeper 1"), FlameConfig(width=100))
    assert {b.name for b in boxes} == {"all", "big"}


def test_frame_names_are_escaped_and_titles_give_counts() -> None:
    """Guards against frame names such as `<module>` (or hostile ones) becoming markup."""
    svg = flamegraph_svg('<module> (x.py:1);f"<script>alert(1)</script> 9\n<module> (x.py:1) 1')
    assert "<script" not in svg and "&lt;module&gt; (x.py:1)" in svg
    assert "&lt;module&gt; (x.py:1) — 10 samples (100.0 %)" in svg
    assert "f&quot;&lt;script&gt;alert(1)&lt;/script&gt; — 9 samples (90.0 %)" in svg
    assert len(re.findall(r"<rect ", svg)) == 3


def test_labels_are_cut_to_fit_their_box() -> None:
    svg = flamegraph_svg("a_rather_long_function_name 1\nb 99", FlameConfig(width=200))
    labels = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    assert "b" in labels and not any(label.startswith("a_rather") for label in labels)


def test_no_samples_means_no_svg() -> None:
    assert flamegraph_svg("") == "" and flamegraph_svg("junk\n") == ""


def test_the_same_function_keeps_its_colour() -> None:
    one = flamegraph_svg("main;work 5")
    two = flamegraph_svg("other 7\nmain;work 5")
    colour = re.compile(r'<title>work[^<]*</title><rect [^>]*fill="([^"]+)"')
    assert colour.search(one).group(1) == colour.search(two).group(1)  # type: ignore[union-attr]
