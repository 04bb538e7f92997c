"""The report in headless Chromium: every section renders, no console errors, plots are drawn.

Driven with Playwright for Python against the system Chromium (Debian ``chromium``), never a
browser that Playwright downloads: ``launch(executable_path=...)``. Skips cleanly when Chromium or
Playwright is missing. Set ``NEUROENDO_CHROMIUM`` to use another Chromium binary.
"""

import io
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("jinja2")
pytest.importorskip("matplotlib")

from neuroendo import datasets
from neuroendo.report import SECTIONS, write_report

pytestmark = pytest.mark.browser

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium():
    for cand in (
        os.environ.get("NEUROENDO_CHROMIUM"),
        shutil.which("chromium"),
        "/usr/bin/chromium",
    ):
        if cand and Path(cand).is_file():
            return cand
    return None


@pytest.fixture(scope="module")
def browser():
    exe = _chromium()
    if exe is None:
        pytest.skip("chromium not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        # headless by default; Playwright gives every launch a fresh temporary profile (it
        # rejects --user-data-dir in args)
        b = p.chromium.launch(executable_path=exe, args=FLAGS)
        yield b
        b.close()


def _rr(seed):
    rng = np.random.default_rng(seed)
    t = np.cumsum(np.full(400, 0.85))
    return 850 + 40 * np.sin(2 * np.pi * 0.25 * t) + rng.normal(0, 8, 400)


@pytest.fixture(scope="module")
def full_report(tmp_path_factory):
    labs = pd.DataFrame(
        {
            "subject": ["s1", "s2"],
            "age": [35.0, 42.0],
            "sex": ["M", "F"],
            "tsh": [1.8, 3.9],
            "ft4": [15.2, 11.0],
            "ft3": [5.1, 4.2],
            "testosterone": [18.0, 1.1],
            "shbg": [35.0, 60.0],
        }
    )
    labs.attrs["units"] = {"tsh": "m[IU]/L", "ft4": "pmol/L", "ft3": "pmol/L",
                           "testosterone": "nmol/L", "shbg": "nmol/L"}  # fmt: skip
    t = np.linspace(0, 60, 61)
    fit = {"t": t, "predicted": 5 + 6 * np.exp(-(((t - 25) / 12) ** 2)), "model": "gupta2007",
           "t_obs": [0.0, 20.0, 45.0], "observed": [5.0, 11.0, 7.0]}  # fmt: skip
    path = tmp_path_factory.mktemp("report") / "full.html"
    write_report(
        path,
        saliva=datasets.load_cortisol_sample(),
        labs=labs,
        rr={"s1": _rr(1), "s2": _rr(2)},
        fit=fit,
        cortisol_kwargs={"remove_s0": True},
        date="2024-01-01",
    )
    return path


def _open(browser, path):
    """Open the file offline; record console errors, page errors and any network request."""
    context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning") else None)  # fmt: skip
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.on("request", lambda r: problems.append(f"network request: {r.url}")
            if not r.url.startswith(("file:", "data:")) else None)  # fmt: skip
    page.goto(path.as_uri(), wait_until="load")
    return context, page, problems


def _non_blank(png: bytes) -> tuple[float, float]:
    from matplotlib.image import imread

    img = imread(io.BytesIO(png), format="png")[..., :3]
    return float(np.mean(np.any(img < 0.9, axis=-1))), float(img.std())


def test_every_section_renders_without_console_errors(browser, full_report):
    context, page, problems = _open(browser, full_report)
    try:
        for key in SECTIONS:
            sec = page.locator(f"#sec-{key}")
            assert sec.count() == 1, key
            assert sec.is_visible(), key
            box = sec.bounding_box()
            assert box is not None, key
            assert box["height"] > 40, key
        # every image decoded with a real size (a broken data URI gives naturalWidth 0)
        sizes = page.eval_on_selector_all(
            "img", "els => els.map(e => [e.complete, e.naturalWidth, e.naturalHeight])"
        )
        assert len(sizes) >= 8
        assert all(c and w > 100 and h > 100 for c, w, h in sizes), sizes
        assert problems == []
    finally:
        context.close()


def test_screenshots_show_drawn_plots(browser, full_report):
    context, page, problems = _open(browser, full_report)
    try:
        figures = page.locator("figure.plot img")
        n = figures.count()
        assert n >= 8
        for i in range(n):
            fig = figures.nth(i)
            fig.scroll_into_view_if_needed()
            frac, std = _non_blank(fig.screenshot())
            name = page.locator("figure.plot").nth(i).get_attribute("data-plot")
            assert frac > 0.02, f"plot {name} looks blank ({frac:.3f} non-white)"
            assert std > 0.05, f"plot {name} looks flat (pixel SD {std:.3f})"
        frac, _ = _non_blank(page.screenshot(full_page=True))
        assert frac > 0.05
        assert problems == []
    finally:
        context.close()


def test_demo_report_renders(browser, tmp_path):
    path = write_report(tmp_path / "demo.html", datasets.load_cortisol_sample(), date="2024-01-01")
    context, page, problems = _open(browser, path)
    try:
        assert page.title() == "neuroendo report"
        assert "cohort of 26 subjects" in page.locator("#report-who").inner_text()
        frac, std = _non_blank(page.locator('figure[data-plot="cortisol_curve"] img').screenshot())
        assert frac > 0.02
        assert std > 0.05
        assert problems == []
    finally:
        context.close()
