"""Self-contained HTML reports of measures and model fits, for one subject or a cohort.

:func:`render_report` returns the HTML text and :func:`write_report` writes it to a file. The page
needs no network to view: CSS is inline, plots are matplotlib (Agg) PNG images embedded as data
URIs, and there is no JavaScript. Templates are Jinja2 files shipped in
``neuroendo/report/templates``. matplotlib and jinja2 (the ``report`` extra) are imported only
when a report is rendered, so ``import neuroendo.report`` stays light.

Examples
--------
>>> from neuroendo import datasets
>>> from neuroendo.report import render_report
>>> html = render_report(datasets.load_cortisol_sample(), date="2024-01-01")
>>> "Cortisol (HPA axis)" in html
True
"""

from __future__ import annotations

from neuroendo.report._render import SECTIONS, render_report, write_report

__all__ = ["SECTIONS", "render_report", "write_report"]
