"""Trace a model's ``rhs`` into straight-line code for the compiled (numba) backend.

The right-hand side of a :class:`~neuroendo._core.spec.ModelSpec` is pure ``xp`` arithmetic
(architecture §4), so calling it once with *tracer* objects instead of numbers records every
operation in a small expression graph (a DAG with common subexpressions merged and constants
folded). From that graph this module writes Python source text:

* ``rhs_block(w)``: derivatives for a block of lanes (subjects) at once, read from and written to
  one flat workspace at literal offsets; the body is one straight-line block inside a loop over
  lanes, which LLVM can vectorise (``rhs_single(w)``: the same for one lane);
* ``jac_one(t, y, p, u, jac)``: the exact Jacobian ``∂f/∂y`` of one subject, by forward-mode
  differentiation of the graph (only its non-zero entries are written).

Why trace instead of ``numba.njit(spec.rhs)``: model code may legitimately use Python constructs
numba cannot compile (``tuple(y[0:k])`` on arrays, ``zip``, star-unpacking of variable-length
tuples in the linear-chain delays, NamedTuples built per call); the traced program has none of
them, its Jacobian comes for free, and the generated text can be written to a file so that numba's
on-disk cache (``cache=True``) works across processes. Tracing fails loudly, naming the construct,
for an ``if`` on a state value or an unsupported ``xp`` function.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from neuroendo._core.errors import ModelDefinitionError
from neuroendo._core.spec import ModelSpec

__all__ = ["Graph", "Node", "generate_source", "trace_rhs"]

_UNARY = ("exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "abs", "log10", "arctan", "sinh",
          "cosh", "expm1", "log1p", "floor", "ceil")  # fmt: skip
_MATH = {
    "exp": "fast_exp",  # vectorisable (neuroendo.simulation._numba_math)
    "log": "fast_log",
    "sqrt": "math.sqrt",
    "sin": "math.sin",
    "cos": "math.cos",
    "tan": "math.tan",
    "tanh": "math.tanh",
    "abs": "abs",
    "log10": "math.log10",
    "arctan": "math.atan",
    "sinh": "math.sinh",
    "cosh": "math.cosh",
    "expm1": "math.expm1",
    "log1p": "math.log1p",
    "floor": "math.floor",
    "ceil": "math.ceil",
}
_NP_FOLD: dict[str, Callable[..., Any]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a**b,
    "neg": lambda a: -a,
    "exp": math.exp,
    "log": math.log,
    "sqrt": math.sqrt,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "tanh": math.tanh,
    "abs": abs,
    "log10": math.log10,
    "arctan": math.atan,
    "sinh": math.sinh,
    "cosh": math.cosh,
    "expm1": math.expm1,
    "log1p": math.log1p,
    "floor": math.floor,
    "ceil": math.ceil,
}
_CMP = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "==", "ne": "!="}


class Node:
    """One value of the traced program (an index into its :class:`Graph`)."""

    __slots__ = ("g", "i")
    __array_ufunc__ = None  # make numpy scalars defer to our reflected operators

    def __init__(self, g: Graph, i: int) -> None:
        self.g = g
        self.i = i

    def _b(self, op: str, other: Any, rev: bool = False) -> Node:
        o = self.g.lift(other)
        return self.g.op(op, o, self) if rev else self.g.op(op, self, o)

    def __add__(self, o: Any) -> Node:
        return self._b("add", o)

    def __radd__(self, o: Any) -> Node:
        return self._b("add", o, True)

    def __sub__(self, o: Any) -> Node:
        return self._b("sub", o)

    def __rsub__(self, o: Any) -> Node:
        return self._b("sub", o, True)

    def __mul__(self, o: Any) -> Node:
        return self._b("mul", o)

    def __rmul__(self, o: Any) -> Node:
        return self._b("mul", o, True)

    def __truediv__(self, o: Any) -> Node:
        return self._b("div", o)

    def __rtruediv__(self, o: Any) -> Node:
        return self._b("div", o, True)

    def __pow__(self, o: Any) -> Node:
        return self._b("pow", o)

    def __rpow__(self, o: Any) -> Node:
        return self._b("pow", o, True)

    def __neg__(self) -> Node:
        return self.g.op("neg", self)

    def __pos__(self) -> Node:
        return self

    def __abs__(self) -> Node:
        return self.g.op("abs", self)

    def __lt__(self, o: Any) -> Node:
        return self._b("lt", o)

    def __le__(self, o: Any) -> Node:
        return self._b("le", o)

    def __gt__(self, o: Any) -> Node:
        return self._b("gt", o)

    def __ge__(self, o: Any) -> Node:
        return self._b("ge", o)

    def __and__(self, o: Any) -> Node:
        return self._b("and", o)

    def __or__(self, o: Any) -> Node:
        return self._b("or", o)

    def __invert__(self) -> Node:
        return self.g.op("not", self)

    def __bool__(self) -> bool:
        raise ModelDefinitionError(
            f"Model {self.g.model!r}: the rhs branches on a state, parameter or input value "
            "(an 'if', 'and'/'or' or min()/max() on a value), which cannot be compiled; write it "
            "with xp.where(...), xp.maximum(...) or xp.minimum(...)."
        )

    def __float__(self) -> float:
        raise ModelDefinitionError(
            f"Model {self.g.model!r}: the rhs converts a value to float (e.g. math.exp(x)); use "
            "the xp namespace (xp.exp(x)) so the compiled backends can trace it."
        )

    def __hash__(self) -> int:
        return hash((id(self.g), self.i))


class Graph:
    """An expression DAG: ``ops[i] = (name, args)``; args are node indices or floats."""

    def __init__(self, model: str) -> None:
        self.model = model
        self.ops: list[tuple[str, tuple[Any, ...]]] = []
        self.memo: dict[tuple[str, tuple[Any, ...]], int] = {}

    # --- construction -----------------------------------------------------------------------
    def _add(self, name: str, args: tuple[Any, ...]) -> Node:
        key = (name, args)
        i = self.memo.get(key)
        if i is None:
            i = len(self.ops)
            self.ops.append(key)
            self.memo[key] = i
        return Node(self, i)

    def const(self, v: float) -> Node:
        """Return a constant node."""
        return self._add("const", (float(v),))

    def var(self, kind: str, k: int) -> Node:
        """Return an input variable node: ``kind`` in ``t, y, p, u``."""
        return self._add("var", (kind, k))

    def lift(self, v: Any) -> Node:
        """Return ``v`` as a node (numbers become constants)."""
        if isinstance(v, Node):
            return v
        if isinstance(v, bool | np.bool_):
            return self.const(1.0 if v else 0.0)
        if isinstance(v, int | float | np.integer | np.floating):
            return self.const(float(v))
        if isinstance(v, np.ndarray) and v.ndim == 0:
            return self.lift(v.item())
        raise ModelDefinitionError(
            f"Model {self.model!r}: the rhs combines a value with {type(v).__name__} "
            f"{v!r}; only numbers, parameters, inputs and states can be compiled."
        )

    def value(self, n: Node) -> float | None:
        """Return the constant value of ``n``, or None."""
        name, args = self.ops[n.i]
        return float(args[0]) if name == "const" else None

    def op(self, name: str, *nodes: Node) -> Node:
        """Add an operation, folding constants and trivial identities."""
        vals = [self.value(n) for n in nodes]
        if name in _NP_FOLD and all(v is not None for v in vals):
            with np.errstate(all="ignore"):
                try:
                    return self.const(float(_NP_FOLD[name](*vals)))
                except (ValueError, ZeroDivisionError, OverflowError):
                    pass  # keep the op: it fails (NaN/inf) at run time like numpy would
        if len(nodes) == 2:
            a, b = nodes
            va, vb = vals
            if name == "add":
                if va == 0.0:
                    return b
                if vb == 0.0:
                    return a
            elif name == "sub":
                if vb == 0.0:
                    return a
                if va == 0.0:
                    return self.op("neg", b)
            elif name == "mul":
                if va == 1.0:
                    return b
                if vb == 1.0:
                    return a
                if va == 0.0 or vb == 0.0:
                    return self.const(0.0)  # rhs values are finite where this matters
            elif name == "div":
                if vb == 1.0:
                    return a
                if va == 0.0:
                    return self.const(0.0)
            elif name == "pow" and vb == 1.0:
                return a
        return self._add(name, tuple(n.i for n in nodes))


class _Namespace:
    """The ``xp`` namespace handed to the rhs while tracing."""

    pi = math.pi
    e = math.e
    inf = math.inf
    float64 = float

    def __init__(self, g: Graph) -> None:
        self._g = g

    def _lift(self, x: Any) -> Node:
        return self._g.lift(x)

    def __getattr__(self, name: str) -> Any:
        if name in _UNARY:
            return lambda x: self._g.op(name, self._lift(x))
        raise ModelDefinitionError(
            f"Model {self._g.model!r}: xp.{name} cannot be compiled by the numba backend; use "
            f"arithmetic and {', '.join(_UNARY)}, power, square, mod, sign, where, maximum, "
            "minimum, clip."
        )

    def absolute(self, x: Any) -> Node:
        return self._g.op("abs", self._lift(x))

    def power(self, a: Any, b: Any) -> Node:
        return self._g.op("pow", self._lift(a), self._lift(b))

    def square(self, a: Any) -> Node:
        x = self._lift(a)
        return self._g.op("mul", x, x)

    def where(self, c: Any, a: Any, b: Any) -> Node:
        return self._g.op("where", self._lift(c), self._lift(a), self._lift(b))

    def maximum(self, a: Any, b: Any) -> Node:
        x, y = self._lift(a), self._lift(b)
        return self._g.op("where", self._g.op("ge", x, y), x, y)

    def minimum(self, a: Any, b: Any) -> Node:
        x, y = self._lift(a), self._lift(b)
        return self._g.op("where", self._g.op("le", x, y), x, y)

    def mod(self, a: Any, b: Any) -> Node:
        """``numpy.mod`` (result has the sign of ``b``): ``a - floor(a / b) * b``."""
        x, y = self._lift(a), self._lift(b)
        g = self._g
        return g.op("sub", x, g.op("mul", g.op("floor", g.op("div", x, y)), y))

    remainder = mod

    def sign(self, a: Any) -> Node:
        x, g = self._lift(a), self._g
        zero = g.const(0.0)
        pos = g.op("where", g.op("gt", x, zero), g.const(1.0), zero)
        return g.op("where", g.op("lt", x, zero), g.const(-1.0), pos)

    def clip(self, a: Any, lo: Any, hi: Any) -> Node:
        return self.minimum(self.maximum(a, lo), hi)

    def asarray(self, x: Any, *args: Any, **kwargs: Any) -> Any:
        return x


def trace_rhs(spec: ModelSpec) -> tuple[Graph, list[Node]]:
    """Call ``spec.rhs`` on tracers; return the graph and one output node per state.

    Raises
    ------
    ModelDefinitionError
        If the rhs branches on values, uses an unsupported ``xp`` function or returns the wrong
        number of derivatives.
    """
    g = Graph(spec.name)
    t = g.var("t", 0)
    y = np.empty(len(spec.states), dtype=object)
    for k in range(len(spec.states)):
        y[k] = g.var("y", k)
    p = spec.P(*(g.var("p", j) for j in range(len(spec.params))))
    u = spec.U(*(g.var("u", j) for j in range(len(spec.inputs))))
    out = spec.rhs(t, y, p, u, xp=_Namespace(g))
    out = tuple(out)
    if len(out) != len(spec.states):
        raise ModelDefinitionError(
            f"Model {spec.name!r}: rhs returned {len(out)} derivatives for "
            f"{len(spec.states)} states."
        )
    return g, [g.lift(o) for o in out]


def _jacobian(g: Graph, outs: Sequence[Node], n: int) -> dict[tuple[int, int], Node]:
    """Forward-mode derivatives ``∂out_i/∂y_k`` of the graph (sparse)."""
    n_ops = len(g.ops)
    grads: list[dict[int, Node]] = [{} for _ in range(n_ops)]
    nodes = [Node(g, i) for i in range(n_ops)]
    one = g.const(1.0)

    def scale(d: dict[int, Node], f: Node) -> dict[int, Node]:
        return {k: g.op("mul", f, v) for k, v in d.items()}

    def comb(da: dict[int, Node], db: dict[int, Node], op: str) -> dict[int, Node]:
        out = dict(da)
        for k, v in db.items():
            out[k] = g.op(op, out[k], v) if k in out else (v if op == "add" else g.op("neg", v))
        return out

    for i in range(n_ops):  # creation order is topological
        name, args = g.ops[i]
        if name == "var":
            if args[0] == "y":
                grads[i] = {int(args[1]): one}
            continue
        if name == "const" or name in _CMP or name in ("and", "or", "not", "floor", "ceil"):
            continue
        a = nodes[args[0]]
        da = grads[args[0]]
        if name in ("add", "sub", "mul", "div", "pow"):
            b = nodes[args[1]]
            db = grads[args[1]]
            if not da and not db:
                continue
            if name in ("add", "sub"):
                grads[i] = comb(da, db, name)
            elif name == "mul":
                grads[i] = comb(scale(da, b), scale(db, a), "add")
            elif name == "div":
                q = nodes[i]
                grads[i] = comb(scale(da, g.op("div", one, b)), scale(db, g.op("div", q, b)), "sub")
            else:  # pow
                part = {}
                if da:
                    f = g.op("mul", b, g.op("pow", a, g.op("sub", b, one)))
                    part = scale(da, f)
                if db:
                    part = comb(part, scale(db, g.op("mul", nodes[i], g.op("log", a))), "add")
                grads[i] = part
            continue
        if not da and name != "where":
            continue
        if name == "neg":
            grads[i] = {k: g.op("neg", v) for k, v in da.items()}
        elif name == "exp":
            grads[i] = scale(da, nodes[i])
        elif name == "expm1":
            grads[i] = scale(da, g.op("add", nodes[i], one))
        elif name == "log":
            grads[i] = scale(da, g.op("div", one, a))
        elif name == "log1p":
            grads[i] = scale(da, g.op("div", one, g.op("add", a, one)))
        elif name == "log10":
            grads[i] = scale(da, g.op("div", g.const(1 / math.log(10.0)), a))
        elif name == "sqrt":
            grads[i] = scale(da, g.op("div", g.const(0.5), nodes[i]))
        elif name == "sin":
            grads[i] = scale(da, g.op("cos", a))
        elif name == "cos":
            grads[i] = scale(da, g.op("neg", g.op("sin", a)))
        elif name == "tan":
            grads[i] = scale(da, g.op("add", one, g.op("mul", nodes[i], nodes[i])))
        elif name == "tanh":
            grads[i] = scale(da, g.op("sub", one, g.op("mul", nodes[i], nodes[i])))
        elif name == "sinh":
            grads[i] = scale(da, g.op("cosh", a))
        elif name == "cosh":
            grads[i] = scale(da, g.op("sinh", a))
        elif name == "arctan":
            grads[i] = scale(da, g.op("div", one, g.op("add", one, g.op("mul", a, a))))
        elif name == "abs":
            s = g.op("where", g.op("ge", a, g.const(0.0)), one, g.const(-1.0))
            grads[i] = scale(da, s)
        elif name == "where":
            c = a
            x, y = nodes[args[1]], nodes[args[2]]
            dx, dy = grads[args[1]], grads[args[2]]
            del x, y
            keys = set(dx) | set(dy)
            zero = g.const(0.0)
            grads[i] = {k: g.op("where", c, dx.get(k, zero), dy.get(k, zero)) for k in sorted(keys)}
        else:  # pragma: no cover - every traced op is handled above
            raise ModelDefinitionError(f"No derivative rule for {name!r}.")
    jac: dict[tuple[int, int], Node] = {}
    for r, o in enumerate(outs):
        for k, v in grads[o.i].items():
            if g.value(v) != 0.0:
                jac[(r, k)] = v
    del n
    return jac


def _needed(g: Graph, roots: Sequence[Node]) -> set[int]:
    """Return the indices of every node that ``roots`` depend on (themselves included)."""
    need: set[int] = set()
    stack = [r.i for r in roots]
    while stack:
        i = stack.pop()
        if i in need:
            continue
        need.add(i)
        name, args = g.ops[i]
        if name not in ("const", "var"):
            stack.extend(args)
    return need


def _time_dependent(g: Graph) -> list[bool]:
    """Flag per node whether it depends on time, a state or an input (not only parameters)."""
    dep = [False] * len(g.ops)
    for i, (name, args) in enumerate(g.ops):  # creation order is topological
        if name == "var":
            dep[i] = args[0] != "p"
        elif name != "const":
            dep[i] = any(dep[a] for a in args)
    return dep


def _emit(
    g: Graph,
    roots: Sequence[Node],
    var: dict[str, str],
    indent: str,
    v: str = "v",
    *,
    only: set[int] | None = None,
    ref: Callable[[int], str] | None = None,
    recip: set[int] | None = None,
) -> list[str]:
    """Straight-line code computing every node needed by ``roots`` (as ``<v><i>``).

    ``only`` restricts the emitted nodes to a subset (the others must already exist);
    ``ref(i)`` names node ``i`` where it is used (default ``<v><i>``); a division by a node
    ``j`` in ``recip`` becomes a multiplication by ``rc<j>`` (its reciprocal, computed by the
    caller).
    """
    need = _needed(g, roots)
    if only is not None:
        need &= only
    name_of = ref if ref is not None else (lambda i: f"{v}{i}")
    lines = []
    for i in sorted(need):
        name, args = g.ops[i]
        if name == "const":
            expr = repr(float(args[0]))
            if expr in ("inf", "-inf", "nan"):
                expr = f"np.{expr.lstrip('-')}" if expr[0] != "-" else "-np.inf"
        elif name == "var":
            expr = var[args[0]].format(k=args[1])
        elif name == "pow":
            base, ex = name_of(args[0]), g.ops[args[1]]
            e = float(ex[1][0]) if ex[0] == "const" else None
            if e is not None and e.is_integer() and 2 <= e <= 4:
                expr = "*".join([base] * int(e))
            elif e == 0.5:
                expr = f"math.sqrt({base})"
            elif e == -1.0:
                expr = f"1.0 / {base}"
            else:
                expr = f"fast_pow({base}, {name_of(args[1])})"
        elif name == "div" and recip is not None and args[1] in recip:
            expr = f"{name_of(args[0])} * rc{args[1]}"
        elif name in ("add", "sub", "mul", "div"):
            sym = {"add": "+", "sub": "-", "mul": "*", "div": "/"}[name]
            expr = f"{name_of(args[0])} {sym} {name_of(args[1])}"
        elif name == "neg":
            expr = f"-{name_of(args[0])}"
        elif name in _CMP:
            expr = f"{name_of(args[0])} {_CMP[name]} {name_of(args[1])}"
        elif name == "and":
            expr = f"({name_of(args[0])} != 0) & ({name_of(args[1])} != 0)"
        elif name == "or":
            expr = f"({name_of(args[0])} != 0) | ({name_of(args[1])} != 0)"
        elif name == "not":
            expr = f"{name_of(args[0])} == 0"
        elif name == "where":
            expr = f"{name_of(args[1])} if {name_of(args[0])} else {name_of(args[2])}"
        else:
            expr = f"{_MATH[name]}({name_of(args[0])})"
        lines.append(f"{indent}{name_of(i)} = {expr}")
    return lines


def _rhs_function(
    g: Graph, outs: Sequence[Node], spec: ModelSpec, fname: str, lanes: int
) -> list[str]:
    """``fname(w, nl)``: derivatives for ``nl`` (= ``lanes``) lanes in the flat workspace ``w``.

    Layout of ``w`` (each row ``lanes`` wide): time, states, parameters, inputs, derivatives.
    Every offset is a literal, so LLVM sees that the stores (derivatives) never overlap the
    loads and can vectorise the loop over lanes without run-time alias checks (with numba's
    ``error_model="numpy"``, which drops the per-division zero checks).
    """
    n, npar, nu = len(spec.states), len(spec.params), len(spec.inputs)
    oy = lanes
    op_ = oy + n * lanes
    ou = op_ + npar * lanes
    od = ou + nu * lanes
    var = {
        "t": "w[l]",
        "y": f"w[{oy} + {{k}} * {lanes} + l]",
        "p": f"w[{op_} + {{k}} * {lanes} + l]",
        "u": f"w[{ou} + {{k}} * {lanes} + l]",
    }
    # the lane count is a run-time argument: a literal trip count would be fully unrolled and
    # left scalar, while a run-time one goes to LLVM's loop vectoriser
    lines = [f"def {fname}(w, nl):", "    for l in range(nl):"]
    lines += _emit(g, outs, var, " " * 8)
    lines += [f"        w[{od} + {k} * {lanes} + l] = v{o.i}" for k, o in enumerate(outs)]
    return lines


#: Dormand-Prince 5(4) tableau: stage nodes c, coupling rows a, 5th-order weights b (stage 7 is
#: the FSAL stage at the new point) and error weights e = b - b_hat (Dormand & Prince 1980).
_DP_C = (0.2, 0.3, 0.8, 8.0 / 9.0, 1.0)
_DP_A = (
    ("0.2",),
    ("3.0 / 40.0", "9.0 / 40.0"),
    ("44.0 / 45.0", "-56.0 / 15.0", "32.0 / 9.0"),
    ("19372.0 / 6561.0", "-25360.0 / 2187.0", "64448.0 / 6561.0", "-212.0 / 729.0"),
    ("9017.0 / 3168.0", "-355.0 / 33.0", "46732.0 / 5247.0", "49.0 / 176.0", "-5103.0 / 18656.0"),
    ("35.0 / 384.0", "0", "500.0 / 1113.0", "125.0 / 192.0", "-2187.0 / 6784.0", "11.0 / 84.0"),
)
#: dense-output weights of the 4th-order continuous extension (Hairer, Nørsett & Wanner 1993,
#: II.6; the ``r5`` coefficient of the reference kernel)
_DP_D = ("-12715105075.0 / 11282082432.0", "0", "87487479700.0 / 32700410799.0",
         "-10690763975.0 / 1880347072.0", "701980252875.0 / 199316789632.0",
         "-1453857185.0 / 822651844.0", "69997945.0 / 29380423.0")  # fmt: skip
_DP_E = ("71.0 / 57600.0", "0", "-71.0 / 16695.0", "71.0 / 1920.0", "-17253.0 / 339200.0",
         "22.0 / 525.0", "-1.0 / 40.0")  # fmt: skip


def _combo(coefs: Sequence[str], stage_vars: Sequence[str]) -> str:
    """``c1 * k1 + c2 * k2 + ...`` skipping zero coefficients (the reference kernel's form)."""
    terms = [f"{c} * {k}" for c, k in zip(coefs, stage_vars, strict=False) if c != "0"]
    return " + ".join(terms).replace("+ -", "- ")


def _stages_layout(spec: ModelSpec, lanes: int) -> dict[str, int]:
    """Offsets (in floats) of the rows of the fused step's flat workspace, each ``lanes`` wide."""
    n, npar, nu = len(spec.states), len(spec.params), max(len(spec.inputs), 1)
    rows = [("T", 1), ("H", 1), ("ERR", 1), ("Y", n), ("K1", n), ("R2", n), ("R3", n),
            ("R4", n), ("R5", n), ("K7", n), ("YN", n), ("P", npar), ("US", 5 * nu),
            ("HOFF", nu), ("HAMP", nu), ("HPH", nu), ("HW", nu)]  # fmt: skip
    out, at = {}, 0
    for name, size in rows:
        out[f"ST_{name}"] = at * lanes
        at += size
    out["ST_NW"] = at * lanes
    return out


def _stages_function(g: Graph, outs: Sequence[Node], spec: ModelSpec, lanes: int) -> list[str]:
    """``dopri_stages(ws, nl, rtol, atol)``: one whole Dormand-Prince step for a block of lanes.

    Stages 2-7, the 5th-order solution and the squared scaled error norm are computed in ONE
    straight-line loop body per lane, every intermediate in a local (register) variable: no
    function call, copy or temporary array between stages. Parameter-only subexpressions (e.g.
    ``1 / K``) are hoisted out of the stages. Input values come precomputed per stage time in the
    ``US`` rows (inputs depend on time only, so they are known before the step). Everything lives
    in one flat workspace ``ws`` at literal offsets that are multiples of ``lanes`` (layout:
    :func:`_stages_layout`), so LLVM proves that stores never overlap loads within a vector of
    ``lanes`` lanes and vectorises the loop over lanes without run-time alias checks (which it
    gives up on for this many separate arrays). Only what dense output and the next step need is
    stored: ``k3..k7``, ``yn`` and ``err``. A division by a parameter-only subexpression (``x /
    K``) becomes a multiplication by its reciprocal, computed once per step: with wide blocks
    the step is bound by the divider (a vector division occupies it ~10 cycles), and these were
    a third of the divisions of a Gupta 2007 step (results differ from ``x / K`` by at most
    one rounding).
    """
    n, npar = len(spec.states), len(spec.params)
    nu = max(len(spec.inputs), 1)
    lay = _stages_layout(spec, lanes)
    L = lanes
    dep = _time_dependent(g)
    need = _needed(g, outs)
    hoisted = {i for i in need if not dep[i]}
    staged = need - hoisted
    recip = {g.ops[i][1][1] for i in staged if g.ops[i][0] == "div"} & hoisted

    def at(row: str, k: int = 0) -> str:
        return f"ws[{lay['ST_' + row] + k * L} + l]"

    def ref_for(stage: int) -> Callable[[int], str]:
        return lambda i: f"c{i}" if i in hoisted else f"s{stage}_{i}"

    lines = [
        "def dopri_stages(ws, nl, rtol, atol):",
        "    for l in range(nl):",
        f"        h = {at('H')}",
        f"        t0 = {at('T')}",
    ]
    lines += [f"        y_{i} = {at('Y', i)}" for i in range(n)]
    lines += [f"        k1_{i} = {at('K1', i)}" for i in range(n)]
    lines += [f"        p_{j} = {at('P', j)}" for j in range(npar)]
    lines += _emit(g, outs, {"p": "p_{k}"}, " " * 8, only=hoisted, ref=lambda i: f"c{i}")
    lines += [f"        rc{j} = 1.0 / c{j}" for j in sorted(recip)]
    for st in range(2, 8):
        a = _DP_A[st - 2]
        ks = [f"k{q}_{{i}}" for q in range(1, st)]
        uidx = min(st - 2, 4)  # stages 6 and 7 both sit at t + h
        lines.append(f"        # stage {st} at t + {_DP_C[uidx]!r} h")
        lines.append(f"        ts_{st} = t0 + {_DP_C[uidx]!r} * h")
        for i in range(n):
            comb = _combo(a, [k.format(i=i) for k in ks])
            target = f"yn_{i}" if st == 7 else f"z{st}_{i}"
            lines.append(f"        {target} = y_{i} + h * ({comb})")
        zname = "yn_{k}" if st == 7 else f"z{st}_{{k}}"
        uvar = f"ws[{lay['ST_US'] + uidx * nu * L} + {{k}} * {L} + l]"
        var = {"t": f"ts_{st}", "y": zname, "p": "p_{k}", "u": uvar}
        lines += _emit(g, outs, var, " " * 8, only=staged, ref=ref_for(st), recip=recip)
        ref = ref_for(st)
        lines += [f"        k{st}_{i} = {ref(o.i)}" for i, o in enumerate(outs)]
    lines.append("        acc = 0.0")
    for i in range(n):
        comb = _combo(_DP_E, [f"k{q}_{i}" for q in range(1, 8)])
        lines.append(f"        e_{i} = h * ({comb})")
        lines.append(f"        sc_{i} = atol + rtol * max(abs(y_{i}), abs(yn_{i}))")
        # 0 * yn is NaN for a non-finite yn: such a step is rejected as non-finite
        lines.append(f"        acc += (e_{i} / sc_{i}) * (e_{i} / sc_{i}) + 0.0 * yn_{i}")
    lines.append(f"        {at('ERR')} = math.sqrt(acc / {n}.0)")
    for i in range(n):
        comb = _combo(_DP_D, [f"k{q}_{i}" for q in range(1, 8)])
        lines.append(f"        {at('YN', i)} = yn_{i}")
        lines.append(f"        {at('K7', i)} = k7_{i}")
        lines.append(f"        r2_{i} = yn_{i} - y_{i}")
        lines.append(f"        r3_{i} = h * k1_{i} - r2_{i}")
        lines.append(f"        {at('R2', i)} = r2_{i}")
        lines.append(f"        {at('R3', i)} = r3_{i}")
        lines.append(f"        {at('R4', i)} = r2_{i} - h * k7_{i} - r3_{i}")
        lines.append(f"        {at('R5', i)} = h * ({comb})")
    return lines


def _harmonic_function(spec: ModelSpec, lanes: int) -> list[str]:
    """``harm_fill(ws, nl, fast)``: single-harmonic inputs at the five stage times, vectorised.

    A circadian drive ``a + b·cos(ω(t − φ))`` (per-lane ``a, b, φ, ω`` in the ``HOFF, HAMP, HPH,
    HW`` rows) is by far the commonest timed input; for each input ``k`` with ``fast[k]`` set, one
    loop over lanes with literal offsets writes its values at ``t + c_q h`` (q = stages 2-6) into
    the ``US`` rows, with the branch-free ``fast_cos`` so the loop vectorises. Harmonic inputs are
    continuous, so no clamping into the segment is needed.
    """
    nu = max(len(spec.inputs), 1)
    lay = _stages_layout(spec, lanes)
    L = lanes
    lines = ["def harm_fill(ws, nl, fast):"]
    for k in range(len(spec.inputs)):
        lines += [f"    if fast[{k}]:", "        for l in range(nl):"]
        lines.append(f"            tl = ws[{lay['ST_T']} + l]")
        lines.append(f"            hl = ws[{lay['ST_H']} + l]")
        lines.append(f"            a = ws[{lay['ST_HOFF'] + k * L} + l]")
        lines.append(f"            b = ws[{lay['ST_HAMP'] + k * L} + l]")
        lines.append(f"            ph = ws[{lay['ST_HPH'] + k * L} + l]")
        lines.append(f"            om = ws[{lay['ST_HW'] + k * L} + l]")
        for q, c in enumerate(_DP_C):
            off = lay["ST_US"] + (q * nu + k) * L
            arg = f"om * (tl + {c!r} * hl - ph)"
            lines.append(f"            ws[{off} + l] = a + b * fast_cos({arg})")
    if len(spec.inputs) == 0:
        lines.append("    return")
    return lines


def _dense_function(spec: ModelSpec, lanes: int) -> list[str]:
    """``dense_fill(ws, ob, tout, iout, acc, tnew, nt, nl)``: dense output of accepted steps.

    Every lane whose accepted step ``[t, tnew]`` covers requested times writes the 4th-order
    interpolant of every state there into the block buffer ``ob[state, lane, time]`` (states
    unrolled, literal offsets). A plain loop per lane: the writes go to a different time index
    per lane, which LLVM does not vectorise (no scatter); rounds of a branch-free loop over all
    lanes measured slower.
    """
    n = len(spec.states)
    lay = _stages_layout(spec, lanes)
    L = lanes

    def at(row: str, k: int = 0) -> str:
        return f"ws[{lay['ST_' + row] + k * L} + l]"

    lines = [
        "def dense_fill(ws, ob, tout, iout, acc, tnew, nt, nl):",
        "    for l in range(nl):",
        "        if acc[l]:",
        "            q = iout[l]",
        "            te = tnew[l]",
        f"            t0 = {at('T')}",
        f"            hl = {at('H')}",
        "            while q < nt and tout[q] <= te:",
        "                th = (tout[q] - t0) / hl",
        "                th1 = 1.0 - th",
    ]
    for i in range(n):
        lines.append(
            f"                ob[{i}, l, q] = {at('Y', i)} + th * ({at('R2', i)} + th1 * ("
            f"{at('R3', i)} + th * ({at('R4', i)} + th1 * {at('R5', i)})))"
        )
    lines += [
        "                q += 1",
        "            iout[l] = q",
    ]
    return lines


def generate_source(spec: ModelSpec, lanes: int = 8) -> str:
    """Python source of the traced model for the kernels (no numba decorators).

    Defines ``N_STATES``, ``N_PARAMS``, ``N_INPUTS``, ``rhs_block(w, nl)`` (``lanes`` lanes),
    ``rhs_single(w, nl)`` (one lane) and ``jac_one(t, y, p, u, jac)``. The caller prepends the
    imports and decorators; see :mod:`neuroendo.simulation._numba`.
    """
    g, outs = trace_rhs(spec)
    n = len(spec.states)
    jac = _jacobian(g, outs, n)
    lines = [
        f"# generated by neuroendo from model {spec.name!r}: {n} states",
        f"N_STATES = {n}",
        f"N_PARAMS = {len(spec.params)}",
        f"N_INPUTS = {len(spec.inputs)}",
        "",
        "",
    ]
    lines += _rhs_function(g, outs, spec, "rhs_block", lanes)
    lines += ["", ""]
    lines += _rhs_function(g, outs, spec, "rhs_single", 1)
    lines += ["", ""]
    lines += [f"{k} = {v}" for k, v in _stages_layout(spec, lanes).items()]
    lines += ["", ""]
    lines += _stages_function(g, outs, spec, lanes)
    lines += ["", ""]
    lines += _harmonic_function(spec, lanes)
    lines += ["", ""]
    lines += _dense_function(spec, lanes)
    lines += ["", "", "def jac_one(t, y, p, u, jac):", "    jac[:, :] = 0.0"]
    roots = list(jac.values())
    lines += _emit(g, roots, {"t": "t", "y": "y[{k}]", "p": "p[{k}]", "u": "u[{k}]"}, " " * 4)
    lines += [f"    jac[{r}, {k}] = v{v.i}" for (r, k), v in sorted(jac.items())]
    return "\n".join(lines) + "\n"
