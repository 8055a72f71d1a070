"""Building the engine's own result models (svengine/model/construct.py): public pydantic API only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import BaseModel

from svengine.model.construct import built, changed
from svengine.model.result import CriterionResult, Flag

_CRITERION = dict(
    id="Q1",
    title="Approach",
    weight=Decimal("20"),
    max_score=Decimal("5"),
    min_score=None,
    score=Decimal("3"),
    points="12",
    comment=None,
)


def test_an_unknown_field_is_refused_even_when_a_default_makes_the_counts_match() -> None:
    # Regression (issue 13): the guard used `and` where it needed `or`. Leaving out `panel` (it has
    # a default) and adding a misspelt field made the counts equal, so the misspelling slipped into
    # model_fields_set and an exclude_unset dump.
    with pytest.raises(TypeError, match="no field"):
        built(CriterionResult, **_CRITERION, panal=None)


def test_an_unknown_field_is_refused_alongside_every_field() -> None:
    with pytest.raises(TypeError, match="no field"):
        built(CriterionResult, **_CRITERION, panel=None, panal=None)


def test_a_missing_required_field_is_refused() -> None:
    fields = dict(_CRITERION)
    del fields["points"]
    with pytest.raises(TypeError):
        built(CriterionResult, **fields)


def test_built_is_the_validated_model() -> None:
    made = built(CriterionResult, **_CRITERION)
    validated = CriterionResult(**_CRITERION)
    assert made == validated
    assert made.model_fields_set == validated.model_fields_set == set(_CRITERION)
    assert made.model_dump_json() == validated.model_dump_json()
    assert made.model_dump(exclude_unset=True) == validated.model_dump(exclude_unset=True)


def test_changed_is_model_copy() -> None:
    made = built(CriterionResult, **_CRITERION)
    for updates in ({"points": "13"}, {"panel": None}, {"points": "13", "comment": "kept"}):
        copy, reference = changed(made, **updates), made.model_copy(update=updates)
        assert copy == reference
        assert copy.model_fields_set == reference.model_fields_set
        assert list(copy.model_dump()) == list(reference.model_dump())
    flag = built(Flag, code="c", message="m")
    assert changed(flag, message="n") == Flag(code="c", message="n")


def _svengine_models() -> list[type[BaseModel]]:
    import importlib
    import pkgutil

    import svengine.model

    found: list[type[BaseModel]] = []
    for info in pkgutil.iter_modules(svengine.model.__path__):
        module = importlib.import_module(f"svengine.model.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, BaseModel)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def test_every_model_with_validators_of_its_own_is_always_validated() -> None:
    # pydantic lists a model's validators only in a private attribute, so the fast path of
    # model/checked.py keeps its own list; reading pydantic's here (a test, not the library) makes a
    # model that gains a validator fail loudly instead of skipping it.
    from svengine.model.checked import conversion_plan

    models = _svengine_models()
    assert len(models) > 20
    for model in models:
        decorators = model.__pydantic_decorators__
        own = (
            decorators.validators
            or decorators.field_validators
            or decorators.model_validators
            or decorators.root_validators
        )
        if own:
            assert conversion_plan(model) is None, model


def test_a_shared_fields_set_is_never_changed_through_an_instance() -> None:
    first, second = built(CriterionResult, **_CRITERION), built(CriterionResult, **_CRITERION)
    assert first.model_fields_set is second.model_fields_set  # shared: one set per set of fields
    copy = changed(first, panel=None)
    assert "panel" in copy.model_fields_set
    assert first.model_fields_set == second.model_fields_set == set(_CRITERION)
    with pytest.raises(ValueError):  # frozen: pydantic never reaches the fields set
        first.points = "1"  # type: ignore[misc]
    assert first.model_fields_set == set(_CRITERION)
