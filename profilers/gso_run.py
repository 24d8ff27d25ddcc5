"""Run one GSO perf test as GSO's harness does and append its time to an output file.

Shipped into the sandbox's scratch and run there with the sandbox's interpreter (standard
library only): `python gso_run.py SCRIPT OUT [--reference|--eqcheck] [--file_prefix P]`.
"""

import argparse
import importlib.util
import os
import sys
import timeit

# GSO's appended harness makes timeit return (elapsed, retval); prob_scripts have it stripped.
TEMPLATE = """
def inner(_it, _timer{init}):
    {setup}
    _t0 = _timer()
    for _i in _it:
        retval = {stmt}
    _t1 = _timer()
    return _t1 - _t0, retval
"""


def main() -> None:
    timeit.template = TEMPLATE  # type: ignore[attr-defined]
    p = argparse.ArgumentParser()
    p.add_argument("script")
    p.add_argument("output_file")
    p.add_argument("--eqcheck", action="store_true")
    p.add_argument("--reference", action="store_true")
    p.add_argument("--file_prefix", default="")
    a = p.parse_args()
    sys.path.insert(0, os.getcwd())
    spec = importlib.util.spec_from_file_location("gso_perf_test", a.script)
    if spec is None or spec.loader is None:
        sys.exit(f"cannot load {a.script}")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["gso_perf_test"] = mod
    spec.loader.exec_module(mod)
    t = mod.run_test(eqcheck=a.eqcheck, reference=a.reference, prefix=a.file_prefix)
    with open(a.output_file, "a") as f:
        f.write(f"Execution time: {t:.6f}s\n")


if __name__ == "__main__":
    main()
