"""The service's OpenAPI 3.1 contract, built from the published JSON Schemas (schemas/*.json).

Each published schema is a component under its own name (`Tender`, `Bid`, `Result`, ...), its
`$defs` as components named `Tender_decimal` and so on, with every `#/$defs/...` reference
rewritten to match: the same schema, so a document valid against one is valid against the other
(tests/test_service.py checks it). `python -m svengine.service.openapi` writes schemas/openapi.json;
a test keeps it equal to what the service serves at /openapi.json.
"""

from __future__ import annotations

import copy
import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

from svengine.io.schemas import schema
from svengine.version import __version__

PUBLISHED = {
    "Tender": "tender",
    "MeasureLibrary": "measure-library",
    "Bid": "bid",
    "Scores": "scores",
    "SvModeration": "sv-moderation",
    "Decisions": "decisions",
    "Result": "result",
    "Problems": "problems",
}


def _rewrite(value: Any, prefix: str) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                if item.startswith("#/$defs/"):
                    item = f"#/components/schemas/{prefix}_{item[len('#/$defs/') :]}"
                elif item == "#":
                    item = f"#/components/schemas/{prefix}"
                out[key] = item
            else:
                out[key] = _rewrite(item, prefix)
        return out
    if isinstance(value, list):
        return [_rewrite(item, prefix) for item in value]
    return value


def components() -> dict[str, Any]:
    """Every published schema as OpenAPI components, with its $defs beside it."""
    found: dict[str, Any] = {}
    for name, file in PUBLISHED.items():
        document = copy.deepcopy(schema(file))
        definitions = document.pop("$defs", {})
        document.pop("$schema", None)
        document.pop("$id", None)
        document["x-svengine-schema"] = f"schemas/{file}.schema.json"
        found[name] = _rewrite(document, name)
        for key, definition in definitions.items():
            found[f"{name}_{key}"] = _rewrite(definition, name)
    return found


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(name: str) -> dict[str, Any]:
    return {"anyOf": [_ref(name), {"type": "null"}]}


_PROBLEM = {
    "description": "RFC 9457 problem details; `problems` lists every svengine problem (422, 413).",
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "problems": _ref("Problems"),
    },
    "required": ["type", "title", "status", "detail"],
}

_REQUEST = {
    "description": "The documents of an evaluation folder, as JSON (docs/service.md).",
    "type": "object",
    "properties": {
        "tender": _ref("Tender"),
        "library": _nullable("MeasureLibrary"),
        "bids": _ref("Bid"),
        "scores": _ref("Scores"),
        "sv_moderation": _nullable("SvModeration"),
        "decisions": _nullable("Decisions"),
    },
    "required": ["tender", "bids", "scores"],
    "additionalProperties": False,
}

_METHOD_REQUEST = {
    "type": "object",
    "properties": {"tender": _ref("Tender"), "library": _nullable("MeasureLibrary")},
    "required": ["tender"],
    "additionalProperties": False,
}


def _problems(*statuses: int) -> dict[str, Any]:
    words = {
        401: "No or wrong bearer token (only when SVENGINE_API_TOKEN is set).",
        413: "The body, or the number of bids, is over the service's limit.",
        422: "The input has problems: every one, with its code, sentence and place.",
        503: "Busy, or the evaluation took longer than the time limit; try again later.",
    }
    return {
        str(status): {
            "description": words[status],
            "content": {"application/problem+json": {"schema": _ref("ProblemDetails")}},
        }
        for status in statuses
    }


def _json_body(name: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}


def _operation(
    summary: str,
    operation_id: str,
    ok: dict[str, Any],
    body: dict[str, Any] | None = None,
    parameters: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary,
        "operationId": operation_id,
        "responses": {"200": ok, **_problems(401, 413, 422, 503)},
    }
    if body is not None:
        operation["requestBody"] = body
    if parameters:
        operation["parameters"] = parameters
    return operation


def _content(media: str, schema_: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {media: {"schema": schema_}}}


@cache
def _document() -> str:
    result = _content("application/json", _ref("Result"), "result.json, as the CLI writes it")
    request = _json_body("EvaluateRequest")
    text = {"type": "string"}
    paths = {
        "/healthz": {
            "get": {
                "summary": "Liveness",
                "operationId": "healthz",
                "security": [],
                "responses": {
                    "200": _content(
                        "application/json",
                        {
                            "type": "object",
                            "properties": {
                                "status": {"const": "ok"},
                                "engine": {"type": "string"},
                                "version": {"type": "string"},
                            },
                            "required": ["status", "engine", "version"],
                        },
                        "the service is up",
                    )
                },
            }
        },
        "/v1/validate": {
            "post": _operation(
                "Every check evaluate runs, without evaluating",
                "validate",
                _content(
                    "application/json",
                    {
                        "type": "object",
                        "properties": {
                            "valid": {"const": True},
                            "bids": {"type": "integer", "minimum": 0},
                        },
                        "required": ["valid", "bids"],
                    },
                    "the documents are valid",
                ),
                request,
            )
        },
        "/v1/evaluate": {"post": _operation("Evaluate documents", "evaluate", result, request)},
        "/v1/evaluate/workbooks": {
            "post": _operation(
                "Evaluate uploaded bids.xlsx and scores.xlsx",
                "evaluateWorkbooks",
                result,
                {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "tender": {"type": "string", "description": "JSON text"},
                                    "library": {"type": "string", "description": "JSON text"},
                                    "bids": {"type": "string", "format": "binary"},
                                    "scores": {"type": "string", "format": "binary"},
                                    "sv_moderation": {"type": "string"},
                                    "decisions": {"type": "string"},
                                },
                                "required": ["tender", "bids", "scores"],
                            }
                        }
                    },
                },
            )
        },
        "/v1/workbook": {
            "post": _operation(
                "The evaluation workbook (report.xlsx)",
                "workbook",
                _content(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    {"type": "string", "format": "binary"},
                    "report.xlsx",
                ),
                request,
            )
        },
        "/v1/methodology": {
            "post": _operation(
                "The published method (Markdown or HTML)",
                "methodology",
                {
                    "description": "the method as text",
                    "content": {"text/markdown": {"schema": text}, "text/html": {"schema": text}},
                },
                _json_body("MethodologyRequest"),
                [
                    {
                        "name": "format",
                        "in": "query",
                        "required": False,
                        "schema": {"enum": ["markdown", "html"], "default": "markdown"},
                    }
                ],
            )
        },
        "/v1/explain/{bidder}": {
            "post": _operation(
                "How one bid's total was reached, in plain English",
                "explain",
                _content("text/plain", text, "the explanation"),
                request,
                [
                    {
                        "name": "bidder",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "minLength": 1},
                    }
                ],
            )
        },
        "/v1/summaries": {
            "post": _operation(
                "An assessment summary per supplier",
                "summaries",
                _content(
                    "application/json",
                    {
                        "type": "object",
                        "additionalProperties": {
                            "type": "object",
                            "properties": {"markdown": text, "html": text},
                            "required": ["markdown", "html"],
                        },
                    },
                    "{bidder: {markdown, html}}",
                ),
                request,
                [
                    {
                        "name": "include_winner",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "boolean", "default": True},
                        "description": (
                            "the successful tender's scores in each unsuccessful supplier's summary, as"
                            " reg. 31(3)(d) of the Procurement Regulations 2024 requires; false for a draft only"
                        ),
                    }
                ],
            )
        },
        "/v1/robustness": {
            "post": _operation(
                "Robustness of the ranking (information only)",
                "robustness",
                _content("application/json", {"type": "object"}, "robustness.json"),
                request,
                [
                    {
                        "name": "samples",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "default": 1000},
                    },
                    {
                        "name": "seed",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "default": 0},
                    },
                ],
            )
        },
    }
    document = {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "svengine",
            "version": __version__,
            "description": "Social value scoring and tender evaluation: exact, explained, "
            "reproducible. Numbers are JSON numbers or decimal strings, read exactly.",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "paths": paths,
        "components": {
            "schemas": {
                "EvaluateRequest": _REQUEST,
                "MethodologyRequest": _METHOD_REQUEST,
                "ProblemDetails": _PROBLEM,
                **components(),
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{}, {"bearer": []}],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document the service serves at /openapi.json."""
    loaded: dict[str, Any] = json.loads(_document())
    return loaded


def openapi_text() -> str:
    """schemas/openapi.json's text."""
    return _document()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("schemas/openapi.json")
    target.write_text(openapi_text(), encoding="utf-8")
    print(f"wrote {target}")
