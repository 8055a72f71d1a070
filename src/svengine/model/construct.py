"""Building the engine's own result models without validating them again, through pydantic's public API.

`built` is `model_construct` with a guard: every key must be a field of the model and every
required field must be given, so a misspelt or forgotten field is a TypeError at once instead of a
model that is silently missing a value or carries an unknown name in `model_fields_set`.
`changed` is `model_copy(update=...)` with the same guard. Only for values the engine computed
itself: anything a user wrote goes through validation. tests/test_result_streaming.py checks that
validating a built result gives an equal object; docs/performance.md records what the public API
costs against the private slot setting it replaced (issue 13).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel

ModelT = TypeVar("ModelT", bound=BaseModel)


@cache
def field_names(model: type[BaseModel]) -> tuple[frozenset[str], frozenset[str]]:
    """The names of `model`'s fields, and those of its required fields."""
    fields = model.model_fields
    return frozenset(fields), frozenset(name for name, info in fields.items() if info.is_required())


_SHAREABLE = (type(None), bool, int, str, Decimal)
"""Default values pydantic hands out as they are (it copies only collections and other objects)."""


@cache
def shared_defaults(model: type[BaseModel]) -> dict[str, Any]:
    """The defaults of `model`'s optional fields that every instance may share: immutable values.

    Given to `model_construct` with the values, so that it does not look each default up again for
    every instance (about a tenth of building a large folder's bids and scores, docs/performance.md).
    `model_fields_set` is passed separately and still names only the fields given.
    """
    return {
        name: info.default
        for name, info in model.model_fields.items()
        if not info.is_required()
        and info.default_factory is None
        and type(info.default) in _SHAREABLE
    }


def _check(model: type[BaseModel], given: Any) -> None:
    names, required = field_names(model)
    if not given <= names:
        raise TypeError(f"{model.__name__} has no field(s) {sorted(set(given) - names)}")
    if not required <= given:
        raise TypeError(f"{model.__name__} needs field(s) {sorted(required - set(given))}")


@cache
def fields_set(model: type[BaseModel], names: frozenset[str]) -> set[str]:
    """One `model_fields_set` shared by every instance given the same fields.

    Passed to `model_construct` as its documented `_fields_set`, which it uses as it is; a set per
    instance was most of the result's memory (docs/performance.md). Safe because the models are
    frozen: pydantic adds to a fields set only on assignment, and `model_copy` copies it first
    (tests/test_construct.py checks both).
    """
    return set(names)


def built(model: type[ModelT], /, **values: Any) -> ModelT:
    """`model.model_construct(**values)`, refusing unknown fields and missing required ones."""
    given = frozenset(values)
    _check(model, given)
    return model.model_construct(fields_set(model, given), **{**shared_defaults(model), **values})


def builder(model: type[ModelT]) -> Callable[..., ModelT]:
    """`built` for a model made many times over (a commitment of every bid)."""
    names, _ = field_names(model)
    construct = model.model_construct
    every_field = fields_set(model, names)

    def build(**values: Any) -> ModelT:
        if values.keys() == names:  # every field: nothing unknown, nothing missing
            return construct(every_field, **values)
        return built(model, **values)

    return build


def changed(instance: ModelT, /, **updates: Any) -> ModelT:
    """`instance.model_copy(update=updates)`, refusing a name that is not a field of its model."""
    names, _ = field_names(type(instance))
    if not updates.keys() <= names:
        raise TypeError(f"{type(instance).__name__} has no field(s) {sorted(set(updates) - names)}")
    return instance.model_copy(update=updates)
