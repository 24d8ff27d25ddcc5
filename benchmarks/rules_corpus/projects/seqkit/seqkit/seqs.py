"""Sequence records, FASTA-like parsing and simple per-sequence measures."""

from __future__ import annotations

import re
from dataclasses import dataclass

NUCLEOTIDES = "ACGTN"
COMPLEMENT = {"A": "T", "C": "G", "G": "C", "T": "A", "N": "N"}
_HEADER = re.compile(r"^>\s*(\S+)\s*(.*)$")


@dataclass
class Record:
    name: str
    sequence: str
    description: str = ""

    def __len__(self) -> int:
        return len(self.sequence)


def clean(seq: str) -> str:
    """Upper-case a sequence, drop whitespace and reject anything that is not ACGTN."""
    seq = "".join(seq.split()).upper()
    for ch in seq:
        if ch not in NUCLEOTIDES:
            raise ValueError(f"invalid nucleotide {ch!r}")
    return seq


def parse_fasta(data: str | bytes) -> list[Record]:
    """Parse FASTA text (or bytes) into records, keeping file order."""
    if isinstance(data, bytes):
        data = data.decode("ascii")
    records: list[Record] = []
    name = None
    description = ""
    chunks: list[str] = []

    def finish() -> None:
        if name is None:
            return
        if any(r.name == name for r in records):
            raise ValueError(f"duplicate record name {name!r}")
        records.append(Record(name, clean("".join(chunks)), description))

    for line in data.splitlines():
        line = line.strip()
        if not line or line.startswith(";"):
            continue
        if line.startswith(">"):
            finish()
            match = _HEADER.match(line)
            if match is None:
                raise ValueError(f"bad header line {line!r}")
            name, description = match.group(1), match.group(2).strip()
            chunks = []
        else:
            if name is None:
                raise ValueError("sequence data before the first header")
            chunks.append(line)
    finish()
    return records


def format_fasta(records: list[Record], width: int = 60) -> str:
    if width <= 0:
        raise ValueError("width must be positive")
    lines = []
    for rec in records:
        header = f">{rec.name}"
        if rec.description:
            header += f" {rec.description}"
        lines.append(header)
        for i in range(0, len(rec.sequence), width):
            lines.append(rec.sequence[i:i + width])
    return "\n".join(lines) + ("\n" if lines else "")


def get_record(records: list[Record], name: str) -> Record:
    for rec in records:
        if rec.name == name:
            return rec
    raise KeyError(name)


def reverse_complement(seq: str) -> str:
    out = ""
    for ch in reversed(seq.upper()):
        if ch not in COMPLEMENT:
            raise ValueError(f"invalid nucleotide {ch!r}")
        out += COMPLEMENT[ch]
    return out


def gc_content(seq: str) -> float:
    """Fraction of G and C over the whole length (N counts in the length)."""
    seq = seq.upper()
    if not seq:
        return 0.0
    gc = 0
    for ch in seq:
        if ch == "G" or ch == "C":
            gc += 1
    return gc / len(seq)


def gc_windows(seq: str, window: int, step: int = 1) -> list[tuple[int, float]]:
    """GC content of every window of the given size, as (start, fraction) pairs."""
    if window <= 0 or step <= 0:
        raise ValueError("window and step must be positive")
    result = []
    for start in range(0, len(seq) - window + 1, step):
        result.append((start, gc_content(seq[start:start + window])))
    return result


def gc_islands(seq: str, window: int, threshold: float,
               step: int = 1) -> list[tuple[int, int]]:
    """Merge windows whose GC content is at least threshold into (start, end) spans."""
    spans: list[tuple[int, int]] = []
    for start, frac in gc_windows(seq, window, step):
        if frac < threshold:
            continue
        end = start + window
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return spans


def composition(seq: str) -> dict[str, int]:
    seq = seq.upper()
    return {base: seq.count(base) for base in NUCLEOTIDES}
