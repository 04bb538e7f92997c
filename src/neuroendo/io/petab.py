"""PEtab (v1) export of parameter-estimation problems: SBML model plus TSV tables plus YAML.

This module writes plain data: the SBML text (from :func:`neuroendo.io.sbml.export`) and the
PEtab measurement, condition, observable and parameter tables as pandas DataFrames. Building
those tables from a model and a tidy data table is the job of :func:`neuroendo.fit.to_petab`.
:func:`add_inputs` turns constant SBML input parameters into time-dependent assignment rules
(a stress window, a drug schedule), since PEtab v1 has no input schedules of its own.

References
----------
.. [1] Schmiester L, Schälte Y, Bergmann FT, et al. PEtab - interoperable specification of
   parameter estimation problems in systems biology. PLoS Comput Biol. 2021;17(1):e1008646.
   doi:10.1371/journal.pcbi.1008646

Examples
--------
>>> import pandas as pd
>>> REQUIRED["observables"][:2]
('observableId', 'observableFormula')
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from neuroendo._core.errors import DataValidationError, ModelDefinitionError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["REQUIRED", "add_inputs", "export"]

#: Required columns of each PEtab v1 table.
REQUIRED: dict[str, tuple[str, ...]] = {
    "measurements": ("observableId", "simulationConditionId", "measurement", "time"),
    "conditions": ("conditionId",),
    "observables": ("observableId", "observableFormula", "noiseFormula"),
    "parameters": (
        "parameterId",
        "parameterScale",
        "lowerBound",
        "upperBound",
        "nominalValue",
        "estimate",
    ),
}


def add_inputs(
    sbml: str,
    *,
    parameters: Mapping[str, float] | None = None,
    assignments: Mapping[str, str] | None = None,
) -> str:
    """Add constant parameters and turn input parameters into assignment rules.

    Parameters
    ----------
    sbml : str
        SBML Level 3 document (as written by :func:`neuroendo.io.sbml.export`).
    parameters : mapping, optional
        ``{id: value}`` constant parameters to add (e.g. a stress amplitude ``A``).
    assignments : mapping, optional
        ``{id: formula}``: the existing parameter ``id`` becomes non-constant and is given by the
        SBML L3 infix ``formula`` (which may use ``time`` and ``piecewise``).

    Returns
    -------
    str
        The modified SBML document.

    Raises
    ------
    ModelDefinitionError
        If an id is missing or already present, a formula does not parse, or libSBML reports an
        error.

    References
    ----------
    .. [1] Keating SM et al. SBML Level 3: an extensible format for the exchange and reuse of
       biological models. Mol Syst Biol. 2020;16:e9110. doi:10.15252/msb.20199110

    Examples
    --------
    >>> import numpy as np
    >>> from neuroendo._core.spec import ModelSpec, Param, Ref, State, Input
    >>> from neuroendo.io.sbml import export as sbml_export
    >>> def rhs(t, y, p, u, xp=np):
    ...     return (p.k * (1 + u.s) - y[0],)
    >>> spec = ModelSpec("toy", "other", (State("x", 1.0, "1"),),
    ...                  (Param("k", 0.5, "1", (0.0, 1.0), Ref("toy")),), rhs, "1",
    ...                  inputs=(Input("s", 0.0, "1"),))
    >>> text = add_inputs(sbml_export(spec), parameters={"A": 2.0},
    ...                   assignments={"s": "A * piecewise(1, time >= 1 && time < 2, 0)"})
    >>> "assignmentRule" in text
    True
    """
    import libsbml

    doc = libsbml.readSBMLFromString(sbml)
    model = doc.getModel()
    if model is None:
        raise ModelDefinitionError("add_inputs: the SBML text holds no model.")
    for pid, value in (parameters or {}).items():
        if model.getParameter(pid) is not None:
            raise ModelDefinitionError(f"add_inputs: parameter {pid!r} already exists.")
        par = model.createParameter()
        par.setId(pid)
        par.setValue(float(value))
        par.setConstant(True)
    for pid, formula in (assignments or {}).items():
        par = model.getParameter(pid)
        if par is None:
            raise ModelDefinitionError(
                f"add_inputs: no parameter {pid!r} to assign; the model's inputs must be "
                "exported as parameters first."
            )
        ast = libsbml.parseL3Formula(formula)
        if ast is None:
            raise ModelDefinitionError(
                f"add_inputs: cannot parse the formula of {pid!r}: {libsbml.getLastParseL3Error()}"
            )
        par.setConstant(False)
        rule = model.createAssignmentRule()
        rule.setVariable(pid)
        rule.setMath(ast)
    doc.setConsistencyChecks(libsbml.LIBSBML_CAT_UNITS_CONSISTENCY, False)
    doc.checkConsistency()
    errors = [
        doc.getError(i).getMessage().strip()
        for i in range(doc.getNumErrors())
        if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR
    ]
    if errors:
        raise ModelDefinitionError(f"add_inputs: invalid SBML: {errors[0]}")
    text: str = libsbml.writeSBMLToString(doc)
    return text


def _check(name: str, df: pd.DataFrame) -> None:
    missing = [c for c in REQUIRED[name] if c not in df.columns]
    if missing:
        raise DataValidationError(
            f"PEtab {name} table lacks required column(s) {missing}; got {list(df.columns)}."
        )


def export(
    directory: str | Path,
    *,
    sbml: str,
    measurements: pd.DataFrame,
    conditions: pd.DataFrame,
    observables: pd.DataFrame,
    parameters: pd.DataFrame,
    name: str = "problem",
) -> Path:
    """Write a PEtab v1 problem: SBML, four TSV tables and the YAML file that lists them.

    Parameters
    ----------
    directory : str or Path
        Output folder (created if needed).
    sbml : str
        SBML document text.
    measurements, conditions, observables, parameters : pandas.DataFrame
        PEtab tables with at least the required columns (:data:`REQUIRED`).
    name : str, default "problem"
        Base name of the files (``<name>.yaml``, ``<name>_model.xml``, ...).

    Returns
    -------
    Path
        The YAML file (pass it to ``petablint`` or ``petab.Problem.from_yaml``).

    Raises
    ------
    DataValidationError
        If a table lacks a required column.

    References
    ----------
    .. [1] Schmiester L et al. PLoS Comput Biol. 2021;17(1):e1008646.
       doi:10.1371/journal.pcbi.1008646

    Examples
    --------
    >>> import pandas as pd, tempfile
    >>> d = tempfile.mkdtemp()
    >>> m = pd.DataFrame({"observableId": ["o"], "simulationConditionId": ["c"],
    ...                   "measurement": [1.0], "time": [0.0]})
    >>> c = pd.DataFrame({"conditionId": ["c"]})
    >>> o = pd.DataFrame({"observableId": ["o"], "observableFormula": ["x"],
    ...                   "noiseFormula": ["1"]})
    >>> p = pd.DataFrame({"parameterId": ["k"], "parameterScale": ["log10"],
    ...                   "lowerBound": [0.1], "upperBound": [10.0], "nominalValue": [1.0],
    ...                   "estimate": [1]})
    >>> export(d, sbml="<sbml/>", measurements=m, conditions=c, observables=o,
    ...        parameters=p).name
    'problem.yaml'
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "measurements": measurements,
        "conditions": conditions,
        "observables": observables,
        "parameters": parameters,
    }
    for key, df in tables.items():
        _check(key, df)
    files = {
        "sbml": f"{name}_model.xml",
        "measurements": f"{name}_measurements.tsv",
        "conditions": f"{name}_conditions.tsv",
        "observables": f"{name}_observables.tsv",
        "parameters": f"{name}_parameters.tsv",
    }
    (out / files["sbml"]).write_text(sbml, encoding="utf-8")
    measurements.to_csv(out / files["measurements"], sep="\t", index=False)
    conditions.to_csv(out / files["conditions"], sep="\t", index=False)
    observables.to_csv(out / files["observables"], sep="\t", index=False)
    parameters.to_csv(out / files["parameters"], sep="\t", index=False)
    yaml_text = (
        "format_version: 1\n"
        f"parameter_file: {files['parameters']}\n"
        "problems:\n"
        f"- sbml_files:\n  - {files['sbml']}\n"
        f"  condition_files:\n  - {files['conditions']}\n"
        f"  measurement_files:\n  - {files['measurements']}\n"
        f"  observable_files:\n  - {files['observables']}\n"
    )
    path = out / f"{name}.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    return path
