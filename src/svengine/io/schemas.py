"""The published JSON Schemas (Draft 2020-12), enforced with jsonschema; problems in plain words.

Schemas are read from the package and never fetched: every validator gets an empty `referencing`
registry that cannot retrieve anything, so a `$ref` to anything outside the schema itself fails
with `referencing.exceptions.Unresolvable` instead of being downloaded (jsonschema's own default
would fetch an http(s) `$ref` with urllib). Validation never touches the network.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Collection, Iterable, Iterator
from functools import cache
from importlib import resources
from typing import Any, cast

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry

from svengine.numbers import GRAMMAR, separator_error
from svengine.problems import Location, MoreProblems, Problem, bounded, json_path, problem_order

SCHEMA_NAMES = ("measure-library", "tender", "bid", "scores", "decisions")


@cache
def schema(name: str) -> dict[str, Any]:
    """The published schema `name` (one of SCHEMA_NAMES, or `result`)."""
    text = (
        resources.files("svengine")
        .joinpath("schemas", f"{name}.schema.json")
        .read_text(encoding="utf-8")
    )
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _validator(name: str, definition: str | None = None) -> Draft202012Validator:
    document = schema(name)
    if definition is not None:
        document = {"$defs": document["$defs"], "$ref": f"#/$defs/{definition}"}
    return Draft202012Validator(document, registry=OFFLINE)


OFFLINE: Registry[Any] = Registry()
"""A registry holding nothing and retrieving nothing: only references inside a schema resolve."""


def _describe(value: Any) -> str:
    try:
        text = json.dumps(value, default=str, ensure_ascii=False)
    except (
        ValueError,
        RecursionError,
    ):  # a value nested too deeply to show (a Python caller's document)
        return (
            "a nested list"
            if isinstance(value, list)
            else "a nested object"
            if isinstance(value, dict)
            else type(value).__name__
        )
    return text if len(text) <= 60 else text[:57] + "..."


def _message(error: ValidationError) -> str:
    validator, expected, instance = (
        str(error.validator),
        cast(Any, error.validator_value),
        cast(Any, error.instance),
    )
    where: dict[str, Any] = dict(error.schema) if isinstance(error.schema, dict) else {}
    field = error.path[-1] if error.path else None
    name = f'"{field}"' if isinstance(field, str) else "this value"
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        return f'the field "{missing}" is missing'
    if validator == "additionalProperties":
        allowed = sorted(where.get("properties", {}))
        unknown = [key for key in instance if key not in allowed]
        parts = []
        for key in unknown:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            parts.append(f'"{key}"{hint}')
        return f"unknown field {', '.join(parts)}; allowed fields are: {', '.join(allowed)}"
    if where.get("title") == "decimal" or (
        validator == "pattern" and str(where.get("pattern", "")).startswith("^-?[0-9]{1,15}")
    ):
        separated = separator_error(field if isinstance(field, str) else "the value", instance)
        if separated is not None:
            return separated
        return f"{name} must be {GRAMMAR}, not {_describe(instance)}"
    if validator == "type":
        kinds = expected if isinstance(expected, list) else [expected]
        words = {
            "object": "an object ({...})",
            "array": "a list ([...])",
            "string": "text",
            "integer": "a whole number",
            "number": "a number",
            "boolean": "true or false",
            "null": "null",
        }
        return f"{name} must be {' or '.join(words.get(str(k), str(k)) for k in kinds)}, not {_describe(instance)}"
    if validator == "enum":
        return f"{name} must be one of: {', '.join(str(v) for v in expected)}; got {_describe(instance)}"
    if validator == "minimum":
        return f"{name} must be at least {expected}, not {_describe(instance)}"
    if validator == "maximum":
        return f"{name} must be at most {expected}, not {_describe(instance)}"
    if validator == "minItems":
        return f"{name} must have at least {expected} item{'s' if expected != 1 else ''}"
    if validator == "minLength":
        return f"{name} must not be empty"
    if validator == "pattern" and field == "currency":
        return (
            f"currency must be a three-letter ISO 4217 code such as GBP, not {_describe(instance)}"
        )
    return error.message


@cache
def _fast_validator(name: str, definition: str | None = None) -> Any:
    """A jsonschema-rs validator of the same schema, or None when jsonschema-rs is not installed."""
    try:
        import jsonschema_rs
    except (
        ImportError
    ):  # pragma: no cover - jsonschema-rs is a dependency; jsonschema alone still works
        return None
    document = schema(name)
    if definition is not None:
        document = {"$defs": document["$defs"], "$ref": f"#/$defs/{definition}"}
    return jsonschema_rs.Draft202012Validator(document)


def _surely_valid(document: Any, name: str, definition: str | None) -> bool:
    """True when jsonschema-rs finds `document` valid: then jsonschema would find no error either.

    jsonschema-rs (Rust) is far faster than jsonschema on a bid, so it sorts the valid
    documents from the rest; only the rest go through jsonschema, which words the problems. It
    refuses Decimal values (JSON numbers with a point are read as exact decimals): those
    documents go to jsonschema directly, so a float never takes part in the decision.
    """
    fast = _fast_validator(name, definition)
    if fast is None:
        return False
    try:
        return bool(fast.is_valid(document))
    except Exception:
        return False


def validate(
    document: Any,
    name: str,
    file: str | None = None,
    definition: str | None = None,
    base: list[str | int] | None = None,
    skip_paths: Collection[str] = (),
) -> list[Problem]:
    """The schema problems of `document`, each located by its JSON path, in `problem_order`.

    Only the first MAX_PROBLEMS are kept, then one `more_problems` counts the rest: jsonschema's
    errors are consumed one at a time and never all held (a hostile 49 MB bid has millions).
    Problems at a path in `skip_paths` (reported already) are neither listed nor counted.
    """
    if _surely_valid(document, name, definition):
        return []
    found = bounded(_unique(_each_problem(document, name, file, definition, base, skip_paths)))
    listed = sorted((p for p in found if not isinstance(p, MoreProblems)), key=problem_order)
    return listed + [p for p in found if isinstance(p, MoreProblems)]


def _each_problem(
    document: Any,
    name: str,
    file: str | None,
    definition: str | None,
    base: list[str | int] | None,
    skip_paths: Collection[str],
) -> Iterator[Problem]:
    for error in _validator(name, definition).iter_errors(document):
        # Report the most specific reason inside an anyOf, except for decimals where the reason is the grammar.
        if error.context and _title(error) != "decimal":
            error = min(error.context, key=lambda e: -len(e.absolute_path))
        path = json_path([*(base or []), *error.absolute_path])
        if path in skip_paths:
            continue
        code = "bad_number" if _title(error) == "decimal" else "schema"
        yield Problem(code, _message(error), Location(file=file, path=path))


def _title(error: ValidationError) -> object:
    return error.schema.get("title") if isinstance(error.schema, dict) else None


def _unique(problems: Iterable[Problem]) -> Iterator[Problem]:
    """Each (place, message) once; a digest of 8 bytes is remembered of each, not the problem."""
    seen: set[bytes] = set()
    for problem in problems:
        key = hashlib.blake2b(
            f"{problem.location}\0{problem.message}".encode("utf-8", "surrogatepass"), digest_size=8
        ).digest()
        if key not in seen:
            seen.add(key)
            yield problem


def result_schema() -> dict[str, Any]:
    """The schema of result.json, derived from the result model so the two cannot drift.

    `schemas/result.schema.json` is this, written out; a test keeps them equal. Regenerate with
    `python -m svengine.io.schemas`.
    """
    from svengine.model.result import Result

    generated = Result.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:svengine:schema:result:1",
        "description": "The result of an evaluation (result.json). Decimals are strings.",
        **generated,
    }


if __name__ == "__main__":
    from pathlib import Path

    target = Path(__file__).resolve().parents[3] / "schemas" / "result.schema.json"
    target.write_text(
        json.dumps(result_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {target}")
