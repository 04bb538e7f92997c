"""Analysis of models: steady states, stability, feedback loops, sensitivity, stress response.

Works on any registered model (or :class:`~neuroendo.models.ModelSpec`), batched where that makes
sense:

* steady states -- all steady states (many Newton starts at once),
  stability from Jacobian eigenvalues, one-parameter bifurcation scans (bistable ranges);
* sensitivity -- feedback loops and their static loop gains, local
  (logarithmic) sensitivities, global variance-based (Sobol) indices;
* stress response -- baseline, reactivity, time to peak, recovery
  half-time, area above baseline, time outside a reference band, on measured or simulated
  series alike;
* dynamic tests -- simulated TSST, dexamethasone suppression, CRH,
  ACTH and TRH tests, scored with the same :mod:`neuroendo.measures` functions as lab results.

The implementation modules are private; every public name is importable from here and loads
on first use (PEP 562), so ``import neuroendo.analysis`` stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from neuroendo.analysis._dynamic import (
        SimulatedTest,
        dexamethasone_variant,
        simulate_acth_test,
        simulate_crh_test,
        simulate_dst,
        simulate_trh_test,
        simulate_tsst,
    )
    from neuroendo.analysis._sensitivity import (
        FeedbackLoop,
        LocalSensitivity,
        SobolIndices,
        feedback_loops,
        local_sensitivity,
        sobol_estimates,
        sobol_indices,
    )
    from neuroendo.analysis._steady import (
        BifurcationScan,
        SteadyStates,
        bifurcation_scan,
        jacobian,
        relaxed_steady_state,
        stability,
        steady_states,
    )
    from neuroendo.analysis._stress import StressResponse, stress_response

_WHERE = {
    "BifurcationScan": "_steady",
    "SteadyStates": "_steady",
    "bifurcation_scan": "_steady",
    "jacobian": "_steady",
    "relaxed_steady_state": "_steady",
    "stability": "_steady",
    "steady_states": "_steady",
    "FeedbackLoop": "_sensitivity",
    "LocalSensitivity": "_sensitivity",
    "SobolIndices": "_sensitivity",
    "feedback_loops": "_sensitivity",
    "local_sensitivity": "_sensitivity",
    "sobol_estimates": "_sensitivity",
    "sobol_indices": "_sensitivity",
    "StressResponse": "_stress",
    "stress_response": "_stress",
    "SimulatedTest": "_dynamic",
    "dexamethasone_variant": "_dynamic",
    "simulate_acth_test": "_dynamic",
    "simulate_crh_test": "_dynamic",
    "simulate_dst": "_dynamic",
    "simulate_trh_test": "_dynamic",
    "simulate_tsst": "_dynamic",
}

__all__ = [
    "BifurcationScan",
    "FeedbackLoop",
    "LocalSensitivity",
    "SimulatedTest",
    "SobolIndices",
    "SteadyStates",
    "StressResponse",
    "bifurcation_scan",
    "dexamethasone_variant",
    "feedback_loops",
    "jacobian",
    "local_sensitivity",
    "relaxed_steady_state",
    "simulate_acth_test",
    "simulate_crh_test",
    "simulate_dst",
    "simulate_trh_test",
    "simulate_tsst",
    "sobol_estimates",
    "sobol_indices",
    "stability",
    "steady_states",
    "stress_response",
]


def __getattr__(name: str) -> Any:
    """Load submodules and their public names on first use (PEP 562)."""
    if name in _WHERE:
        return getattr(importlib.import_module(f"neuroendo.analysis.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'neuroendo.analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
