"""Tickets as exported by the helpdesk: blocks separated by a line of '---'."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class Document:
    ident: str
    title: str
    body: str
    tags: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.title + "\n" + self.body


def _blocks(lines: list[str]) -> Iterator[list[str]]:
    block: list[str] = []
    for line in lines:
        if line.strip() == "---":
            if block:
                yield block
            block = []
        else:
            block.append(line)
    if block:
        yield block


def parse_documents(text: str) -> list[Document]:
    docs = []
    for block in _blocks(text.splitlines()):
        header = {}
        body_start = 0
        for i, line in enumerate(block):
            if not line.strip():
                body_start = i + 1
                break
            key, _, value = line.partition(":")
            header[key.strip().lower()] = value.strip()
        else:
            body_start = len(block)
        if "id" not in header:
            raise ValueError(f"document without id: {block[:1]}")
        tags = [t.strip() for t in header.get("tags", "").split(",") if t.strip()]
        docs.append(
            Document(header["id"], header.get("title", ""), "\n".join(block[body_start:]), tags)
        )
    return docs
