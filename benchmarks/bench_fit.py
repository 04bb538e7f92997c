"""Per-subject TSST fitting: neuroendo vs PEtab + pyPESTO + libRoadRunner (performance.md §2).

Problem: Nelson TSST data (measured time points 0, 15, 30, 40, 50, 65, 140 min), Sriram 2012 with
the CRH drive multiplied by (1 + A s(t)), s = 1 for 0.5 h <= t < 0.75 h; initial state after 200 h
without stress at the nominal parameters; observables scale_acth*ACTH and scale_cort*cortisol;
log-normal noise with one estimated sigma per observable; nine free parameters on log10 scale
(bounds below); 20 Latin-hypercube starts.

neuroendo fits all 58 subjects on a ``ProcessPoolExecutor(2)`` (Wald intervals, as the peer
only optimises; ``--profile`` adds profile-likelihood intervals). The peer solves the same problem,
exported with :func:`neuroendo.fit.to_petab`, with pyPESTO (L-BFGS-B, ``maxfun`` 10,000,
roadrunner simulator) on a few subjects; its time per start is scaled to 20 starts. The script
prints the time per subject of both, their ratio and the final objectives side by side.

Targets (issue 7): all 58 subjects <= 60 s on 2 cores; ratio to the peer >= 20x.

Run: ``python benchmarks/bench_fit.py [--data DIR] [--peer-subjects 2] [--peer-starts 4]``.
The Nelson data are not shipped; ``--data`` defaults to ``../shared/data/parker_uc_tsst``.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

FREE = {
    "A": (0.01, 1000.0),
    "k_i": (0.151, 15.1),
    "K_P2": (0.83, 83.0),
    "K_P3": (0.0945, 9.45),
    "V_S4": (0.0907, 9.07),
    "scale_acth": (1e-3, 1e4),
    "scale_cort": (1e-3, 1e4),
    "sigma_acth": (0.01, 10.0),
    "sigma_cort": (0.01, 10.0),
}
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "parker_uc_tsst"


def _setup(data_dir: Path) -> tuple[Any, dict[str, Any]]:
    from neuroendo.fit import Observation, tsst_input
    from neuroendo.io.hpa_data import read_nelson_tsst

    df = read_nelson_tsst(data_dir)
    kw = {
        "free": FREE,
        "observables": {
            "acth": Observation("acth", scale="scale_acth", sigma="sigma_acth"),
            "cortisol": Observation("cortisol", scale="scale_cort", sigma="sigma_cort"),
        },
        "inputs": {"stress": tsst_input(df, "A", shape="square")},
        "pre_equilibration": 200.0,
    }
    return df, kw


def _fit_one(args: tuple[str, str, str, int]) -> dict[str, Any]:
    data_dir, subject, ci, seed = args
    from neuroendo.fit import fit_subject

    df, kw = _setup(Path(data_dir))
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = fit_subject("sriram2012", df, subject=subject, starts=20, seed=seed, ci=ci, **kw)
    dt = time.perf_counter() - t0
    rel = np.abs(r.data["value"] / r.data["predicted"] - 1.0)
    return {
        "subject": subject,
        "seconds": dt,
        "objective": r.objective,
        "converged": r.converged,
        "n_evals": r.n_evals,
        "median_rel_acth": float(np.median(rel[r.data["analyte"] == "acth"])),
        "median_rel_cort": float(np.median(rel[r.data["analyte"] == "cortisol"])),
        "A_at_lower_bound": bool(r["A"] <= 0.0101),
        "estimates": r.params,
    }


def run_neuroendo(data_dir: Path, ci: str, workers: int = 2) -> tuple[list[dict[str, Any]], float]:
    """Fit all subjects on a process pool; return per-subject rows and the wall time."""
    df, _ = _setup(data_dir)
    subjects = sorted(df["subject"].unique())
    jobs = [(str(data_dir), s, ci, i) for i, s in enumerate(subjects)]
    t0 = time.perf_counter()
    with cf.ProcessPoolExecutor(workers) as ex:
        rows = list(ex.map(_fit_one, jobs))
    return rows, time.perf_counter() - t0


def run_pypesto(data_dir: Path, subject: str, n_starts: int) -> dict[str, Any]:
    """Solve one subject's exported PEtab problem with pyPESTO + libRoadRunner."""
    import petab
    import pypesto.optimize as optimize
    import pypesto.petab

    from neuroendo.fit import to_petab

    df, kw = _setup(data_dir)
    with tempfile.TemporaryDirectory() as d:
        yaml = to_petab("sriram2012", df, d, subjects=[subject], **kw)
        problem = petab.v1.Problem.from_yaml(str(yaml))
        importer = pypesto.petab.PetabImporter(problem, simulator_type="roadrunner")
        prob = importer.create_problem()
        opt = optimize.ScipyOptimizer(method="L-BFGS-B", options={"maxfun": 10_000})
        t0 = time.perf_counter()
        res = optimize.minimize(
            prob, optimizer=opt, n_starts=n_starts, progress_bar=False, filename=None
        )
        dt = time.perf_counter() - t0
    return {
        "subject": subject,
        "seconds_per_start": dt / n_starts,
        "objective": float(res.optimize_result.list[0].fval),
    }


def main() -> None:
    """Run the benchmark and print the comparison."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--profile", action="store_true", help="profile-likelihood intervals")
    ap.add_argument("--peer-subjects", type=int, default=2)
    ap.add_argument("--peer-starts", type=int, default=4)
    a = ap.parse_args()
    ci = "profile" if a.profile else "wald"
    print(f"cores: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}; data: {a.data}")
    rows, wall = run_neuroendo(a.data, ci)
    n = len(rows)
    conv = sum(r["converged"] for r in rows)
    secs = np.array([r["seconds"] for r in rows])
    print(
        f"neuroendo: {n} subjects in {wall:.1f} s on 2 processes (ci={ci}); per subject "
        f"median {np.median(secs):.2f} s (range {secs.min():.2f}-{secs.max():.2f}); "
        f"converged {conv}/{n}"
    )
    print(
        f"  median relative residual: ACTH {np.median([r['median_rel_acth'] for r in rows]):.3f}"
        f", cortisol {np.median([r['median_rel_cort'] for r in rows]):.3f}; "
        f"A at its lower bound in {sum(r['A_at_lower_bound'] for r in rows)}/{n}"
    )
    try:
        import pypesto  # noqa: F401
    except ImportError:
        print("pyPESTO not installed: peer skipped (pip install pypesto petab).")
        return
    by_subject = {r["subject"]: r for r in rows}
    _fit_one((str(a.data), "N01", ci, 0))  # warm-up (imports) before timing in this process
    print(
        f"\npeer: PEtab + pyPESTO + libRoadRunner, {a.peer_starts} starts per subject, "
        "time scaled to 20 starts"
    )
    print(
        f"{'subject':>8} {'neuroendo s':>12} {'pyPESTO s':>10} {'ratio':>7} "
        f"{'obj neuroendo':>14} {'obj pyPESTO':>12}"
    )
    ratios = []
    for i, s in enumerate(sorted(by_subject)[: a.peer_subjects]):
        # re-time neuroendo in this process, right before the peer, under the same load
        ours = _fit_one((str(a.data), s, ci, i))
        peer = run_pypesto(a.data, s, a.peer_starts)
        peer20 = peer["seconds_per_start"] * 20
        ratios.append(peer20 / ours["seconds"])
        print(
            f"{s:>8} {ours['seconds']:12.2f} {peer20:10.1f} {ratios[-1]:7.1f} "
            f"{ours['objective']:14.4f} {peer['objective']:12.4f}"
        )
    print(
        f"median ratio (pyPESTO / neuroendo, per subject, 1 process each): {np.median(ratios):.1f}x"
    )


def test_bench_fit_one_subject(benchmark: Any) -> None:
    """pytest-benchmark entry: one subject, 20 starts, Wald intervals."""
    import pytest

    if not DEFAULT_DATA.is_dir():
        pytest.skip(f"Nelson data not present at {DEFAULT_DATA}")
    row = benchmark(_fit_one, (str(DEFAULT_DATA), "N01", "wald", 0))
    assert row["converged"]


if __name__ == "__main__":
    main()
