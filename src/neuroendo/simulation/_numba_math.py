"""Branch-free ``exp``, ``log`` and ``pow`` for the compiled kernels, so their loops vectorise.

LLVM vectorises a loop over lanes only if every call in it has a vector version. The libm
``exp``/``log``/``pow`` have none in numba's toolchain (llvmlite is built without Intel's SVML),
so one Hill term ``x**n`` with a parameter exponent left a whole Runge-Kutta step scalar. These
functions are written with arithmetic, comparisons (selects) and two bit casts only; inlined into
the generated step, LLVM vectorises them with the rest.

Algorithms (the classic argument reductions with minimax polynomials, as in Sun's fdlibm
``e_exp.c`` and ``e_log.c`` [1]_, re-implemented here):

* ``fast_exp(x)``: ``x = k ln2 + r`` with ``|r| <= ln2/2`` (Cody-Waite split of ln2), a degree-5
  rational approximation of ``exp(r)`` (Remez), scaling by ``2**k`` built from bits in two halves
  (so subnormal results and ``k = 1024`` are exact). Overflow gives ``inf``, underflow ``0``.
* ``fast_log(x)``: ``x = 2**e m`` with ``m`` in ``[sqrt(2)/2, sqrt(2))``, ``f = m - 1``,
  ``s = f/(2+f)`` and ``log(1+f) = 2 atanh(s)`` by a degree-14 polynomial in ``s``; subnormal
  inputs are scaled by ``2**54`` first. ``log(0) = -inf``, ``log(x<0) = NaN``, ``log(inf) = inf``.
* ``fast_cos(x)``: ``cos x = (-1)**m sin(r)`` with ``r = x + pi/2 - m pi`` in ``[-pi/2, pi/2]``
  (Cody-Waite reduction with a three-part split of pi, exact for ``|m| < 2**20``) and ``sin r``
  by its Taylor polynomial to degree 23 (truncation below 1e-20): one polynomial per argument,
  where the fdlibm scheme (reduction by pi/2, two kernels and a quadrant select) evaluates two.
  Within 3 ulp of numpy's ``cos`` for ``|x| < 1e4`` (measured in ``tests/simulation``); used for
  the circadian and other harmonic inputs, evaluated at every stage of every lane.
* ``fast_rroot5(x) = x**(-1/5)`` for the step-size controller, on ``[2e-6, 5e3]`` (the range in
  which the Dormand-Prince factor ``0.9 err**(-1/5)`` is not clipped to ``[0.2, 10]``): an
  initial guess from the bits of ``x`` (the exponent divided by -5, as in the "fast inverse
  square root" trick, constant tuned for the least maximum error, 3.1 %) and four Newton steps
  ``y <- y (6 - x y**5) / 5`` (multiplications only, no division; error 3e-3, 3e-5, 2e-9, 1 ulp).
  A dependency chain of about 20 multiplications instead of ``exp(-log(x)/5)``'s 45 operations
  with two divisions: the controller ran on one vector register per step, so its latency counted.
* ``fast_pow(x, y) = exp(y log|x|)`` with numpy's sign and zero rules (negative base: real
  result for integral ``y``, NaN otherwise; ``0**0 = 1``); relative error about
  ``|y log x|`` ulp (a few ulp for Hill terms), measured in ``tests/simulation``.

Errors measured against numpy over the whole double range: ``exp`` and ``log`` within 1 ulp.

References
----------
.. [1] Sun Microsystems. fdlibm 5.3, ``e_exp.c`` and ``e_log.c`` (1993), netlib.org/fdlibm.
.. [2] Cody WJ, Waite W. Software Manual for the Elementary Functions. Prentice-Hall; 1980.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from llvmlite import ir  # type: ignore[import-untyped]
from numba import njit, types
from numba.extending import intrinsic

__all__ = ["fast_cos", "fast_exp", "fast_log", "fast_pow", "fast_rroot5"]


def _f2i(typingctx: Any, x: Any) -> Any:
    """Reinterpret the bits of a float64 as an int64 (LLVM ``bitcast``)."""
    sig = types.int64(types.float64)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.bitcast(args[0], ir.IntType(64))

    return sig, codegen


def _i2f(typingctx: Any, x: Any) -> Any:
    """Reinterpret the bits of an int64 as a float64 (LLVM ``bitcast``)."""
    sig = types.float64(types.int64)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.bitcast(args[0], ir.DoubleType())

    return sig, codegen


f2i: Any = intrinsic(_f2i)
i2f: Any = intrinsic(_i2f)

_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_INV_LN2 = 1.44269504088896338700e00
_P1 = 1.66666666666666019037e-01
_P2 = -2.77777777770155933842e-03
_P3 = 6.61375632143793436117e-05
_P4 = -1.65339022054652515390e-06
_P5 = 4.13813679705723846039e-08
_LG1 = 6.666666666666735130e-01
_LG2 = 3.999999999940941908e-01
_LG3 = 2.857142874366239149e-01
_LG4 = 2.222219843214978396e-01
_LG5 = 1.818357216161805012e-01
_LG6 = 1.531383769920937332e-01
_LG7 = 1.479819860511658591e-01
# pi in three parts (33, 33 and 53 bits): m * _PI1 and m * _PI2 are exact for |m| < 2**20
_PI1 = 3.1415926534682512
_PI2 = 1.2154201012607932e-10
_PI3 = 4.044532497591901e-21
_INV_PI = 0.3183098861837907
# Taylor coefficients of sin(r)/r in r**2: (-1)**j / (2j + 1)!
(_S0, _S1, _S2, _S3, _S4, _S5, _S6, _S7, _S8, _S9, _S10, _S11) = (
    (-1.0) ** j / math.factorial(2 * j + 1) for j in range(12)
)
_RROOT5_MAGIC = 5528354090901931008.0  # 1.2 * bits(1.0) - 0.0588 * 2**52, least max error


@njit(cache=True, error_model="numpy")
def fast_exp(x: float) -> float:
    """``exp(x)`` without branches (see the module docstring)."""
    nan = x != x
    xc = min(max(0.0 if nan else x, -746.0), 710.0)
    kf = math.floor(xc * _INV_LN2 + 0.5)
    hi = xc - kf * _LN2_HI
    lo = kf * _LN2_LO
    r = hi - lo
    t = r * r
    c = r - t * (_P1 + t * (_P2 + t * (_P3 + t * (_P4 + t * _P5))))
    y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi)
    k = int(kf)
    k1 = k >> 1  # 2**k = 2**k1 * 2**(k - k1): each half stays a normal number
    s1 = i2f((k1 + 1023) << 52)
    s2 = i2f((k - k1 + 1023) << 52)
    out = y * s1 * s2
    out = math.inf if x > 709.782712893384 else out
    out = 0.0 if x < -745.1332191019412 else out
    return math.nan if nan else out


@njit(cache=True, error_model="numpy")
def fast_log(x: float) -> float:
    """``log(x)`` without branches (see the module docstring)."""
    sub = x < 2.2250738585072014e-308
    xs = x * 18014398509481984.0 if sub else x  # 2**54: subnormals become normal
    bits = f2i(xs)
    e = ((bits >> 52) & 0x7FF) - 1023 - (54 if sub else 0)
    m = i2f((bits & 0xFFFFFFFFFFFFF) | 0x3FF0000000000000)  # mantissa in [1, 2)
    big = m > 1.4142135623730951
    m = 0.5 * m if big else m
    e = e + 1 if big else e
    f = m - 1.0
    hfsq = 0.5 * f * f
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    t1 = w * (_LG2 + w * (_LG4 + w * _LG6))
    t2 = z * (_LG1 + w * (_LG3 + w * (_LG5 + w * _LG7)))
    r = t2 + t1
    ef = float(e)
    out = ef * _LN2_HI - ((hfsq - (s * (hfsq + r) + ef * _LN2_LO)) - f)
    out = -math.inf if x == 0.0 else out
    out = math.inf if x == math.inf else out
    return math.nan if (x < 0.0) | (x != x) else out


@njit(cache=True, error_model="numpy", inline="always")
def fast_pow(x: float, y: float) -> float:
    """``x ** y`` with numpy's rules, without branches (see the module docstring)."""
    ax = abs(x)
    r = fast_exp(y * fast_log(ax))
    integral = y == math.floor(y)
    half = 0.5 * y
    odd = integral & (half != math.floor(half))
    neg = -r if odd else r
    r = (neg if integral else math.nan) if x < 0.0 else r
    r = 1.0 if (y == 0.0) | (x == 1.0) else r  # numpy: x**0 = 1 (also 0**0), 1**y = 1
    return r


@njit(cache=True, error_model="numpy", inline="always")
def fast_cos(x: float) -> float:
    """``cos(x)`` without branches, within 3 ulp for ``|x| < 1e4`` (see the module docstring)."""
    # np.floor stays a float (math.floor converts to int and back: two more instructions)
    mf: float = np.floor(x * _INV_PI + 1.0)  # m = round(x/pi + 1/2)
    mh = mf - 0.5
    r = x - mh * _PI1
    r = r - mh * _PI2
    r = r - mh * _PI3  # x + pi/2 - m pi
    z = r * r
    p = _S10 + z * _S11
    p = _S9 + z * p
    p = _S8 + z * p
    p = _S7 + z * p
    p = _S6 + z * p
    p = _S5 + z * p
    p = _S4 + z * p
    p = _S3 + z * p
    p = _S2 + z * p
    p = _S1 + z * p
    p = _S0 + z * p
    sign: float = 1.0 - 2.0 * (mf - 2.0 * np.floor(mf * 0.5))
    return min(max(sign * (r * p), -1.0), 1.0)  # rounding may reach 1 + 1 ulp at the maxima


@njit(cache=True, error_model="numpy", inline="always")
def fast_rroot5(x: float) -> float:
    """``x**(-1/5)`` for ``x`` in ``[2e-6, 5e3]`` (clamped into it), within 1 ulp there.

    Used for the step-size factor ``0.9 err**(-1/5)``, whose result is clipped to ``[0.2, 10]``
    outside that range anyway (see the module docstring). NaN gives NaN.
    """
    xc = min(max(x, 2e-6), 5e3)
    y = i2f(int(_RROOT5_MAGIC - 0.2 * float(f2i(xc))))
    for _ in range(4):
        y2 = y * y
        y = y * (1.2 - 0.2 * xc * (y2 * y2 * y))
    return math.nan if x != x else y
