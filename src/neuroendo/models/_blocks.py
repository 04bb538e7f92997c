"""Building blocks shared by model right-hand sides: Hill functions and linear-chain delays.

Every block is pure ``xp`` arithmetic, so it runs on NumPy arrays of any shape (single subjects
or ``(n_subjects,)`` batches), under numba, JAX, and on symbolic namespaces.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["hill", "hill_inhibition", "linear_chain", "linear_chain_states"]


def hill(x: Any, k: Any, n: Any, xp: Any = np) -> Any:
    r"""Activating Hill function :math:`x^n / (k^n + x^n)`, in [0, 1).

    Parameters
    ----------
    x : float or ndarray
        Non-negative signal, in the unit of ``k``.
    k : float or ndarray
        Half-saturation constant (same unit as ``x``).
    n : float or ndarray
        Hill coefficient (dimensionless).
    xp : module, default numpy
        Array namespace.

    Returns
    -------
    float or ndarray
        Dimensionless fraction, 0.5 at ``x = k``.

    Notes
    -----
    .. math:: h(x) = \frac{x^n}{k^n + x^n}

    References
    ----------
    .. [1] Hill AV. J Physiol. 1910;40:iv-vii.

    Examples
    --------
    >>> hill(2.0, 2.0, 3)
    0.5
    >>> hill(np.array([0.0, 4.0]), 2.0, 1)
    array([0.        , 0.66666667])
    """
    xn = x**n
    return xn / (k**n + xn)


def hill_inhibition(x: Any, k: Any, n: Any, xp: Any = np) -> Any:
    r"""Repressing Hill function :math:`k^n / (k^n + x^n) = 1 - \mathrm{hill}(x)`.

    Parameters
    ----------
    x : float or ndarray
        Non-negative inhibitor level, in the unit of ``k``.
    k : float or ndarray
        Half-inhibition constant (same unit as ``x``).
    n : float or ndarray
        Hill coefficient (dimensionless).
    xp : module, default numpy
        Array namespace.

    Returns
    -------
    float or ndarray
        Dimensionless fraction in (0, 1], 0.5 at ``x = k``.

    Notes
    -----
    .. math:: g(x) = \frac{k^n}{k^n + x^n}

    References
    ----------
    .. [1] Hill AV. J Physiol. 1910;40:iv-vii.

    Examples
    --------
    >>> hill_inhibition(1.0, 1.0, 5.1)
    0.5
    """
    kn = k**n
    return kn / (kn + x**n)


def linear_chain_states(prefix: str, k: int) -> tuple[str, ...]:
    """Names of the ``k`` states of a linear-chain delay: ``prefix_delay_1`` ... ``prefix_delay_k``.

    Parameters
    ----------
    prefix : str
        Name of the delayed quantity (``"tsh"``).
    k : int
        Number of compartments (≥ 1).

    Returns
    -------
    tuple of str

    References
    ----------
    .. [1] MacDonald N. Time lags in biological models. Springer; 1978.

    Examples
    --------
    >>> linear_chain_states("tsh", 3)
    ('tsh_delay_1', 'tsh_delay_2', 'tsh_delay_3')
    """
    if int(k) != k or k < 1:
        raise ValueError(f"'k' must be a positive integer number of compartments, got {k!r}.")
    return tuple(f"{prefix}_delay_{i}" for i in range(1, int(k) + 1))


def linear_chain(u: Any, chain: Any, tau: Any, xp: Any = np) -> tuple[Any, ...]:
    r"""Return the derivatives of a ``K``-compartment linear chain (a delay of mean ``tau``).

    Parameters
    ----------
    u : float or ndarray
        The signal entering the chain (any unit; the chain states carry the same unit).
    chain : sequence of float or ndarray
        The ``K`` chain states ``x_1 ... x_K`` (e.g. ``y[4:4 + K]``); ``x_K`` is the delayed
        signal to use in the RHS.
    tau : float or ndarray
        Mean delay, in the model's time unit.
    xp : module, default numpy
        Array namespace (unused: the chain is pure arithmetic; kept for a uniform signature).

    Returns
    -------
    tuple
        ``K`` derivatives, one per chain state, in the state unit per model time unit.

    Notes
    -----
    The chain is the "linear chain trick": the delay kernel is an Erlang (gamma) distribution
    with shape :math:`K` and mean :math:`\tau` (variance :math:`\tau^2/K`), so it approaches a
    discrete delay as :math:`K` grows while every backend (and SBML) sees ordinary states:

    .. math::
        x_1' = \frac{K}{\tau}(u - x_1), \qquad
        x_i' = \frac{K}{\tau}(x_{i-1} - x_i), \quad i = 2, \dots, K.

    At steady state all chain states equal ``u``.

    References
    ----------
    .. [1] MacDonald N. Time lags in biological models. Springer; 1978.
    .. [2] Smith H. An Introduction to Delay Differential Equations with Applications to the Life
       Sciences. Springer; 2011. Chapter 7.

    Examples
    --------
    >>> linear_chain(1.0, (1.0, 1.0), tau=2.0)
    (0.0, 0.0)
    >>> linear_chain(1.0, (0.0, 0.0), tau=2.0)
    (1.0, 0.0)
    """
    k = len(chain)
    rate = k / tau
    upstream = (u, *tuple(chain)[:-1])
    return tuple(rate * (a - b) for a, b in zip(upstream, chain, strict=True))
