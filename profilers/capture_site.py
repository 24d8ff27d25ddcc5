"""Shipped into a capture directory as `sitecustomize.py`; that directory goes first on the
PYTHONPATH of the base's workload and tests, so every Python process they start records the
calls of the changed functions (`capture_runner.py`, shipped beside it as
`perfagent_capture.py`). It then runs the environment's own `sitecustomize`, which it shadows.
Standard library only; never fails the process it runs in."""

from __future__ import annotations

import os
import sys


def _start() -> None:
    try:
        import perfagent_capture

        perfagent_capture.install()
    except Exception:  # recording is best effort: the workload must run as it would
        pass


def _chain() -> None:
    import importlib.machinery
    import importlib.util

    here = os.path.dirname(os.path.abspath(__file__))
    path = [p for p in sys.path if os.path.abspath(p or ".") != here]
    try:
        spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
        if spec is None or spec.loader is None:
            return
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except Exception:
        pass


_start()
_chain()
