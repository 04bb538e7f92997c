"""SBML Level 3 export of a model declaration (python-libsbml, imported on first use).

The right-hand side of a :class:`~neuroendo._core.spec.ModelSpec` is pure ``xp`` arithmetic, so it
can be *traced*: calling it with symbolic states, parameters and inputs and a symbolic ``xp``
namespace yields one infix formula per derivative. Each state becomes an SBML parameter with a
rate rule (``constant="false"``), each model parameter and input a constant parameter, so the file
runs unchanged in libRoadRunner, COPASI or tellurium. Units are written as SBML annotations of the
UCUM strings (SBML unit definitions cannot express UCUM's arbitrary units such as ``[IU]``).

Examples
--------
>>> import numpy as np
>>> from neuroendo._core.spec import ModelSpec, Param, Ref, State
>>> def rhs(t, y, p, u, xp=np):
...     (x,) = y
...     return (-p.k * xp.exp(x),)
>>> spec = ModelSpec("toy", "other", (State("x", 1.0, "1"),),
...                  (Param("k", 0.5, "1", (0.0, 1.0), Ref("toy")),), rhs, "1")
>>> trace(spec)["x"]
'(-(k)) * (exp(x))'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from neuroendo._core.errors import ModelDefinitionError
from neuroendo._core.spec import ModelSpec

__all__ = ["export", "trace"]


def _fmt(v: Any) -> str:
    if isinstance(v, Sym):
        return v.expr
    x = float(v)
    if not math.isfinite(x):
        raise ModelDefinitionError(f"Cannot write the non-finite constant {x!r} to SBML.")
    return repr(x) if x >= 0 else f"({x!r})"


class Sym:
    """A symbolic scalar that records arithmetic as an SBML L3 infix string."""

    __slots__ = ("expr",)
    __array_priority__ = 1000  # keep numpy scalars from swallowing the operation

    def __init__(self, expr: str) -> None:
        self.expr = expr

    def __repr__(self) -> str:
        return f"Sym({self.expr!r})"

    def _bin(self, op: str, other: Any, reverse: bool = False) -> Sym:
        a, b = (_fmt(other), self.expr) if reverse else (self.expr, _fmt(other))
        return Sym(f"({a}) {op} ({b})")

    def __add__(self, o: Any) -> Sym:
        return self._bin("+", o)

    def __radd__(self, o: Any) -> Sym:
        return self._bin("+", o, True)

    def __sub__(self, o: Any) -> Sym:
        return self._bin("-", o)

    def __rsub__(self, o: Any) -> Sym:
        return self._bin("-", o, True)

    def __mul__(self, o: Any) -> Sym:
        return self._bin("*", o)

    def __rmul__(self, o: Any) -> Sym:
        return self._bin("*", o, True)

    def __truediv__(self, o: Any) -> Sym:
        return self._bin("/", o)

    def __rtruediv__(self, o: Any) -> Sym:
        return self._bin("/", o, True)

    def __pow__(self, o: Any) -> Sym:
        return self._bin("^", o)

    def __rpow__(self, o: Any) -> Sym:
        return self._bin("^", o, True)

    def __neg__(self) -> Sym:
        return Sym(f"-({self.expr})")

    def __pos__(self) -> Sym:
        return self

    def __lt__(self, o: Any) -> Sym:
        return self._bin("<", o)

    def __le__(self, o: Any) -> Sym:
        return self._bin("<=", o)

    def __gt__(self, o: Any) -> Sym:
        return self._bin(">", o)

    def __ge__(self, o: Any) -> Sym:
        return self._bin(">=", o)

    def __and__(self, o: Any) -> Sym:
        return self._bin("&&", o)

    def __or__(self, o: Any) -> Sym:
        return self._bin("||", o)

    def __bool__(self) -> bool:
        raise ModelDefinitionError(
            "The model's rhs branches on a state or parameter value (an `if` or `and`/`or`); "
            "write it with xp.where(...) so it can be traced to SBML and compiled."
        )


def _unary(name: str) -> Any:
    def f(x: Any) -> Sym:
        return Sym(f"{name}({_fmt(x)})")

    return f


class _SymNamespace:
    """The ``xp`` namespace for tracing: the numpy functions a model rhs may use."""

    pi = math.pi
    e = math.e
    exp = staticmethod(_unary("exp"))
    log = staticmethod(_unary("ln"))
    log10 = staticmethod(_unary("log10"))
    sqrt = staticmethod(_unary("sqrt"))
    sin = staticmethod(_unary("sin"))
    cos = staticmethod(_unary("cos"))
    tan = staticmethod(_unary("tan"))
    tanh = staticmethod(_unary("tanh"))
    abs = staticmethod(_unary("abs"))
    floor = staticmethod(_unary("floor"))
    ceil = staticmethod(_unary("ceil"))

    @staticmethod
    def power(a: Any, b: Any) -> Sym:
        return Sym(f"({_fmt(a)}) ^ ({_fmt(b)})")

    @staticmethod
    def where(cond: Any, a: Any, b: Any) -> Sym:
        return Sym(f"piecewise({_fmt(a)}, {_fmt(cond)}, {_fmt(b)})")

    @staticmethod
    def maximum(a: Any, b: Any) -> Sym:
        return Sym(f"max({_fmt(a)}, {_fmt(b)})")

    @staticmethod
    def minimum(a: Any, b: Any) -> Sym:
        return Sym(f"min({_fmt(a)}, {_fmt(b)})")

    @staticmethod
    def asarray(x: Any, *args: Any, **kwargs: Any) -> Any:
        return x

    def __getattr__(self, name: str) -> Any:
        raise ModelDefinitionError(
            f"xp.{name} is not supported in SBML export; use arithmetic and the functions "
            "exp, log, sqrt, sin, cos, tan, tanh, abs, power, where, maximum, minimum."
        )


def trace(spec: ModelSpec) -> dict[str, str]:
    """Trace a model's rhs into one SBML L3 infix formula per state.

    Parameters
    ----------
    spec : ModelSpec
        The model declaration.

    Returns
    -------
    dict
        State name -> infix formula in terms of state, parameter and input names and ``time``.

    Raises
    ------
    ModelDefinitionError
        If the rhs uses a construct that cannot be traced (``if`` on values, unsupported ``xp``
        functions) or returns the wrong number of derivatives.
    """
    y = tuple(Sym(n) for n in spec.state_names)
    p = spec.P(*(Sym(n) for n in spec.param_names))
    u = spec.U(*(Sym(n) for n in spec.input_names))
    out = spec.rhs(Sym("time"), y, p, u, xp=_SymNamespace())
    if len(out) != len(y):
        raise ModelDefinitionError(
            f"Model {spec.name!r}: rhs returned {len(out)} derivatives for {len(y)} states."
        )
    return {n: _fmt(d) for n, d in zip(spec.state_names, out, strict=True)}


def export(
    spec: ModelSpec,
    path: str | Path | None = None,
    *,
    params: Mapping[str, float] | None = None,
    inputs: Mapping[str, float] | None = None,
) -> str:
    """Write a model as valid SBML Level 3 Version 2.

    Parameters
    ----------
    spec : ModelSpec
        The model (``neuroendo.models.get(name)``).
    path : str or Path, optional
        Where to write the file; the SBML text is returned in any case.
    params : mapping, optional
        Parameter values overriding the nominal ones.
    inputs : mapping, optional
        Constant input values overriding the defaults (time-varying schedules are not exported).

    Returns
    -------
    str
        The SBML document.

    Raises
    ------
    ModelDefinitionError
        If the model cannot be traced or libSBML reports an error in the document.
    ImportError
        If python-libsbml is not installed (``pip install "neuroendo[sbml]"``).
    """
    try:
        import libsbml
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError(
            'SBML export needs python-libsbml: pip install "neuroendo[sbml]"'
        ) from exc

    values = {p.name: p.value for p in spec.params}
    for k, v in (params or {}).items():
        spec.param(k)
        values[k] = float(v)
    in_values = {i.name: i.default for i in spec.inputs}
    for k, v in (inputs or {}).items():
        if k not in in_values:
            raise ModelDefinitionError(
                f"Model {spec.name!r} has no input {k!r}; inputs are {', '.join(in_values)}."
            )
        in_values[k] = float(v)
    formulas = trace(spec)

    doc = libsbml.SBMLDocument(3, 2)
    model = doc.createModel()
    model.setId(spec.name if spec.name[0].isalpha() else f"m_{spec.name}")
    model.setName(spec.description.split(".")[0] if spec.description else spec.name)
    notes = "; ".join(str(r) for r in spec.references)
    model.setNotes(
        '<body xmlns="http://www.w3.org/1999/xhtml"><p>Exported by neuroendo. Time unit: '
        f"{spec.time_unit} (UCUM). References: {notes}</p></body>"
    )

    def add_param(pid: str, value: float, constant: bool, unit: str, what: str) -> None:
        par = model.createParameter()
        par.setId(pid)
        par.setValue(float(value))
        par.setConstant(constant)
        par.setName(f"{what} [{unit}]")

    for s in spec.states:
        add_param(s.name, s.y0, False, s.unit, s.description or "state")
    for prm in spec.params:
        add_param(prm.name, values[prm.name], True, prm.unit, prm.description or "parameter")
    for inp in spec.inputs:
        add_param(inp.name, in_values[inp.name], True, inp.unit, inp.description or "input")
    for name, formula in formulas.items():
        ast = libsbml.parseL3Formula(formula)
        if ast is None:
            raise ModelDefinitionError(
                f"Model {spec.name!r}: libSBML cannot parse the formula of {name!r}: "
                f"{libsbml.getLastParseL3Error()}"
            )
        rule = model.createRateRule()
        rule.setVariable(name)
        rule.setMath(ast)

    doc.setConsistencyChecks(libsbml.LIBSBML_CAT_UNITS_CONSISTENCY, False)
    doc.checkConsistency()
    errors = [
        doc.getError(i).getMessage().strip()
        for i in range(doc.getNumErrors())
        if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR
    ]
    if errors:
        raise ModelDefinitionError(f"Model {spec.name!r}: invalid SBML: {errors[0]}")
    text: str = libsbml.writeSBMLToString(doc)
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
