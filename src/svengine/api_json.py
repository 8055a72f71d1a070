"""The exact JSON API: documents in (as a tender system sends them), the folder's Result out.

`loads` reads JSON text with every number as an exact decimal (io/documents.py's reader: no binary
floats, no duplicate keys, no NaN). `evaluate_documents` takes the documents a folder's files hold
(the tender, its measure library, the bids, the scores in the JSON form of scores.schema.json, and
optionally the panel's social value moderation and the buyer's decisions) and returns the Result
`evaluate_folder` returns for the same inputs: the same figures, words and order in `to_json()`.
Only the audit block's record of the inputs differs: `audit.inputs` holds the SHA-256 of each
document's canonical JSON (audit/canonical.py), keyed by its argument name (`tender`, `library`,
`bids`, `scores`, `sv_moderation`, `decisions`), instead of the digests of the files a folder holds;
`audit.result_sha256` differs with it. Problems are located by argument name and JSON path
(`Location(file="bids", path="$[2].price")`).
"""

from __future__ import annotations

import codecs
import csv
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from svengine.checks import check_decisions, check_inputs, check_sv_moderation
from svengine.io.decisions import _dates_as_text, parse_decisions
from svengine.io.documents import MAX_DOCUMENT_BYTES, parse_json, read_document
from svengine.io.loaders import (
    _bids,
    _build,
    _checked,
    _library,
    _tender,
    scores_from_document,
)
from svengine.model.award import Decisions
from svengine.model.bid import Bid
from svengine.model.library import MeasureLibrary
from svengine.model.panel import SvModeration
from svengine.model.result import Result
from svengine.model.scores import Score
from svengine.model.tender import Tender
from svengine.problems import InvalidInput, Location, Problem, json_path, raise_if_any
from svengine.scoring.evaluate import evaluate_unsealed
from svengine.seal.canonical import canonical_json, sha256_hex
from svengine.seal.digests import sealed_with_input_digests

DOCUMENT_NAMES = ("tender", "library", "bids", "scores", "sv_moderation", "decisions")
"""The documents of an evaluation, by the names `evaluate_documents` and `POST /v1/evaluate` use."""


def loads(text: str | bytes | bytearray | memoryview) -> Any:
    """A JSON document with every number an exact decimal (`SourceDecimal`), never a binary float.

    Bytes are read as UTF-8 (a byte order mark is allowed). Raises InvalidInput for text that is
    not JSON, or holds NaN, Infinity, a number outside the decimal grammar or a duplicate key;
    TypeError for anything but text or bytes.
    """
    if isinstance(text, (bytes, bytearray, memoryview)):
        data = bytes(text)
        if len(data) > MAX_DOCUMENT_BYTES:
            raise_if_any([_too_large(len(data))])
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            problem = Problem(
                "not_utf8", f"the text is not UTF-8 (byte {error.start} cannot be read)", Location()
            )
            raise InvalidInput([problem]) from None
    elif not isinstance(text, str):
        raise TypeError(f"svengine.loads takes JSON text (str) or bytes, not {type(text).__name__}")
    elif len(text) > MAX_DOCUMENT_BYTES:
        raise_if_any([_too_large(len(text))])
    document, problems = parse_json(text)
    raise_if_any(problems)
    return document


def _too_large(size: int) -> Problem:
    return Problem(
        "too_large",
        f"the text is {size} bytes; at most {MAX_DOCUMENT_BYTES} are read",
        Location(),
    )


@dataclass(frozen=True)
class DocumentInputs:
    """An evaluation's inputs read from documents, with the digest of each document."""

    tender: Tender
    bids: tuple[Bid, ...]
    scores: tuple[Score, ...]
    sv_moderation: tuple[SvModeration, ...]
    decisions: Decisions | None
    digests: dict[str, str]
    """SHA-256 of each document's canonical JSON, keyed by its name (DOCUMENT_NAMES)."""


@dataclass(frozen=True)
class UploadedWorkbook:
    """Bids or scores already read from an uploaded workbook, as `read_documents` takes them."""

    objects: Sequence[Any]
    problems: Sequence[Problem]
    sha256: str
    """SHA-256 of the workbook's bytes (its `audit.inputs` digest)."""
    refused: Sequence[Bid] = ()
    """Stand-ins for the bids present but refused by the reader (read_bids_workbook's `refused`):
    still present for every other check, so their scores are not reported as a bidder's with no bid."""


def _sv_moderation(document: Any, file: str) -> tuple[list[SvModeration], list[Problem]]:
    problems = _checked(document, "sv-moderation", file)
    if problems:
        return [], problems
    rows: list[SvModeration] = []
    for index, row in enumerate(document):
        source = Location(file=file, path=json_path([index]))
        moderation, found = _build(SvModeration, row, file, [index], source=source)
        problems += found
        if moderation is not None:
            rows.append(moderation)
    return rows, problems


def _library_of(document: Any) -> tuple[MeasureLibrary | None, list[Problem]]:
    if isinstance(document, MeasureLibrary):
        return document, []
    library, problems = _library(document, "library")
    return library, [
        Problem(
            "library",
            f"the measure library cannot be used: {p.message}",
            p.location,
            p.bidder,
            p.criterion,
        )
        for p in problems
    ]


def _digest(document: Any) -> str:
    if isinstance(document, MeasureLibrary):
        document = document.model_dump(mode="json")
    return sha256_hex(canonical_json(document))


def _plain_document(name: str, value: Any) -> None:
    """TypeError for an argument no JSON document could be (a model object, a path, a float...)."""
    allowed: tuple[type, ...] = (Mapping, list, tuple)
    if name == "library":
        allowed = (Mapping, MeasureLibrary)
    if not isinstance(value, allowed):
        kinds = "a JSON object (dict) or a MeasureLibrary" if name == "library" else "a document"
        raise TypeError(
            f"{name} must be {kinds} as svengine.loads returns it, not {type(value).__name__}"
        )


def read_documents(
    *,
    tender: Any,
    library: Any,
    bids: Any,
    scores: Any,
    sv_moderation: Any = None,
    decisions: Any = None,
    workbooks: Mapping[str, UploadedWorkbook] | None = None,
) -> tuple[DocumentInputs | None, list[Problem]]:
    """Every document checked on its own and against the others, as a folder is; every problem.

    `workbooks`: bids or scores already read from an uploaded workbook, by name ("bids",
    "scores"); the document of that name is None."""
    workbooks = workbooks or {}
    given = {
        "tender": tender,
        "library": library,
        "bids": bids,
        "scores": scores,
        "sv_moderation": sv_moderation,
        "decisions": decisions,
    }
    for name, value in given.items():
        if value is None and (
            name in ("sv_moderation", "decisions", "library") or name in workbooks
        ):
            continue
        if name == "tender" and not isinstance(value, Mapping):
            raise TypeError(
                f"tender must be a JSON object (dict) as svengine.loads returns it, "
                f"not {type(value).__name__}"
            )
        if name in ("bids", "scores", "sv_moderation") and isinstance(value, (str, bytes)):
            raise TypeError(
                f"{name} must be a parsed document (use svengine.loads on JSON text), not "
                f"{type(value).__name__}"
            )
        _plain_document(name, value)
    problems: list[Problem] = []
    lib, found = _library_of(library) if library is not None else (None, [])
    problems += found
    parsed_tender: Tender | None = None
    if not found:
        document = _with_library_path(dict(tender), lib)
        parsed_tender, found = _tender(document, "tender", None, lib)
        problems += found
        if parsed_tender is not None and parsed_tender.social_value is not None and lib is None:
            parsed_tender = None
            problems.append(
                Problem(
                    "library",
                    "the tender has social value criteria, so the measure library document is needed",
                    Location(file="library"),
                )
            )
    parsed_bids: list[Bid]
    parsed_scores: list[Score]
    refused: list[Bid] = []  # bids present but refused: still present for every other check
    if "bids" in workbooks:
        upload = workbooks["bids"]
        parsed_bids, found = list(upload.objects), list(upload.problems)
        refused = list(upload.refused)
    else:
        parsed_bids, found = _bids(_as_list(bids), "bids", refused=refused)
    problems += found
    if "scores" in workbooks:
        parsed_scores = list(workbooks["scores"].objects)
        scores_found = list(workbooks["scores"].problems)
    else:
        parsed_scores, scores_found = scores_from_document(_as_list(scores), "scores")
    problems += scores_found
    scores_file = "scores.xlsx" if "scores" in workbooks else "scores"
    moderation: list[SvModeration] = []
    moderation_found: list[Problem] = []
    if sv_moderation is not None:
        moderation, moderation_found = _sv_moderation(_as_list(sv_moderation), "sv_moderation")
        problems += moderation_found
    parsed_decisions: Decisions | None = None
    decisions_found: list[Problem] = []
    if decisions is not None:
        parsed_decisions, decisions_found = parse_decisions(decisions, "decisions")
        problems += decisions_found
    if parsed_tender is not None:
        bid_problems, score_problems = check_inputs(
            parsed_tender, parsed_bids, parsed_scores, scores_file, False, moderation, refused
        )
        problems += bid_problems
        if not scores_found:
            problems += score_problems
        if parsed_decisions is not None and not any(
            p.code in ("missing_lot", "unknown_lot", "unexpected_lot") for p in bid_problems
        ):
            problems += check_decisions(
                parsed_tender, [*parsed_bids, *refused], parsed_decisions, "decisions"
            )
        if sv_moderation is not None and not moderation_found:
            problems += check_sv_moderation(
                parsed_tender, parsed_bids, moderation, "sv_moderation", refused
            )
    if problems or parsed_tender is None:
        return None, problems
    digests = {name: _digest(value) for name, value in given.items() if value is not None}
    for name, upload in workbooks.items():
        digests[f"{name}.xlsx"] = upload.sha256
    digests = dict(sorted(digests.items()))
    return (
        DocumentInputs(
            parsed_tender,
            tuple(parsed_bids),
            tuple(parsed_scores),
            tuple(moderation),
            parsed_decisions,
            digests,
        ),
        [],
    )


def _as_list(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _with_library_path(document: dict[str, Any], library: MeasureLibrary | None) -> dict[str, Any]:
    """With a library given, `social_value.library` (where its file was) may be left out: the
    library's id stands in (it is no part of the method digest, nor of any result figure)."""
    block = document.get("social_value")
    if library is not None and isinstance(block, Mapping) and "library" not in block:
        document["social_value"] = {**block, "library": library.id}
    return document


def evaluate_inputs(inputs: DocumentInputs) -> Result:
    """The result of checked document inputs, sealed with the documents' digests."""
    result = evaluate_unsealed(
        inputs.tender, inputs.bids, inputs.scores, inputs.sv_moderation, inputs.decisions
    )
    return sealed_with_input_digests(result, inputs.tender, inputs.digests)


def evaluate_documents(
    *,
    tender: Mapping[str, Any],
    library: Mapping[str, Any] | MeasureLibrary | None,
    bids: Sequence[Any] | Mapping[str, Any],
    scores: Sequence[Any],
    sv_moderation: Sequence[Any] | None = None,
    decisions: Mapping[str, Any] | None = None,
) -> Result:
    """Evaluate documents exactly as `svengine evaluate` evaluates the folder holding them.

    Documents are as `loads` returns them, or plain dicts and lists with numbers as strings
    ("4395000.00"); a binary float is refused with its place. `library` is the measure library
    document (or a MeasureLibrary); the tender's `social_value.library` path is then not needed.
    `sv_moderation`: rows of sv_moderation.csv as objects (schemas/sv-moderation.schema.json);
    `decisions`: the decisions.yaml document. Raises InvalidInput listing every problem.
    """
    inputs, problems = read_documents(
        tender=tender,
        library=library,
        bids=bids,
        scores=scores,
        sv_moderation=sv_moderation,
        decisions=decisions,
    )
    raise_if_any(problems)
    assert inputs is not None
    return evaluate_inputs(inputs)


def _csv_rows(path: Path) -> list[dict[str, str]]:
    # Cells as text, empty cells left out: the JSON form of scores.csv and sv_moderation.csv.
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            {key.strip().lower(): value for key, value in row.items() if key and value != ""}
            for row in csv.DictReader(handle)
        ]


def folder_documents(folder: str | os.PathLike[str]) -> dict[str, Any]:
    """The documents of an evaluation folder (JSON bids, scores.csv), as `evaluate_documents` and
    `POST /v1/evaluate` take them: {"tender", "library", "bids", "scores"[, "sv_moderation",
    "decisions"]}. Scores and moderation rows keep their cells as text; bids are read exactly."""
    base = Path(folder)

    def read(path: Path) -> Any:
        document, problems = read_document(path)
        raise_if_any(problems)
        return document

    tender = read(base / "tender.yaml")
    documents: dict[str, Any] = {"tender": tender, "library": None}
    block = tender.get("social_value") if isinstance(tender, dict) else None
    if isinstance(block, dict) and isinstance(block.get("library"), str):
        documents["library"] = read(Path(os.path.normpath(base / block["library"])))
    bids: list[Any] = []
    for path in sorted((base / "bids").glob("*.json"), key=lambda p: p.name):
        document = read(path)
        bids += document if isinstance(document, list) else [document]
    documents["bids"] = bids
    documents["scores"] = _csv_rows(base / "scores.csv")
    if (base / "sv_moderation.csv").exists():
        documents["sv_moderation"] = _csv_rows(base / "sv_moderation.csv")
    if (base / "decisions.yaml").exists():
        documents["decisions"] = _dates_as_text(read(base / "decisions.yaml"))
    return documents


def dumps(document: Any, indent: int | None = 2) -> str:
    """JSON text of a document, decimals written as JSON numbers in fixed-point (never a float)."""
    return _dump(document, indent, 0) + ("\n" if indent is not None else "")


def _dump(value: Any, indent: int | None, level: int) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} cannot be written as JSON")
        return getattr(value, "source", None) or format(value, "f")
    if isinstance(value, float):
        raise TypeError("binary floats are not written; use a Decimal or a string")
    pad = "" if indent is None else "\n" + " " * (indent * (level + 1))
    end = "" if indent is None else "\n" + " " * (indent * level)
    sep = ": " if indent is not None else ":"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = [
            f"{pad}{json.dumps(str(k), ensure_ascii=False)}{sep}{_dump(v, indent, level + 1)}"
            for k, v in value.items()
        ]
        return "{" + ",".join(items) + end + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[" + ",".join(f"{pad}{_dump(v, indent, level + 1)}" for v in value) + end + "]"
    raise TypeError(f"{type(value).__name__} is not a JSON value")
