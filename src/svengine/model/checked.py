"""Building input models from documents the grammar check and the JSON Schema have passed.

pydantic's validation of every bid and commitment of a large folder is slow and keeps its own
intermediate objects (docs/performance.md); once the schema has passed, almost all of it re-checks what the schema
checked. `from_checked` builds the model directly, converting each field exactly as its validator
would: a decimal field (`Dec`) through `numbers.to_decimal` (so a `SourceDecimal` becomes the plain
`Decimal` of its source text), lists into tuples, nested objects into their models, defaults as
declared. It accepts only values whose type is exactly the one the field expects; on anything else
(a value pydantic would coerce or refuse, an unknown key, a model with validators of its own) it
returns None and the caller validates with pydantic, so every problem keeps its exact wording.
tests/test_checked_build.py checks that both give the same objects.
"""

from __future__ import annotations

import re
import sys
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar, Union

from pydantic import BaseModel

from svengine.model._base import Dec
from svengine.model.construct import field_names, fields_set, shared_defaults
from svengine.model.tender import QualityBlock
from svengine.numbers import DECIMAL_PATTERN, to_decimal

ModelT = TypeVar("ModelT", bound=BaseModel)
Convert = Callable[[Any], Any]
_GRAMMAR = re.compile(DECIMAL_PATTERN)  # numbers.grammar_error's test of a decimal string


class _Refused(Exception):
    """A value the fast path does not take: pydantic decides."""


class _Unsupported(TypeError):
    """A field type the fast path does not know: the model is always validated."""


def _exact(kind: type) -> Convert:
    def convert(value: Any) -> Any:
        if type(value) is not kind:  # bool is not int here, as the schema says
            raise _Refused
        return value

    return convert


def _exact_or_none(kind: type) -> Convert:
    def convert(value: Any) -> Any:
        if value is not None and type(value) is not kind:
            raise _Refused
        return value

    return convert


def _decimal(value: Any) -> Any:
    if (
        type(value) is str
    ):  # the common case, as to_decimal does it: the grammar, then Decimal(text)
        if _GRAMMAR.fullmatch(value):
            return Decimal(value)
        raise _Refused
    if type(value) is bool or type(value) is float:
        raise _Refused
    try:
        return to_decimal(value)
    except ValueError:
        raise _Refused from None


def _text(value: Any) -> Any:
    # Memory: the JSON parser makes a new string for every value, and bids repeat the same measure
    # ids and often the same descriptions (ten commitments a bid): each model keeps one shared,
    # interned copy (sys.intern's strings are freed with their last user).
    if type(value) is not str:
        raise _Refused
    return sys.intern(value)


def _text_or_none(value: Any) -> Any:
    return None if value is None else _text(value)


def _converter(hint: Any) -> Convert:
    if hint == Dec:
        return _decimal
    if hint is str:
        return _text
    if hint in (int, bool):
        return _exact(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType) and len(args) == 2 and type(None) in args:
        other = next(a for a in args if a is not type(None))
        if other is str:
            return _text_or_none
        if other in (int, bool):  # one call instead of two for the most common optional fields
            return _exact_or_none(other)
        inner = _converter(other)
        return lambda value: None if value is None else inner(value)
    if origin is typing.Literal and all(type(a) is str for a in args):
        allowed = frozenset(args)
        return lambda value: value if type(value) is str and value in allowed else _refuse()
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _converter(args[0])
        return lambda value: tuple(map(item, value)) if type(value) in (list, tuple) else _refuse()
    if origin is dict and len(args) == 2 and args[0] is str:
        entry = _converter(args[1])
        return lambda value: (
            {_exact(str)(k): entry(v) for k, v in value.items()}
            if type(value) is dict
            else _refuse()
        )
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        model = hint
        return lambda value: value if type(value) is model else _build(model, value)
    if (
        isinstance(hint, type) and hint.__module__ == "svengine.problems"
    ):  # Location: passed as an object, kept as is
        kind = hint
        return lambda value: value if type(value) is kind else _refuse()
    raise _Unsupported(f"no fast path for {hint!r}")


def _refuse() -> Any:
    raise _Refused


# Models with validators of their own: always validated, so the validators run. pydantic has no
# public way to list a model's validators; tests/test_construct.py checks this set is complete.
_VALIDATED: frozenset[type[BaseModel]] = frozenset({QualityBlock})


@cache
def conversion_plan(model: type[BaseModel]) -> dict[str, Convert] | None:
    """How to convert each field of `model`, or None if it must always be validated."""
    if model in _VALIDATED:
        return None
    if (
        model.model_config.get("extra") != "forbid"
        or model.model_config.get("strict")
        or model.model_config.get("str_strip_whitespace")
    ):
        return None
    hints = typing.get_type_hints(model, include_extras=True)
    try:
        for name, info in model.model_fields.items():
            if info.alias is not None or info.validation_alias is not None:
                return None
            if info.default_factory is not None:
                return None
            # Field constraints (ge=, max_length=, ...) live in metadata; `Dec`'s own are compared whole.
            if info.metadata and hints[name] != Dec:
                return None
        return {name: _converter(hints[name]) for name in model.model_fields}
    except _Unsupported:
        return None


@cache
def _maker(model: type[BaseModel]) -> Callable[[Any], Any] | None:
    """A function that builds `model` from a checked document (raising _Refused), or None.

    The same as `model.model_construct(**{key: convert(value)})` over the document's keys, after
    refusing an unknown key or a missing required field (pydantic decides those, in its words).
    """
    plan = conversion_plan(model)
    if plan is None:
        return None
    _, required = field_names(model)
    get = plan.get
    construct = model.model_construct
    defaults = shared_defaults(model)

    def make(document: Any) -> Any:
        if type(document) is not dict:
            raise _Refused
        fields = defaults.copy()
        for key, value in document.items():
            convert = get(key)
            if convert is None:  # an unknown key: extra="forbid" refuses it, in pydantic's words
                raise _Refused
            fields[key] = convert(value)
        given = frozenset(document)
        if not required <= given:  # a required field missing
            raise _Refused
        return construct(fields_set(model, given), **fields)

    return make


def _build(model: type[ModelT], document: Any) -> ModelT:
    make = _maker(model)
    if make is None:
        raise _Refused
    built_model: ModelT = make(document)
    return built_model


def from_checked(model: type[ModelT], document: Any) -> ModelT | None:
    """`model.model_validate(document)` for a document the schema has passed, or None: validate it then."""
    try:
        return _build(model, document)
    except _Refused:
        return None
