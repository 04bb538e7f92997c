"""Walker, Terry & Lightman (2010): ultradian pulsatility from the pituitary-adrenal delay.

Three dimensionless delay equations for ACTH ``a``, pituitary glucocorticoid-receptor
availability ``r`` and cortisol (CORT) ``o`` ([1], ESM eq. 6, as quoted in [2]):

* ACTH is driven by a constant CRH level ``p1`` and inhibited by cortisol-bound GR,
  ``p1 / (1 + p2 r o)``, and cleared at rate ``p3``;
* GR is up-regulated by cortisol-bound GR (a Hill term with ``p4``), has basal synthesis ``p5``
  and turnover ``p6``;
* cortisol is produced from ACTH a time ``tau`` earlier and cleared at rate 1 (the time unit).

Time is dimensionless: ``t = (ln 2 / t½,CORT) T``, so one model time unit is
``t½,CORT / ln 2`` of physical time (21.6 min for the human cortisol half-life of 15 min used
in [2]; see :func:`minutes_per_time_unit`). The model shows the paper's headline behaviour
[1]: the delayed feed-forward (ACTH → CORT) and feedback (CORT → GR → ACTH) loop alone produces
ultradian oscillations, but only for an intermediate range of the CRH drive ``p1``; a low or a
high constant drive gives a steady state.

Delay representation. The discrete delay ``a(t - tau)`` is replaced by a linear chain of
``K`` ordinary states ``acth_delay_1 ... acth_delay_K`` (an Erlang-distributed delay with mean
``tau``, see :func:`neuroendo.models._blocks.linear_chain`), so every backend, SBML export and
libRoadRunner can run the model. The default ``K = 16`` reproduces the period of a
method-of-steps DDE solution within about 2 % (rat values) and 0.5 % (human values); the
oscillation amplitude converges more slowly (about 13-14 % below the DDE amplitude at K = 16).
Use :func:`build` with a larger ``K`` when the amplitude matters.

Parameters. Default: Table 1 of [1] (rat) as quoted in [2]: ``p2 = 15``, ``p3 = 7.2``,
``p4 = 0.05``, ``p5 = 0.11``, ``p6 = 2.9``. ``p1`` (CRH drive, the bifurcation parameter) and
``tau`` are not fixed by that table: the defaults ``p1 = 30`` and ``tau = 1.5`` are
*illustrative* choices of this implementation that lie inside the oscillatory window (not
values read from [1]). Variant ``"human"``: the human-scaled deterministic fit cached in [2]
(``walker_fit_cache.json``: p1 73.94, p2 62.77, p4 0.1997, p5 0.2230, p6 5.844,
``tau`` 24.23 min) with ``p3 = t½,CORT/t½,ACTH = 15/20 = 0.75``; ``tau`` in model units is
``24.23 min × ln 2 / 15 min = 1.1196``.

References
----------
.. [1] Walker JJ, Terry JR, Lightman SL. Origin of ultradian pulsatility in the
   hypothalamic-pituitary-adrenal axis. Proc R Soc B. 2010;277(1688):1627-1633.
   doi:10.1098/rspb.2009.2148
.. [2] Grosskopf, Danan, Pidham, Doenyas-Barak, Mayo & Alon, repository
   ``cortisol-ultradian-stochastic``: ``code/src/hpa_model/model/walker2010.py`` (Table 1
   values, human scaling) and ``code/checkpoint/walker_fit_cache.json`` (human fit),
   github.com/YanivGros/cortisol-ultradian-stochastic (MIT).
.. [3] MacDonald N. Time lags in biological models. Springer; 1978 (linear chain trick).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from neuroendo._core.spec import ModelSpec, Param, Ref, State
from neuroendo._core.validation import check_range
from neuroendo.models._blocks import linear_chain, linear_chain_states

WALKER2010 = Ref(
    "walker2010",
    doi="10.1098/rspb.2009.2148",
    citation=("Walker JJ, Terry JR, Lightman SL. Proc R Soc B. 2010;277(1688):1627-1633."),
)
PORT = Ref("ultradian_stochastic", where="YanivGros/cortisol-ultradian-stochastic, walker2010.py")
FIT = Ref(
    "ultradian_stochastic", where="YanivGros/cortisol-ultradian-stochastic, walker_fit_cache.json"
)
MACDONALD1978 = Ref("macdonald1978", citation="MacDonald N. Time lags in biological models. 1978.")

N_DELAY = 16
"""Default number of linear-chain compartments representing the ACTH → cortisol delay."""

_T1 = WALKER2010.at("Table 1 (rat), as quoted in walker2010.py of YanivGros/...")
_OWN = Ref("walker2010", where="illustrative value inside the oscillatory window (this package)")
PARAMS = (
    Param("p1", 30.0, "1", (0.0, 1e4), _OWN, "CRH drive onto the pituitary (bifurcation param)"),
    Param("p2", 15.0, "1", (0.1, 1e3), _T1, "strength of GR-mediated feedback on ACTH"),
    Param("p3", 7.2, "1", (0.01, 100.0), _T1, "ACTH clearance relative to cortisol clearance"),
    Param("p4", 0.05, "1", (1e-4, 10.0), _T1, "half-saturation of GR up-regulation"),
    Param("p5", 0.11, "1", (0.0, 10.0), _T1, "basal GR synthesis"),
    Param("p6", 2.9, "1", (0.01, 100.0), _T1, "GR turnover"),
    Param("tau", 1.5, "1", (0.01, 20.0), _OWN, "ACTH → cortisol delay (model time units)"),
)

VARIANTS: dict[str, dict[str, float]] = {
    "rat": {},
    # human-scaled deterministic fit [2]; tau = 24.2278 min x ln2 / 15 min
    "human": {
        "p1": 73.94246674069544,
        "p2": 62.76630035870051,
        "p3": 0.75,
        "p4": 0.19974399823957042,
        "p5": 0.22299252430271527,
        "p6": 5.843836857610892,
        "tau": 24.227785668573233 * math.log(2.0) / 15.0,
    },
}


def rhs(t: Any, y: Any, p: Any, u: Any, xp: Any = np) -> tuple[Any, ...]:
    """ESM eq. 6 of [1] with a linear-chain delay; ``y`` is (3 + K,) or (3 + K, n_subjects)."""
    a, r, o, *chain = y
    ro = r * o
    d_a = p.p1 / (1 + p.p2 * ro) - p.p3 * a  # ACTH
    d_r = ro**2 / (p.p4 + ro**2) + p.p5 - p.p6 * r  # GR availability
    d_o = chain[-1] - o  # cortisol, driven by a(t - tau) ≈ last chain state
    d_chain = linear_chain(a, chain, p.tau, xp)  # Erlang(K) delay of mean tau
    return (d_a, d_r, d_o, *d_chain)


def build(n_delay: int = N_DELAY) -> ModelSpec:
    r"""Return the Walker 2010 model with an ``n_delay``-compartment linear-chain delay.

    Parameters
    ----------
    n_delay : int, default 16
        Number of chain compartments ``K`` (≥ 1); larger ``K`` approaches the discrete delay.

    Returns
    -------
    ModelSpec
        States ``acth``, ``gr``, ``cortisol``, ``acth_delay_1`` … ``acth_delay_K``
        (dimensionless); time unit ``"1"`` (one unit = ``t½,CORT / ln 2``).

    Raises
    ------
    ValueError
        If ``n_delay`` is not a positive integer.

    Notes
    -----
    .. math::
        \dot a = \frac{p_1}{1 + p_2 r o} - p_3 a, \quad
        \dot r = \frac{(o r)^2}{p_4 + (o r)^2} + p_5 - p_6 r, \quad
        \dot o = a(t - \tau) - o,

    with :math:`a(t-\tau)` replaced by the last state of a chain
    :math:`\dot x_1 = (K/\tau)(a - x_1)`, :math:`\dot x_i = (K/\tau)(x_{i-1} - x_i)`.

    References
    ----------
    .. [1] Walker JJ, Terry JR, Lightman SL. Proc R Soc B. 2010;277:1627-1633.
       doi:10.1098/rspb.2009.2148

    Examples
    --------
    >>> spec = build(4)
    >>> spec.state_names
    ('acth', 'gr', 'cortisol', 'acth_delay_1', 'acth_delay_2', 'acth_delay_3', 'acth_delay_4')
    """
    chain = linear_chain_states("acth", n_delay)
    states = (
        State("acth", 1.0, "1", "ACTH (a), dimensionless"),
        State("gr", 1.0, "1", "pituitary GR availability (r), dimensionless"),
        State("cortisol", 1.0, "1", "cortisol / CORT (o), dimensionless"),
        *(State(n, 1.0, "1", f"ACTH delay chain compartment {i + 1}") for i, n in enumerate(chain)),
    )
    return ModelSpec(
        name="walker2010",
        axis="hpa",
        states=states,
        params=PARAMS,
        rhs=rhs,
        time_unit="1",
        references=(WALKER2010, PORT, FIT, MACDONALD1978),
        description=(
            "Pituitary-adrenal loop with GR feedback and an ACTH→cortisol delay (linear chain): "
            "ultradian cortisol oscillations only for an intermediate CRH drive."
        ),
    )


def minutes_per_time_unit(cortisol_half_life: float = 15.0) -> float:
    r"""Physical length of one model time unit, in minutes.

    Parameters
    ----------
    cortisol_half_life : float, default 15.0
        Cortisol half-life, in minutes (15 min: the human value used in [2]).

    Returns
    -------
    float
        Minutes per dimensionless time unit.

    Raises
    ------
    ValueError
        If the half-life is not a positive finite number.

    Notes
    -----
    .. math:: t = \frac{\ln 2}{t_{1/2,\mathrm{CORT}}} T
       \quad\Rightarrow\quad \Delta T = \frac{t_{1/2,\mathrm{CORT}}}{\ln 2}\,\Delta t

    References
    ----------
    .. [1] Walker JJ, Terry JR, Lightman SL. Proc R Soc B. 2010;277:1627-1633.
    .. [2] github.com/YanivGros/cortisol-ultradian-stochastic, ``walker2010.py``.

    Examples
    --------
    >>> round(minutes_per_time_unit(15.0), 3)
    21.64
    """
    h = check_range("cortisol_half_life", cortisol_half_life, 0.0, None, inclusive=(False, True))
    return h / math.log(2.0)


MODEL = build()
