"""Personal model fitting: estimate one subject's feedback parameters from their data.

:func:`fit_subject` fits a registered model (or any :class:`~neuroendo.models.ModelSpec`) to a
tidy measurement table by maximum likelihood: a measurement model (:class:`Observation`:
``scale * state``, e.g. saliva vs plasma cortisol), log-normal or normal noise with estimated or
fixed sigmas, fixed protocol inputs (:func:`tsst_input` reads the TSST timing from the data,
:class:`ScaledInput` estimates a stimulus amplitude), Latin-hypercube multistart in log10
parameter space and profile-likelihood confidence intervals. It returns a frozen
:class:`FitResult`. :func:`to_petab` writes the same problem as a PEtab problem for other tools.

Examples
--------
>>> from neuroendo.fit import Observation, fit_subject
>>> Observation("acth", scale="scale_acth").state
'acth'
"""

from __future__ import annotations

from neuroendo.fit._fit import build_problem, fit_subject, tsst_input
from neuroendo.fit._petab import to_petab
from neuroendo.fit._problem import Observation, ScaledInput
from neuroendo.fit._result import FitResult, FitStatus, Profile

__all__ = [
    "FitResult",
    "FitStatus",
    "Observation",
    "Profile",
    "ScaledInput",
    "build_problem",
    "fit_subject",
    "to_petab",
    "tsst_input",
]
