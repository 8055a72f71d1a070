"""JSON text with Decimal values written as exact JSON numbers (OCDS amounts are numbers, never floats)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any


def _number(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"{value} cannot be written as a JSON number")
    text = format(value, "f")
    return "0" if text in ("-0", "0") else text


def _write(value: Any, indent: str, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, Decimal):
        out.append(_number(value))
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, Mapping):
        if not value:
            out.append("{}")
            return
        inner = indent + "  "
        out.append("{")
        for position, (key, item) in enumerate(value.items()):
            out.append(
                ("," if position else "")
                + "\n"
                + inner
                + json.dumps(str(key), ensure_ascii=False)
                + ": "
            )
            _write(item, inner, out)
        out.append("\n" + indent + "}")
    elif isinstance(value, Sequence):
        if not value:
            out.append("[]")
            return
        inner = indent + "  "
        out.append("[")
        for position, item in enumerate(value):
            out.append(("," if position else "") + "\n" + inner)
            _write(item, inner, out)
        out.append("\n" + indent + "]")
    else:
        raise TypeError(f"{type(value).__name__} is not written to OCDS JSON (floats never are)")


def dumps_exact(value: Any) -> str:
    """Indented JSON (2 spaces, UTF-8 characters as themselves); a Decimal is written digit for digit."""
    out: list[str] = []
    _write(value, "", out)
    return "".join(out) + "\n"
