"""The model contract (neuroendo.testing.check_model) over every registered model.

References
----------
.. [1] The toy model below is a one-compartment production/clearance model (no source needed).
"""

import dataclasses

import numpy as np
import pytest

from neuroendo import models
from neuroendo.models import Param, Ref, State
from neuroendo.testing import check_model


@pytest.mark.parametrize("name", models.available())
def test_check_model(name):
    check_model(models.get(name))


def _toy(**changes):
    ref = Ref("toy2026")

    def rhs(t, y, p, u, xp=np):
        (x,) = y
        return (p.k0 - p.k * x,)

    spec = models.ModelSpec(
        name="toy",
        axis="other",
        states=(State("cortisol", 1.0, "nmol/L"),),
        params=(
            Param("k0", 1.0, "nmol/L/h", (0.0, 10.0), ref),
            Param("k", 0.5, "/h", (0.01, 10.0), ref),
        ),
        rhs=rhs,
        time_unit="h",
        references=(ref,),
    )
    return dataclasses.replace(spec, **changes) if changes else spec


def test_contract_accepts_consistent_toy():
    check_model(_toy())


def test_contract_detects_dimension_error():
    ref = Ref("toy2026")
    bad = _toy(
        params=(
            Param("k0", 1.0, "nmol/L", (0.0, 10.0), ref),  # missing /h
            Param("k", 0.5, "/h", (0.01, 10.0), ref),
        ),
        _types={},
    )
    with pytest.raises(AssertionError, match="dimension"):
        check_model(bad)


def test_contract_detects_wrong_length():
    def rhs(t, y, p, u, xp=np):
        return (0.0, 0.0)

    with pytest.raises(AssertionError, match="2 derivatives for 1 states"):
        check_model(_toy(rhs=rhs))


def test_contract_detects_missing_source():
    bad = _toy(
        params=(
            Param("k0", 1.0, "nmol/L/h", (0, 10), Ref("")),
            Param("k", 0.5, "/h", (0.01, 10.0), Ref("toy2026")),
        ),
        _types={},
    )
    with pytest.raises(AssertionError, match="no source"):
        check_model(bad)
