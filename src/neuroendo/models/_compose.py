r"""Compose registered models into one coupled :class:`~neuroendo.models.ModelSpec`.

A coupled model is built *by composition*, never by copying equations: each component keeps its
own, unchanged ``rhs``; the composed right-hand side slices the state vector, calls every
component's ``rhs`` (with time converted to the component's time unit) and feeds the couplings
through the components' declared **input ports** (``sriram2012``'s ``stress``, ``thyrosim``'s
``tsh_secretion``, ``smith1980``'s ``lhrh_secretion`` ...). Couplings are data
(:class:`Coupling`): a source (a state of a component, or an input of the composed model), a
target input port, a functional form, a strength :class:`~neuroendo.models.Param`, an optional
half-effect constant and a literature :class:`~neuroendo.models.Ref`. Everything is pure ``xp``
arithmetic, so the composed model runs batched, compiles for the numba backend and traces to SBML
(:func:`neuroendo.io.sbml.export`).

Naming. States, parameters, inputs and observables of component ``c`` are prefixed ``c_``
(``hpa_cortisol``, ``hpt_tsh``, ``hpg_h``, ``hpt_tsh_secretion``); coupling parameters and
inputs of the composed model itself (``stress``) keep their own names.

How a port is fed. For a component input ``u`` with external value :math:`u_{ext}` (its schedule,
or its default), additive coupling terms :math:`a_j` and multiplicative factors :math:`f_k`
(in declaration order),

.. math:: u = \Big(u_{ext} + \sum_j a_j\Big) \prod_k f_k .

With every strength at 0 each :math:`a_j` is exactly 0 and each :math:`f_k` exactly 1 (in IEEE
arithmetic), so every component receives exactly its stand-alone input and the composed model
reproduces the stand-alone trajectories.

References
----------
.. [1] Hill AV. The possible effects of the aggregation of the molecules of haemoglobin on its
   dissociation curves. J Physiol. 1910;40:iv-vii.
.. [2] neuroendo reference notes, ``models.md`` §4.4 (coupled axes: multiplicative Hill factors
   on hypothalamic secretion terms, e.g. :math:`SR_{TRH} / (1 + (cort/K_c)^n)`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from neuroendo._core.errors import ModelDefinitionError
from neuroendo._core.spec import Input, ModelSpec, Observable, Param, Ref, State
from neuroendo._core.validation import check_option, did_you_mean

__all__ = ["FORMS", "MODES", "Coupling", "compose", "coupling_value"]

#: Functional forms of a coupling.
FORMS = ("hill_inhibition", "hill_activation", "linear")
#: How a coupling enters its target port.
MODES = ("multiply", "add")
_NO_REF = Ref("")  # placeholder default; __post_init__ requires a real reference


@dataclass(frozen=True, slots=True)
class Coupling:
    r"""A coupling term from a source quantity into a component's input port, declared as data.

    Parameters
    ----------
    source_state : str
        Name in the composed model of the signal: a prefixed component state (``"hpa_cortisol"``)
        or an input of the composed model itself (``"stress"``).
    target_input : str
        Prefixed input port of a component (``"hpt_tsh_secretion"``).
    form : {"hill_inhibition", "hill_activation", "linear"}
        Functional form (see Notes).
    strength_param : Param
        Strength :math:`s`; 0 switches the coupling off exactly. Dimensionless for the Hill forms
        and for ``"linear"`` with ``k_param``; otherwise in target unit / source unit (``"add"``)
        or 1 / source unit (``"multiply"``).
    k_param : Param, optional
        Half-effect constant :math:`K` in the unit of the source (required for the Hill forms;
        for ``"linear"`` it normalises the source, :math:`x/K`).
    n : float, default 1.0
        Hill coefficient (dimensionless, > 0).
    ref : Ref
        Literature source of the coupling's existence and direction (required).
    mode : {"multiply", "add"}, optional
        How the term enters the port; default ``"multiply"`` for the Hill forms and ``"add"``
        for ``"linear"``.
    x0_param : Param, optional
        Reference level :math:`x_0` of the source (its unit) at which the coupling is neutral:
        the factor becomes :math:`f(x)/f(x_0)` (the term :math:`a(x) - a(x_0)`), so the
        coupled model keeps the stand-alone operating point at :math:`x = x_0`.
    description : str
        What the coupling represents.

    Raises
    ------
    ModelDefinitionError
        For an unknown form or mode, a missing ``k_param`` for a Hill form, a non-positive ``n``
        or a reference without a key.

    Notes
    -----
    With :math:`r = \max(x, 0)/K` (:math:`r = x` for ``"linear"`` without ``K``):

    =================  =======================================  ======================
    form               ``mode="multiply"`` (factor)             ``mode="add"`` (term)
    =================  =======================================  ======================
    hill_inhibition    :math:`1 / (1 + s\,r^n)`                 :math:`s / (1 + r^n)`
    hill_activation    :math:`1 + s\,r^n / (1 + r^n)`           :math:`s\,r^n/(1 + r^n)`
    linear             :math:`1 + s\,r`                         :math:`s\,r`
    =================  =======================================  ======================

    The inhibiting factor is the form recommended for cross-axis suppression in [1]_ (with
    :math:`s = 1` it is :math:`1/(1 + (x/K)^n)`); :math:`s` scales the effect and :math:`s = 0`
    gives a factor of exactly 1 (term exactly 0), also with ``x0_param`` (:math:`1/1`,
    :math:`0 - 0`).

    References
    ----------
    .. [1] neuroendo reference notes, ``models.md`` §4.4 (coupled axes).

    Examples
    --------
    >>> from neuroendo.models import Param, Ref
    >>> ref = Ref("nicoloff1970", doi="10.1172/JCI106411")
    >>> c = Coupling("hpa_cortisol", "hpt_tsh_secretion", "hill_inhibition",
    ...              Param("s_cort_tsh", 1.0, "1", (0.0, 10.0), ref),
    ...              Param("K_cort_tsh", 10.0, "1", (0.1, 100.0), ref), n=2.0, ref=ref)
    >>> c.effective_mode
    'multiply'
    """

    source_state: str
    target_input: str
    form: str
    strength_param: Param
    k_param: Param | None = None
    n: float = 1.0
    ref: Ref = _NO_REF
    mode: str | None = None
    x0_param: Param | None = None
    description: str = ""

    def __post_init__(self) -> None:
        check_option("form", self.form, FORMS)
        if self.mode is not None:
            check_option("mode", self.mode, MODES)
        where = f"Coupling {self.source_state!r} -> {self.target_input!r}"
        if not isinstance(self.strength_param, Param):
            raise ModelDefinitionError(
                f"{where}: 'strength_param' must be a Param, got {self.strength_param!r}."
            )
        for label, q in (("k_param", self.k_param), ("x0_param", self.x0_param)):
            if q is not None and not isinstance(q, Param):
                raise ModelDefinitionError(f"{where}: {label!r} must be a Param or None.")
        if self.form.startswith("hill") and self.k_param is None:
            raise ModelDefinitionError(
                f"{where}: form {self.form!r} needs a half-effect constant 'k_param' (a Param in "
                "the unit of the source)."
            )
        if self.k_param is not None and not self.k_param.bounds[0] > 0:
            raise ModelDefinitionError(
                f"{where}: 'k_param' {self.k_param.name!r} must have a positive lower bound, got "
                f"{self.k_param.bounds}."
            )
        if not (math.isfinite(self.n) and self.n > 0):
            raise ModelDefinitionError(f"{where}: Hill coefficient 'n' must be > 0, got {self.n}.")
        if not self.ref.key:
            raise ModelDefinitionError(
                f"{where}: every coupling needs a literature source; pass ref=Ref(key, doi, ...)."
            )
        if self.strength_param.bounds[0] > 0:
            raise ModelDefinitionError(
                f"{where}: the bounds of strength {self.strength_param.name!r} must include 0 "
                f"(0 switches the coupling off), got {self.strength_param.bounds}."
            )

    @property
    def effective_mode(self) -> str:
        """``mode``, or its default for the form (``"multiply"`` for Hill, ``"add"`` for linear)."""
        if self.mode is not None:
            return self.mode
        return "add" if self.form == "linear" else "multiply"


def coupling_value(
    form: str, mode: str, x: Any, s: Any, k: Any = None, n: float = 1.0, xp: Any = np
) -> Any:
    r"""Evaluate one coupling term (factor or additive term) with pure ``xp`` arithmetic.

    Parameters
    ----------
    form : {"hill_inhibition", "hill_activation", "linear"}
        Functional form.
    mode : {"multiply", "add"}
        Factor (1 at :math:`s = 0`) or additive term (0 at :math:`s = 0`).
    x : float or ndarray
        Source value, in the unit of ``k``.
    s : float or ndarray
        Strength (see :class:`Coupling` for its unit).
    k : float or ndarray, optional
        Half-effect constant (required for the Hill forms).
    n : float, default 1.0
        Hill coefficient.
    xp : module, default numpy
        Array namespace.

    Returns
    -------
    float or ndarray
        The factor (dimensionless) or the term (in the unit of the target input).

    Raises
    ------
    ValueError
        For an unknown form or mode (from ``check_option``).

    Notes
    -----
    With :math:`r = \max(x, 0)/K`: inhibition factor :math:`1/(1 + s r^n)`, activation factor
    :math:`1 + s r^n/(1 + r^n)`, linear factor :math:`1 + s r`; the additive terms are
    :math:`s/(1 + r^n)`, :math:`s r^n/(1 + r^n)` and :math:`s r`.

    References
    ----------
    .. [1] Hill AV. J Physiol. 1910;40:iv-vii.

    Examples
    --------
    >>> coupling_value("hill_inhibition", "multiply", 10.0, 1.0, 10.0, 2.0)
    0.5
    >>> coupling_value("hill_inhibition", "multiply", 10.0, 0.0, 10.0, 2.0)
    1.0
    >>> coupling_value("linear", "add", 2.0, 0.5)
    1.0
    """
    check_option("form", form, FORMS)
    check_option("mode", mode, MODES)
    if form.startswith("hill") and k is None:
        raise ValueError(f"form {form!r} needs the half-effect constant 'k', got None.")
    out = _value(form, mode, x, s, k, n, xp)
    return float(out) if xp is np and np.ndim(out) == 0 else out


def _value(form: str, mode: str, x: Any, s: Any, k: Any, n: float, xp: Any) -> Any:
    """:func:`coupling_value` without argument checks (called inside the rhs)."""
    if form == "linear":
        r = x if k is None else x / k
        return 1 + s * r if mode == "multiply" else s * r
    r = xp.maximum(x, 0 * x) / k  # a state a hair below 0 must not give NaN for non-integer n
    rn = r**n
    if form == "hill_inhibition":
        return 1 / (1 + s * rn) if mode == "multiply" else s / (1 + rn)
    act = rn / (1 + rn)
    return 1 + s * act if mode == "multiply" else s * act


def _time_factor(name: str, spec: ModelSpec, time_unit: str, scales: Mapping[str, float]) -> float:
    """Factor ``f`` with ``t_component = f * t_composed``."""
    if name in scales:
        f = float(scales[name])
        if not (math.isfinite(f) and f > 0):
            raise ModelDefinitionError(f"time_scales[{name!r}] must be > 0, got {f!r}.")
        return f
    from neuroendo._core.units import normalize_unit

    a, b = normalize_unit(time_unit), normalize_unit(spec.time_unit)
    if a == b:
        return 1.0
    if "1" in (a, b):
        raise ModelDefinitionError(
            f"Component {name!r} ({spec.name}) runs in time unit {spec.time_unit!r} and the "
            f"composed model in {time_unit!r}; scaled time cannot be converted. Pass "
            f"time_scales={{{name!r}: factor}} (component time per composed time unit)."
        )
    from neuroendo._core.units import conversion_factor  # pint only when units differ

    return float(conversion_factor(time_unit, spec.time_unit))


def _rename_ref(ref: Ref) -> str:
    return f"{ref.key}|{ref.doi}"


def compose(
    components: Mapping[str, ModelSpec],
    couplings: Sequence[Coupling] = (),
    *,
    time_unit: str = "h",
    name: str = "composed",
    axis: str = "network",
    inputs: Sequence[Input] = (),
    observables: Sequence[Observable] = (),
    references: Sequence[Ref] = (),
    description: str = "",
    time_scales: Mapping[str, float] | None = None,
    module: str | None = None,
) -> ModelSpec:
    r"""Build one coupled :class:`~neuroendo.models.ModelSpec` from component models.

    Parameters
    ----------
    components : mapping of str to ModelSpec
        ``{prefix: spec}``, e.g. ``{"hpa": get("sriram2012"), "hpt": get("thyrosim")}``; the
        prefix (a Python identifier without ``__``) names the component's states, parameters,
        inputs and observables (``hpa_cortisol``).
    couplings : sequence of Coupling
        Coupling terms; their strength and constant :class:`~neuroendo.models.Param` objects
        become parameters of the composed model (one Param may be shared by several couplings).
    time_unit : str, default "h"
        UCUM time unit of the composed model; each component's time is converted (e.g. a
        ``"min"`` component sees :math:`t_c = 60\,t` and its derivatives are multiplied by 60).
    name : str, default "composed"
        Model name.
    axis : str, default "network"
        Axis label of the composed model.
    inputs : sequence of Input
        Inputs of the composed model itself (e.g. a neural ``stress`` drive), usable as coupling
        sources.
    observables : sequence of Observable
        Extra observables, naming composed states.
    references : sequence of Ref
        Extra references (component and coupling references are added automatically).
    description : str
        One paragraph for docs and listings.
    time_scales : mapping of str to float, optional
        ``{prefix: f}``: component time per composed time unit, required for scaled-time
        components (time unit ``"1"``).
    module : str, optional
        Module whose docstring documents the composed model (sets the rhs ``__module__``, used
        by the model contract and the generated docs); default this module.

    Returns
    -------
    ModelSpec
        States, parameters, inputs and observables are the prefixed unions (plus coupling
        parameters and the composed model's own inputs); ``stiff`` if any component is.

    Raises
    ------
    ModelDefinitionError
        For a bad prefix, an unknown coupling source or target (with a suggestion), a coupling
        into an input of the composed model itself, two different Params with one name, or
        time units that cannot be converted.

    Notes
    -----
    For component :math:`c` with states :math:`y_c`, time factor :math:`f_c` and ports fed as
    in the module docstring,

    .. math:: \frac{dy_c}{dt} = f_c\, \mathrm{rhs}_c(f_c t,\ y_c,\ p_c,\ u_c(t, y)).

    References
    ----------
    .. [1] neuroendo reference notes, ``models.md`` §4.4 (coupled axes).

    Examples
    --------
    >>> from neuroendo import models
    >>> from neuroendo.models import Param, Ref
    >>> ref = Ref("whirledge2013", doi="10.1210/en.2013-1652")
    >>> c = Coupling("hpa_cortisol", "hpg_lhrh_secretion", "hill_inhibition",
    ...              Param("s_cort_gnrh", 0.0, "1", (0.0, 10.0), ref),
    ...              Param("K_cort_gnrh", 10.0, "1", (0.1, 100.0), ref), n=2.0, ref=ref)
    >>> spec = compose({"hpa": models.get("sriram2012"), "hpg": models.get("smith1980")}, [c])
    >>> spec.state_names[:3], spec.state_names[-1]
    (('hpa_crh', 'hpa_acth', 'hpa_cortisol'), 'hpg_testosterone')
    >>> "s_cort_gnrh" in spec.param_names
    True
    """
    if not components:
        raise ModelDefinitionError("compose needs at least one component model.")
    scales = dict(time_scales or {})
    for key in scales:
        if key not in components:
            raise ModelDefinitionError(
                f"time_scales names unknown component {key!r}; components are "
                f"{', '.join(components)}.{did_you_mean(key, components)}"
            )
    states: list[State] = []
    params: list[Param] = []
    comp_inputs: list[Input] = []
    obs: list[Observable] = []
    refs: dict[str, Ref] = {}
    plans: list[dict[str, Any]] = []
    stiff = False
    for prefix, spec in components.items():
        if not (isinstance(prefix, str) and prefix.isidentifier() and "__" not in prefix):
            raise ModelDefinitionError(
                f"Component prefix {prefix!r} must be a Python identifier without '__'."
            )
        if not isinstance(spec, ModelSpec):
            raise ModelDefinitionError(
                f"Component {prefix!r} must be a ModelSpec, got {type(spec).__name__}."
            )
        start = len(states)
        states += [State(f"{prefix}_{s.name}", s.y0, s.unit, s.description) for s in spec.states]
        p_start = len(params)
        params += [
            Param(f"{prefix}_{q.name}", q.value, q.unit, q.bounds, q.source, q.description)
            for q in spec.params
        ]
        i_start = len(comp_inputs)
        comp_inputs += [
            Input(f"{prefix}_{i.name}", i.default, i.unit, i.description, i.analyte)
            for i in spec.inputs
        ]
        obs += [
            Observable(f"{prefix}_{o.name}", f"{prefix}_{o.state}", o.scale, o.unit, o.description)
            for o in spec.observables
        ]
        for r in spec.references:
            refs.setdefault(_rename_ref(r), r)
        stiff = stiff or spec.stiff
        plans.append(
            {
                "spec": spec,
                "y": (start, len(states)),
                "p": tuple(range(p_start, len(params))),
                "u": list(range(i_start, len(comp_inputs))),
                "f": _time_factor(prefix, spec, time_unit, scales),
            }
        )

    own_inputs = list(inputs)
    all_inputs = comp_inputs + own_inputs
    state_idx = {s.name: k for k, s in enumerate(states)}
    input_idx = {i.name: k for k, i in enumerate(all_inputs)}
    comp_input_names = {i.name for i in comp_inputs}

    coupling_params: dict[str, Param] = {}

    def add_param(q: Param) -> None:
        seen = coupling_params.get(q.name)
        if seen is not None and seen != q:
            raise ModelDefinitionError(
                f"Two different coupling Params are named {q.name!r}; give them distinct names "
                "or pass the same Param object."
            )
        coupling_params[q.name] = q

    for c in couplings:
        add_param(c.strength_param)
        for q in (c.k_param, c.x0_param):
            if q is not None:
                add_param(q)
        refs.setdefault(_rename_ref(c.ref), c.ref)
    params += list(coupling_params.values())
    names = [q.name for q in params]
    dup = sorted({x for x in names if names.count(x) > 1})
    if dup:
        raise ModelDefinitionError(
            f"Coupling parameter names clash with prefixed component parameters: {dup}."
        )
    param_idx = {q.name: k for k, q in enumerate(params)}

    plan_c: list[tuple[str, str, bool, int, int, int | None, float, int | None]] = []
    adds: dict[int, list[int]] = {}
    mults: dict[int, list[int]] = {}
    for j, c in enumerate(couplings):
        if c.source_state in state_idx:
            src = (True, state_idx[c.source_state])
        elif c.source_state in input_idx:
            src = (False, input_idx[c.source_state])
        else:
            known = [*state_idx, *input_idx]
            raise ModelDefinitionError(
                f"Coupling source {c.source_state!r} is neither a state nor an input of the "
                f"composed model.{did_you_mean(c.source_state, known)}"
            )
        if c.target_input not in comp_input_names:
            hint = (
                " It is an input of the composed model itself; couple into a component's port."
                if c.target_input in input_idx
                else did_you_mean(c.target_input, sorted(comp_input_names))
            )
            raise ModelDefinitionError(
                f"Coupling target {c.target_input!r} is not an input port of a component.{hint}"
            )
        k_i = None if c.k_param is None else param_idx[c.k_param.name]
        x0_i = None if c.x0_param is None else param_idx[c.x0_param.name]
        mode = c.effective_mode
        s_i = param_idx[c.strength_param.name]
        plan_c.append((c.form, mode, src[0], src[1], s_i, k_i, float(c.n), x0_i))
        (mults if mode == "multiply" else adds).setdefault(input_idx[c.target_input], []).append(j)

    comp_plans = tuple(
        (
            pl["spec"],
            pl["y"][0],
            pl["y"][1],
            pl["p"],
            tuple((ui, tuple(adds.get(ui, ())), tuple(mults.get(ui, ()))) for ui in pl["u"]),
            pl["f"],
        )
        for pl in plans
    )
    coupling_plan = tuple(plan_c)

    def rhs(t: Any, y: Any, p: Any, u: Any, xp: Any = np) -> tuple[Any, ...]:
        """Composed right-hand side: components' own rhs, fed through their input ports."""
        vals = []
        for form, mode, is_state, i, si, ki, n, x0i in coupling_plan:
            x = y[i] if is_state else u[i]
            k = None if ki is None else p[ki]
            v = _value(form, mode, x, p[si], k, n, xp)
            if x0i is not None:  # neutral at the reference level x0
                v0 = _value(form, mode, p[x0i], p[si], k, n, xp)
                v = v / v0 if mode == "multiply" else v - v0
            vals.append(v)
        out: list[Any] = []
        for spec, a, b, p_idx, ports, f in comp_plans:
            uvals = []
            for ui, add_j, mul_j in ports:
                v = u[ui]
                for j in add_j:
                    v = v + vals[j]
                for j in mul_j:
                    v = v * vals[j]
                uvals.append(v)
            pc = spec.P(*(p[k] for k in p_idx))
            tc = t if f == 1.0 else t * f
            d = spec.rhs(tc, y[a:b], pc, spec.U(*uvals), xp=xp)
            out.extend(d if f == 1.0 else (di * f for di in d))
        return tuple(out)

    rhs.__module__ = module or __name__
    rhs.__qualname__ = f"{name}_rhs"
    for r in references:
        refs.setdefault(_rename_ref(r), r)
    return ModelSpec(
        name=name,
        axis=axis,
        states=tuple(states),
        params=tuple(params),
        rhs=rhs,
        time_unit=time_unit,
        inputs=tuple(all_inputs),
        references=tuple(refs.values()),
        observables=tuple(obs) + tuple(observables),
        description=description,
        stiff=stiff,
    )
