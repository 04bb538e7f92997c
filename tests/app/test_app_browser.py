"""The web app end to end in a real browser (headless Chromium driven by Playwright).

Upload a file, read its lint report, store it, open the subject page, run a simulation, start
a cohort job (measures, and a model fit of uploaded ACTH/cortisol series) and download its CSV,
as a user would, against a real uvicorn server on loopback.
Every step saves a screenshot (to ``$NEUROENDO_TEST_ARTIFACTS/app-browser`` when set, else to
pytest's ``tmp_path``) that must not be blank. Any console error or warning, page error, failed
request or request to a host other than the loopback server fails the test.

Uses the system Chromium (Debian ``chromium``; ``NEUROENDO_CHROMIUM`` overrides), never a
browser downloaded by Playwright; skips cleanly when Chromium or Playwright is missing.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest

pytest.importorskip("fastapi")
uvicorn = pytest.importorskip("uvicorn")

from neuroendo.app import Settings, create_app  # noqa: E402

try:
    from playwright import sync_api
    from playwright.sync_api import expect
except ImportError:  # the tests skip (see the browser fixture)
    sync_api = None

pytestmark = pytest.mark.browser

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# three subjects with a saliva cortisol curve each, and thyroid labs for the balance profile
LABS = "subject,sex,age,sample,time [min],saliva_cortisol [nmol/L],tsh [mIU/L],ft4 [pmol/L]\n"
LABS += "".join(
    f"vp{i},{'FM'[i % 2]},{30 + i},S{k},{t},{c * (1 + i / 10):.2f},{1.2 + i / 2:.2f},{15 - i:.1f}\n"
    for i in range(1, 4)
    for k, (t, c) in enumerate([(-1, 5.0), (10, 9.5), (20, 14.0), (30, 11.0), (45, 7.5)])
)


T_MIN = (0, 15, 30, 40, 50, 65, 80, 95, 110, 140)


def _hpa_csv() -> str:
    """Two subjects with ACTH and cortisol after a TSST at 30 min, one with saliva only."""
    from neuroendo import simulate
    from neuroendo.models import get, inputs
    from neuroendo.models.inputs import Constant

    spec = get("sriram2012")
    y0 = simulate(spec, [200.0], t0=0.0).y[:, 0, -1]
    sol = simulate(
        spec,
        np.array(T_MIN) / 60,
        params={"V_S4": np.array([0.7, 1.2])},
        inputs={"stress": Constant(np.full(2, 3.0)) * inputs.tsst(30, duration=15, shape="square")},
        y0=np.repeat(y0[:, None], 2, axis=1),
    )
    noise = np.exp(0.1 * np.random.default_rng(5).standard_normal((2, 2, len(T_MIN))))
    acth, cort = 40 * sol["acth"] * noise[0], 30 * sol["cortisol"] * noise[1]
    lines = ["subject,time [min],acth [pg/mL],cortisol [nmol/L],saliva_cortisol [nmol/L]"]
    for i in range(2):
        lines += [f"hp{i + 1},{t},{acth[i, k]:.3f},{cort[i, k]:.2f}," for k, t in enumerate(T_MIN)]
    lines += [f"hp3,{t},,,{5 + k}" for k, t in enumerate(T_MIN)]
    return "\n".join(lines) + "\n"


def _chromium() -> str | None:
    for cand in (
        os.environ.get("NEUROENDO_CHROMIUM"),
        shutil.which("chromium"),
        "/usr/bin/chromium",
    ):
        if cand and Path(cand).is_file():
            return cand
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def browser():
    exe = _chromium()
    if exe is None:
        pytest.skip("chromium not installed (apt-get install chromium)")
    if sync_api is None:
        pytest.skip("playwright not installed (pip install playwright; no browser download)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def server(tmp_path):
    """A real uvicorn server with a fresh SQLite database, on a free loopback port."""
    settings = Settings(data_dir=tmp_path / "data", port=_free_port())
    app = create_app(settings)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=settings.port, log_level="warning", lifespan="on"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{settings.port}"
    srv.should_exit = True
    thread.join(timeout=30)


@pytest.fixture
def artifacts(tmp_path, request):
    env = os.environ.get("NEUROENDO_TEST_ARTIFACTS")
    base = Path(env) / "app-browser" if env else tmp_path / "artifacts"
    out = base / request.node.name.replace("/", "_")
    out.mkdir(parents=True, exist_ok=True)
    return out


def _pixels(png: bytes) -> np.ndarray:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        return np.asarray(im.convert("RGB"), dtype=float) / 255.0


def _check_not_blank(png: bytes, what: str, *, min_ink: float = 0.02) -> np.ndarray:
    """Assert a screenshot shows something: enough non-white pixels and contrast."""
    img = _pixels(png)
    ink = float(np.mean(np.any(img < 0.9, axis=-1)))
    std = float(img.std())
    assert min(img.shape[:2]) > 50, f"{what}: tiny screenshot {img.shape}"
    assert ink > min_ink, f"{what} looks blank ({ink:.3f} of the pixels are not white)"
    assert std > 0.03, f"{what} looks flat (pixel SD {std:.3f})"
    return img


def _colour_fraction(img: np.ndarray) -> float:
    """Fraction of clearly coloured (not grey) pixels: the plotted lines."""
    return float(np.mean(img.max(axis=-1) - img.min(axis=-1) > 0.25))


class Watch:
    """Collect console errors/warnings, page errors, failed and foreign requests."""

    def __init__(self, page, base: str) -> None:
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.expected: list[tuple[int, str]] = []
        self.seen_expected: list[tuple[int, str]] = []
        host = urlsplit(base).hostname
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("requestfailed", self._failed)
        page.on("request", lambda r: self._request(r.url, host))

    def _console(self, msg) -> None:
        if msg.type not in ("error", "warning"):
            return
        where = (msg.location or {}).get("url", "")
        for status, url in self.expected:
            if where == url and f"status of {status} " in msg.text:
                self.seen_expected.append((status, url))
                return
        self.problems.append(f"console {msg.type}: {msg.text} ({msg.location})")

    def expect_status(self, status: int, url: str) -> None:
        """Chromium logs a page answered with an error status (e.g. a 422 lint report)."""
        self.expected.append((status, url))

    def _failed(self, req) -> None:
        # a download handled by the browser is reported as an aborted navigation
        if req.failure and "ERR_ABORTED" in req.failure and "/result" in req.url:
            return
        self.problems.append(f"request failed: {req.url} ({req.failure})")

    def _request(self, url: str, host: str | None) -> None:
        self.requests.append(url)
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.hostname not in LOOPBACK or parts.hostname != host:
            self.problems.append(f"request to a non-loopback host: {url}")


def _shot(page, artifacts: Path, name: str, *, full: bool = True) -> np.ndarray:
    png = page.screenshot(path=str(artifacts / f"{name}.png"), full_page=full)
    return _check_not_blank(png, f"screenshot {name}")


def _download_results(page, artifacts: Path, shot: str) -> list[str]:
    """Screenshot a finished job page, download its results CSV and return its lines."""
    link = page.get_by_role("link", name="Download results (CSV)")
    assert link.is_visible()
    _shot(page, artifacts, shot)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.failure() is None
    saved = artifacts / download.suggested_filename
    download.save_as(saved)
    return saved.read_text().splitlines()


def _loopback_page(browser, server):
    """A context with downloads whose page may talk to the app only (anything else is refused)."""
    context = browser.new_context(
        base_url=server, viewport={"width": 1200, "height": 900}, accept_downloads=True
    )
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if urlsplit(route.request.url).hostname in LOOPBACK else route.abort()
        ),
    )
    page = context.new_page()
    return context, page, Watch(page, server)


def test_upload_store_subject_simulate_job_download(browser, server, artifacts, tmp_path):
    context, page, watch = _loopback_page(browser, server)
    try:
        # 1. upload a file: the lint report comes first, nothing is stored yet
        page.goto("/upload")
        assert page.locator("h1").inner_text() == "Upload lab results"
        csv = tmp_path / "study-labs.csv"
        csv.write_text(LABS)
        page.set_input_files('input[type="file"]', str(csv))
        page.get_by_role("button", name="Check file").click()
        page.wait_for_url("**/upload")
        assert page.locator("h1").inner_text() == "Lint report: study-labs.csv"
        summary = page.locator("p.ok").inner_text()
        assert "0 error(s)" in summary
        assert "45 observations of 3 subject(s)" in summary
        _shot(page, artifacts, "01-lint-report")
        # 2. store it: the subject list shows the three subjects
        page.get_by_role("button", name="Store 45 observations").click()
        page.wait_for_url("**/subjects?stored=*")
        rows = page.locator("table tbody tr")
        assert rows.count() == 3
        assert rows.nth(0).locator("td").nth(3).inner_text() == "15"
        _shot(page, artifacts, "02-subjects")
        # 3. the subject page: time line plots drawn by plot.js, balance profile, observations
        page.get_by_role("link", name="vp2", exact=True).click()
        page.wait_for_url("**/subjects/vp2")
        assert page.locator("h1").inner_text() == "Subject vp2"
        page.wait_for_selector(".plot svg polyline, .plot svg path", state="attached")
        assert page.locator('.plot[data-plot="timeline"] svg').count() == 3
        assert page.locator("table").nth(0).locator("tbody tr").count() >= 2  # balance
        assert page.get_by_text("Balance index").count() == 1
        _shot(page, artifacts, "03-subject")
        plot = page.locator('.plot[data-plot="timeline"]')
        png = plot.screenshot(path=str(artifacts / "03-subject-timeline.png"))
        img = _check_not_blank(png, "time line plot", min_ink=0.005)
        assert _colour_fraction(img) > 0.002, "no coloured line in the time line plot"
        # 4. a simulation: TSST on the Sriram 2012 HPA model
        page.get_by_role("link", name="Simulator").click()
        page.wait_for_url("**/simulate")
        page.select_option('select[name="model"]', "sriram2012")
        page.select_option('select[name="protocol"]', "tsst")
        page.fill('input[name="t_end"]', "10")
        page.get_by_role("button", name="Simulate").click()
        page.wait_for_url("**/simulate?model=sriram2012*")
        assert page.locator(".error").count() == 0, page.locator(".error").all_inner_texts()
        assert "Stress-response metrics of cortisol" in page.locator("main").inner_text()
        page.wait_for_selector('.plot[data-plot="trajectories"] svg', state="attached")
        assert page.locator('.plot[data-plot="trajectories"] svg').count() >= 3
        metrics = page.locator("main table").last.inner_text()
        assert "reactivity" in metrics
        _shot(page, artifacts, "04-simulation")
        traj = page.locator('.plot[data-plot="trajectories"]')
        img = _check_not_blank(
            traj.screenshot(path=str(artifacts / "04-trajectories.png")),
            "trajectories",
            min_ink=0.005,
        )
        assert _colour_fraction(img) > 0.002, "no coloured line in the trajectories"
        # 5. a cohort job: start, follow the progress (polled by plot.js), download the CSV
        page.get_by_role("link", name="Cohort jobs").click()
        page.wait_for_url("**/jobs")
        page.fill('input[name="query"]', "vp")
        page.get_by_role("button", name="Compute measures").click()
        page.wait_for_url("**/jobs/*")
        expect(page.locator(".job-status")).to_have_text("done", timeout=60_000)
        lines = _download_results(page, artifacts, "05-job")
        assert lines[0].startswith("subject,")
        assert "cortisol_auc_g [nmol.min/L]" in lines[0]
        assert "tsh [m[IU]/L]" in lines[0]
        assert sorted(ln.split(",")[0] for ln in lines[1:]) == ["vp1", "vp2", "vp3"]
        # the job list shows it as done, with the CSV link
        page.get_by_role("link", name="Cohort jobs").click()
        page.wait_for_url("**/jobs")
        assert page.locator("table tbody tr").first.locator("td").nth(2).inner_text() == "done"
        _shot(page, artifacts, "06-jobs")
        assert watch.problems == []
        assert any(u.endswith("/static/plot.js") for u in watch.requests)
    finally:
        context.close()
    assert len(list(artifacts.glob("*.png"))) == 8


def test_bad_file_shows_issues_and_no_store_button(browser, server, artifacts, tmp_path):
    context = browser.new_context(base_url=server, viewport={"width": 1200, "height": 800})
    page = context.new_page()
    watch = Watch(page, server)
    try:
        page.goto("/upload")
        watch.expect_status(422, f"{server}/upload")  # the lint report of a file with errors
        bad = tmp_path / "bad.csv"
        bad.write_text("subject,tsh [mIU/L],ft4 [pmol/L]\ns1,1.0,16.5\ns1,-2.0,x\n")
        page.set_input_files('input[type="file"]', str(bad))
        page.get_by_role("button", name="Check file").click()
        page.wait_for_url("**/upload")
        assert "Fix the errors" in page.locator("p.error").inner_text()
        issues = page.locator("table.issues tbody tr")
        assert issues.count() >= 2
        text = page.locator("table.issues").inner_text()
        assert "value-not-number" in text
        assert "value-negative" in text
        assert page.get_by_role("button", name="Store").count() == 0
        _shot(page, artifacts, "bad-file-report")
        page.goto("/subjects")
        assert "No subjects" in page.locator("main").inner_text()
        assert watch.seen_expected == [(422, f"{server}/upload")]
        assert watch.problems == []
    finally:
        context.close()


def test_fit_job_from_the_jobs_page(browser, server, artifacts, tmp_path):
    context, page, watch = _loopback_page(browser, server)
    try:
        # 1. upload and store the ACTH/cortisol series
        page.goto("/upload")
        csv = tmp_path / "hpa-series.csv"
        csv.write_text(_hpa_csv())
        page.set_input_files('input[type="file"]', str(csv))
        page.get_by_role("button", name="Check file").click()
        page.wait_for_url("**/upload")
        assert "0 error(s)" in page.locator("p.ok").inner_text()
        page.get_by_role("button", name="Store").click()
        page.wait_for_url("**/subjects?stored=*")
        assert page.locator("table tbody tr").count() == 3
        # 2. the jobs page: a bad parameter name is refused with the form kept
        page.get_by_role("link", name="Cohort jobs").click()
        page.wait_for_url("**/jobs")
        assert page.locator('select[name="model"]').input_value() == "sriram2012"
        page.fill('input[name="query"]', "hp")
        page.fill('input[name="free"]', "V_S5x")
        watch.expect_status(422, f"{server}/jobs")
        page.get_by_role("button", name="Fit model").click()
        page.wait_for_url("**/jobs")
        assert "Unknown parameter 'V_S5x'" in page.locator("p.error").inner_text()
        assert page.locator('input[name="query"]').input_value() == "hp"
        _shot(page, artifacts, "01-fit-form-error")
        # 3. a valid fit: ACTH clearance free, TSST at 30 min with amplitude 3, noise SD 0.1
        page.fill('input[name="free"]', "V_S4")
        page.fill('input[name="fixed"]', "A=3")
        page.fill('input[name="starts"]', "2")
        page.fill('input[name="seed"]', "4")
        page.fill('input[name="sigma"]', "0.1")
        page.fill('input[name="tsst_onset"]', "30")
        page.get_by_role("button", name="Fit model").click()
        page.wait_for_url("**/jobs/*")
        assert "(fit)" in page.locator("h1").inner_text()
        expect(page.locator(".job-status")).to_have_text("done", timeout=60_000)
        message = page.locator(".job-message").inner_text()
        assert "2 converged" in message, message
        assert "1 skipped" in message
        lines = _download_results(page, artifacts, "02-fit-job")
        assert lines[0].startswith("subject,status,message,V_S4 [/h],V_S4_ci_lower [/h]")
        rows = {ln.split(",")[0]: ln.split(",")[1] for ln in lines[1:]}
        assert rows == {"hp1": "converged", "hp2": "converged", "hp3": "skipped"}
        # 4. the job list shows the fit as done, with its CSV link
        page.get_by_role("link", name="Cohort jobs").click()
        page.wait_for_url("**/jobs")
        first = page.locator("table tbody tr").first.locator("td")
        assert first.nth(1).inner_text() == "fit"
        assert first.nth(2).inner_text() == "done"
        _shot(page, artifacts, "03-jobs")
        assert watch.seen_expected == [(422, f"{server}/jobs")]
        assert watch.problems == []
    finally:
        context.close()
    assert len(list(artifacts.glob("*.png"))) == 3
