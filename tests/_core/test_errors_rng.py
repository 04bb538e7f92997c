import warnings

import numpy as np
import pytest

import neuroendo
from neuroendo._core.errors import DataQualityWarning, warn
from neuroendo._core.rng import as_generator, spawn


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (neuroendo.ModelDefinitionError, ValueError),
        (neuroendo.DataValidationError, ValueError),
        (neuroendo.UnitError, ValueError),
        (neuroendo.UnknownAnalyteError, KeyError),
        (neuroendo.UnknownAnalyteError, ValueError),
        (neuroendo.SimulationError, RuntimeError),
        (neuroendo.FitError, RuntimeError),
    ],
)
def test_hierarchy(cls, builtin):
    assert issubclass(cls, neuroendo.NeuroendoError)
    assert issubclass(cls, builtin)


def test_warning_hierarchy():
    for w in (
        neuroendo.ConvergenceWarning,
        neuroendo.DataQualityWarning,
        neuroendo.UnitAssumptionWarning,
    ):
        assert issubclass(w, neuroendo.NeuroendoWarning)
        assert issubclass(w, UserWarning)


def test_warn_points_at_the_caller():
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        warn("late sample", DataQualityWarning)  # this line is outside the package
    assert rec[0].category is DataQualityWarning
    assert rec[0].filename == __file__


def test_rng():
    assert as_generator(3).random() == as_generator(3).random()
    g = np.random.default_rng(0)
    assert as_generator(g) is g
    with pytest.raises(TypeError, match="'rng' must be"):
        as_generator("seed")  # type: ignore[arg-type]
    a, b = spawn(1, 2)
    assert a.random() != b.random()
    assert [g.random() for g in spawn(5, 3)] == [g.random() for g in spawn(5, 3)]
