import numpy as np
import pytest

from neuroendo import DataValidationError
from neuroendo._core.validation import (
    Issue,
    IssueList,
    Severity,
    as_float_array,
    check_finite,
    check_nonnegative,
    check_option,
    check_range,
    check_same_length,
    check_times,
    did_you_mean,
)


def test_check_option_message():
    with pytest.raises(
        ValueError,
        match=r"Invalid value for 'on_error': allowed values are 'raise', 'skip', got 'skp'\. "
        r"Did you mean 'skip'\?",
    ):
        check_option("on_error", "skp", ("raise", "skip"))
    assert check_option("x", 1, (1, 2)) == 1


def test_did_you_mean_case():
    assert did_you_mean("Skip", ["raise", "skip"]) == " Did you mean 'skip'?"
    assert did_you_mean("zzzz", ["raise", "skip"]) == ""


def test_check_range():
    assert check_range("p", 0.5, 0, 1) == 0.5
    with pytest.raises(ValueError, match=r"'p' must lie in \(0, 1\], got 0"):
        check_range("p", 0, 0, 1, inclusive=(False, True))
    with pytest.raises(ValueError, match="must be finite"):
        check_range("p", float("nan"), 0, 1)
    with pytest.raises(ValueError, match="must be a number"):
        check_range("p", "a", 0, 1)  # type: ignore[arg-type]


def test_check_times_messages():
    with pytest.raises(
        DataValidationError,
        match=r"'times' must be strictly increasing; got 0, 10, 10 for subject 's02' "
        r"\(duplicate at samples 1-2\)",
    ):
        check_times([0, 10, 10], subject="s02")
    with pytest.raises(DataValidationError, match="decreasing"):
        check_times([0, 10, 5])
    with pytest.raises(DataValidationError, match="in row 1"):
        check_times([[0, 1, 2], [0, 2, 1]])
    with pytest.raises(DataValidationError, match="NaN or infinite"):
        check_times([0, np.nan, 2])
    np.testing.assert_array_equal(check_times([0, np.nan, 2], allow_nan=True), [0, np.nan, 2])


def test_as_float_array():
    with pytest.raises(DataValidationError, match="'conc' must contain numbers only"):
        as_float_array("conc", ["a", "b"])
    with pytest.raises(DataValidationError, match="must have 1 dimension"):
        as_float_array("conc", [[1.0]], ndim=1)


def test_check_finite_and_nonnegative():
    with pytest.raises(DataValidationError, match="infinite values at position"):
        check_finite("x", np.array([1.0, np.inf]), allow_nan=True)
    check_finite("x", np.array([1.0, np.nan]), allow_nan=True)
    with pytest.raises(DataValidationError, match=r"must be non-negative; got -2"):
        check_nonnegative("conc", np.array([1.0, -2.0, np.nan]))


def test_check_same_length():
    assert check_same_length(times=[1, 2], conc=[[1, 2], [3, 4]]) == 2
    with pytest.raises(DataValidationError, match="times has 3, conc has 2"):
        check_same_length(times=[1, 2, 3], conc=[1, 2])


def test_issue_list():
    issues = IssueList()
    assert str(issues) == "no issues"
    issues.append(Issue(Severity.WARNING, "late-sample", "S1 taken 9 min after waking", "s1", 3))
    assert not issues.has_errors
    issues.raise_if_errors()
    issues.extend(
        [Issue(Severity.ERROR, "unit-unknown", "unknown unit 'foo'", row=4, column="unit")]
    )
    assert issues.has_errors
    assert len(issues.errors) == 1
    assert len(issues) == 2
    assert isinstance(issues[:1], IssueList)
    assert "row 4, column 'unit'" in str(issues[1])
    with pytest.raises(DataValidationError, match=r"labs\.csv: error: unknown unit") as exc:
        issues.raise_if_errors("labs.csv")
    assert exc.value.issues[0].code == "unit-unknown"
