import numpy as np
import pytest

from neuroendo._core.errors import DataValidationError, ModelDefinitionError, UnitError
from neuroendo.analysis import (
    dexamethasone_variant,
    simulate_acth_test,
    simulate_crh_test,
    simulate_dst,
    simulate_trh_test,
    simulate_tsst,
)
from neuroendo.models import get
from neuroendo.simulation import simulate


def test_dexamethasone_suppresses_cortisol_and_stronger_gr_feedback_suppresses_more():
    # smaller ki2 = stronger GR-mediated inhibition of ACTH (Gupta 2007 eq. 10)
    r = simulate_dst("gupta2007", params={"ki2": [0.1, 0.05, 0.02]}, time_unit_as="h")
    s = r.scores["suppression"]
    assert (r.scores["cortisol_dex"] < r.scores["cortisol_control"]).all()
    assert (s > 0).all()
    assert np.all(np.diff(s) > 0)
    assert r.result is None
    assert "cortisol_scale" in r.notes
    # more dexamethasone, more suppression
    big = simulate_dst("gupta2007", dose=4.0, time_unit_as="h")
    assert big.scores["suppression"][0] > s[0]


def test_dst_classification_goes_through_the_measures_function():
    from neuroendo.measures.dynamic_tests import dexamethasone_suppression

    # say 1 model cortisol unit = 100 nmol/L (vinther baseline ~3 -> ~300 nmol/L)
    r = simulate_dst("vinther2011", strength=20.0, cortisol_scale=100.0)
    ref = dexamethasone_suppression(r.scores["cortisol_dex"] * 100.0)
    assert r.result.category == ref.category
    assert r.result.value == pytest.approx(ref.value)


def test_dex_variant_without_dex_equals_the_model():
    spec = get("gupta2007")
    v = dexamethasone_variant(spec, half_life=4.0)
    t = np.linspace(0, 50, 11)
    a = simulate(spec, t)
    b = simulate(v, t)
    np.testing.assert_allclose(b.y[:4], a.y, rtol=1e-5, atol=1e-9)  # solver step sequences differ
    assert np.all(b["dexamethasone"] == 0)


def test_tsst_acth_peaks_before_cortisol():
    r = simulate_tsst("vinther2011", level=5.0)
    assert r.scores["acth_peak_minute"][0] < r.scores["cortisol_peak_minute"][0]
    assert r.scores["auc_i"][0] > 0
    assert bool(r.result["tsst_responder"].iloc[0])
    g = simulate_tsst("gupta2007", level=5.0, time_unit_as="h")
    assert g.scores["acth_peak_minute"][0] < g.scores["cortisol_peak_minute"][0]


def test_tsst_auc_and_responder_are_the_measures_functions():
    import pandas as pd

    from neuroendo.measures.cortisol import auc_i, tsst_responder

    r = simulate_tsst("vinther2011", level=5.0, cortisol_scale=5.0, criterion="absolute")
    sal = r.samples["cortisol"][0]
    t = r.sample_minutes["cortisol"]
    assert r.scores["auc_i"][0] == pytest.approx(auc_i(t, sal))
    df = pd.DataFrame(
        {"subject": 0, "sample": [f"S{k}" for k in range(t.size)], "time": t, "cortisol": sal}
    )
    df.attrs["units"] = {"cortisol": "nmol/L"}
    ref = tsst_responder(df, criterion="absolute")
    assert r.result["tsst_increase"].iloc[0] == pytest.approx(ref["tsst_increase"].iloc[0])
    # an absolute criterion needs a physical unit
    with pytest.raises(UnitError):
        simulate_tsst("vinther2011", criterion="absolute")


def test_crh_and_acth_tests():
    crh = simulate_crh_test("vinther2011")
    assert crh.result.category[0] == "response"
    assert crh.scores["acth_rise_pct"][0] > 35
    acth = simulate_acth_test("vinther2011", cortisol_scale=100.0)
    assert acth.scores["cortisol_rise_pct"][0] > 0
    assert acth.result.category in ("adequate_response", "subnormal_response")
    weak = simulate_acth_test("vinther2011", params={"k2": [0.0013198, 0.0003]})
    assert weak.scores["cortisol_increment"][1] < weak.scores["cortisol_increment"][0]


def test_trh_test_raises_tsh():
    r = simulate_trh_test("simthyr")
    assert r.scores["tsh_rise_pct"][0] > 0
    assert "m[IU]/L" in r.notes


def test_bad_models_and_units():
    with pytest.raises(ModelDefinitionError, match="'stress' input"):
        simulate_tsst("simthyr")
    with pytest.raises(ModelDefinitionError, match="'trh' input"):
        simulate_trh_test("vinther2011")
    with pytest.raises(ModelDefinitionError, match="state 'cortisol'"):
        simulate_dst("simthyr")
    with pytest.raises(DataValidationError, match="time_unit_as"):
        simulate_dst("gupta2007")
    with pytest.raises(DataValidationError, match="before onset"):
        simulate_tsst("vinther2011", sample_minutes=[0, 10, 20])
