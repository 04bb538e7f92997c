"""Shared fixtures: external data directory, golden files, optional tools."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden"


def _shared_data_dir() -> Path:
    env = os.environ.get("NEUROENDO_DATA_DIR")
    return Path(env) if env else REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """``NEUROENDO_DATA_DIR`` or ``../shared/data``; skips cleanly when absent (fresh clone)."""
    path = _shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"external data not present at {path} (fresh clone); set NEUROENDO_DATA_DIR")
    return path


def load_golden(name: str) -> dict[str, Any]:
    """Read ``tests/golden/<name>.toml``."""
    with open(GOLDEN / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)


@pytest.fixture(scope="session")
def golden():
    """Return the golden-file loader: ``golden("cortisol")`` -> dict."""
    return load_golden


@pytest.fixture(scope="session")
def biopsykit_python() -> str:
    """Interpreter with BioPsyKit for cross-checks (``NEUROENDO_BIOPSYKIT_PYTHON``), else skip.

    BioPsyKit 0.14 pins numpy < 2 and pandas < 3, so it lives in its own environment
    (``.ci/run`` builds it); the cross-check tests run small scripts there.
    """
    import subprocess

    exe = os.environ.get("NEUROENDO_BIOPSYKIT_PYTHON")
    if not exe:
        pytest.skip("NEUROENDO_BIOPSYKIT_PYTHON is not set (an interpreter with biopsykit)")
    probe = subprocess.run([exe, "-c", "import biopsykit"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"{exe} cannot import biopsykit: {probe.stderr.strip()[-200:]}")
    return exe


@pytest.fixture
def run_biopsykit(biopsykit_python, tmp_path):
    """Run a script text in the BioPsyKit interpreter: ``run_biopsykit(SCRIPT, *args)``.

    The script is written to ``tmp_path``; a non-zero exit fails the test with its stderr.
    """
    import subprocess

    def run(script: str, *args: object) -> None:
        path = tmp_path / "biopsykit_run.py"
        path.write_text(script)
        done = subprocess.run(
            [biopsykit_python, str(path), *map(str, args)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-2000:]

    return run
