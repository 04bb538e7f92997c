"""Cortisol saliva features: neuroendo vs BioPsyKit-style pandas code (performance.md §3).

Problem: 100,000 subjects x 7 samples (times -30, -1, 30, 40, 50, 60, 70 min), BioPsyKit's long
layout (index subject/sample, column ``cortisol`` in nmol/L, column ``time``), seeded log-normal
values. neuroendo computes the full feature set (AUC_G, AUC_I, AUC_I post, max value, initial
value, max increase abs/%, slope, argmax, mean, std, skew, kurtosis) in one call; the peer is a
re-creation of BioPsyKit 0.14's own approach (``unstack`` + ``np.trapezoid`` for AUCs and max
increase, ``groupby(...).agg([np.argmax, "mean", "std", scipy.stats.skew,
scipy.stats.kurtosis])`` for the standard features, i.e. Python calls per subject). The peer runs
on a 5,000-subject subset and its time is scaled linearly to 100,000 (it is linear in subjects).
When ``NEUROENDO_BIOPSYKIT_PYTHON`` names an interpreter with biopsykit, biopsykit itself is also
timed on the subset in a subprocess.

Targets (issue): neuroendo <= 0.5 s for 100k subjects on 2 cores; ratio to the peer >= 50x.

Run: ``python benchmarks/bench_cortisol.py`` or ``pytest benchmarks/bench_cortisol.py
--benchmark-only``.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from neuroendo.measures.cortisol import features

TIMES = np.array([-30.0, -1.0, 30.0, 40.0, 50.0, 60.0, 70.0])
LABELS = [f"S{k}" for k in range(TIMES.size)]
N_SUBJECTS = 100_000
N_PEER = 5_000
SEED = 20_260_101


@functools.cache
def make_table(n_subjects: int = N_SUBJECTS, seed: int = SEED) -> pd.DataFrame:
    """Long saliva table with log-normal cortisol (median ~6 nmol/L, a TSST-like rise)."""
    rng = np.random.default_rng(seed)
    base = rng.lognormal(mean=np.log(6.0), sigma=0.5, size=(n_subjects, 1))
    rise = np.array([0.0, 0.0, 0.6, 0.5, 0.35, 0.2, 0.1]) * rng.lognormal(0.0, 0.6, (n_subjects, 1))
    noise = rng.lognormal(0.0, 0.1, (n_subjects, TIMES.size))
    conc = base * (1.0 + rise) * noise
    index = pd.MultiIndex.from_product(
        [[f"s{i:06d}" for i in range(n_subjects)], LABELS], names=["subject", "sample"]
    )
    df = pd.DataFrame({"cortisol": conc.ravel(), "time": np.tile(TIMES, n_subjects)}, index=index)
    df.attrs["units"] = {"cortisol": "nmol/L", "time": "min"}
    return df


def run_neuroendo(df: pd.DataFrame) -> pd.DataFrame:
    return features(df, remove_s0=True, compute_auc_post=True, slopes=[(1, 4)])


def run_biopsykit_style(df: pd.DataFrame) -> pd.DataFrame:
    """BioPsyKit 0.14's computation pattern, written out (no biopsykit import)."""
    import scipy.stats as ss

    kept = df.drop("S0", level="sample")
    wide = kept[["cortisol"]].unstack(level="sample")
    t = TIMES[1:]
    post = np.where(t >= 0)[0]
    wide_post = wide.iloc[:, post]
    out = pd.DataFrame(
        {
            "cortisol_auc_g": np.trapezoid(wide, t),
            "cortisol_auc_i": np.trapezoid(wide.sub(wide.iloc[:, 0], axis=0), t),
            "cortisol_auc_i_post": np.trapezoid(
                wide_post.sub(wide_post.iloc[:, 0], axis=0), t[post]
            ),
        },
        index=wide.index,
    )
    out["cortisol_max_val"] = wide.max(axis=1)
    out["cortisol_ini_val"] = wide.iloc[:, 0]
    inc = wide.iloc[:, 1:].max(axis=1) - wide.iloc[:, 0]
    out["cortisol_max_inc"] = inc
    out["cortisol_max_inc_percent"] = 100.0 * inc / np.abs(wide.iloc[:, 0])
    full = df[["cortisol"]].unstack(level="sample")
    out["cortisol_slope14"] = np.diff(full.iloc[:, [1, 4]]).ravel() / np.diff(TIMES[[1, 4]])
    std = (
        df[["cortisol"]].groupby(["subject"]).agg([np.argmax, "mean", "std", ss.skew, ss.kurtosis])
    )
    std.columns = [f"cortisol_{c}" for c in std.columns.droplevel(0)]
    return out.join(std)


BIOPSYKIT_SCRIPT = textwrap.dedent(
    """
    import sys, time, warnings
    import numpy as np, pandas as pd
    from biopsykit import saliva
    warnings.simplefilter("ignore")
    df = pd.read_csv(sys.argv[1]).set_index(["subject", "sample"])
    times = [-30, -1, 30, 40, 50, 60, 70]
    t0 = time.perf_counter()
    saliva.auc(df, remove_s0=True, compute_auc_post=True, sample_times=times)
    saliva.max_value(df, remove_s0=True)
    saliva.initial_value(df, remove_s0=True)
    saliva.max_increase(df, remove_s0=True)
    saliva.max_increase(df, remove_s0=True, percent=True)
    saliva.slope(df, sample_idx=[1, 4], sample_times=times)
    saliva.standard_features(df)
    print(time.perf_counter() - t0)
    """
)


def time_biopsykit(df: pd.DataFrame) -> float | None:
    """Seconds biopsykit itself takes on ``df`` (subprocess), or None when unavailable."""
    exe = os.environ.get("NEUROENDO_BIOPSYKIT_PYTHON")
    if not exe:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        data, script = Path(tmp) / "df.csv", Path(tmp) / "run.py"
        df[["cortisol"]].reset_index().to_csv(data, index=False)
        script.write_text(BIOPSYKIT_SCRIPT)
        run = subprocess.run([exe, str(script), str(data)], capture_output=True, text=True)
    if run.returncode != 0:
        print(f"biopsykit run failed: {run.stderr[-500:]}", file=sys.stderr)
        return None
    return float(run.stdout.strip().splitlines()[-1])


def best_of(fn, *args, repeat: int = 5) -> float:
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - t0)
    return float(best)


# ------------------------------------------------------------------------ pytest-benchmark group

GROUP = "cortisol features: 100k subjects x 7 samples (peer on 5k, scaled)"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return make_table()


def test_neuroendo_features_100k(benchmark, table):
    benchmark.group = GROUP
    out = benchmark(run_neuroendo, table)
    assert out.shape == (N_SUBJECTS, 13)


def test_neuroendo_features_5k(benchmark, table):
    """The peer's subset, so the table shows a like-for-like ratio."""
    benchmark.group = GROUP
    out = benchmark(run_neuroendo, table.iloc[: N_PEER * TIMES.size])
    assert out.shape == (N_PEER, 13)


def test_biopsykit_style_5k(benchmark, table):
    benchmark.group = GROUP
    subset = table.iloc[: N_PEER * TIMES.size]
    out = benchmark.pedantic(run_biopsykit_style, args=(subset,), rounds=2, iterations=1)
    ours = run_neuroendo(subset)
    for col in out.columns:  # the peer computes the same numbers
        np.testing.assert_allclose(
            ours[col].to_numpy(dtype=float), out[col].to_numpy(dtype=float), rtol=1e-9, err_msg=col
        )


def main() -> None:
    t0 = time.perf_counter()
    df = make_table()
    print(
        f"table: {N_SUBJECTS:,} subjects x {TIMES.size} samples ({len(df):,} rows), "
        f"built in {time.perf_counter() - t0:.2f} s; {os.cpu_count()} CPU(s)"
    )
    run_neuroendo(df)  # warm-up (imports, caches)
    ours = best_of(run_neuroendo, df)
    subset = df.iloc[: N_PEER * TIMES.size]
    peer_subset = best_of(run_biopsykit_style, subset, repeat=2)
    peer = peer_subset * N_SUBJECTS / N_PEER
    print(
        f"neuroendo.features     {ours:8.3f} s  {N_SUBJECTS / ours:12,.0f} subjects/s "
        f"(best of 5, full 100k)"
    )
    print(
        f"BioPsyKit-style pandas {peer:8.3f} s  {N_SUBJECTS / peer:12,.0f} subjects/s "
        f"(measured {peer_subset:.3f} s on {N_PEER:,} subjects, scaled x{N_SUBJECTS // N_PEER})"
    )
    print(
        f"ratio peer/neuroendo   {peer / ours:8.1f} x   (targets: neuroendo <= 0.5 s, ratio >= 50x)"
    )
    bpk = time_biopsykit(subset)
    if bpk is not None:
        scaled = bpk * N_SUBJECTS / N_PEER
        print(
            f"biopsykit (subprocess) {scaled:8.3f} s  {N_SUBJECTS / scaled:12,.0f} subjects/s "
            f"(measured {bpk:.3f} s on {N_PEER:,} subjects, scaled; ratio "
            f"{scaled / ours:.1f} x)"
        )
    else:
        print(
            "biopsykit itself: not timed (set NEUROENDO_BIOPSYKIT_PYTHON to an interpreter "
            "with biopsykit)"
        )


if __name__ == "__main__":
    main()
