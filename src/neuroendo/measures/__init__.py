"""Indices from measured or simulated arrays: cortisol, thyroid, gonadal, dynamic tests.

Each family is a public module, loaded on first use::

    neuroendo.measures.cortisol       AUC_G/AUC_I, BioPsyKit features, CAR, diurnal slope, TSST
    neuroendo.measures.thyroid        SPINA-GT/GD, Jostel's TSH index, TTSI, TFQI, FT3/FT4
    neuroendo.measures.gonadal        Vermeulen free/bioavailable testosterone, FAI, ratios
    neuroendo.measures.dynamic_tests  dexamethasone suppression, ACTH and CRH stimulation, DEX/CRH
    neuroendo.measures.hrv            HRV: time, frequency (ms²), nonlinear, clean_rr, windowed
    neuroendo.measures.references     age/sex reference distributions with sources (NHANES ...)
    neuroendo.measures.composite      allostatic load, the neuro-hormonal balance profile
    neuroendo.measures.questionnaires PSS-10/14, STAI (+STAI-6), PSQI, PHQ-9, GAD-7, own instruments
    neuroendo.measures.immune         hs-CRP, IL-6, TNF-alpha, NLR, cortisol/CRP and /IL-6 ratios
    neuroendo.measures.metabolic      HOMA1-IR/%B, QUICKI, TyG, SPINA Carb, cortisol/DHEA-S

Measures never import models: an index takes arrays and units, so lab data and simulated
trajectories are treated alike. Every index has an entry in :data:`CATALOGUE` (name, function,
unit, formula, references).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from neuroendo.measures import (
        composite,
        cortisol,
        dynamic_tests,
        gonadal,
        hrv,
        immune,
        metabolic,
        questionnaires,
        references,
        thyroid,
    )
    from neuroendo.measures._catalogue import CATALOGUE, Index

__all__ = [
    "CATALOGUE",
    "Index",
    "composite",
    "cortisol",
    "dynamic_tests",
    "gonadal",
    "hrv",
    "immune",
    "metabolic",
    "questionnaires",
    "references",
    "thyroid",
]

_FAMILIES = {
    "cortisol",
    "thyroid",
    "gonadal",
    "dynamic_tests",
    "hrv",
    "composite",
    "references",
    "questionnaires",
    "immune",
    "metabolic",
}


def __getattr__(name: str) -> Any:
    """Load measure families on first use (PEP 562)."""
    if name in _FAMILIES:
        return importlib.import_module(f"neuroendo.measures.{name}")
    if name in ("CATALOGUE", "Index"):
        return getattr(importlib.import_module("neuroendo.measures._catalogue"), name)
    raise AttributeError(f"module 'neuroendo.measures' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _FAMILIES | {"CATALOGUE", "Index"})
