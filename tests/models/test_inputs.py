import numpy as np
import pytest

from neuroendo import UnitError
from neuroendo.models import inputs


def test_step_and_pulses_values():
    s = inputs.step(1.0, 3.0, 2.0)
    np.testing.assert_array_equal(s([0.0, 1.0, 2.9, 3.0]), [0.0, 2.0, 2.0, 0.0])
    assert inputs.step(1.0)(100.0) == 1.0
    p = inputs.pulses([0, 4], 1.0, [1.0, 3.0])
    np.testing.assert_array_equal(p([0.5, 4.5, 5.5]), [1.0, 3.0, 0.0])
    np.testing.assert_array_equal(p.breakpoints(-1, 10), [0.0, 1.0, 4.0, 5.0])


def test_composition_add_mul_sub():
    a = inputs.step(0, 10, 1.0)
    b = inputs.pulse(2, 1, 5.0)
    np.testing.assert_allclose((a + b)([1.0, 2.5]), [1.0, 6.0])
    np.testing.assert_allclose((2 * a)([1.0]), [2.0])
    np.testing.assert_allclose((a - 0.5)([20.0]), [-0.5])
    np.testing.assert_allclose((a * b)([2.5, 11.0]), [5.0, 0.0])
    assert sorted((a + b).breakpoints(-1, 20)) == [0.0, 2.0, 3.0, 10.0]


def test_tsst_bump_is_smooth_and_converts():
    s = inputs.tsst(onset=30.0, duration=20.0)
    assert s(40.0) == pytest.approx(1.0)
    assert s(30.0) == 0.0
    assert s(50.0) == 0.0
    assert 0 < s(35.0) < 1
    h = s.to_time_unit("h")
    assert h.time_unit == "h"
    assert h(40.0 / 60.0) == pytest.approx(1.0)
    # integral of the smooth bump: (e/2) * int_{-1}^{1} exp(-1/(1-x^2)) dx * duration
    # = (e/2) * 0.443994 * duration = 0.603450 * duration
    tt = np.linspace(30, 50, 20001)
    assert np.trapezoid(s(tt), tt) == pytest.approx(0.603450 * 20.0, rel=1e-4)


def test_circadian_published_form():
    d = inputs.circadian(0.5, 6.0)
    t = np.linspace(0, 48, 97)
    np.testing.assert_allclose(d(t), 1 + 0.5 * np.cos(2 * np.pi * (t - 6.0) / 24))
    two = inputs.circadian(0.5, 6.0, harmonics=[(0.1, 3.0)])
    assert two(6.0) == pytest.approx(1.5 + 0.1 * np.cos(2 * np.pi * 2 * 3.0 / 24))
    m = d.to_time_unit("min")
    assert m(6.0 * 60) == pytest.approx(1.5)


def test_per_subject_circadian():
    d = inputs.circadian([0.5, 0.2, 0.0], 6.0)
    assert d.batch_size == 3
    np.testing.assert_allclose(d(6.0), [1.5, 1.2, 1.0])
    assert d(np.array([6.0, 18.0])).shape == (3, 2)


def test_light_dark_periodic():
    ld = inputs.light_dark(7, 23)
    np.testing.assert_array_equal(ld([0, 7, 12, 23, 24 + 8, 48 + 23.5]), [0, 1, 1, 0, 1, 0])
    np.testing.assert_array_equal(ld.breakpoints(0, 48), [7, 23, 31, 47])
    night = inputs.light_dark(22, 6)
    np.testing.assert_array_equal(night([0.0, 12.0, 23.0]), [1, 0, 1])


def test_chronic_stress_ramp():
    s = inputs.chronic_stress(10, 1.0, stop=40, ramp_time=10, baseline=1.0)
    np.testing.assert_allclose(s([0, 15, 30, 45, 60]), [1.0, 1.5, 2.0, 1.5, 1.0])


def test_drug_doses_integrate_to_dose():
    for sched, dose in [
        (inputs.dexamethasone(1.0, 23.0), 1.0),
        (inputs.crh_injection(100.0, 5.0), 100.0),
        (inputs.acth_injection(250.0), 250.0),
        (inputs.levothyroxine(100.0, n_doses=3), 300.0),
        (inputs.liothyronine(20.0, times=[8.0, 20.0]), 40.0),
        (inputs.gnrh_analogue(3.75, n_doses=2), 7.5),
    ]:
        lo, hi = sched.onsets.min() - 1, (sched.onsets + sched.durations).max() + 1
        tt = np.linspace(lo, hi, 400001)
        assert np.trapezoid(sched(tt), tt) == pytest.approx(dose, rel=1e-3)
    assert inputs.dexamethasone().unit == "mg/h"
    assert inputs.crh_injection().unit == "ug/min"


def test_unit_errors():
    with pytest.raises(UnitError, match=r"'h'.*'1'"):
        inputs.tsst(0.0, time_unit="h").to_time_unit("1")
    with pytest.raises(UnitError, match="time_unit=None"):
        inputs.step(0, 1).to_time_unit("h")
    with pytest.raises(UnitError, match="time_unit"):
        inputs.step(0, 1) + inputs.circadian()
    with pytest.raises(ValueError, match="stop"):
        inputs.step(5, 1)
    with pytest.raises(ValueError, match="shape"):
        inputs.pulses([0], 1, shape="triangle")
    with pytest.raises(ValueError, match="n_doses"):
        inputs.levothyroxine(100.0, interval=24.0)


def test_sum_converts_time_units():
    s = inputs.tsst(60.0, duration=30.0, time_unit="min") + inputs.step(0, 2, 1.0, time_unit="h")
    assert s.time_unit == "min"
    assert s(75.0) == pytest.approx(2.0)
