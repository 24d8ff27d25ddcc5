"""Starting perfagent as a child of itself, isolated from the directory it works on.

`python -m agent` run with a repository as its working directory imports that repository's
`tasks.py`, `agent/`, `storage/` or `sitecustomize.py` before perfagent's own: Python puts the
working directory first on `sys.path`. A pull request could plant them and run code on the
host. A child started here runs `python -I` (no working directory, `PYTHON*` variables or user
site on the path), from an empty temporary directory, with perfagent's own code put first on
its path explicitly: the child imports the very perfagent its parent is, whatever its working
directory holds. Repositories are passed as arguments, never as a working directory.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
"""The directory that holds perfagent's packages (a checkout or a site-packages directory)."""

BOOT = (
    "import sys, runpy; root = sys.argv.pop(1)\n"
    "if root not in sys.path: sys.path.insert(0, root)\n"
    "sys.argv[0] = 'perfagent'; runpy.run_module('agent', run_name='__main__')"
)
"""What `python -I -c` runs: put perfagent's root first on the path, then `python -m agent`."""

INTERPRETER_ENV = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONINSPECT", "PYTHONUSERBASE")
"""Variables that change what an interpreter imports; `-I` ignores them, children need none."""


def perfagent_argv(*args: str) -> list[str]:
    """The argv of `perfagent ARGS...` as an isolated child of this interpreter."""
    return [sys.executable, "-I", "-c", BOOT, str(PACKAGE_ROOT), *args]


def isolated_env(
    base: Mapping[str, str] | None = None, drop: tuple[str, ...] = ()
) -> dict[str, str]:
    """`base` (default: this environment) without the interpreter variables and `drop`."""
    env = dict(os.environ if base is None else base)
    for name in (*INTERPRETER_ENV, *drop):
        env.pop(name, None)
    return env


@contextmanager
def clean_cwd(prefix: str = "perfagent-child-") -> Iterator[Path]:
    """An empty temporary directory to start a child in, removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
