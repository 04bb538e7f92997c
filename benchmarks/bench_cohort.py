"""Virtual cohort simulation: neuroendo (numba) vs SciPy, libRoadRunner, JAX (performance.md §1).

Problem (exactly performance.md §1): Gupta et al. 2007 scaled HPA model (4 states, nominal
parameters, model time unit read as 1 h) with a circadian drive multiplying CRH production,
D(t) = 1 + amp·cos(2π(t − phi)/24), amp = 0.5, phi = 6 h (the model's ``drive`` input); 72 h
from the SBML initial values, output every 10 min (433 times), rtol 1e-6, atol 1e-9; each
subject's 9 parameters (7 kinetic + amp + phi) multiplied by independent U(0.8, 1.2) factors.
Accuracy: cortisol of every subject against SciPy DOP853 at rtol 1e-13 (max rel. err ≤ 1e-4).

Rows, all in ONE run for N = 1, 100, 10,000:

* neuroendo ``simulate(..., backend="numba")`` (DOPRI5, lockstep blocks of 8 subjects, 32 from
  2048 subjects on, all cores;
  compile/load time reported apart);
* SciPy ``solve_ivp`` RK45 looped over subjects: timed on min(N, 20) subjects and extrapolated
  linearly to N (marked "extrapolated");
* SciPy RK45 on one stacked 4N-state system (vectorised RHS; one shared step size): N ≤ 10,000;
* libRoadRunner (CVODE) looped over subjects on the SBML written by ``neuroendo.io.sbml.export``;
  the drive, exported as a constant, is turned into an SBML assignment rule
  ``drive = 1 + amp*cos(2*pi*(time - phi)/24)`` with parameters ``amp`` and ``phi`` (a few
  libsbml calls below); timed on min(N, 500) subjects and extrapolated;
* JAX + diffrax (Dopri5, vmap + jit) when both are installed (skipped otherwise).

Times are the best of 5 calls for neuroendo (0.1 s each; of 2 for libRoadRunner, whose calls take
~10 s; 1 for the slow SciPy rows), because the shared machine is noisy; all rows run in the same
process, one after the other.

Memory: peak traced allocations (tracemalloc) of each neuroendo run, and a separate entry that
reduces 1,000,000 subjects to per-subject features with ``simulate_cohort`` in a subprocess,
reporting its peak RSS (``resource.getrusage``); target ≤ 2 GB.

Run: ``python benchmarks/bench_cohort.py [--quick]`` or
``pytest benchmarks/bench_cohort.py --benchmark-only``.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import subprocess
import sys
import textwrap
import time
import tracemalloc

import numpy as np
import pytest

from neuroendo import models
from neuroendo.models import inputs
from neuroendo.simulation import simulate

SPEC = models.get("gupta2007")
T = np.linspace(0.0, 72.0, 433)
RTOL, ATOL = 1e-6, 1e-9
KINETIC = SPEC.param_names  # the 7 kinetic parameters
SEED = 20_260_105


def draw(n: int, seed: int = SEED) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Per-subject kinetic parameters, amp and phi (each × U(0.8, 1.2))."""
    rng = np.random.default_rng(seed)
    f = rng.uniform(0.8, 1.2, size=(9, n))
    params = {name: SPEC.param(name).value * f[j] for j, name in enumerate(KINETIC)}
    return params, 0.5 * f[7], 6.0 * f[8]


def run_numba(params: dict, amp: np.ndarray, phi: np.ndarray):
    drive = inputs.circadian(amp, phi, time_unit="1")
    return simulate(SPEC, T, params=params, inputs={"drive": drive}, backend="numba",
                    rtol=RTOL, atol=ATOL)  # fmt: skip


def _rhs_one(p: np.ndarray, amp: float, phi: float):
    P = SPEC.P(*p)

    def f(t, y):
        u = SPEC.U(0.0, 1.0 + amp * math.cos(2 * math.pi * (t - phi) / 24.0))
        return SPEC.rhs(t, y, P, u)

    return f


def run_scipy_loop(params: dict, amp: np.ndarray, phi: np.ndarray, method: str = "RK45",
                   rtol: float = RTOL, atol: float = ATOL) -> np.ndarray:  # fmt: skip
    from scipy.integrate import solve_ivp

    n = amp.size
    table = np.array([params[k] for k in KINETIC])
    out = np.empty((n, T.size))
    for i in range(n):  # the peer's approach: one solve per subject
        sol = solve_ivp(_rhs_one(table[:, i], amp[i], phi[i]), (0, 72), SPEC.y0, method=method,
                        t_eval=T, rtol=rtol, atol=atol)  # fmt: skip
        out[i] = sol.y[3]
    return out


def run_scipy_stacked(params: dict, amp: np.ndarray, phi: np.ndarray) -> np.ndarray:
    from scipy.integrate import solve_ivp

    n = amp.size
    P = SPEC.P(*(params[k] for k in KINETIC))

    def f(t, y):
        u = SPEC.U(0.0, 1.0 + amp * np.cos(2 * np.pi * (t - phi) / 24.0))
        return np.concatenate(SPEC.rhs(t, y.reshape(4, n), P, u))

    y0 = np.repeat(SPEC.y0, n)
    sol = solve_ivp(f, (0, 72), y0, method="RK45", t_eval=T, rtol=RTOL, atol=ATOL)
    return sol.y.reshape(4, n, T.size)[3]


def roadrunner_model():
    """libRoadRunner instance of the exported SBML, with the drive as an assignment rule."""
    import libsbml
    import roadrunner

    from neuroendo.io.sbml import export

    doc = libsbml.readSBMLFromString(export(SPEC))
    m = doc.getModel()
    for name, value in (("amp", 0.5), ("phi", 6.0)):
        par = m.createParameter()
        par.setId(name)
        par.setValue(value)
        par.setConstant(True)
    m.getParameter("drive").setConstant(False)
    rule = m.createAssignmentRule()
    rule.setVariable("drive")
    rule.setMath(libsbml.parseL3Formula("1 + amp * cos(2 * pi * (time - phi) / 24)"))
    rr = roadrunner.RoadRunner(libsbml.writeSBMLToString(doc))
    rr.integrator.relative_tolerance = RTOL
    rr.integrator.absolute_tolerance = ATOL
    rr.timeCourseSelections = ["time", "cortisol"]
    return rr


def run_roadrunner(rr, params: dict, amp: np.ndarray, phi: np.ndarray) -> np.ndarray:
    n = amp.size
    out = np.empty((n, T.size))
    for i in range(n):  # libRoadRunner's Python API simulates one subject per call
        rr.resetAll()
        for k in KINETIC:
            rr[k] = params[k][i]
        rr["amp"] = amp[i]
        rr["phi"] = phi[i]
        out[i] = rr.simulate(0.0, 72.0, T.size)[:, 1]
    return out


def run_jax(params: dict, amp: np.ndarray, phi: np.ndarray):  # pragma: no cover - optional
    import diffrax
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)

    def f(t, y, args):
        p, a, ph = args
        u = SPEC.U(0.0, 1.0 + a * jnp.cos(2 * jnp.pi * (t - ph) / 24.0))
        return jnp.stack(SPEC.rhs(t, y, SPEC.P(*p), u, xp=jnp))

    def one(p, a, ph):
        sol = diffrax.diffeqsolve(
            diffrax.ODETerm(f), diffrax.Dopri5(), 0.0, 72.0, None, jnp.asarray(SPEC.y0),
            args=(p, a, ph), saveat=diffrax.SaveAt(ts=jnp.asarray(T)),
            stepsize_controller=diffrax.PIDController(rtol=RTOL, atol=ATOL), max_steps=100_000,
        )  # fmt: skip
        return sol.ys[:, 3]

    table = jnp.asarray(np.array([params[k] for k in KINETIC]).T)
    return jax.jit(jax.vmap(one))(table, jnp.asarray(amp), jnp.asarray(phi)).block_until_ready()


def _timed(fn, *args, repeat: int = 1):
    """Best wall time of ``repeat`` calls (the shared machine is noisy) and the last result."""
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best, res


def _traced(fn, *args, repeat: int = 3):
    """Best wall time of ``repeat`` untraced calls, then the peak traced memory of one call."""
    dt, res = _timed(fn, *args, repeat=repeat)
    tracemalloc.start()
    fn(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return dt, peak, res


MILLION = textwrap.dedent(
    """
    import resource, sys, time
    import numpy as np
    from neuroendo.models import inputs
    from neuroendo.simulation import Uniform, simulate_cohort
    n = int(sys.argv[1])
    params = {k: Uniform(factor=(0.8, 1.2)) for k in
              ("ki1", "kcd", "ki2", "kad", "k", "kcr", "krd")}
    params["amp"] = Uniform(factor=(0.8, 1.2), nominal=0.5)
    params["phi"] = Uniform(factor=(0.8, 1.2), nominal=6.0)
    drive = lambda d: inputs.circadian(d["amp"], d["phi"], time_unit="1")
    t = np.linspace(0.0, 72.0, 433)
    simulate_cohort("gupta2007", t, 16, params=params, inputs={"drive": drive}, seed=1,
                    reduce="max", rtol=1e-6, atol=1e-9)  # compile / load
    t0 = time.perf_counter()
    df = simulate_cohort("gupta2007", t, n, params=params, inputs={"drive": drive}, seed=1,
                         reduce=["auc:cortisol", "max:cortisol", "argmax:cortisol", "mean"],
                         rtol=1e-6, atol=1e-9, chunk_size=20_000)
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB on Linux
    print(f"{n} {dt:.3f} {rss:.1f} {int((df['status'] == 'ok').sum())}")
    """
)


def million(n: int = 1_000_000) -> tuple[float, float, int]:
    """Seconds, peak RSS (MiB) and OK count of an ``n``-subject feature cohort (subprocess)."""
    out = subprocess.run([sys.executable, "-c", MILLION, str(n)], capture_output=True, text=True,
                         check=True)  # fmt: skip
    _, dt, rss, ok = out.stdout.split()[-4:]
    return float(dt), float(rss), int(ok)


def main(quick: bool = False) -> None:
    from neuroendo.simulation._numba import compile_model

    sizes = (1, 100, 1_000) if quick else (1, 100, 10_000)
    # narrow blocks (small calls) and wide blocks (>= 2048 subjects): one kernel each
    compile_s = compile_model(SPEC, "dopri5") + compile_model(SPEC, "dopri5", n_subjects=10_000)
    print(f"neuroendo numba: compile/load {compile_s:.2f} s (first use of the model; cached)")
    has_rr = importlib.util.find_spec("roadrunner") is not None
    has_jax = all(importlib.util.find_spec(m) is not None for m in ("jax", "diffrax"))
    rr = roadrunner_model() if has_rr else None
    rows = []
    for n in sizes:
        params, amp, phi = draw(n)
        run_numba(*draw(8))  # warm
        dt, peak, sol = _traced(run_numba, params, amp, phi, repeat=5)
        if n <= 100:
            ref = run_scipy_loop(params, amp, phi, "DOP853", 1e-13, 1e-15)
            err = np.max(np.abs(sol.y[3] - ref) / np.abs(ref))
        else:
            k = 100
            sub = {kk: v[:k] for kk, v in params.items()}
            ref = run_scipy_loop(sub, amp[:k], phi[:k], "DOP853", 1e-13, 1e-15)
            err = np.max(np.abs(sol.y[3, :k] - ref) / np.abs(ref))
        rows.append((n, "neuroendo numba (DOPRI5)", dt, n / dt, peak / 2**20, f"err {err:.1e}"))
        m = min(n, 20)
        sub = {kk: v[:m] for kk, v in params.items()}
        dts, _ = _timed(run_scipy_loop, sub, amp[:m], phi[:m])
        note = "extrapolated from 20" if m < n else ""
        rows.append((n, "SciPy RK45 loop", dts * n / m, m / dts, math.nan, note))
        dtv, _ = _timed(run_scipy_stacked, params, amp, phi, repeat=1 if n > 100 else 3)
        rows.append((n, "SciPy RK45 stacked 4N system", dtv, n / dtv, math.nan, ""))
        if rr is not None:
            m = min(n, 500)
            sub = {kk: v[:m] for kk, v in params.items()}
            run_roadrunner(rr, sub, amp[:1], phi[:1])  # warm
            dtr, _ = _timed(run_roadrunner, rr, sub, amp[:m], phi[:m], repeat=2)
            note = f"extrapolated from {m}" if m < n else ""
            rows.append((n, "libRoadRunner CVODE loop", dtr * n / m, m / dtr, math.nan, note))
        if has_jax:  # pragma: no cover - optional
            run_jax(*draw(n))
            dtj, _ = _timed(run_jax, params, amp, phi)
            rows.append((n, "JAX + diffrax Dopri5 vmap", dtj, n / dtj, math.nan, ""))
    if not has_jax:
        print("JAX/diffrax not installed: row skipped")
    print(f"\n{'N':>7}  {'tool':32s} {'time s':>9} {'subjects/s':>12} {'peak MiB':>9} "
          f"{'ratio':>8}  note")  # fmt: skip
    for n in sizes:
        group = [r for r in rows if r[0] == n]
        best = max(r[3] for r in group)
        for r in group:
            peak = "" if math.isnan(r[4]) else f"{r[4]:.1f}"
            print(f"{r[0]:>7}  {r[1]:32s} {r[2]:9.3f} {r[3]:12.0f} {peak:>9} "
                  f"{best / r[3]:8.1f}x  {r[5]}")  # fmt: skip
        ne = next(r for r in group if r[1].startswith("neuroendo"))
        for r in group:
            if not r[1].startswith("neuroendo"):
                print(f"{'':9}neuroendo / {r[1]}: {ne[3] / r[3]:.1f}x")
    n_big = 100_000 if quick else 1_000_000
    dt, rss, ok = million(n_big)
    print(f"\n{n_big:,} subjects reduced to features: {dt:.1f} s ({n_big / dt:,.0f} subjects/s), "
          f"peak RSS {rss:.0f} MiB (target <= 2048), {ok:,} ok")  # fmt: skip


# ------------------------------------------------------------------------- pytest-benchmark
GROUP = "gupta2007 + circadian drive, 72 h, 433 outputs, rtol 1e-6"


@pytest.fixture(scope="module")
def cohort_100():
    return draw(100)


def test_numba_10000(benchmark):
    from neuroendo.simulation._numba import compile_model

    compile_model(SPEC, "dopri5", n_subjects=10_000)
    benchmark.group = GROUP + " (N = 10,000)"
    params, amp, phi = draw(10_000)
    sol = benchmark.pedantic(run_numba, args=(params, amp, phi), rounds=3, iterations=1)
    assert sol.ok.all()


def test_numba_100(benchmark, cohort_100):
    run_numba(*draw(8))
    benchmark.group = GROUP + " (N = 100)"
    sol = benchmark(run_numba, *cohort_100)
    assert sol.ok.all()


def test_scipy_stacked_100(benchmark, cohort_100):
    benchmark.group = GROUP + " (N = 100)"
    out = benchmark.pedantic(run_scipy_stacked, args=cohort_100, rounds=3, iterations=1)
    assert np.isfinite(out).all()


def test_roadrunner_100(benchmark, cohort_100):
    pytest.importorskip("roadrunner")
    pytest.importorskip("libsbml")
    rr = roadrunner_model()
    benchmark.group = GROUP + " (N = 100)"
    out = benchmark.pedantic(run_roadrunner, args=(rr, *cohort_100), rounds=3, iterations=1)
    assert np.isfinite(out).all()


def test_million_subjects_features_memory(benchmark):
    """1,000,000 subjects reduced to features stay within 2 GB peak RSS (subprocess)."""
    benchmark.group = "gupta2007 cohort: 1,000,000 subjects -> features"
    dt, rss, ok = benchmark.pedantic(million, rounds=1, iterations=1)
    benchmark.extra_info.update(seconds=dt, peak_rss_mib=rss)
    assert rss <= 2048
    assert ok == 1_000_000


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N up to 1,000; 100,000 cohort")
    main(parser.parse_args().quick)
