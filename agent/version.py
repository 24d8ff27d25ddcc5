"""perfagent's version, as installed (`perfagent --version`)."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

DIST = "perfagent"


def version() -> str:
    """The installed distribution's version; from a checkout that is not installed, the
    version `pyproject.toml` declares beside it."""
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    if pyproject.is_file():  # a checkout: its own version, even if another copy is installed
        found = re.search(r'^version\s*=\s*"([^"]+)"', pyproject.read_text(), re.MULTILINE)
        if found:
            return found.group(1)
    try:
        return metadata.version(DIST)
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def version_line() -> str:
    """What `perfagent --version` prints."""
    return f"perfagent {version()}"
