"""HRV of 10,000 five-minute recordings: neuroendo vs NeuroKit2 0.2.13 (performance.md §4).

Problem: 10,000 synthetic 5-min RR series (seeded, ``SEED``). Generator, per recording: mean RR
U(650, 1050) ms; respiratory sinus arrhythmia, a sinusoid of amplitude U(10, 50) ms at
U(0.18, 0.35) Hz; a Mayer wave of amplitude U(5, 30) ms at U(0.08, 0.12) Hz; white noise of SD
U(5, 20) ms; random phases. Beat k is placed at ``k * mean`` for the sinusoids and the series has
``ceil(300 s / mean) + 1`` intervals (about 290-460 beats). Drawn with one
``numpy.random.default_rng(SEED)`` in vectorised form.

neuroendo: time domain for all recordings in one ``time_domain_batch`` call (no per-recording
loop), frequency domain by ``frequency_domain_batch`` (Welch, 4 Hz, cubic; one spectrum per
recording). NeuroKit2: ``hrv_time({"RRI": rr})`` and ``hrv_frequency({"RRI": rr},
normalize=False, interpolation_rate=4)`` per recording on a subset of ``N_PEER`` recordings, its
time scaled linearly to 10,000 (it is a per-recording loop).

Run: ``python benchmarks/bench_hrv.py`` or ``pytest benchmarks/bench_hrv.py --benchmark-only``.
"""

from __future__ import annotations

import functools
import os
import time
import warnings

import numpy as np
import pytest

from neuroendo.measures import hrv

N_RECORDINGS = 10_000
N_PEER = 200
SEED = 20_260_301
DURATION_S = 300.0

try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import neurokit2 as nk
except ImportError:  # pragma: no cover - optional peer
    nk = None

requires_nk = pytest.mark.skipif(nk is None, reason="neurokit2 not installed")


@functools.cache
def make_recordings(n: int = N_RECORDINGS, seed: int = SEED) -> tuple[np.ndarray, ...]:
    """Synthetic 5-min RR series in ms (see the module docstring for the generator)."""
    rng = np.random.default_rng(seed)
    mean = rng.uniform(650.0, 1050.0, n)
    a_hf, f_hf = rng.uniform(10.0, 50.0, n), rng.uniform(0.18, 0.35, n)
    a_lf, f_lf = rng.uniform(5.0, 30.0, n), rng.uniform(0.08, 0.12, n)
    sd = rng.uniform(5.0, 20.0, n)
    ph = rng.uniform(0.0, 2 * np.pi, (n, 2))
    lengths = np.ceil(DURATION_S * 1000.0 / mean).astype(int) + 1
    k = np.arange(lengths.max())[None, :]
    t = k * mean[:, None] / 1000.0
    rr = (
        mean[:, None]
        + a_hf[:, None] * np.sin(2 * np.pi * f_hf[:, None] * t + ph[:, :1])
        + a_lf[:, None] * np.sin(2 * np.pi * f_lf[:, None] * t + ph[:, 1:])
        + sd[:, None] * rng.standard_normal(t.shape)
    )
    return tuple(rr[i, : lengths[i]] for i in range(n))


def run_neuroendo(recs) -> tuple:
    return hrv.time_domain_batch(list(recs)), hrv.frequency_domain_batch(list(recs))


def run_neurokit(recs) -> list:
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for rr in recs:  # NeuroKit2 takes one recording at a time
            d = {"RRI": rr}
            out.append((nk.hrv_time(d), nk.hrv_frequency(d, normalize=False, interpolation_rate=4)))
    return out


def best_of(fn, *args, repeat: int = 3) -> float:
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - t0)
    return float(best)


# ------------------------------------------------------------------------ pytest-benchmark group
GROUP = "HRV time + frequency, 5-min recordings"


@pytest.fixture(scope="module")
def recs():
    return make_recordings()


def test_neuroendo_time_domain_10k(benchmark, recs):
    benchmark.group = GROUP + " (time domain, 10k)"
    df = benchmark(hrv.time_domain_batch, list(recs))
    assert df.shape == (N_RECORDINGS, 21)


def test_neuroendo_time_frequency_peer_subset(benchmark, recs):
    benchmark.group = GROUP + f" ({N_PEER} recordings)"
    t, f = benchmark(run_neuroendo, recs[:N_PEER])
    assert t.shape[0] == f.shape[0] == N_PEER


@requires_nk
def test_neurokit_time_frequency_peer_subset(benchmark, recs):
    benchmark.group = GROUP + f" ({N_PEER} recordings)"
    out = benchmark.pedantic(run_neurokit, args=(recs[:N_PEER],), rounds=1, iterations=1)
    # the same numbers: time domain, and band powers with NeuroKit2's quadratic spline
    ours_t = hrv.time_domain_batch(list(recs[:N_PEER]), pnn_denominator="intervals")
    ours_f = hrv.frequency_domain_batch(list(recs[:N_PEER]), interpolation="quadratic")
    for key in ("RMSSD", "SDNN", "pNN50"):
        theirs = np.array([o[0][f"HRV_{key}"].iloc[0] for o in out])
        np.testing.assert_allclose(ours_t[key].to_numpy(), theirs, rtol=1e-9, err_msg=key)
    for key in ("LF", "HF"):
        theirs = np.array([o[1][f"HRV_{key}"].iloc[0] for o in out])
        np.testing.assert_allclose(ours_f[key].to_numpy(), theirs, rtol=1e-9, err_msg=key)


def main() -> None:
    t0 = time.perf_counter()
    recs = make_recordings()
    n_beats = sum(r.size for r in recs)
    print(
        f"{N_RECORDINGS:,} recordings of 5 min ({n_beats:,} beats), built in "
        f"{time.perf_counter() - t0:.2f} s; {os.cpu_count()} CPU(s)"
    )
    hrv.time_domain_batch(list(recs[:10]))  # warm-up (imports)
    hrv.frequency_domain_batch(list(recs[:10]))
    t_time = best_of(hrv.time_domain_batch, list(recs))
    t_freq = best_of(hrv.frequency_domain_batch, list(recs), repeat=1)
    ours = t_time + t_freq
    rows = [
        ("neuroendo time_domain_batch", t_time, "full 10k, one vectorised call"),
        ("neuroendo frequency_domain_batch", t_freq, "full 10k, loop of spectra"),
        ("neuroendo time + frequency", ours, ""),
    ]
    if nk is not None:
        sub = recs[:N_PEER]
        run_neurokit(sub[:5])  # warm-up
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nt = best_of(lambda: [nk.hrv_time({"RRI": r}) for r in sub], repeat=1)
            nf = best_of(
                lambda: [
                    nk.hrv_frequency({"RRI": r}, normalize=False, interpolation_rate=4) for r in sub
                ],
                repeat=1,
            )
        scale = N_RECORDINGS / N_PEER
        rows += [
            ("NeuroKit2 hrv_time", nt * scale, f"measured {nt:.2f} s on {N_PEER}, scaled"),
            ("NeuroKit2 hrv_frequency", nf * scale, f"measured {nf:.2f} s on {N_PEER}, scaled"),
            ("NeuroKit2 time + frequency", (nt + nf) * scale, ""),
        ]
    print(f"{'':34s} {'s / 10k':>9s} {'rec/s':>10s}")
    for name, sec, note in rows:
        print(f"{name:34s} {sec:9.2f} {N_RECORDINGS / sec:10,.0f}  {note}")
    if nk is not None:
        print(
            f"ratio NeuroKit2 / neuroendo: time {nt * scale / t_time:6.1f} x, "
            f"frequency {nf * scale / t_freq:6.1f} x, both {(nt + nf) * scale / ours:6.1f} x"
        )
    else:
        print("neurokit2 not installed: no peer timing")


if __name__ == "__main__":
    main()
