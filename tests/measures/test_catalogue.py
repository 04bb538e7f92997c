"""Every index has a catalogue entry, and every entry points at a real function and unit."""

import importlib
import inspect

import pytest

from neuroendo.measures import CATALOGUE
from neuroendo.units import normalize_unit

FAMILIES = [
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
]

# public functions that compute no index of their own, with the reason
NOT_INDICES = {
    "thyroid.classify": "compares a value with REFERENCE_RANGES",
    "thyroid.reference_range": "returns a ReferenceRange",
    "hrv.clean_rr": "artefact correction step, returns intervals",
    "hrv.from_peaks": "reader: peak times to RR intervals",
    "hrv.read_rr": "reader: RR text files",
    "hrv.time_domain_batch": "batched form of time_domain; same entries",
    "hrv.frequency_domain_batch": "batched form of frequency_domain; same entries",
    "hrv.windowed": "time-resolved form of the time/frequency indices; same entries",
    "references.available": "lists reference names",
    "references.get": "returns a Reference",
    "references.from_interval": "builds a Reference",
    "references.from_intervals": "builds a Reference",
    "references.from_mean_sd": "builds a Reference",
    "references.from_sample": "builds a Reference",
    "references.weighted_percentile": "helper: survey-weighted percentiles of a sample",
}


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_entry_is_complete(name):
    entry = CATALOGUE[name]
    module, fn = entry.function.rsplit(".", 1)
    assert callable(getattr(importlib.import_module(module), fn))
    normalize_unit(entry.unit)  # a UCUM unit (annotations such as {input} allowed)
    assert entry.formula.strip(), name
    assert entry.references, name


@pytest.mark.parametrize("family", FAMILIES)
def test_every_public_function_has_an_entry(family):
    mod = importlib.import_module(f"neuroendo.measures.{family}")
    covered = {e.function for e in CATALOGUE.values()}
    missing = [
        n
        for n in mod.__all__
        if inspect.isfunction(getattr(mod, n))
        and f"neuroendo.measures.{family}.{n}" not in covered
        and f"{family}.{n}" not in NOT_INDICES
    ]
    assert missing == []
