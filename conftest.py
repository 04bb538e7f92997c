"""Root conftest: doctests of subpackages whose optional extra is not installed are skipped."""

import importlib.util

collect_ignore_glob: list[str] = []

# subpackage -> module it needs beyond the core dependencies
_EXTRAS = {
    "src/neuroendo/simulation/*": "xarray",
    "src/neuroendo/report/*": "jinja2",
    "src/neuroendo/app/*": "fastapi",
}
for pattern, module in _EXTRAS.items():
    if importlib.util.find_spec(module) is None:
        collect_ignore_glob.append(pattern)
