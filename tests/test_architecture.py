"""Light import and layer checks (MNE-style)."""

import json
import subprocess
import sys

HEAVY = [
    "numba",
    "pint",
    "scipy",
    "pandas",
    "xarray",
    "dask",
    "matplotlib",
    "plotly",
    "fastapi",
    "sqlalchemy",
    "jax",
    "roadrunner",
    "libsbml",
    "typer",
    "rich",
]


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout


def test_import_is_light():
    code = (
        "import sys, json; import neuroendo; "
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    heavy = json.loads(_run(code).strip().splitlines()[-1])
    # the import-time budget (< 0.25 s) is measured in benchmarks/bench_import.py
    assert heavy == [], f"move these imports into the functions that need them: {heavy}"


def test_measures_do_not_import_pint_or_pandas_until_needed():
    code = (
        "import sys, json; import neuroendo.measures.cortisol, neuroendo.measures.thyroid, "
        "neuroendo.measures.gonadal, neuroendo.measures.dynamic_tests; "
        "print(json.dumps([m for m in ('pint', 'typer', 'xarray', 'numba') if m in sys.modules]))"
    )
    assert json.loads(_run(code).strip().splitlines()[-1]) == []


def test_no_global_numpy_random():
    """Random draws take rng/seed; no np.random.<fn> calls on the global state in the package."""
    import pathlib
    import re

    src = pathlib.Path(__file__).resolve().parents[1] / "src" / "neuroendo"
    pattern = re.compile(r"np\.random\.(rand|randn|randint|random|normal|uniform|seed|choice)\(")
    offenders = [
        str(p.relative_to(src)) for p in src.rglob("*.py") if pattern.search(p.read_text("utf-8"))
    ]
    assert offenders == []
