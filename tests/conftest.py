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
