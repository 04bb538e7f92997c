"""Accuracy gate of the compiled backend for EVERY registered model (issue 5).

For each model: 100 subjects with parameters x U(0.8, 1.2) (clipped to bounds), numba at
rtol 1e-10 vs SciPy DOP853 (Radau for stiff models) at rtol 1e-12; the maximum relative error
must be <= 1e-4. Compiling every model and the tight SciPy references take minutes, so this runs
with the benchmarks, explicitly, not in the unit-test run (which gates gupta2007 and vinther2011
on every run, see tests/simulation/test_numba_backend.py).

Run: ``python benchmarks/bench_accuracy_gate.py [MODEL ...]`` or
``pytest benchmarks/bench_accuracy_gate.py``.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import pytest

from neuroendo import models

_spec = importlib.util.spec_from_file_location(
    "_numba_tests", Path(__file__).resolve().parents[1] / "tests/simulation/test_numba_backend.py"
)
assert _spec is not None
assert _spec.loader is not None
_tests = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_tests)


@pytest.mark.slow
@pytest.mark.parametrize("name", models.available())
def test_accuracy_gate_every_model(name):
    assert _tests._gate(name, 100) <= 1e-4


if __name__ == "__main__":
    # python benchmarks/bench_accuracy_gate.py [MODEL ...]  (default: every model)
    for name in sys.argv[1:] or models.available():
        t = time.perf_counter()
        err = _tests._gate(name, 100)
        flag = "ok" if err <= 1e-4 else "FAIL"
        print(f"{name:16s} max rel. error {err:.2e}  ({time.perf_counter() - t:5.1f} s)  {flag}")
        sys.stdout.flush()
