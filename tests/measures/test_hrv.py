"""Tests of neuroendo.measures.hrv: golden values, conventions, bad input, cleaning, readers."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from neuroendo._core.errors import DataQualityWarning, DataValidationError
from neuroendo.measures import hrv
from neuroendo.measures._catalogue import CATALOGUE

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "hrv.toml"


@pytest.fixture(scope="module")
def gold() -> dict:
    with open(GOLDEN, "rb") as fh:
        return tomllib.load(fh)


def _close(got: float, want: float, rtol: float, atol: float, what: str) -> None:
    assert math.isclose(got, want, rel_tol=rtol, abs_tol=atol), f"{what}: {got!r} != {want!r}"


def _sine_rr(amplitude: float, freq: float, step: float, duration: float) -> np.ndarray:
    t = np.arange(0.0, duration, step)
    return 800.0 + amplitude * np.sin(2 * np.pi * freq * t)


# --------------------------------------------------------------------------- golden
@pytest.mark.golden
def test_time_domain_golden(gold):
    for case in gold["time_domain"]:
        out = hrv.time_domain(case["rr_ms"], pnn_denominator=case["pnn_denominator"])
        for key, want in case["expected"].items():
            _close(out[key], want, case["rtol"], case["atol"], f"{case['id']} {key}")


@pytest.mark.golden
def test_nonlinear_poincare_golden(gold):
    for case in gold["nonlinear"]:
        with pytest.warns(DataQualityWarning, match="DFA_alpha1 needs at least 32"):
            out = hrv.nonlinear(case["rr_ms"])
        for key, want in case["expected"].items():
            _close(out[key], want, case["rtol"], case["atol"], f"{case['id']} {key}")


@pytest.mark.golden
@pytest.mark.parametrize("method", ["welch", "lomb"])
def test_frequency_sinusoid_golden(gold, method):
    case = gold["frequency_domain"][0]
    rr = _sine_rr(case["amplitude_ms"], case["frequency_hz"], case["step_s"], case["duration_s"])
    out = hrv.frequency_domain(rr, method=method)
    _close(out["LF"], case["expected"]["LF"], case["rtol"], case["atol"], f"{method} LF")
    assert out["HF"] < 0.01 * out["LF"]
    assert out["LFn"] > 99.0


@pytest.mark.golden
def test_biopsykit_vp01_neurokit_0210(gold, data_dir):
    """NeuroKit2 0.2.10 hrv_time per phase on BioPsyKit's Vp01 R peaks (outliers dropped)."""
    path = data_dir / "biopsykit" / "ecg_processing_results" / "rpeaks_result_Vp01.xlsx"
    sheets = pd.read_excel(path, sheet_name=None)
    for case in gold["biopsykit_vp01"]:
        df = sheets[case["phase"]]
        assert len(df) == case["n_beats"]
        assert int(df["R_Peak_Outlier"].sum()) == case["n_outliers"]
        rr = df.loc[df["R_Peak_Outlier"] == 0, "RR_Interval"].to_numpy() * 1000.0
        # NeuroKit2 0.2.10 rounded the cumulative sum to 1000 Hz peaks (see the golden file)
        rr = np.diff(np.concatenate(([0.0], np.round(np.cumsum(rr)))))
        out = hrv.time_domain(rr, pnn_denominator="intervals")
        for key, want in case["expected"].items():
            _close(out[key], want, case["rtol"], case["atol"], f"{case['phase']} {key}")


def _read_24h(data_dir: Path) -> dict[str, np.ndarray]:
    base = data_dir / "physionet_rr_rhrvbook"
    records = {}
    for p in sorted((base / "nsr2db").glob("*_rr_secs.txt")):
        records[p.stem] = hrv.read_rr(p)["RRI"][1:]  # first value: offset to the first beat
    for p in sorted((base / "rr_healthy_irurzun_ms").glob("*.txt")):
        records[f"irurzun_{p.stem}"] = hrv.read_rr(p)["RRI"]
    return records


@pytest.mark.golden
def test_24h_healthy_records_within_task_force_norms(gold, data_dir):
    records = _read_24h(data_dir)
    assert len(records) == 6
    norms = {n["measure"]: n for n in gold["norms_24h"]}
    for name, rr in records.items():
        assert rr.sum() / 3.6e6 > 20.0, name  # about a day
        cleaned = hrv.clean_rr(rr, "malik1989")
        assert cleaned.report["percent_changed"] < 2.0, (name, cleaned.report)
        out = hrv.time_domain(cleaned)
        for measure, norm in norms.items():
            lo = norm["mean"] - norm["n_sd"] * norm["sd"]
            hi = norm["mean"] + norm["n_sd"] * norm["sd"]
            assert lo <= out[measure] <= hi, (name, measure, out[measure])
        # long-recording indices exist and are ordered as physiology says: SDNN > SDANN > SDNNI
        assert out["SDNN"] > out["SDANN"] > out["SDNNI"] > 0


def test_24h_nsr001_offset_line_is_not_an_interval(data_dir):
    path = data_dir / "physionet_rr_rhrvbook" / "nsr2db" / "nsr001_rr_secs.txt"
    d = hrv.read_rr(path)
    assert d["RRI"][0] == pytest.approx(225_800, rel=1e-3)  # the offset, converted to ms
    assert 500 < np.median(d["RRI"]) < 1500  # the rest are intervals in s, converted to ms
    # the reader does not guess offsets; the offset fails the physiological limits in clean_rr
    assert hrv.clean_rr(d).flag[0] == "too_long"


# --------------------------------------------------------------------------- conventions
def test_pnn_denominators_differ_by_n_over_n_plus_1():
    rr = [800, 900, 780, 860, 800, 870, 790]
    a = hrv.time_domain(rr)
    b = hrv.time_domain(rr, pnn_denominator="intervals")
    assert a["NN50"] == b["NN50"] == 6
    assert a["pNN50"] == pytest.approx(100.0)
    assert b["pNN50"] == pytest.approx(100.0 * 6 / 7)


def test_time_stamps_exclude_differences_across_gaps():
    rr = np.array([800.0, 810, 790, 805, 795])
    t = np.cumsum(rr) / 1000.0
    keep = np.array([True, True, False, True, True])  # beat 3 removed: a gap between 810 and 805
    out = hrv.time_domain({"RRI": rr[keep], "RRI_Time": t[keep]})
    # only the pairs (800, 810) and (805, 795) are successive
    assert out["RMSSD"] == pytest.approx(math.sqrt((10**2 + 10**2) / 2))
    plain = hrv.time_domain(rr[keep])
    assert plain["RMSSD"] != pytest.approx(out["RMSSD"])


def test_dict_dataframe_and_array_inputs_agree():
    rr = _sine_rr(30, 0.25, 0.8, 120) + np.linspace(0, 20, 150)
    t = np.cumsum(rr) / 1000
    a = hrv.time_domain(rr)
    b = hrv.time_domain({"RRI": rr, "RRI_Time": t})
    c = hrv.time_domain(pd.DataFrame({"RRI": rr}))
    for k in ("SDNN", "RMSSD", "pNN50", "HTI"):
        assert a[k] == pytest.approx(b[k], rel=1e-12)
        assert a[k] == pytest.approx(c[k], rel=1e-12)


def test_hti_bins_of_1_128_s():
    # 125 ms = 16 bins of 7.8125 ms exactly: 781.25 and 789 share a bin, 800 does not
    out = hrv.time_domain([781.25, 789.0, 800.0, 781.3, 900.0])
    assert out["HTI"] == pytest.approx(5 / 3)


def test_sdann_sdnni_on_constructed_segments():
    # three 5-min segments at constant RR 750, 800, 1000 ms; each segment's last beat ends 1 ms
    # before the segment edge (a beat belongs to the segment in which it ends)
    rr = np.concatenate(
        [[749.0], np.full(399, 750.0), np.full(375, 800.0), np.full(300, 1000.0), [1000.0]]
    )
    out = hrv.time_domain(rr)
    means = [(749 + 399 * 750) / 400, 800.0, 1000.0]
    assert out["SDANN"] == pytest.approx(np.std(means, ddof=1), rel=1e-12)
    sd0 = np.std(np.r_[749.0, np.full(399, 750.0)], ddof=1)
    assert out["SDNNI"] == pytest.approx(sd0 / 3, rel=1e-9)
    assert math.isnan(hrv.time_domain(rr[:700])["SDANN"])  # fewer than 3 complete segments


def test_sdann_sdnni_against_pandas_groupby():
    rng = np.random.default_rng(21)
    rr = 800 + 60 * np.sin(np.arange(4000) / 300) + rng.normal(0, 25, 4000)
    t = np.cumsum(rr) / 1000
    df = pd.DataFrame({"rr": rr, "seg": np.floor(t / 300)})
    df = df[df["seg"] < np.floor(t[-1] / 300)]
    g = df.groupby("seg")["rr"]
    out = hrv.time_domain(rr)
    assert out["SDANN"] == pytest.approx(g.mean().std(ddof=1), rel=1e-10)
    assert out["SDNNI"] == pytest.approx(g.std(ddof=1).mean(), rel=1e-10)


def test_frequency_lf_hf_by_band_and_ratios():
    t = np.arange(0.0, 300.0, 0.8)
    rr = 800 + 40 * np.sin(2 * np.pi * 0.1 * t) + 20 * np.sin(2 * np.pi * 0.25 * t)
    for method in ("welch", "lomb"):
        out = hrv.frequency_domain(rr, method=method)
        assert out["LF"] == pytest.approx(800.0, rel=0.03), method
        assert out["HF"] == pytest.approx(200.0, rel=0.05), method
        assert out["LFHF"] == pytest.approx(out["LF"] / out["HF"])
        assert out["LFn"] == pytest.approx(100 * out["LF"] / (out["LF"] + out["HF"]))
        assert out["LFn"] + out["HFn"] == pytest.approx(100.0)
        assert out["LnHF"] == pytest.approx(math.log(out["HF"]))
        assert out["TP"] >= out["LF"] + out["HF"]


def test_frequency_custom_bands():
    rr = _sine_rr(40, 0.1, 0.8, 300)
    out = hrv.frequency_domain(rr, bands={"LF": (0.05, 0.12)})
    assert out["LF"] == pytest.approx(800.0, rel=0.03)
    with pytest.raises(ValueError, match="Band 'HF'"):
        hrv.frequency_domain(rr, bands={"HF": (0.4, 0.15)})
    with pytest.raises(ValueError, match="bands key"):
        hrv.frequency_domain(rr, bands={"MF": (0.1, 0.2)})


def test_nonlinear_white_noise_and_brownian():
    rng = np.random.default_rng(7)
    white = 800 + rng.normal(0, 30, 3000)
    out = hrv.nonlinear(white)
    assert out["DFA_alpha2"] == pytest.approx(0.5, abs=0.1)
    assert out["DFA_alpha1"] == pytest.approx(0.5, abs=0.15)
    assert out["SampEn"] == pytest.approx(2.185, abs=0.1)  # -ln P(|X-Y| <= 0.2 SD), Gaussian
    brown = 800 + np.cumsum(rng.normal(0, 3, 3000))
    assert hrv.nonlinear(brown)["DFA_alpha1"] == pytest.approx(1.5, abs=0.15)


def test_sampen_regular_series_is_zero_and_counts_by_brute_force():
    periodic = np.tile([800.0, 850.0, 900.0], 100)
    assert hrv.nonlinear(periodic)["SampEn"] == pytest.approx(0.0, abs=1e-12)
    from neuroendo.measures import _hrv_core as core

    x = np.random.default_rng(2).normal(size=60)
    r = 0.2 * x.std(ddof=1)
    n_t = x.size - 2
    b = sum(
        max(abs(x[i] - x[j]), abs(x[i + 1] - x[j + 1])) <= r
        for i in range(n_t)
        for j in range(i + 1, n_t)
    )
    a = sum(
        max(abs(x[i + k] - x[j + k]) for k in range(3)) <= r
        for i in range(n_t)
        for j in range(i + 1, n_t)
    )
    assert core.sample_entropy_counts(x, 2, r, chunk=7) == (a, b)


# --------------------------------------------------------------------------- batch and windows
def test_time_domain_batch_equals_single_calls():
    rng = np.random.default_rng(11)
    recs = [800 + rng.normal(0, 40, n) for n in (50, 400, 1300)]
    df = hrv.time_domain_batch(recs)
    assert df.shape == (3, 21)
    assert df.attrs["units"]["pNN50"] == "%"
    for i, rr in enumerate(recs):
        single = hrv.time_domain(rr)
        for k, v in single.items():
            if math.isnan(v):
                assert math.isnan(df.iloc[i][k])
            else:
                assert df.iloc[i][k] == pytest.approx(v, rel=1e-12), k
    arr = np.vstack([recs[1][:50], recs[0]])
    df2 = hrv.time_domain_batch(arr)
    assert df2.iloc[1]["RMSSD"] == pytest.approx(df.iloc[0]["RMSSD"], rel=1e-12)
    named = hrv.time_domain_batch({"a": recs[0], "b": {"RRI": recs[1]}})
    assert named.index.tolist() == ["a", "b"]


def test_time_domain_batch_on_error():
    recs = [[800, 810, 790, 850], [0.8, 0.81, 0.79], [800, np.nan, 790]]
    with pytest.raises(DataValidationError, match=r"recordings\[1\].*seconds"):
        hrv.time_domain_batch(recs)
    df = hrv.time_domain_batch(recs, on_error="skip")
    assert df["status"].tolist() == ["ok", "failed", "failed"]
    assert "rr_s * 1000" in df["message"].iloc[1]
    assert df["RMSSD"].isna().tolist() == [False, True, True]


def test_frequency_domain_batch_equals_single_and_reports_short():
    recs = [_sine_rr(a, 0.25, 0.8, 300) for a in (20.0, 40.0)]
    df = hrv.frequency_domain_batch(recs)
    for i, rr in enumerate(recs):
        assert df.iloc[i]["HF"] == pytest.approx(hrv.frequency_domain(rr)["HF"], rel=1e-12)
    with pytest.warns(DataQualityWarning, match="1 recording"):
        hrv.frequency_domain_batch([recs[0], recs[0][:100]])
    skip = hrv.frequency_domain_batch([recs[0], [800, 0, 810, 820]], on_error="skip")
    assert skip["status"].tolist() == ["ok", "failed"]


def test_windowed_matches_time_domain_on_each_window():
    rng = np.random.default_rng(5)
    rr = 800 + rng.normal(0, 30, 1200)
    df = hrv.windowed(rr, window=120, step=60, measures=("RMSSD", "SDNN", "pNN50", "HF"))
    t = np.cumsum(rr) / 1000
    for start, row in df.iloc[[0, 3, -1]].iterrows():
        sel = (t >= start) & (t < start + 120)
        ref = hrv.time_domain(rr[sel])
        assert row["n_beats"] == sel.sum()
        for k in ("RMSSD", "SDNN", "pNN50"):
            assert row[k] == pytest.approx(ref[k], rel=1e-12)
        assert row["HF"] > 0
    assert df.index.name == "window_start_s"
    assert df.index[-1] + 120 <= t[-1]
    with pytest.raises(ValueError, match="measures"):
        hrv.windowed(rr, measures=("RMSDD",))
    with pytest.raises(DataValidationError, match="shorter than one window"):
        hrv.windowed(rr[:100], window=300)


# --------------------------------------------------------------------------- bad input
def test_seconds_passed_as_ms_is_detected():
    with pytest.raises(DataValidationError, match=r"seconds \(median 0\.805\).*rr_s \* 1000"):
        hrv.time_domain([0.8, 0.81, 0.79, 0.85])
    with pytest.raises(DataValidationError, match="seconds"):
        hrv.frequency_domain(np.full(400, 0.8))
    with pytest.raises(DataValidationError, match="seconds"):
        hrv.nonlinear(np.full(400, 0.8))


def test_peak_samples_passed_as_rr_are_detected():
    with pytest.raises(DataValidationError, match="from_peaks"):
        hrv.time_domain(np.arange(1, 200) * 8000.0)


@pytest.mark.parametrize(
    ("rr", "match"),
    [
        ([800, np.nan, 810, 790], "NaN or infinite.*position"),
        ([800, np.inf, 810, 790], "NaN or infinite"),
        ([800, -810, 790, 820], "positive RR intervals.*-810"),
        ([800, 0, 790, 820], "positive RR intervals"),
        ([800, 810], "at least 3"),
        ([[800, 810], [790, 800]], "dimension"),
        (["a", "b", "c"], "numbers"),
        ({"RR": [800, 810, 820]}, "'RRI' entry"),
        ({"RRI": [800, 810, 820], "RRI_Time": [0.8, 1.6]}, "one time stamp"),
        ({"RRI": [800.0, 810, 820, 830], "RRI_Time": [800.0, 1610, 2430, 3260]}, "ms"),
        ({"RRI": [800.0, 810, 820], "RRI_Time": [0.8, 0.8, 2.4]}, "strictly increasing"),
    ],
)
def test_bad_input_raises(rr, match):
    with pytest.raises(DataValidationError, match=match):
        hrv.time_domain(rr)


def test_bad_options_raise():
    rr = _sine_rr(20, 0.1, 0.8, 300)
    with pytest.raises(ValueError, match=r"pnn_denominator.*Did you mean 'intervals'"):
        hrv.time_domain(rr, pnn_denominator="interval")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="method"):
        hrv.frequency_domain(rr, method="burg")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="interpolation_rate"):
        hrv.frequency_domain(rr, interpolation_rate=0.5)
    with pytest.raises(ValueError, match="dfa_alpha1"):
        hrv.nonlinear(rr, dfa_alpha1=(8, 4))


def test_short_recording_for_bands_warns_or_raises():
    rr = _sine_rr(30, 0.1, 0.8, 90)  # 90 s: enough for HF (60 s), too short for LF and VLF
    with pytest.warns(DataQualityWarning, match=r"lasts 90\.\d s.*LF \(0\.04-0\.15 Hz\) needs 120"):
        out = hrv.frequency_domain(rr)
    assert np.isfinite(out["LF"])
    nan = hrv.frequency_domain(rr, on_short="nan")
    assert math.isnan(nan["LF"])
    assert math.isnan(nan["VLF"])
    assert np.isfinite(nan["HF"])
    with pytest.raises(DataValidationError, match="too short for"):
        hrv.frequency_domain(rr, on_short="raise")
    quiet = hrv.frequency_domain(rr, on_short="ignore")
    assert quiet["LF"] == out["LF"]
    with pytest.raises(DataValidationError, match="too short for a spectrum"):
        hrv.frequency_domain([800, 810, 790, 800])


def test_five_minute_recording_gives_no_warning():
    rr = _sine_rr(30, 0.1, 0.8, 300)
    out = hrv.frequency_domain(rr)  # warnings are errors in this test run
    assert math.isnan(out["ULF"])  # below the lowest resolvable frequency (4/T Hz)
    assert np.isfinite(out["VLF"])


def test_nonlinear_too_short_for_dfa_warns():
    rr = 800 + np.random.default_rng(0).normal(0, 20, 100)
    with pytest.warns(DataQualityWarning, match="DFA_alpha2 needs at least 128"):
        out = hrv.nonlinear(rr)
    assert math.isnan(out["DFA_alpha2"])
    assert np.isfinite(out["DFA_alpha1"])


# --------------------------------------------------------------------------- cleaning
def test_clean_rr_malik_interpolates_and_reports():
    rr = [800, 810, 600, 1000, 805, 795, 2500, 800, 790]
    c = hrv.clean_rr(rr)
    assert c.flag.tolist() == ["ok", "ok", "ectopic", "ectopic", "ok", "ok", "too_long", "ok", "ok"]
    assert c.mask.tolist() == [False, False, True, True, False, False, True, False, False]
    assert c.report["interpolated"] == 3
    assert c.report["removed"] == 0
    assert c.rr_ms[6] == pytest.approx((795 + 800) / 2)
    assert np.allclose(np.diff(c.time_s) * 1000, c.rr_ms[1:])  # consistent time stamps
    assert hrv.time_domain(c)["RMSSD"] == pytest.approx(hrv.time_domain(c.rr_ms)["RMSSD"])


def test_clean_rr_remove_leaves_gaps_that_time_domain_respects():
    rr = np.array([800.0, 810, 600, 1000, 805, 795])
    c = hrv.clean_rr(rr, correction="remove")
    assert c.rr_ms.tolist() == [800.0, 810.0, 805.0, 795.0]
    assert c.action.tolist() == ["kept", "kept", "removed", "removed", "kept", "kept"]
    out = hrv.time_domain(c)
    assert out["RMSSD"] == pytest.approx(10.0)  # (800, 810) and (805, 795) only
    assert hrv.time_domain(c.as_rri())["RMSSD"] == pytest.approx(10.0)


def test_clean_rr_kamath_asymmetric_limits():
    # +30 % passes Kamath (<= 32.5 %) but not Malik (20 %); -25 % fails Kamath (24.5 %)
    up = [1000, 1000, 1300, 1300, 1300]
    assert hrv.clean_rr(up, "kamath1995").report["ectopic"] == 0
    assert hrv.clean_rr(up, "malik1989").report["ectopic"] == 1
    down = [1000, 1000, 750, 750, 750]
    assert hrv.clean_rr(down, "kamath1995").report["ectopic"] == 1


def test_clean_rr_limits_only_and_edges_removed():
    c = hrv.clean_rr([250, 800, 810, 700, 2100], "limits")
    assert c.flag.tolist() == ["too_short", "ok", "ok", "ok", "too_long"]
    assert c.action.tolist() == ["removed", "kept", "kept", "kept", "removed"]
    assert c.report["n_out"] == 3
    with pytest.raises(DataValidationError, match="all 3 intervals were flagged"):
        hrv.clean_rr([100, 150, 120], "limits")
    with pytest.raises(ValueError, match="limits"):
        hrv.clean_rr([800, 810, 820], limits=(2000, 300))


def test_clean_rr_does_not_lock_onto_a_short_accepted_beat():
    # a 19 %-short beat is accepted; the normal beats after it must not be rejected en masse
    rr = np.r_[np.full(50, 500.0), 406.0, 617.0, np.full(200, 530.0)]
    c = hrv.clean_rr(rr)
    assert c.report["ectopic"] <= 2


# --------------------------------------------------------------------------- readers
def test_from_peaks_samples_and_seconds():
    a = hrv.from_peaks([0, 200, 410, 600], sampling_rate=250)
    assert a["RRI"].tolist() == pytest.approx([800.0, 840.0, 760.0])
    assert a["RRI_Time"].tolist() == pytest.approx([0.8, 1.64, 2.4])
    b = hrv.from_peaks([10.0, 10.8, 11.64, 12.4])
    assert b["RRI"] == pytest.approx(a["RRI"])
    assert hrv.time_domain(a)["RMSSD"] == pytest.approx(hrv.time_domain(a["RRI"])["RMSSD"])
    with pytest.raises(DataValidationError, match="strictly increasing"):
        hrv.from_peaks([0, 200, 150], sampling_rate=250)


def test_read_rr_formats(tmp_path):
    p = tmp_path / "polar.txt"
    p.write_text("RR\n800\n810\n\n790\n")
    assert hrv.read_rr(p)["RRI"].tolist() == [800.0, 810.0, 790.0]
    k = tmp_path / "kubios.txt"
    k.write_text("# exported\ntime;RR\n0.8;0.800\n1.61;0.810\n2.4;0.790\n")
    d = hrv.read_rr(k)
    assert d["RRI"] == pytest.approx([800.0, 810.0, 790.0])
    assert d["RRI_Time"] == pytest.approx([0.8, 1.61, 2.4])
    w = tmp_path / "crlf.txt"
    w.write_bytes(b"800\r\n810\r\n790\r\n")
    assert hrv.read_rr(w)["RRI"].tolist() == [800.0, 810.0, 790.0]
    assert hrv.read_rr(w, unit="s")["RRI"][0] == 800_000.0
    amb = tmp_path / "amb.txt"
    amb.write_text("80\n81\n79\n")
    with pytest.raises(DataValidationError, match="neither seconds"):
        hrv.read_rr(amb)
    bad = tmp_path / "bad.txt"
    bad.write_text("800\n810\nabc\n")
    with pytest.raises(DataValidationError, match="line 3"):
        hrv.read_rr(bad)


def test_read_rr_ghrv_sample(data_dir):
    d = hrv.read_rr(data_dir / "physionet_rr_rhrvbook" / "ghrv_samples" / "rr.txt")
    assert 300 < np.median(d["RRI"]) < 2000  # seconds detected and converted
    hrv.time_domain(d)


# --------------------------------------------------------------------------- catalogue
def test_catalogue_has_every_hrv_output():
    keys = set(hrv.time_domain([800, 810, 790, 850, 820]))
    keys |= set(hrv.frequency_domain(_sine_rr(20, 0.1, 0.8, 300)))
    keys |= set(hrv.nonlinear(800 + np.random.default_rng(0).normal(0, 20, 300)))
    for k in keys:
        entry = CATALOGUE[k]
        assert entry.function.startswith("neuroendo.measures.hrv.")
        assert entry.references
        assert entry.formula
        assert entry.unit
    assert CATALOGUE["SDNN"].loinc == "80404-7"
    assert [k for k in keys if CATALOGUE[k].loinc] == ["SDNN"]
