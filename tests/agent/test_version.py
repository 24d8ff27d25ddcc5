"""`perfagent --version` reports the version the project declares."""

from __future__ import annotations

import re
from pathlib import Path

from agent.version import version, version_line

ROOT = Path(__file__).resolve().parents[2]


def test_the_version_is_the_declared_one() -> None:
    """Guards `--version` drifting from pyproject.toml's version (what gets tagged)."""
    declared = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert declared is not None
    assert version() == declared.group(1)
    assert version_line() == f"perfagent {declared.group(1)}"
