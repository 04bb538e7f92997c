"""Write docs/models/reference/<model>.md from the model declarations.

Run ``python docs/models/generate.py``; ``tests/models/test_docs_pages.py`` fails when a page is
out of date.
"""

from pathlib import Path

from neuroendo import models

OUT = Path(__file__).resolve().parent / "reference"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name in models.available():
        (OUT / f"{name}.md").write_text(models.page(name), encoding="utf-8")
        print(f"wrote {OUT / name}.md")


if __name__ == "__main__":
    main()
