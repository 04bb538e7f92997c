"""Balance profile for 100,000 subjects: one vectorised call vs one call per subject.

Problem: 100,000 synthetic subjects (seeded, ``SEED``) with age U(20, 79), sex, TSH, FT4, FT3,
total testosterone, SHBG and RMSSD drawn from plausible log-normal/normal distributions, units
declared in ``df.attrs["units"]``. neuroendo scores the whole table in one
``balance_profile`` call; the peer is the per-subject loop a user would otherwise write (the
same function on one-row tables, as with per-recording tools such as NeuroKit2), timed on
``N_PEER`` subjects and scaled linearly.

Run: ``python benchmarks/bench_balance.py`` or ``pytest benchmarks/bench_balance.py
--benchmark-only``.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from neuroendo.measures.composite import balance_profile

N = 100_000
N_PEER = 200
SEED = 20_261_124
UNITS = {"tsh": "m[IU]/L", "ft4": "pmol/L", "ft3": "pmol/L", "testosterone": "nmol/L",
         "shbg": "nmol/L", "rmssd": "ms"}  # fmt: skip


def make_cohort(n: int = N, seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "subject": [f"s{i}" for i in range(n)],
        "age": rng.uniform(20, 79, n).round(),
        "sex": rng.choice(["F", "M"], n),
        "tsh": rng.lognormal(0.4, 0.5, n),
        "ft4": rng.normal(15.0, 2.5, n),
        "ft3": rng.normal(5.0, 0.7, n),
        "testosterone": rng.lognormal(2.5, 0.4, n),
        "shbg": rng.lognormal(3.5, 0.4, n),
        "rmssd": rng.lognormal(3.6, 0.4, n),
    })  # fmt: skip
    df.attrs["units"] = dict(UNITS)
    return df


def run_vectorised(df: pd.DataFrame) -> np.ndarray:
    return np.asarray(balance_profile(df).index)


def run_loop(df: pd.DataFrame, n: int = N_PEER) -> np.ndarray:
    out = np.empty(n)
    for i in range(n):
        one = df.iloc[i : i + 1]
        one.attrs["units"] = dict(UNITS)
        out[i] = balance_profile(one).index[0]
    return out


def test_balance_100k_vectorised(benchmark):
    df = make_cohort()
    benchmark.group = "balance profile, 100,000 subjects"
    idx = benchmark.pedantic(run_vectorised, args=(df,), rounds=1, iterations=1)
    assert idx.shape == (N,)
    np.testing.assert_allclose(idx[:N_PEER], run_loop(df), rtol=1e-12)  # same numbers


def main() -> None:
    df = make_cohort()
    t = time.perf_counter()
    idx = run_vectorised(df)
    t_vec = time.perf_counter() - t
    t = time.perf_counter()
    ref = run_loop(df)
    t_loop = (time.perf_counter() - t) * N / N_PEER
    np.testing.assert_allclose(idx[:N_PEER], ref, rtol=1e-12)
    print(f"balance profile, {N:,} subjects (6 components, 4 axes)")
    print(f"  neuroendo, one vectorised call : {t_vec:8.2f} s  {N / t_vec:10,.0f} subjects/s")
    print(
        f"  per-subject loop (scaled from {N_PEER}): {t_loop:8.1f} s  "
        f"{N / t_loop:10,.0f} subjects/s"
    )
    print(f"  ratio: {t_loop / t_vec:,.0f}x")


if __name__ == "__main__":
    main()
