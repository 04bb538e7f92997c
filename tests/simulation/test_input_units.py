"""Inputs in other units: doses in mass units into molar-rate inputs, t0-only outputs."""

import numpy as np
import pytest

from neuroendo import UnitError
from neuroendo.models import inputs
from neuroendo.simulation import simulate


def test_levothyroxine_in_ug_equals_the_molar_dose():
    # THYROSIM's oral T4 input is in umol/h and declares analyte tt4 (776.87 g/mol in the
    # catalogue), so a 400 ug tablet equals 400/776.87 umol
    t = np.linspace(0, 48, 97)
    in_ug = simulate(
        "thyrosim", t, inputs={"t4_oral": inputs.levothyroxine(400, times=[1.0], dose_unit="ug")}
    )
    in_umol = simulate(
        "thyrosim",
        t,
        inputs={"t4_oral": inputs.levothyroxine(400 / 776.87, times=[1.0], dose_unit="umol")},
    )
    np.testing.assert_allclose(in_ug["t4"], in_umol["t4"], rtol=1e-9)
    assert in_ug["t4"][-1] > in_ug["t4"][0]  # the dose raised plasma T4


def test_dose_in_an_impossible_unit_is_rejected():
    with pytest.raises(UnitError, match="t4_oral"):
        simulate(
            "thyrosim",
            [0.0, 1.0],
            inputs={"t4_oral": inputs.levothyroxine(1.0, times=[0.5], dose_unit="m[IU]")},
        )


def test_output_only_at_t0_is_the_initial_state():
    sol = simulate("vinther2011", [5.0])
    np.testing.assert_array_equal(sol.y[:, 0, 0], sol.spec.y0)
