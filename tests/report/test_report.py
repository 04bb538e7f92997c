"""HTML structure of neuroendo.report: sections, self-containment, formulas, warnings, errors."""

import base64
import io
import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("jinja2")
pytest.importorskip("matplotlib")

from neuroendo import datasets
from neuroendo._core.errors import DataValidationError, UnitError
from neuroendo.measures import CATALOGUE, cortisol, thyroid
from neuroendo.report import SECTIONS, render_report, write_report

DATE = "2024-01-01"


def _rr(n=400, seed=1):
    """Synthetic RR series (ms) with LF and HF oscillations, about 5.7 min."""
    rng = np.random.default_rng(seed)
    t = np.cumsum(np.full(n, 0.85))
    return (
        850 + 40 * np.sin(2 * np.pi * 0.25 * t) + 25 * np.sin(2 * np.pi * 0.1 * t)
        + rng.normal(0, 8, n)
    )  # fmt: skip


@pytest.fixture
def saliva():
    df = pd.DataFrame(
        {
            "subject": ["s1"] * 5,
            "sample": ["S0", "S1", "S2", "S3", "S4"],
            "cortisol": [5.0, 6.0, 12.0, 10.0, 7.0],
            "time": [-1.0, 10.0, 20.0, 30.0, 45.0],
        }
    ).set_index(["subject", "sample"])
    df.attrs["units"] = {"cortisol": "nmol/L", "time": "min"}
    return df


@pytest.fixture
def labs():
    df = pd.DataFrame(
        {
            "subject": ["s1", "s2", "s3"],
            "age": [35.0, 42.0, 29.0],
            "sex": ["M", "F", "M"],
            "tsh": [1.8, 3.9, 0.9],
            "ft4": [15.2, 11.0, 19.8],
            "ft3": [5.1, 4.2, 6.3],
            "testosterone": [18.0, 1.1, 25.0],
            "shbg": [35.0, 60.0, 28.0],
        }
    )
    df.attrs["units"] = {
        "age": "a", "tsh": "m[IU]/L", "ft4": "pmol/L", "ft3": "pmol/L", "testosterone": "nmol/L",
        "shbg": "nmol/L",
    }  # fmt: skip
    return df


@pytest.fixture
def fit():
    t = np.linspace(0, 60, 61)
    return {
        "t": t,
        "predicted": 5 + 6 * np.exp(-(((t - 25) / 12) ** 2)),
        "t_obs": [0.0, 10.0, 20.0, 30.0, 45.0],
        "observed": [5.0, 6.0, 12.0, 10.0, 7.0],
        "params": {"ki1": 0.1, "krd": 0.9},
        "model": "gupta2007",
        "unit": "nmol/L",
    }


@pytest.fixture
def full_html(saliva, labs, fit):
    rr = {"s1": _rr(seed=1), "s2": _rr(seed=2), "s3": _rr(seed=3)}
    return render_report(saliva=saliva, labs=labs, rr=rr, fit=fit, date=DATE)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.urls = []
        self.ids = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for k, v in attrs:
            if k in ("src", "href", "action", "poster", "data") and v is not None:
                self.urls.append((tag, k, v))
            if k == "id":
                self.ids.append(v)


def _parse(html):
    c = _Collector()
    c.feed(html)
    c.close()
    return c


def test_every_section_is_present_in_order(full_html):
    ids = re.findall(r'<section id="sec-([a-z]+)"', full_html)
    assert ids == list(SECTIONS)
    for title in ("Inputs", "Cortisol (HPA axis)", "Thyroid (HPT axis)", "Gonadal (HPG axis)",
                  "Heart rate variability", "Balance profile", "Model fit", "Warnings",
                  "Methods and references"):  # fmt: skip
        assert title in full_html
    c = _parse(full_html)
    assert len(c.ids) == len(set(c.ids)), "duplicate element ids"
    # the table of contents links every section
    for key in SECTIONS:
        assert f'href="#sec-{key}"' in full_html


def test_report_is_self_contained(full_html):
    c = _parse(full_html)
    assert "script" not in c.tags
    assert "iframe" not in c.tags
    assert c.urls, "the report should embed images"
    for tag, attr, url in c.urls:
        assert url.startswith(("data:", "#")), f"<{tag} {attr}={url[:60]!r}> is not embedded"
    assert not re.search(r"https?://", " ".join(u for _, _, u in c.urls))
    assert "@import" not in full_html
    assert not re.search(r"url\(\s*['\"]?https?:", full_html)
    assert "<style>" in full_html


def test_plots_are_png_data_uris_that_are_not_blank(full_html):
    from matplotlib.image import imread

    srcs = re.findall(r'<img src="data:image/png;base64,([^"]+)"', full_html)
    # cortisol curve, thyroid, gonadal, tachogram, PSD, balance, model fit
    assert len(srcs) == 7
    for b64 in srcs:
        png = base64.b64decode(b64)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        img = imread(io.BytesIO(png), format="png")[..., :3]
        non_white = np.mean(np.any(img < 0.9, axis=-1))
        assert non_white > 0.02, "a figure is (nearly) blank"
        assert img.std() > 0.05


def test_cortisol_features_carry_values_formulas_and_references(saliva):
    html = render_report(saliva, cortisol_kwargs={"remove_s0": True}, date=DATE)
    feats = cortisol.features(saliva, remove_s0=True)
    auc = float(feats["cortisol_auc_g"].iloc[0])
    assert f"{auc:.4g}" in html
    for col in feats.columns:
        entry = CATALOGUE[col]
        assert col in html
        assert _escaped(entry.formula) in html, f"formula of {col} missing"
        for ref in entry.references:
            assert _escaped(ref) in html
    assert "S0 removed" in html
    assert "AUC_G = " in html  # figure caption and legend value


def _escaped(text):
    import html as h

    return h.escape(text, quote=True)


def test_cohort_demo_shows_groups_and_per_subject_table():
    df = datasets.load_cortisol_sample()
    html = render_report(df, cortisol_kwargs={"remove_s0": True}, date=DATE)
    assert "cohort of 26 subjects" in html
    assert "Control: mean ± SD" in html
    assert "Intervention: mean ± SD" in html
    assert "Mean ± SE cortisol per condition" in html
    assert "<details>" in html
    assert "Cortisol features per subject (26 rows)" in html
    assert "BioPsyKit example_data" in html  # data source in header and methods


def test_inputs_table_shows_units_canonical_units_and_reference_ranges(labs):
    html = render_report(labs, date=DATE)
    sec = _section(html, "inputs")
    assert "m[IU]/L" in sec
    assert "pmol/L" in sec
    r = thyroid.reference_range("spina_gt")
    assert f"{r.low:.4g}–{r.high:.4g} pmol/s" in html
    # FT4: SHIP reference interval 8.3-18.9 pmol/L from neuroendo.measures.references
    pytest.importorskip("neuroendo.measures.references")
    assert "8.3–18.9 pmol/L" in sec


def _section(html, key):
    m = re.search(rf'<section id="sec-{key}".*?</section>', html, re.S)
    assert m, f"section {key} missing"
    return m.group(0)


def test_thyroid_classification_matches_library(labs):
    html = render_report(labs, measures=["thyroid"], date=DATE)
    gt = thyroid.spina_gt(labs["tsh"], labs["ft4"], tsh_unit="m[IU]/L", ft4_unit="pmol/L")
    cls = thyroid.classify("spina_gt", gt)
    counts = ", ".join(f"{k} {int(np.sum(cls == k))}" for k in ("below", "within", "above"))
    assert counts in _section(html, "thyroid")
    ids = re.findall(r'<section id="sec-([a-z]+)"', html)
    assert ids == ["inputs", "thyroid", "warnings", "methods"]


def test_warnings_raised_while_computing_are_listed_not_raised():
    short = np.full(100, 800.0) + np.linspace(0, 50, 100)  # 80 s: too short for LF
    html = render_report(rr=short, date=DATE)
    sec = _section(html, "warnings")
    assert "DataQualityWarning" in sec
    assert "LF" in sec


def test_prior_warnings_and_empty_warning_section(saliva):
    html = render_report(saliva, date=DATE)
    assert "No warnings were raised" in _section(html, "warnings")
    html = render_report(saliva, date=DATE, prior_warnings=["read: 2 empty rows skipped"])
    assert "read: 2 empty rows skipped" in _section(html, "warnings")


def test_text_is_escaped(saliva):
    html = render_report(saliva, title="<b>x</b> & y", date=DATE)
    assert "<b>x</b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in html


def test_header_has_subject_date_and_version(saliva):
    import neuroendo

    html = render_report(saliva, date=DATE)
    assert "subject s1" in html
    assert DATE in html
    assert f"neuroendo {neuroendo.__version__}" in html


def test_missing_unit_raises(labs):
    labs.attrs["units"] = {}
    with pytest.raises(UnitError, match="'tsh'"):
        render_report(labs, date=DATE)


def test_units_argument_overrides(labs):
    labs.attrs["units"] = {}
    units = {"tsh": "m[IU]/L", "ft4": "pmol/L", "ft3": "pmol/L", "testosterone": "nmol/L",
             "shbg": "nmol/L"}  # fmt: skip
    html = render_report(labs, units=units, measures=["thyroid", "gonadal"], date=DATE)
    assert 'id="sec-gonadal"' in html


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({}, DataValidationError, "Nothing to report"),
        ({"measures": ["thyroid"], "rr": _rr()}, DataValidationError, "'thyroid'"),
        ({"measures": ["thyriod"], "rr": _rr()}, ValueError, "Did you mean 'thyroid'"),
        ({"fit": {"t": [0, 1]}}, DataValidationError, "predicted"),
        ({"fit": {"t": [0, 1], "predicted": [1, 2, 3]}}, DataValidationError, "shape"),
    ],
)
def test_bad_input_raises(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        render_report(**kwargs)


def test_data_must_be_a_dataframe():
    with pytest.raises(DataValidationError, match="DataFrame"):
        render_report([1, 2, 3])


def test_write_report(tmp_path, saliva):
    out = write_report(tmp_path / "r.html", saliva, date=DATE)
    assert out.read_text("utf-8") == render_report(saliva, date=DATE)
    with pytest.raises(DataValidationError, match="does not exist"):
        write_report(tmp_path / "missing" / "r.html", saliva)


def test_output_is_deterministic_for_a_fixed_date(saliva, labs):
    a = render_report(saliva=saliva, labs=labs, rr=_rr(), date=DATE)
    b = render_report(saliva=saliva, labs=labs, rr=_rr(), date=DATE)
    assert a == b


def test_import_is_light():
    code = (
        "import sys, json; import neuroendo.report; "
        "print(json.dumps([m for m in ('matplotlib', 'jinja2', 'pandas') if m in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_fit_result_from_neuroendo_fit():
    fitmod = pytest.importorskip("neuroendo.fit")
    t = np.array([0.0, 1.0, 2.0, 4.0, 8.0, 12.0])
    df = pd.DataFrame(
        {"time": t, "analyte": "cortisol", "unit": "1", "value": 0.05 + 0.2 * np.exp(-0.3 * t)}
    )
    df.attrs["units"] = {"time": "1"}
    res = fitmod.fit_subject(
        "gupta2007", df, free={"kad": (1.0, 100.0)}, fixed={"sigma_cortisol": 0.05}, starts=3,
        seed=1, ci="wald", y0={"cortisol": 0.25},
    )  # fmt: skip
    html = render_report(fit=res, date=DATE)
    sec = _section(html, "fit")
    assert "gupta2007" in sec
    assert "kad" in sec
    assert f"{res['kad']:.4g}" in sec
    assert 'data-plot="model_fit"' in sec
