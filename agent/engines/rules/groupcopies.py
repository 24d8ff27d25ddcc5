"""The two copies `group-by-call` adds beside a scan: the pass that serves every key, and the
scan answering one key from it; which pair depends on the scan's shape."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from agent.engines.rules.edits import fresh_name
from agent.engines.rules.groupfilter import filter_groups_copy, filtered_copy
from agent.engines.rules.grouplookup import Lookup, answer_copy, index_copy
from agent.engines.rules.groupreduce import (
    Reduce,
    groups_copy,
    reduced_copy,
    rescan_pass,
    rescanned_copy,
)
from agent.engines.rules.groupscan import Scan, grouped_copy, lookup_copy
from agent.engines.rules.rewrite import FunctionContext
from agent.engines.rules.syntax import names_in

if TYPE_CHECKING:
    from agent.engines.rules.groupby import GroupSite


def copies_for(
    ctx: FunctionContext, found: GroupSite, names: dict[str, str]
) -> tuple[str, str, str, list[cst.FunctionDef]]:
    """Names of the pass, the answering copy and the loop's local, and the two copies. With
    other arguments varying per call (`found.passed`), each call loops over its key's items
    with its test in full, so the pass only gathers items."""
    scan, method, base = found.scan, found.method, found.scan.fn.name.value
    if isinstance(scan, Lookup):
        grouped = fresh_name(f"{base}_index", ctx.module_names)
        lookup = fresh_name(f"{base}_from", ctx.module_names)
        local = fresh_name(f"{base}_firsts", ctx.module_names)
        index, wanted = (fresh_name(n, ctx.module_names) for n in ("index", "wanted"))
        return (
            grouped,
            lookup,
            local,
            [
                index_copy(scan, found.key, grouped, names),
                answer_copy(scan, lookup, index, wanted, method),
            ],
        )
    grouped = fresh_name(f"{base}_groups", ctx.module_names)
    lookup = fresh_name(f"{base}_from", ctx.module_names)
    local = fresh_name(
        f"{base}_totals" if isinstance(scan, Scan) else f"{base}_items", ctx.module_names
    )
    if isinstance(scan, Scan):
        copies = [
            grouped_copy(scan, grouped, names),
            lookup_copy(scan, lookup, fresh_name("groups", ctx.module_names), method),
        ]
    elif isinstance(scan, Reduce) and (found.passed or scan.rescan_only):
        taken = ctx.module_names | names_in(scan.fn)
        copies = [
            rescan_pass(scan, grouped, names, found.also),
            rescanned_copy(scan, lookup, fresh_name("groups", taken), method),
        ]
    elif isinstance(scan, Reduce):
        copies = [
            groups_copy(scan, grouped, names),
            reduced_copy(scan, lookup, fresh_name("groups", ctx.module_names), method),
        ]
    else:
        taken = ctx.module_names | names_in(scan.fn)
        copies = [
            filter_groups_copy(scan, grouped, names, found.also),
            filtered_copy(
                scan, lookup, fresh_name("groups", taken), fresh_name("items", taken), method
            ),
        ]
    return grouped, lookup, local, copies
