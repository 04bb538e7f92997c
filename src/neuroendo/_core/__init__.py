"""Foundations of neuroendo: errors, validation, units, analytes, column names, RNG.

``_core`` imports nothing else from neuroendo; every other layer may import it.
"""
