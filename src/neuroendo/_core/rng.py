"""Random number generation without global state.

Random draws take ``rng`` (a :class:`numpy.random.Generator`, an int seed or ``None``); cohorts take
``seed`` and give each subject its own stream (``SeedSequence(seed).spawn(n)``), so results do not
depend on chunking or order.
"""

from __future__ import annotations

import numpy as np

__all__ = ["as_generator", "spawn"]


def as_generator(rng: np.random.Generator | int | None = None) -> np.random.Generator:
    """Return a Generator from a Generator, an int seed or ``None`` (fresh entropy).

    Parameters
    ----------
    rng : Generator, int or None
        Source of randomness.

    Returns
    -------
    numpy.random.Generator

    Examples
    --------
    >>> as_generator(1).integers(10) == as_generator(1).integers(10)
    np.True_
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, int | np.integer):
        return np.random.default_rng(rng)
    raise TypeError(f"'rng' must be a numpy Generator, an int seed or None, got {rng!r}.")


def spawn(seed: int | None, n: int) -> list[np.random.Generator]:
    """Return ``n`` independent generators, one per subject.

    Parameters
    ----------
    seed : int or None
        Root seed.
    n : int
        Number of streams.

    Returns
    -------
    list of numpy.random.Generator

    Examples
    --------
    >>> len(spawn(1, 3))
    3
    """
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(n)]
