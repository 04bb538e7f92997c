from pathlib import Path

import pytest

from neuroendo import models

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "models" / "reference"


@pytest.mark.parametrize("name", models.available())
def test_reference_page_is_generated_and_current(name):
    page = models.page(name)
    spec = models.get(name)
    for p in spec.params:  # every parameter appears with its value and source
        assert f"| `{p.name}` | {p.value:g} |" in page
    path = REFERENCE / f"{name}.md"
    assert path.is_file(), f"run `python docs/models/generate.py` to create {path.name}"
    assert path.read_text(encoding="utf-8") == page, "run `python docs/models/generate.py`"
