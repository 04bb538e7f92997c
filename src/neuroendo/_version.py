"""Version of the neuroendo package (single source, read by hatchling)."""

__version__ = "0.1.0.dev0"
