"""The canonical JSON form that svengine's digests are computed over.

Canonical JSON here is: object keys sorted by Unicode code point, no whitespace, UTF-8 without
escaping non-ASCII characters, decimals as fixed-point strings (never an exponent), and no binary
floats at all. In Python it is exactly
`json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")`
over a result.json document as written (its decimals are already strings), so an auditor can
recompute every digest with the standard library alone.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

from svengine.numbers import exact_text


def _plain(value: Any) -> Any:
    if type(value) is str:  # by far the most common leaf in a result: checked first
        return value
    # A float has already lost exactness and would print differently across versions: refuse it.
    if isinstance(value, float):
        raise TypeError(f"binary float {value!r} has no canonical form; use a Decimal or a string")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise TypeError(f"{value} has no canonical form")
        return format(value, "f")
    if isinstance(value, Fraction):
        return exact_text(value)
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("canonical JSON object keys must be strings")
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, (str, bool, int)):
        return value
    raise TypeError(f"{type(value).__name__} has no canonical JSON form")


def canonical_json(value: Any) -> bytes:
    """The canonical JSON bytes of a JSON-like value (dicts, lists, str, int, bool, None, Decimal)."""
    return json.dumps(
        _plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
