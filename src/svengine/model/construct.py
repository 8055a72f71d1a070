"""Building the engine's own result models without validating them again.

pydantic's `model_construct` skips validation but is itself a Python loop over every field
(about 12 µs a model); a 20,000-bid result builds 460,000 models. `built` sets exactly what
`model_construct` sets (the field values with defaults filled in, the set of fields given, no extra
fields, no private attributes) and nothing else. Only for values the engine computed itself:
anything a user wrote goes through validation. tests/test_result_streaming.py checks that
validating a built result gives an equal object.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

ModelT = TypeVar("ModelT", bound=BaseModel)


@cache
def _defaults(model: type[BaseModel]) -> tuple[tuple[str, ...], dict[str, Any]]:
    names = tuple(model.model_fields)
    defaults: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if info.default_factory is not None:
            raise TypeError(f"{model.__name__}.{name} has a default factory; use model_construct")
        if info.default is not PydanticUndefined:
            defaults[name] = info.default
    if (
        model.__pydantic_post_init__ is not None
        or model.__private_attributes__
        or model.model_config.get("extra") == "allow"
    ):
        raise TypeError(f"{model.__name__} needs model_construct")
    return names, defaults


@cache
def _fields_set(model: type[BaseModel], names: tuple[str, ...]) -> set[str]:
    # One set shared by every instance given the same fields (a set per model was 100 MiB at
    # 20,000 bids). Safe because the models are frozen: pydantic changes a fields set only on
    # assignment, and model_copy copies it before adding to it.
    return set(names)


def built(model: type[ModelT], /, **values: Any) -> ModelT:
    """`model.model_construct(**values)`, faster: every required field must be given."""
    names, defaults = _defaults(model)
    fields = {name: values[name] if name in values else defaults[name] for name in names}
    if len(values) != len(fields) and not set(values) <= set(names):
        raise TypeError(f"{model.__name__} has no field(s) {sorted(set(values) - set(names))}")
    return _instance(model, fields, _fields_set(model, tuple(values)))


# BaseModel's slots, set through their descriptors (what object.__setattr__ ends up calling, minus the lookup).
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def _fill_shared(instance: BaseModel, fields: dict[str, Any]) -> None:
    # Memory: a fresh instance's own __dict__ (CPython makes it on first access) shares its key table
    # with every other instance of the class, so filled key by key in the same (field) order it
    # holds only the values: about 270 bytes for a 12-field CommitmentResult instead of 464 for a
    # dict of its own (assigning `__dict__` a new dict, as model_construct does, or `update`, which
    # copies the other dict's table, give each instance its own keys). It is an ordinary dict in
    # every other way: equal, copied and serialised alike.
    own = instance.__dict__
    for name, value in fields.items():
        own[name] = value


def _instance(model: type[ModelT], fields: dict[str, Any], fields_set: set[str]) -> ModelT:
    """A `model` holding `fields` (every field, in field order), as `model_construct` leaves it."""
    instance = model.__new__(model)
    _fill_shared(instance, fields)
    _set_fields_set(instance, fields_set)
    _set_extra(instance, None)
    _set_private(instance, None)
    return instance


def builder(model: type[ModelT]) -> Callable[..., ModelT]:
    """`built` for a model made many times over (a commitment of every bid): given every field, in
    the model's order, the keyword dict becomes the instance's fields as it is, so a call costs
    only the four attribute sets; any other call goes through `built`, unchanged."""
    names, _ = _defaults(model)
    every_field = _fields_set(model, names)

    def build(**values: Any) -> ModelT:
        if tuple(values) != names:
            return built(model, **values)
        return _instance(model, values, every_field)

    return build


def changed(instance: ModelT, /, **updates: Any) -> ModelT:
    """`instance.model_copy(update=updates)` for a model made by `built` or `builder` (no extra or
    private attributes), faster and sharing the fields set: the same fields, in the same order,
    the same fields set. Anything else goes through model_copy."""
    model = type(instance)
    names, _ = _defaults(model)
    if (
        instance.__pydantic_extra__ is not None
        or instance.__pydantic_private__ is not None
        or not updates.keys() <= set(names)
    ):
        return instance.model_copy(update=updates)
    given = instance.__pydantic_fields_set__
    fields_set = (
        given
        if updates.keys() <= given
        else _fields_set(model, tuple(name for name in names if name in given or name in updates))
    )
    return _instance(
        model, {**instance.__dict__, **updates}, fields_set
    )  # model_copy: a copy of the dict, then the update
