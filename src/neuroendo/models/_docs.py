"""Model reference pages generated from the declarations (no hand-written parameter tables)."""

from __future__ import annotations

import importlib
import inspect

from neuroendo._core.spec import ModelSpec


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(spec: ModelSpec, variants: dict[str, dict[str, float]] | None = None) -> str:
    """Return a Markdown reference page for a model: states, parameters, inputs, references.

    Parameters
    ----------
    spec : ModelSpec
        The model.
    variants : dict, optional
        Named parameter sets (the module's ``VARIANTS``).

    Returns
    -------
    str
        Markdown text; every number comes from the declaration.

    Examples
    --------
    >>> from neuroendo import models
    >>> page = to_markdown(models.get("gupta2007"))
    >>> page.splitlines()[0]
    '# gupta2007'
    """
    module = inspect.getmodule(spec.rhs)
    doc = inspect.getdoc(module) if module is not None else ""
    lines = [
        f"# {spec.name}",
        "",
        f"Axis: `{spec.axis}` · time unit: `{spec.time_unit}`" + (" · stiff" if spec.stiff else ""),
        "",
    ]
    if doc:
        lines += [doc, ""]
    lines += ["## States", "", "| name | initial value | unit | description |", "|---|---|---|---|"]
    lines += [
        f"| `{s.name}` | {s.y0:g} | `{s.unit}` | {_cell(s.description)} |" for s in spec.states
    ]
    lines += [
        "",
        "## Parameters",
        "",
        "| name | value | unit | bounds | source | description |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| `{p.name}` | {p.value:g} | `{p.unit}` | [{p.bounds[0]:g}, {p.bounds[1]:g}] | "
        f"{_cell(p.source)} | {_cell(p.description)} |"
        for p in spec.params
    ]
    if spec.inputs:
        lines += [
            "",
            "## Inputs",
            "",
            "| name | default | unit | description |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| `{i.name}` | {i.default:g} | `{i.unit}` | {_cell(i.description)} |"
            for i in spec.inputs
        ]
    if spec.observables:
        lines += ["", "## Observables", "", "| name | = scale × state | unit |", "|---|---|---|"]
        lines += [
            f"| `{o.name}` | {o.scale:g} × `{o.state}` | `{o.unit}` |" for o in spec.observables
        ]
    if variants:
        lines += ["", "## Variants", ""]
        lines += [
            f"- `{k}`: " + ", ".join(f"`{n}` = {v:g}" for n, v in vals.items())
            for k, vals in variants.items()
        ]
    lines += ["", "## References", ""]
    lines += [
        f"- {r.citation or r.key}" + (f" doi:{r.doi}" if r.doi else "") for r in spec.references
    ]
    lines += ["", "*Generated from the model declaration by `neuroendo.models.to_markdown`.*", ""]
    return "\n".join(lines)


def page(name: str) -> str:
    """Return the reference page of a registered model (see :func:`to_markdown`)."""
    from neuroendo import models

    spec = models.get(name)
    module = importlib.import_module(spec.rhs.__module__)
    return to_markdown(spec, getattr(module, "VARIANTS", None))
