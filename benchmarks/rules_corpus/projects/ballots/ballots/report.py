"""Readable summaries of a count: one line per round and a results table."""

from __future__ import annotations

from collections.abc import Iterator

from ballots.irv import elimination_order


def _share(count: int, total: int) -> str:
    if total == 0:
        return "-"
    return f"{100.0 * count / total:.1f}%"


def round_lines(result: dict) -> Iterator[str]:
    """One line per round: the tallies, who went out and where their ballots went."""
    for record in result["rounds"]:
        active = sum(record["tallies"].values())
        order = sorted(record["tallies"].items(), key=lambda item: (-item[1], item[0]))
        votes = ", ".join(f"{name} {count} ({_share(count, active)})" for name, count in order)
        line = f"Round {record['round']}: {votes}; exhausted {record['exhausted']}"
        if record["eliminated"] is not None:
            moved = ", ".join(f"{count} to {name}" for name, count in record["transfers"].items())
            line += f"; {record['eliminated']} out"
            if moved:
                line += f" ({moved}"
                if record["exhausted_transfers"]:
                    line += f", {record['exhausted_transfers']} exhausted"
                line += ")"
            elif record["exhausted_transfers"]:
                line += f" ({record['exhausted_transfers']} exhausted)"
        yield line


def results_table(result: dict, scores: dict[str, int] | None = None) -> str:
    """A table with a row per candidate: first preferences, final votes, round out, Borda."""
    names = result["candidates"]
    first = result["rounds"][0]["tallies"]
    final = result["rounds"][-1]["tallies"]
    out_round = {r["eliminated"]: r["round"] for r in result["rounds"] if r["eliminated"]}
    order = elimination_order(result)
    ranked = sorted(names, key=lambda name: (
        name not in final, -order.index(name) if name in order else 0, -final.get(name, 0), name))
    width = max(len("Candidate"), *(len(name) for name in names))
    header = f"{'Candidate':<{width}}  {'First':>6}  {'Final':>6}  {'Out':>4}"
    if scores is not None:
        header += f"  {'Borda':>7}"
    lines = [header, "-" * len(header)]
    for name in ranked:
        final_votes = str(final[name]) if name in final else "-"
        out = str(out_round[name]) if name in out_round else "-"
        row = f"{name:<{width}}  {first[name]:>6}  {final_votes:>6}  {out:>4}"
        if scores is not None:
            row += f"  {scores.get(name, 0):>7}"
        if name == result["winner"]:
            row += "  *"
        lines.append(row)
    return "\n".join(lines)


def summary(result: dict) -> str:
    """One sentence on the outcome."""
    rounds = len(result["rounds"])
    counted = result["ballots"] - result["blank"]
    if result["winner"] is None:
        return f"No winner: {counted} of {result['ballots']} ballots ranked anyone."
    final = result["rounds"][-1]["tallies"]
    active = sum(final.values())
    return (f"{result['winner']} wins in round {rounds} with {final[result['winner']]} of "
            f"{active} votes ({_share(final[result['winner']], active)}); "
            f"{result['blank']} blank ballots.")
