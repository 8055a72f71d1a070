"""Reading decisions.yaml: the buyer's decisions about particular tenders (docs/award.md).

Read through `read_document`, so the audit block records the file like every other input.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from svengine.io import schemas
from svengine.io.documents import number_problems, read_document
from svengine.model.award import Decisions
from svengine.problems import Location, Problem, json_path

DECISIONS_FILE = "decisions.yaml"


def _dates_as_text(value: Any) -> Any:
    # YAML reads an unquoted 2026-02-13 as a date; the schema and JSON documents give dates as text.
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _dates_as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(item) for item in value]
    return value


def parse_decisions(
    document: Any, file: str | None = None
) -> tuple[Decisions | None, list[Problem]]:
    """Decisions from a parsed document, or every problem with its JSON path."""
    if document is None:
        document = {}
    duplicates = number_problems(document, file)
    document = _dates_as_text(document)
    problems = duplicates + schemas.validate(document, "decisions", file)
    if problems:
        return None, problems
    try:
        return Decisions.model_validate(document), []
    except ValidationError as error:
        return None, [
            Problem(
                "invalid_value",
                detail["msg"],
                Location(file=file, path=json_path(list(detail["loc"]))),
            )
            for detail in error.errors()
        ]


def read_decisions(path: Path) -> tuple[Decisions | None, list[Problem]]:
    document, problems = read_document(path)
    if problems and not (len(problems) == 1 and problems[0].code == "empty_file"):
        return None, problems
    return parse_decisions(document, str(path))
