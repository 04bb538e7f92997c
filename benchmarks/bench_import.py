"""Import time of ``import neuroendo`` (issue budget: < 0.25 s on the 2-core machine).

Run: ``python benchmarks/bench_import.py`` or
``pytest benchmarks/bench_import.py --benchmark-only``.
Each sample is a fresh interpreter; numpy's own import is reported beside it for scale.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

BUDGET_S = 0.25


def _time(stmt: str) -> float:
    code = f"import time; t = time.perf_counter(); {stmt}; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def measure(n: int = 7) -> dict[str, float]:
    return {
        "numpy": statistics.median(_time("import numpy") for _ in range(n)),
        "neuroendo": statistics.median(_time("import neuroendo") for _ in range(n)),
    }


def test_import_time(benchmark):
    res = benchmark.pedantic(measure, rounds=1, iterations=1)
    print(
        f"\nimport numpy {res['numpy']:.3f} s, import neuroendo {res['neuroendo']:.3f} s "
        f"(budget {BUDGET_S} s)"
    )
    assert res["neuroendo"] < BUDGET_S


if __name__ == "__main__":
    r = measure()
    print(f"import numpy     {r['numpy']:.3f} s (median of 7 fresh interpreters)")
    print(
        f"import neuroendo {r['neuroendo']:.3f} s (budget {BUDGET_S} s) -> "
        f"{'OK' if r['neuroendo'] < BUDGET_S else 'OVER BUDGET'}"
    )
