"""Small real data sets shipped with neuroendo, in its tidy layouts, each with licence and citation.

=========================  ==========================================================  ==========
name                       content                                                      licence
=========================  ==========================================================  ==========
``biopsykit_cortisol``     26 subjects x 7 saliva cortisol samples (nmol/L), TSST-like  MIT
                           study, Intervention vs Control (BioPsyKit example data)
=========================  ==========================================================  ==========

Examples
--------
>>> from neuroendo import datasets
>>> df = datasets.load_cortisol_sample()
>>> df.index.names
FrozenList(['condition', 'subject', 'sample'])
>>> df.attrs["units"]["cortisol"]
'nmol/L'
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from neuroendo._core.validation import check_option

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DATASETS", "Dataset", "available", "describe", "load_cortisol_sample"]


@dataclass(frozen=True, slots=True)
class Dataset:
    """Provenance of a shipped data set.

    Parameters
    ----------
    name : str
        Key for :func:`describe`.
    filename : str
        File inside ``neuroendo/datasets/data``.
    description : str
        Content, layout and units.
    source : str
        Where it comes from (repository and commit, or paper).
    licence : str
        Licence and the file holding its text.
    citation : str
        How to cite it.
    """

    name: str
    filename: str
    description: str
    source: str
    licence: str
    citation: str


DATASETS: dict[str, Dataset] = {
    "biopsykit_cortisol": Dataset(
        name="biopsykit_cortisol",
        filename="biopsykit_cortisol_sample.csv",
        description=(
            "Saliva cortisol of 26 subjects (13 Intervention, 13 Control), 7 samples each, in "
            "nmol/L. Sample times as in BioPsyKit's saliva example notebook: -30, -1, 30, 40, 50, "
            "60, 70 min relative to the stressor; S0 (-30 min) is a pre-baseline control sample."
        ),
        source=(
            "BioPsyKit example_data/cortisol_sample.csv, github.com/mad-lab-fau/BioPsyKit at "
            "commit 5f5d179a4e52eb452c06573227fa07ca5c1040f4 (2026-02-02)"
        ),
        licence="MIT, (c) 2021 Machine Learning and Data Analytics (MaD) Lab, FAU Erlangen-"
        "Nuernberg; full text in datasets/data/LICENSE.biopsykit.txt",
        citation=(
            "Richer R, Küderle A, Ullrich M, Rohleder N, Eskofier BM. BioPsyKit: A Python package "
            "for the analysis of biopsychological data. J Open Source Softw. 2021;6(66):3702. "
            "doi:10.21105/joss.03702"
        ),
    ),
}

#: Sample times (min) of the BioPsyKit cortisol study, as used by its saliva example notebook.
BIOPSYKIT_SAMPLE_TIMES: tuple[float, ...] = (-30.0, -1.0, 30.0, 40.0, 50.0, 60.0, 70.0)


def available() -> list[str]:
    """Return the names of the shipped data sets.

    Returns
    -------
    list of str

    Examples
    --------
    >>> available()
    ['biopsykit_cortisol']
    """
    return list(DATASETS)


def describe(name: str) -> Dataset:
    """Return the provenance record (source, licence, citation) of a data set.

    Parameters
    ----------
    name : str
        One of :func:`available`.

    Returns
    -------
    Dataset

    Examples
    --------
    >>> describe("biopsykit_cortisol").licence.split(",")[0]
    'MIT'
    """
    check_option("name", name, DATASETS)
    return DATASETS[name]


def load_cortisol_sample(layout: str = "long") -> pd.DataFrame:
    """Load BioPsyKit's example saliva cortisol study (26 subjects x 7 samples, nmol/L).

    Parameters
    ----------
    layout : {"long", "wide"}, default "long"
        ``"long"``: BioPsyKit's ``SalivaRawDataFrame`` layout, index (``condition``, ``subject``,
        ``sample``) with columns ``cortisol`` (nmol/L) and ``time`` (min relative to the stressor).
        ``"wide"``: one row per subject, columns ``condition`` and samples ``S0`` ... ``S6``.

    Returns
    -------
    pandas.DataFrame
        With ``attrs["units"]`` (``{"cortisol": "nmol/L", "time": "min"}``) and
        ``attrs["source"]``.

    Notes
    -----
    MIT-licensed data from BioPsyKit (see :func:`describe`). The study's sample times are not
    documented upstream; the times used here are those of BioPsyKit's own saliva example
    (-30, -1, 30, 40, 50, 60, 70 min), which its reference outputs also use.

    Examples
    --------
    >>> df = load_cortisol_sample()
    >>> df.shape
    (182, 2)
    """
    import pandas as pd

    check_option("layout", layout, ("long", "wide"))
    info = DATASETS["biopsykit_cortisol"]
    with resources.files("neuroendo.datasets").joinpath("data", info.filename).open("rb") as fh:
        wide = pd.read_csv(fh)
    samples = [c for c in wide.columns if c not in ("subject", "condition")]
    wide = wide.rename(columns={s: f"S{s}" for s in samples})
    if layout == "wide":
        out = wide.set_index("subject")
        out.attrs["units"] = {f"S{s}": "nmol/L" for s in samples}
    else:
        long = wide.melt(id_vars=["condition", "subject"], var_name="sample", value_name="cortisol")
        times = dict(zip((f"S{s}" for s in samples), BIOPSYKIT_SAMPLE_TIMES, strict=True))
        long["time"] = long["sample"].map(times)
        out = long.set_index(["condition", "subject", "sample"]).sort_index()
        out.attrs["units"] = {"cortisol": "nmol/L", "time": "min"}
    out.attrs["source"] = f"{info.source}; {info.licence}"
    return out
