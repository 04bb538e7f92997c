r"""Dynamic endocrine tests simulated on a model and scored like a lab result.

Each function simulates one protocol on any registered model that has the states (or inputs) the
test acts on, samples the simulated hormones at the protocol's times and scores them with the same
:mod:`neuroendo.measures` functions a laboratory result goes through:

=====================  ==================================  =====================================
test                   how the model is perturbed           scored with
=====================  ==================================  =====================================
TSST                   ``stress`` input: a 15-min bump     ``measures.cortisol.auc_i``,
                                                            ``measures.cortisol.tsst_responder``
dexamethasone (DST)    dex as an exogenous GR agonist       ``measures.dynamic_tests.``
                       (model variant, below)               ``dexamethasone_suppression``
CRH test               i.v. bolus: jump of the ``crh``      ``measures.dynamic_tests.``
                       state                                ``crh_stimulation``
ACTH (Synacthen) test  i.v. bolus: jump of the ``acth``     ``measures.dynamic_tests.``
                       state                                ``acth_stimulation``
TRH test               transient of the ``trh`` input       ``measures.dynamic_tests.``
                                                            ``percent_rise``
=====================  ==================================  =====================================

How a dose maps to the model (honest about calibration)
-------------------------------------------------------
Most published HPA models are in scaled or arbitrary units, so a dose in mg or µg has no
calibrated size in them. Every test therefore takes a dimensionless ``strength``: the size of the
perturbation as a multiple of the subject's own baseline level of the quantity perturbed (a CRH
bolus of ``strength = 5`` raises CRH to 6x baseline at once; dexamethasone of ``strength = 2``
gives, at its peak body amount of 1 mg, the glucocorticoid-receptor drive of 2x baseline
cortisol). The defaults are illustrative, not fitted to dose-response data. Classifications that
need physical units (the DST and ACTH-test cut-offs in nmol/L) are only made when the caller gives
``cortisol_scale`` (nmol/L per model unit); otherwise the result says why it is missing, and the
unit-free scores (suppression ratio, percent rises, relative responder criterion) are reported.

Dexamethasone is added to a model as a variant (no model file is changed): an extra state
``dexamethasone`` (amount in the body, mg) with first-order absorption-window input and
elimination (plasma half-life about 4 h [2]_), and every derivative except that of ``cortisol``
is evaluated with cortisol replaced by :math:`C + \kappa D` (:math:`D` the dex amount,
:math:`\kappa` its cortisol-equivalent potency). So dex acts at every feedback site of the model
(CRH, ACTH, GR), but is neither measured as cortisol nor cleared as cortisol (dexamethasone
hardly cross-reacts in cortisol assays).

References
----------
.. [1] Nieman LK et al. The diagnosis of Cushing's syndrome: an Endocrine Society clinical
   practice guideline. J Clin Endocrinol Metab. 2008;93(5):1526-1540. doi:10.1210/jc.2008-0125
.. [2] Czock D, Keller F, Rasche FM, Häussler U. Pharmacokinetics and pharmacodynamics of
   systemically administered glucocorticoids. Clin Pharmacokinet. 2005;44(1):61-98.
   doi:10.2165/00003088-200544010-00003
.. [3] Kirschbaum C, Pirke KM, Hellhammer DH. Neuropsychobiology. 1993;28(1-2):76-81.
.. [4] Miller R, Plessow F, Kirschbaum C, Stalder T. Psychosom Med. 2013;75(9):832-840.
.. [5] Nieman LK et al. J Clin Endocrinol Metab. 1993;77:1308.
.. [6] Bassiri RM, Utiger RD. Metabolism and excretion of exogenous thyrotropin-releasing hormone
   in humans. J Clin Invest. 1973;52(6):1616-1619. doi:10.1172/JCI107339
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.errors import DataValidationError, ModelDefinitionError, UnitError
from neuroendo._core.spec import Input, ModelSpec, Param, Ref, State
from neuroendo._core.units import conversion_factor
from neuroendo._core.validation import check_range
from neuroendo.analysis._common import check_args, resolve_model
from neuroendo.analysis._stress import stress_response

__all__ = [
    "SimulatedTest",
    "dexamethasone_variant",
    "simulate_acth_test",
    "simulate_crh_test",
    "simulate_dst",
    "simulate_trh_test",
    "simulate_tsst",
]

FloatArray = NDArray[np.float64]

_CZOCK2005 = Ref("czock2005", doi="10.2165/00003088-200544010-00003", where="dexamethasone PK")
_UNCALIBRATED = Ref("neuroendo", where="analysis.dynamic_tests: illustrative, uncalibrated")


@dataclass(frozen=True, eq=False)
class SimulatedTest:
    """A simulated dynamic test: trajectories, samples, unit-free scores and the lab scoring.

    Parameters
    ----------
    test : str
        ``"tsst"``, ``"dexamethasone_suppression"``, ``"crh_stimulation"``,
        ``"acth_stimulation"`` or ``"trh_stimulation"``.
    model : str
        Model name.
    minutes : ndarray, shape (n_times,)
        Time of the dense trajectories, in minutes relative to the stimulus.
    trajectories : dict
        ``{name: ndarray (n_subjects, n_times)}`` in model units.
    samples : dict
        ``{name: ndarray (n_subjects, n_samples)}`` at ``sample_minutes`` (model units, or
        nmol/L for ``"cortisol_nmol"`` when ``cortisol_scale`` was given).
    sample_minutes : dict
        ``{name: ndarray (n_samples,)}`` sampling times in minutes relative to the stimulus.
    scores : dict
        Unit-free or model-unit scores, one value per subject.
    result : object or None
        What the :mod:`neuroendo.measures` function returned (a ``DynamicTestResult`` or a
        DataFrame), or ``None`` with ``notes`` saying why.
    notes : str
        How the dose was mapped to the model, and any scoring that was not possible.
    """

    test: str
    model: str
    minutes: FloatArray
    trajectories: dict[str, FloatArray]
    samples: dict[str, FloatArray]
    sample_minutes: dict[str, FloatArray]
    scores: dict[str, FloatArray]
    result: Any = None
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# --- shared helpers ------------------------------------------------------------------------------
def _per_minute(spec: ModelSpec, time_unit_as: str | None) -> float:
    """Model time units per minute."""
    unit = spec.time_unit
    if unit == "1":
        if time_unit_as is None:
            raise DataValidationError(
                f"Model {spec.name!r} runs in dimensionless (scaled) time, so a protocol in "
                "minutes has no length in it; pass time_unit_as='h' (or 'min', 'd') to state "
                "what one model time unit stands for."
            )
        unit = time_unit_as
    try:
        return float(conversion_factor("min", unit))
    except UnitError:
        raise UnitError(
            f"time_unit_as={time_unit_as!r} is not a time unit; use 'min', 'h' or 'd'."
        ) from None


def _need_state(spec: ModelSpec, name: str, test: str) -> int:
    if name not in spec.state_names:
        raise ModelDefinitionError(
            f"The {test} acts on the state {name!r}, which model {spec.name!r} does not have "
            f"(states: {', '.join(spec.state_names)}); choose a model with that state."
        )
    return spec.state_names.index(name)


def _baseline(
    spec: ModelSpec,
    params: dict[str, FloatArray],
    inputs: dict[str, FloatArray],
    burn_in: float | None,
    per_min: float,
) -> FloatArray:
    """Baseline state (n_states, n): the stable steady state, else the state after a burn-in."""
    from neuroendo.analysis._steady import relaxed_steady_state
    from neuroendo.simulation import simulate

    y, lab = relaxed_steady_state(spec, params, inputs)
    y = y.reshape(len(spec.states), -1)
    if (np.atleast_1d(lab) == "stable").all() and burn_in is None:
        return y
    span = burn_in if burn_in is not None else 10 * 24 * 60 * per_min
    sol = simulate(
        spec, [0.0, span], params=params or None, inputs=inputs or None, rtol=1e-7, atol=1e-10
    )
    return np.asarray(sol.y[:, :, -1])


def _n_subjects(params: dict[str, FloatArray]) -> int:
    return max([int(np.size(v)) for v in params.values()] + [1])


def _simulate(
    spec: ModelSpec,
    t: FloatArray,
    y0: FloatArray,
    params: dict[str, FloatArray],
    inputs: Mapping[str, Any],
    t0: float | None = None,
) -> FloatArray:
    from neuroendo.simulation import simulate

    n = y0.shape[1]
    pp = {k: np.broadcast_to(v, (n,)) for k, v in params.items()}
    pp = pp or {spec.params[0].name: np.full(n, spec.params[0].value)}  # force a batch of n
    sol = simulate(
        spec, t, params=pp, inputs=dict(inputs) or None, y0=y0, t0=t0, rtol=1e-7, atol=1e-10
    )
    return np.asarray(sol.y)


def _interp(minutes: FloatArray, traj: FloatArray, at: FloatArray) -> FloatArray:
    """Linear interpolation of each row of ``traj`` (n, n_times) at ``at`` (vectorised)."""
    j = np.clip(np.searchsorted(minutes, at, side="right") - 1, 0, minutes.size - 2)
    w = (at - minutes[j]) / (minutes[j + 1] - minutes[j])
    return np.asarray(traj[:, j] + w * (traj[:, j + 1] - traj[:, j]))


def _prepare(
    model: ModelSpec | str,
    variant: str | None,
    params: Mapping[str, ArrayLike] | None,
    inputs: Mapping[str, Any] | None,
) -> tuple[ModelSpec, dict[str, FloatArray], dict[str, FloatArray]]:
    spec = resolve_model(model, variant)
    pv, uv, _ = check_args(spec, params, inputs)
    for k, v in uv.items():
        if np.ndim(v):
            raise DataValidationError(f"inputs[{k!r}]: give a constant (scalar) baseline input.")
    return spec, pv, uv


def _bolus_test(
    spec: ModelSpec,
    pv: dict[str, FloatArray],
    uv: dict[str, FloatArray],
    state: str,
    strength: float,
    grid_minutes: FloatArray,
    per_min: float,
    burn_in: float | None,
) -> tuple[FloatArray, FloatArray]:
    """Simulate a bolus (jump of ``state`` by ``strength`` x baseline) at minute 0.

    Returns the baseline state (n_states, n) and trajectories (n_states, n, n_times) on
    ``grid_minutes`` (negative minutes are the steady baseline before the bolus).
    """
    i = _need_state(spec, state, f"{state.upper()} test")
    base = _baseline(spec, pv, uv, burn_in, per_min)
    n = max(base.shape[1], _n_subjects(pv))
    base = np.broadcast_to(base, (base.shape[0], n)).copy()
    start = grid_minutes[0] * per_min
    pre_t = np.array([0.0, -start]) if start < 0 else np.array([0.0, 1e-12])
    y_pre = _simulate(spec, pre_t, base, pv, uv)  # (n_states, n, 2): the run-up to the bolus
    y_inj = y_pre[:, :, -1].copy()
    y_inj[i] = y_inj[i] + strength * base[i]
    post = grid_minutes[grid_minutes >= 0] * per_min
    y_post = _simulate(spec, post + 1e-9 if post[0] == 0 else post, y_inj, pv, uv, t0=0.0)
    before = grid_minutes[grid_minutes < 0]
    if before.size:
        y_b = _simulate(spec, (before - grid_minutes[0]) * per_min, base, pv, uv)
        traj = np.concatenate([y_b, y_post], axis=2)
    else:
        traj = y_post
    return base, traj


# --- TSST ----------------------------------------------------------------------------------------
def simulate_tsst(
    model: ModelSpec | str,
    params: Mapping[str, ArrayLike] | None = None,
    inputs: Mapping[str, Any] | None = None,
    *,
    variant: str | None = None,
    level: float = 1.0,
    duration: float = 15.0,
    sample_minutes: Sequence[float] = (-1.0, 15.0, 25.0, 35.0, 45.0, 60.0, 75.0, 90.0),
    cortisol_scale: float | None = None,
    criterion: str = "relative",
    time_unit_as: str | None = None,
    burn_in: float | None = None,
) -> SimulatedTest:
    r"""Simulate a Trier Social Stress Test and score the saliva cortisol like lab data.

    Parameters
    ----------
    model : ModelSpec or str
        A model with a ``stress`` input and a ``cortisol`` state (``acth`` optional).
    params : mapping, optional
        ``{name: value}``; arrays of length ``n`` give ``n`` subjects.
    inputs : mapping, optional
        Other constant inputs.
    variant : str, optional
        Named parameter set.
    level : float, default 1.0
        Peak of the stress drive (the ``stress`` input's unit, dimensionless for most models).
    duration : float, default 15.0
        Length of the stressor in minutes (smooth bump, :func:`neuroendo.models.inputs.tsst`).
    sample_minutes : sequence of float
        Saliva sampling times in minutes relative to stressor onset (at least one < 0 for the
        baseline).
    cortisol_scale : float, optional
        nmol/L of saliva cortisol per model cortisol unit. Needed for the ``"absolute"`` and
        ``"conservative"`` responder criteria (nmol/L thresholds).
    criterion : {"relative", "absolute", "conservative"}, default "relative"
        Miller et al. (2013) responder criterion, applied by
        :func:`neuroendo.measures.cortisol.tsst_responder`.
    time_unit_as : str, optional
        For scaled-time models: what one model time unit stands for (``"h"``, ``"min"``).
    burn_in : float, optional
        Burn-in (model time) before the test when the model has no stable steady state
        (default 10 days).

    Returns
    -------
    SimulatedTest
        Trajectories in minutes relative to onset; ``scores`` has ``acth_peak_minute``,
        ``cortisol_peak_minute``, ``cortisol_reactivity_percent``, ``cortisol_recovery_half_time``
        (min) and ``auc_i`` (model cortisol units x min, or nmol/L x min); ``result`` is the
        responder table.

    Raises
    ------
    ModelDefinitionError
        The model has no ``stress`` input or no ``cortisol`` state.
    UnitError
        An absolute criterion without ``cortisol_scale``.

    Notes
    -----
    Peak times and recovery come from :func:`neuroendo.analysis.stress_response` on the dense
    trajectories (the same function used on measured series); AUC_I (Pruessner 2003) from
    :func:`neuroendo.measures.cortisol.auc_i` on the saliva samples:

    .. math:: AUC_I = \sum_i \tfrac12 (c_i + c_{i+1})(t_{i+1} - t_i) - c_1 (t_n - t_1)

    References
    ----------
    .. [1] Kirschbaum C et al. Neuropsychobiology. 1993;28(1-2):76-81.
    .. [2] Miller R et al. Psychosom Med. 2013;75(9):832-840.
    .. [3] Pruessner JC et al. Psychoneuroendocrinology. 2003;28(7):916-931.

    Examples
    --------
    >>> r = simulate_tsst("vinther2011", level=5.0)
    >>> bool(r.scores["acth_peak_minute"] < r.scores["cortisol_peak_minute"])
    True
    >>> bool(r.result["tsst_responder"].iloc[0])
    True
    """
    from neuroendo.measures.cortisol import auc_i, tsst_responder
    from neuroendo.models import inputs as schedules

    spec, pv, uv = _prepare(model, variant, params, inputs)
    if "stress" not in spec.input_names:
        raise ModelDefinitionError(
            f"The TSST drives the 'stress' input, which model {spec.name!r} does not have "
            f"(inputs: {', '.join(spec.input_names) or 'none'})."
        )
    ic = _need_state(spec, "cortisol", "TSST")
    per_min = _per_minute(spec, time_unit_as)
    check_range("duration", duration, 0.0, inclusive=(False, True))
    sm = np.asarray(sample_minutes, dtype=np.float64)
    if sm.ndim != 1 or sm.size < 2 or np.any(np.diff(sm) <= 0) or not (sm < 0).any():
        raise DataValidationError(
            "'sample_minutes' must be increasing, with at least one sample before onset (< 0); "
            f"got {sm.tolist()}."
        )
    lead = float(max(30.0, -sm[0] + 5.0))
    end = float(max(sm[-1], duration) + 60.0)
    minutes = np.arange(-lead, end + 0.5, 1.0)
    base = _baseline(spec, pv, uv, burn_in, per_min)
    n = max(base.shape[1], _n_subjects(pv))
    base = np.broadcast_to(base, (base.shape[0], n)).copy()
    stress = schedules.tsst(
        lead * per_min, duration=duration * per_min, level=level, time_unit=spec.time_unit
    )
    y = _simulate(spec, (minutes + lead) * per_min, base, pv, {**uv, "stress": stress})
    traj: dict[str, FloatArray] = {
        s: y[spec.state_names.index(s)]
        for s in ("crh", "acth", "cortisol", "gr")
        if s in spec.state_names
    }
    cort = y[ic]
    scores: dict[str, FloatArray] = {}
    sr = stress_response(minutes, cort, onset=0.0)
    scores["cortisol_peak_minute"] = np.asarray(sr.time_to_peak)
    scores["cortisol_reactivity_percent"] = np.asarray(sr.reactivity_percent)
    scores["cortisol_recovery_half_time"] = np.asarray(sr.recovery_half_time)
    if "acth" in traj:
        scores["acth_peak_minute"] = np.asarray(
            stress_response(minutes, traj["acth"], onset=0.0).time_to_peak
        )
    saliva = _interp(minutes, cort, sm)
    if cortisol_scale is not None:
        saliva = saliva * check_range(
            "cortisol_scale", cortisol_scale, 0.0, inclusive=(False, True)
        )
    scores["auc_i"] = np.atleast_1d(np.asarray(auc_i(sm, saliva)))
    import pandas as pd

    df = pd.DataFrame(
        {
            "subject": np.repeat(np.arange(n), sm.size),
            "sample": np.tile([f"S{k}" for k in range(sm.size)], n),
            "time": np.tile(sm, n),
            "cortisol": saliva.ravel(),
        }
    )
    if cortisol_scale is not None:
        df.attrs["units"] = {"cortisol": "nmol/L", "time": "min"}
    notes = (
        f"stress level {level:g} (model input units) for {duration:g} min; saliva cortisol = "
        + (
            "model cortisol x cortisol_scale (nmol/L)"
            if cortisol_scale is not None
            else "model cortisol in model units (only the 'relative' criterion applies)"
        )
    )
    result = tsst_responder(df, criterion=criterion)  # type: ignore[arg-type]
    return SimulatedTest(
        "tsst",
        spec.name,
        minutes,
        traj,
        {"cortisol": saliva},
        {"cortisol": sm},
        scores,
        result,
        notes,
    )


# --- dexamethasone -------------------------------------------------------------------------------
def dexamethasone_variant(spec: ModelSpec, half_life: float, potency: float = 1.0) -> ModelSpec:
    r"""Return ``spec`` with dexamethasone added as an exogenous glucocorticoid-receptor agonist.

    Parameters
    ----------
    spec : ModelSpec
        A model with a ``cortisol`` state.
    half_life : float
        Elimination half-life of dexamethasone, in the model's time unit.
    potency : float, default 1.0
        Cortisol-equivalent of 1 mg of dexamethasone in the body, in model cortisol units
        (parameter ``dex_potency``; may be changed per subject at simulation time).

    Returns
    -------
    ModelSpec
        Named ``<model>_dex``: extra state ``dexamethasone`` (mg), input ``dex_rate`` (mg per
        model time unit) and parameters ``dex_kel``, ``dex_potency``.

    Notes
    -----
    .. math::
        \dot D = r(t) - k_{el} D,\qquad
        \dot y_i = f_i(y|_{C \to C + \kappa D}) \ (i \ne C),\qquad \dot C = f_C(y)

    References
    ----------
    .. [1] Czock D et al. Clin Pharmacokinet. 2005;44(1):61-98.

    Examples
    --------
    >>> from neuroendo import models
    >>> v = dexamethasone_variant(models.get("gupta2007"), half_life=4.0)
    >>> v.state_names[-1], v.input_names[-1]
    ('dexamethasone', 'dex_rate')
    """
    ic = _need_state(spec, "cortisol", "dexamethasone test")
    check_range("half_life", half_life, 0.0, inclusive=(False, True))
    base_rhs = spec.rhs
    base_p = spec.P
    base_u = spec.U
    n_p = len(spec.params)
    n_u = len(spec.inputs)
    n_s = len(spec.states)

    def rhs(t: Any, y: Any, p: Any, u: Any, xp: Any = np) -> tuple[Any, ...]:
        """Evaluate the base model with dexamethasone wherever cortisol feeds back."""
        core = y[:n_s]
        dex = y[n_s]
        pb = base_p(*tuple(p)[:n_p])
        ub = base_u(*tuple(u)[:n_u])
        seen = xp.array(core, dtype=float, copy=True)
        seen[ic] = core[ic] + p.dex_potency * dex  # dex at the receptors, not in the assay
        d_seen = base_rhs(t, seen, pb, ub, xp)
        d_true = base_rhs(t, core, pb, ub, xp)
        out = list(d_seen)
        out[ic] = d_true[ic]
        d_dex = u.dex_rate - p.dex_kel * dex  # first-order elimination
        return (*out, d_dex)

    rate_unit = "mg" if spec.time_unit == "1" else f"mg/{spec.time_unit}"
    kel_unit = "1" if spec.time_unit == "1" else f"/{spec.time_unit}"
    kel = math.log(2.0) / half_life
    states = (*spec.states, State("dexamethasone", 0.0, "mg", "dexamethasone in the body"))
    params = (
        *spec.params,
        Param(
            "dex_kel",
            kel,
            kel_unit,
            (kel * 1e-3, kel * 1e3),
            _CZOCK2005,
            "dexamethasone elimination rate (ln 2 / half-life)",
        ),
        Param(
            "dex_potency",
            float(potency),
            "1/mg",
            (0.0, 1e12),
            _UNCALIBRATED,
            "cortisol-equivalent (model units) of 1 mg dexamethasone at the receptors",
        ),
    )
    inputs = (*spec.inputs, Input("dex_rate", 0.0, rate_unit, "dexamethasone absorption rate"))
    return dataclasses.replace(
        spec,
        name=f"{spec.name}_dex",
        states=states,
        params=params,
        inputs=inputs,
        rhs=rhs,
        observables=(),
        _types={},
    )


def simulate_dst(
    model: ModelSpec | str,
    params: Mapping[str, ArrayLike] | None = None,
    inputs: Mapping[str, Any] | None = None,
    *,
    variant: str | None = None,
    dose: float = 1.0,
    strength: float = 2.0,
    half_life_h: float = 4.0,
    sample_delay_h: float = 9.0,
    cortisol_scale: float | None = None,
    criterion: str = "nieman2008",
    time_unit_as: str | None = None,
    burn_in: float | None = None,
) -> SimulatedTest:
    r"""Simulate an overnight dexamethasone suppression test against a no-dex control run.

    Parameters
    ----------
    model : ModelSpec or str
        A model with a ``cortisol`` state.
    params : mapping, optional
        ``{name: value}``; arrays of length ``n`` give ``n`` subjects.
    inputs : mapping, optional
        Other constant inputs.
    variant : str, optional
        Named parameter set.
    dose : float, default 1.0
        Oral dose in mg, absorbed evenly over 30 min.
    strength : float, default 2.0
        Cortisol-equivalent of 1 mg dexamethasone in the body, as a multiple of the subject's
        baseline cortisol (illustrative default, not calibrated; see the module docstring).
    half_life_h : float, default 4.0
        Dexamethasone elimination half-life in hours (plasma, Czock 2005).
    sample_delay_h : float, default 9.0
        Hours from the dose to the cortisol sample (23:00 -> 08:00).
    cortisol_scale : float, optional
        nmol/L of serum cortisol per model unit; with it, ``result`` is the classification by
        :func:`neuroendo.measures.dynamic_tests.dexamethasone_suppression`.
    criterion : str, default "nieman2008"
        DST criterion passed to that function.
    time_unit_as : str, optional
        For scaled-time models: what one model time unit stands for.
    burn_in : float, optional
        Burn-in (model time) when the model has no stable steady state.

    Returns
    -------
    SimulatedTest
        ``scores``: ``cortisol_dex`` and ``cortisol_control`` at the sample time (model units),
        ``suppression`` = 1 - dex/control (dimensionless).

    Raises
    ------
    ModelDefinitionError
        No ``cortisol`` state.

    Notes
    -----
    .. math:: \text{suppression} = 1 - C_{dex}(t_d + 9\,h)/C_{control}(t_d + 9\,h)

    References
    ----------
    .. [1] Nieman LK et al. J Clin Endocrinol Metab. 2008;93(5):1526-1540.
    .. [2] Czock D et al. Clin Pharmacokinet. 2005;44(1):61-98.

    Examples
    --------
    >>> r = simulate_dst("vinther2011")
    >>> bool(0 < r.scores["suppression"][0] < 1)
    True
    """
    from neuroendo.measures.dynamic_tests import dexamethasone_suppression
    from neuroendo.models import inputs as schedules

    spec, pv, uv = _prepare(model, variant, params, inputs)
    ic = _need_state(spec, "cortisol", "dexamethasone test")
    per_min = _per_minute(spec, time_unit_as)
    per_h = 60.0 * per_min
    check_range("dose", dose, 0.0, inclusive=(False, True))
    check_range("strength", strength, 0.0)
    check_range("sample_delay_h", sample_delay_h, 0.0, inclusive=(False, True))
    base = _baseline(spec, pv, uv, burn_in, per_min)
    n = max(base.shape[1], _n_subjects(pv))
    base = np.broadcast_to(base, (base.shape[0], n)).copy()
    dex_spec = dexamethasone_variant(spec, half_life_h * per_h)
    potency = strength * base[ic] / 1.0  # per mg
    t_dose = 1.0 * per_h
    hours = np.arange(0.0, 1.0 + sample_delay_h + 3.0 + 1e-9, 0.05)
    t = hours * per_h
    y0 = np.vstack([base, np.zeros((1, n))])
    absorb = schedules.pulse(t_dose, 0.5 * per_h, dose / (0.5 * per_h))
    pp = {**pv, "dex_potency": potency}
    y_dex = _simulate(dex_spec, t, y0, pp, {**uv, "dex_rate": absorb})
    y_ctl = _simulate(spec, t, base, pv, uv)
    minutes = (hours - 1.0) * 60.0
    at = np.array([sample_delay_h * 60.0])
    c_dex = _interp(minutes, y_dex[ic], at)[:, 0]
    c_ctl = _interp(minutes, y_ctl[ic], at)[:, 0]
    scores = {"cortisol_dex": c_dex, "cortisol_control": c_ctl, "suppression": 1 - c_dex / c_ctl}
    result = None
    notes = (
        f"{dose:g} mg dexamethasone over 30 min, half-life {half_life_h:g} h; 1 mg acts like "
        f"{strength:g} x baseline cortisol at the receptors (uncalibrated); sample "
        f"{sample_delay_h:g} h after the dose."
    )
    if cortisol_scale is not None:
        scale = check_range("cortisol_scale", cortisol_scale, 0.0, inclusive=(False, True))
        result = dexamethasone_suppression(c_dex * scale, unit="nmol/L", criterion=criterion)
    else:
        notes += (
            " No classification: model cortisol has no physical unit; pass "
            "cortisol_scale (nmol/L per model unit) to apply the nmol/L cut-off."
        )
    traj = {"cortisol": y_dex[ic], "cortisol_control": y_ctl[ic], "dexamethasone": y_dex[-1]}
    return SimulatedTest(
        "dexamethasone_suppression",
        spec.name,
        minutes,
        traj,
        {"cortisol": c_dex[:, None]},
        {"cortisol": at},
        scores,
        result,
        notes,
    )


# --- CRH and ACTH tests --------------------------------------------------------------------------
def simulate_crh_test(
    model: ModelSpec | str,
    params: Mapping[str, ArrayLike] | None = None,
    inputs: Mapping[str, Any] | None = None,
    *,
    variant: str | None = None,
    strength: float = 5.0,
    criterion: str = "nieman1993",
    time_unit_as: str | None = None,
    burn_in: float | None = None,
) -> SimulatedTest:
    r"""Simulate a CRH stimulation test (i.v. bolus) and score it by percent rises.

    Parameters
    ----------
    model : ModelSpec or str
        A model with ``crh``, ``acth`` and ``cortisol`` states.
    params, inputs : mapping, optional
        As :func:`simulate_tsst`.
    variant : str, optional
        Named parameter set.
    strength : float, default 5.0
        Bolus size as a multiple of baseline CRH (CRH jumps to ``(1 + strength)`` x baseline).
    criterion : str, default "nieman1993"
        Criterion of :func:`neuroendo.measures.dynamic_tests.crh_stimulation`.
    time_unit_as : str, optional
        For scaled-time models: what one model time unit stands for.
    burn_in : float, optional
        Burn-in when the model has no stable steady state.

    Returns
    -------
    SimulatedTest
        ``result`` is the ``DynamicTestResult`` of ``crh_stimulation`` (percent rises are
        unit-free, so model units suffice); samples at -5, -1, 15, 30 (ACTH) and -5, -1, 30,
        45 min (cortisol).

    Notes
    -----
    .. math:: \Delta\%_{ACTH} = 100(\overline{ACTH}_{15,30}/\overline{ACTH}_{-5,-1} - 1)

    References
    ----------
    .. [1] Nieman LK et al. J Clin Endocrinol Metab. 1993;77:1308.

    Examples
    --------
    >>> r = simulate_crh_test("vinther2011")
    >>> str(r.result.category[0])
    'response'
    """
    from neuroendo.measures.dynamic_tests import crh_stimulation

    spec, pv, uv = _prepare(model, variant, params, inputs)
    for s in ("acth", "cortisol"):
        _need_state(spec, s, "CRH test")
    check_range("strength", strength, 0.0, inclusive=(False, True))
    per_min = _per_minute(spec, time_unit_as)
    grid = np.arange(-10.0, 90.5, 0.5)
    _, traj = _bolus_test(spec, pv, uv, "crh", strength, grid, per_min, burn_in)
    acth = traj[spec.state_names.index("acth")]
    cort = traj[spec.state_names.index("cortisol")]
    ta = np.array([-5.0, -1.0, 15.0, 30.0])
    tc = np.array([-5.0, -1.0, 30.0, 45.0])
    sa, sc = _interp(grid, acth, ta), _interp(grid, cort, tc)
    res = crh_stimulation(sa[:, :2], sa[:, 2:], sc[:, :2], sc[:, 2:], criterion=criterion)
    scores = {
        "acth_rise_pct": np.atleast_1d(res.details["acth_rise_pct"]),
        "cortisol_rise_pct": np.atleast_1d(res.details["cortisol_rise_pct"]),
    }
    notes = (
        f"CRH bolus = {strength:g} x baseline CRH (instantaneous distribution); values in "
        "model units, percent rises unit-free."
    )
    return SimulatedTest(
        "crh_stimulation",
        spec.name,
        grid,
        {"acth": acth, "cortisol": cort},
        {"acth": sa, "cortisol": sc},
        {"acth": ta, "cortisol": tc},
        scores,
        res,
        notes,
    )


def simulate_acth_test(
    model: ModelSpec | str,
    params: Mapping[str, ArrayLike] | None = None,
    inputs: Mapping[str, Any] | None = None,
    *,
    variant: str | None = None,
    strength: float = 20.0,
    cortisol_scale: float | None = None,
    cutoff: str = "classic_500",
    time_unit_as: str | None = None,
    burn_in: float | None = None,
) -> SimulatedTest:
    r"""Simulate an ACTH (Synacthen) stimulation test: cortisol at 0, 30 and 60 min.

    Parameters
    ----------
    model : ModelSpec or str
        A model with ``acth`` and ``cortisol`` states.
    params, inputs : mapping, optional
        As :func:`simulate_tsst`.
    variant : str, optional
        Named parameter set.
    strength : float, default 20.0
        Bolus size as a multiple of baseline ACTH (250 µg is a supraphysiological dose).
    cortisol_scale : float, optional
        nmol/L per model cortisol unit; with it ``result`` is
        :func:`neuroendo.measures.dynamic_tests.acth_stimulation` with ``cutoff``.
    cutoff : str, default "classic_500"
        Cut-off key of that function.
    time_unit_as : str, optional
        For scaled-time models: what one model time unit stands for.
    burn_in : float, optional
        Burn-in when the model has no stable steady state.

    Returns
    -------
    SimulatedTest
        ``scores``: ``cortisol_increment`` (model units) and ``cortisol_rise_pct`` (peak of 30
        and 60 min over basal, %, by :func:`neuroendo.measures.dynamic_tests.percent_rise`).

    Notes
    -----
    .. math:: \Delta\% = 100\,(\max(C_{30}, C_{60}) / C_0 - 1)

    References
    ----------
    .. [1] Bornstein SR et al. J Clin Endocrinol Metab. 2016;101(2):364-389.

    Examples
    --------
    >>> r = simulate_acth_test("vinther2011")
    >>> bool(r.scores["cortisol_rise_pct"][0] > 0)
    True
    """
    from neuroendo.measures.dynamic_tests import acth_stimulation, percent_rise

    spec, pv, uv = _prepare(model, variant, params, inputs)
    ic = _need_state(spec, "cortisol", "ACTH test")
    check_range("strength", strength, 0.0, inclusive=(False, True))
    per_min = _per_minute(spec, time_unit_as)
    grid = np.arange(0.0, 120.5, 0.5)
    _, traj = _bolus_test(spec, pv, uv, "acth", strength, grid, per_min, burn_in)
    cort = traj[ic]
    tc = np.array([0.0, 30.0, 60.0])
    sc = _interp(grid, cort, tc)
    peak = np.maximum(sc[:, 1], sc[:, 2])
    scores = {
        "cortisol_increment": peak - sc[:, 0],
        "cortisol_rise_pct": np.atleast_1d(percent_rise(sc[:, :1], peak[:, None])),
    }
    result = None
    notes = f"ACTH bolus = {strength:g} x baseline ACTH (instantaneous distribution)."
    if cortisol_scale is not None:
        k = check_range("cortisol_scale", cortisol_scale, 0.0, inclusive=(False, True))
        result = acth_stimulation(sc[:, 0] * k, sc[:, 1] * k, sc[:, 2] * k, cutoff=cutoff)
    else:
        notes += (
            " No classification: the cut-offs are in nmol/L; pass cortisol_scale "
            "(nmol/L per model unit)."
        )
    return SimulatedTest(
        "acth_stimulation",
        spec.name,
        grid,
        {"acth": traj[spec.state_names.index("acth")], "cortisol": cort},
        {"cortisol": sc},
        {"cortisol": tc},
        scores,
        result,
        notes,
    )


# --- TRH test ------------------------------------------------------------------------------------
def simulate_trh_test(
    model: ModelSpec | str,
    params: Mapping[str, ArrayLike] | None = None,
    inputs: Mapping[str, Any] | None = None,
    *,
    variant: str | None = None,
    strength: float = 20.0,
    half_life_min: float = 5.0,
    time_unit_as: str | None = None,
    burn_in: float | None = None,
) -> SimulatedTest:
    r"""Simulate a TRH stimulation test: a decaying TRH transient, TSH at 0, 20, 30, 60 min.

    Parameters
    ----------
    model : ModelSpec or str
        A model with a ``trh`` input and a ``tsh`` state (e.g. ``"simthyr"``).
    params, inputs : mapping, optional
        As :func:`simulate_tsst`.
    variant : str, optional
        Named parameter set.
    strength : float, default 20.0
        Peak TRH rise as a multiple of the baseline ``trh`` input.
    half_life_min : float, default 5.0
        Plasma half-life of TRH in minutes (Bassiri & Utiger 1973).
    time_unit_as : str, optional
        For scaled-time models: what one model time unit stands for.
    burn_in : float, optional
        Burn-in when the model has no stable steady state.

    Returns
    -------
    SimulatedTest
        ``scores``: ``tsh_increment`` (peak of 20/30 min minus basal, in the TSH observable's
        unit when the model declares one, else model units) and ``tsh_rise_pct`` (%, by
        :func:`neuroendo.measures.dynamic_tests.percent_rise`).

    Notes
    -----
    .. math:: TRH(t) = TRH_0\,(1 + s\,e^{-\ln 2\, t / t_{1/2}}),\quad t \ge 0

    References
    ----------
    .. [1] Bassiri RM, Utiger RD. J Clin Invest. 1973;52(6):1616-1619.

    Examples
    --------
    >>> r = simulate_trh_test("simthyr")
    >>> bool(r.scores["tsh_rise_pct"][0] > 0)
    True
    """
    from neuroendo.measures.dynamic_tests import percent_rise
    from neuroendo.models import inputs as schedules

    spec, pv, uv = _prepare(model, variant, params, inputs)
    if "trh" not in spec.input_names:
        raise ModelDefinitionError(
            f"The TRH test drives the 'trh' input, which model {spec.name!r} does not have "
            f"(inputs: {', '.join(spec.input_names) or 'none'})."
        )
    it = _need_state(spec, "tsh", "TRH test")
    check_range("strength", strength, 0.0, inclusive=(False, True))
    check_range("half_life_min", half_life_min, 0.0, inclusive=(False, True))
    per_min = _per_minute(spec, time_unit_as)
    base = _baseline(spec, pv, uv, burn_in, per_min)
    n = max(base.shape[1], _n_subjects(pv))
    base = np.broadcast_to(base, (base.shape[0], n)).copy()
    trh0 = float(uv.get("trh", next(i.default for i in spec.inputs if i.name == "trh")))
    lead = 10.0
    grid = np.arange(-lead, 120.5, 0.5)
    tk = np.arange(0.0, 20 * half_life_min, half_life_min / 20.0)
    values = trh0 * (1.0 + strength * np.exp(-math.log(2.0) * tk / half_life_min))
    knots = np.concatenate([[0.0, lead - 1e-6], lead + tk]) * per_min
    trh = schedules.PiecewiseLinear(knots, np.concatenate([[trh0, trh0], values]))
    y = _simulate(spec, (grid + lead) * per_min, base, pv, {**uv, "trh": trh})
    obs = next((o for o in spec.observables if o.name == "tsh"), None)
    tsh = y[it] * (obs.scale if obs is not None else 1.0)
    ts = np.array([0.0, 20.0, 30.0, 60.0])
    s = _interp(grid, tsh, ts)
    peak = np.maximum(s[:, 1], s[:, 2])
    scores = {
        "tsh_increment": peak - s[:, 0],
        "tsh_rise_pct": np.atleast_1d(percent_rise(s[:, :1], peak[:, None])),
    }
    unit = obs.unit if obs is not None else "model units"
    notes = (
        f"TRH input raised to (1 + {strength:g}) x baseline, decaying with half-life "
        f"{half_life_min:g} min; TSH in {unit}."
    )
    return SimulatedTest(
        "trh_stimulation",
        spec.name,
        grid,
        {"tsh": tsh},
        {"tsh": s},
        {"tsh": ts},
        scores,
        None,
        notes,
    )
