"""Flatten input schedules into arrays that the compiled kernels evaluate.

A :class:`~neuroendo.models.inputs.Schedule` is a tree of leaves (Constant, PiecewiseConstant,
PiecewiseLinear, Harmonic, Bumps) under Sum and Product nodes. Each model input becomes a short
postfix program over integer pairs ``(opcode, argument)``:

* ``(0, j)`` push the value of leaf ``j``;
* ``(1, m)`` replace the top ``m`` values by their sum (left to right, as ``Sum``);
* ``(2, m)`` replace the top ``m`` values by their product.

Leaf ``j`` has a kind code ``leaf_kind[j]`` (0 constant, 1 piecewise constant, 2 piecewise linear,
3 harmonic, 4 bumps), an offset ``leaf_off[j]`` into the shared float array ``data``, a count
``leaf_m[j]`` (breakpoints, harmonics or pulses) and an offset ``leaf_soff[j]`` into the
per-subject array ``sdata`` (``(n_subjects, n_cols)``), which holds the only quantities that may
differ between subjects: constant levels and harmonic offsets, amplitudes and phases.

Layouts in ``data``: piecewise constant ``[period, before, times (m), values (m)]``; piecewise
linear ``[times (m), values (m)]``; harmonic ``[period]`` (and ``sdata``: ``[offset, amplitudes
(m), phases (m)]``); bumps ``[shape code, onsets (m), durations (m), levels (m)]`` with shape
codes 0 square, 1 bump, 2 sine2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from neuroendo.models.inputs import (
    Bumps,
    Constant,
    Harmonic,
    PiecewiseConstant,
    PiecewiseLinear,
    Product,
    Schedule,
    Sum,
)

__all__ = ["SEGMENT_CONSTANT", "FlatInputs", "flatten_inputs"]

#: ``harm[k]`` of an input that is constant between its breakpoints (constants, step tables and
#: square bumps combined by sums and products): the kernels evaluate it once per segment
SEGMENT_CONSTANT = -2

_SHAPE_CODE = {"square": 0.0, "bump": 1.0, "sine2": 2.0}


@dataclass(frozen=True)
class FlatInputs:
    """Arrays describing every model input (see the module docstring)."""

    prog: NDArray[np.int64]
    prog_ptr: NDArray[np.int64]
    timed: NDArray[np.int64]
    harm: NDArray[np.int64]
    const_soff: NDArray[np.int64]
    leaf_kind: NDArray[np.int64]
    leaf_off: NDArray[np.int64]
    leaf_soff: NDArray[np.int64]
    leaf_m: NDArray[np.int64]
    data: NDArray[np.float64]
    sdata: NDArray[np.float64]
    stack_size: int


def flatten_inputs(
    names: Sequence[str], inputs: Mapping[str, Schedule], n_subjects: int
) -> FlatInputs:
    """Flatten the schedules of ``names`` (in model order) for ``n_subjects`` subjects.

    Constant inputs (every leaf constant) keep ``timed`` free of them: their per-subject values
    are read once per block from ``sdata[:, const_soff[k]]``. ``harm[k]`` is the number of
    harmonics when input ``k`` is a single :class:`Harmonic` leaf (evaluated on a vectorised
    path), :data:`SEGMENT_CONSTANT` when it is constant between its breakpoints (evaluated once
    per integration segment, which never spans a breakpoint), else -1.
    """
    prog: list[int] = []
    ptr = [0]
    kinds: list[int] = []
    offs: list[int] = []
    soffs: list[int] = []
    ms: list[int] = []
    data: list[float] = []
    scols: list[NDArray[np.float64]] = []
    timed: list[int] = []
    const_soff: list[int] = []
    harm: list[int] = []

    def col(v: object) -> int:
        arr = np.broadcast_to(np.asarray(v, dtype=np.float64), (n_subjects,))
        scols.append(arr)
        return len(scols) - 1

    def leaf(kind: int, m: int, shared: list[float], soff: int = -1) -> None:
        kinds.append(kind)
        offs.append(len(data))
        data.extend(shared)
        soffs.append(soff)
        ms.append(m)
        prog.extend((0, len(kinds) - 1))

    def walk(s: Schedule) -> None:
        if isinstance(s, Sum | Product):
            for c in s.children:
                walk(c)
            prog.extend((1 if isinstance(s, Sum) else 2, len(s.children)))
        elif isinstance(s, Constant):
            leaf(0, 1, [], col(s.value))
        elif isinstance(s, PiecewiseConstant):
            m = int(s.times.size)
            leaf(1, m, [float(s.period), float(s.before), *s.times.tolist(), *s.values.tolist()])
        elif isinstance(s, PiecewiseLinear):
            m = int(s.times.size)
            leaf(2, m, [*s.times.tolist(), *s.values.tolist()])
        elif isinstance(s, Harmonic):
            k = int(s.amplitudes.shape[0])
            first = col(s.offset)
            for j in range(k):
                col(s.amplitudes[j])
            for j in range(k):
                col(s.phases[j])
            leaf(3, k, [float(s.period)], first)
        elif isinstance(s, Bumps):
            m = int(s.onsets.size)
            leaf(
                4,
                m,
                [
                    _SHAPE_CODE[s.shape],
                    *s.onsets.tolist(),
                    *s.durations.tolist(),
                    *s.levels.tolist(),
                ],
            )
        else:
            raise TypeError(
                f"The numba backend cannot evaluate a {type(s).__name__} schedule; build "
                "inputs from neuroendo.models.inputs (Constant, PiecewiseConstant, "
                "PiecewiseLinear, Harmonic, Bumps, sums and products)."
            )

    for k, name in enumerate(names):
        start = len(prog)
        walk(inputs[name])
        ptr.append(len(prog))
        single = len(prog) - start == 2
        single_const = single and kinds[prog[start + 1]] == 0
        leaves = [prog[i + 1] for i in range(start, len(prog), 2) if prog[i] == 0]
        piecewise = all(
            kinds[j] in (0, 1) or (kinds[j] == 4 and data[offs[j]] == _SHAPE_CODE["square"])
            for j in leaves
        )
        if single and kinds[prog[start + 1]] == 3:
            harm.append(ms[prog[start + 1]])
        else:
            harm.append(SEGMENT_CONSTANT if piecewise else -1)
        if single_const:
            const_soff.append(soffs[prog[start + 1]])
        else:
            const_soff.append(-1)
            timed.append(k)
    sdata = np.empty((n_subjects, len(scols)), dtype=np.float64)
    for j, c in enumerate(scols):
        sdata[:, j] = c
    return FlatInputs(
        prog=np.asarray(prog, dtype=np.int64),
        prog_ptr=np.asarray(ptr, dtype=np.int64),
        timed=np.asarray(timed, dtype=np.int64),
        harm=np.asarray(harm, dtype=np.int64),
        const_soff=np.asarray(const_soff, dtype=np.int64),
        leaf_kind=np.asarray(kinds, dtype=np.int64),
        leaf_off=np.asarray(offs, dtype=np.int64),
        leaf_soff=np.asarray(soffs, dtype=np.int64),
        leaf_m=np.asarray(ms, dtype=np.int64),
        data=np.asarray(data, dtype=np.float64),
        sdata=np.ascontiguousarray(sdata),
        stack_size=max(len(kinds) + 2, 4),
    )
