import pytest

from neuroendo import ModelDefinitionError, models
from neuroendo.models import ModelSpec


def test_available_lists_hpa_models():
    names = models.available()
    assert {"gupta2007", "sriram2012", "vinther2011"} <= set(names)
    assert names == tuple(sorted(names))
    assert set(models.available("hpa")) >= {"gupta2007", "sriram2012", "vinther2011"}
    assert "gupta2007" not in models.available("hpt")


def test_get_returns_spec_and_variant():
    spec = models.get("sriram2012")
    assert isinstance(spec, ModelSpec)
    dep = models.get("sriram2012", variant="depression")
    assert dep.param("k_stress").value != spec.param("k_stress").value
    assert models.get("sriram2012", variant="normal").param_values.tolist() == (
        spec.param_values.tolist()
    )


def test_unknown_model_suggests():
    with pytest.raises(
        ModelDefinitionError, match=r"Unknown model 'gupta2070'.*Did you mean 'gupta2007'"
    ):
        models.get("gupta2070")


def test_unknown_variant_suggests():
    with pytest.raises(
        ModelDefinitionError, match=r"no variant 'depresion'.*Did you mean 'depression'"
    ):
        models.get("sriram2012", variant="depresion")


def test_reexported_types():
    from neuroendo.models import Input, Observable, Param, Ref, State  # noqa: F401
