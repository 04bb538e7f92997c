"""Cohort fitting on Dask: ``fit_cohort`` on the 58-subject Nelson cohort vs pyPESTO (issue 7).

The problem is the one of ``bench_fit.py`` (imported from it, not copied): Sriram 2012 with a
TSST-scaled CRH drive, nine free parameters on log10 scale (``FREE``), log-normal noise,
pre-equilibration 200 h, 20 Latin-hypercube starts per subject, Wald intervals. neuroendo fits
all subjects with :func:`neuroendo.cohort.fit_cohort` on a 2-process ``LocalCluster``; the peer
(PEtab export + pyPESTO L-BFGS-B + libRoadRunner, ``bench_fit.run_pypesto``) solves a few
subjects with a few starts, and its time per start is scaled to the cohort (58 subjects x 20
starts, shared by 2 cores). The script prints both wall times, their ratio and the final
objectives of the peer's subjects side by side.

Targets (issue 7): <= 60 s on 2 cores; ratio >= 20x at equal or better final objective.

Run: ``python benchmarks/bench_cohort_fit.py [--data DIR] [--workers 2] [--peer-subjects 2]
[--peer-starts 4]``. The Nelson data are not shipped; ``--data`` defaults to
``../shared/data/parker_uc_tsst``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_fit import DEFAULT_DATA, _setup, run_pypesto


def run_cohort(data_dir: Path, workers: int, client: Any = None) -> tuple[Any, float, float]:
    """Fit every subject with fit_cohort; return (CohortFit, fit seconds, cluster start s)."""
    from distributed import Client, LocalCluster

    from neuroendo.cohort import fit_cohort

    df, kw = _setup(data_dir)
    t0 = time.perf_counter()
    own = client is None
    if own:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, dashboard_address=":0", silence_logs=40
        )
        client = Client(cluster, set_as_default=False)
        # warm the workers (imports, pre-equilibration code paths) outside the timed run
        fit_cohort(
            "sriram2012",
            df,
            subjects=["N01", "N02"][:workers],
            seed=0,
            client=client,
            starts=2,
            ci="none",
            **kw,
        )
    started = time.perf_counter() - t0
    try:
        t1 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fits = fit_cohort(
                "sriram2012", df, seed=0, client=client, starts=20, ci="wald", on_error="skip", **kw
            )
        wall = time.perf_counter() - t1
    finally:
        if own:
            client.close()
            cluster.close()
    return fits, wall, started


def main() -> None:
    """Run the benchmark and print the comparison."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--peer-subjects", type=int, default=2)
    ap.add_argument("--peer-starts", type=int, default=4)
    ap.add_argument("--output", type=Path, default=None, help="write the table as Parquet")
    a = ap.parse_args()
    print(f"cores: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}; data: {a.data}")
    fits, wall, started = run_cohort(a.data, a.workers)
    st = fits.status
    n = len(st)
    print(
        f"neuroendo fit_cohort: {n} subjects x 20 starts, 9 free parameters, in {wall:.1f} s on "
        f"{a.workers} worker processes (cluster start + warm-up {started:.1f} s, not counted); "
        f"converged {int((st == 'converged').sum())}/{n}, failed {fits.n_failed}"
    )
    if a.output is not None:
        fits.to_parquet(a.output)
    try:
        import pypesto  # noqa: F401
    except ImportError:
        print("pyPESTO not installed: peer skipped (pip install pypesto petab).")
        return
    subj = fits.subjects
    peer_rows = []
    for s in list(subj.index)[: a.peer_subjects]:
        peer_rows.append(run_pypesto(a.data, s, a.peer_starts))
    per_start = float(np.mean([r["seconds_per_start"] for r in peer_rows]))
    peer_wall = per_start * 20 * n / a.workers  # same cohort, same starts, same cores
    print(
        f"peer PEtab + pyPESTO + libRoadRunner: {per_start:.2f} s per start "
        f"({a.peer_starts} starts on {len(peer_rows)} subjects) -> {peer_wall:.0f} s for "
        f"{n} subjects x 20 starts on {a.workers} cores"
    )
    print(f"{'subject':>8} {'obj neuroendo':>14} {'obj pyPESTO':>12}")
    for r in peer_rows:
        print(
            f"{r['subject']:>8} {subj.loc[r['subject'], 'objective']:14.4f} {r['objective']:12.4f}"
        )
    print(f"ratio (pyPESTO / neuroendo, whole cohort, {a.workers} cores): {peer_wall / wall:.1f}x")


def test_bench_cohort_fit(benchmark: Any) -> None:
    """pytest-benchmark entry: the whole cohort on a 2-process local cluster."""
    import pytest

    if not DEFAULT_DATA.is_dir():
        pytest.skip(f"Nelson data not present at {DEFAULT_DATA}")
    fits, _, _ = benchmark.pedantic(run_cohort, args=(DEFAULT_DATA, 2), rounds=1, iterations=1)
    assert fits.n_failed == 0


if __name__ == "__main__":
    main()
