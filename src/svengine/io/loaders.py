"""Loading libraries, tenders, bids, scores and whole evaluation folders, with every problem located.

Each `parse_*` takes an in-memory document (what a tender system sends as JSON) and each `load_*`
reads a file; both run the same checks: the decimal grammar, the published JSON Schema, then the
rules between fields. They raise InvalidInput listing every problem, never the first one only.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from svengine.checks import (
    check_decisions,
    check_inputs,
    check_library,
    check_panel_config,
    check_sv_moderation,
    check_tender,
)
from svengine.excel.folder import (
    BIDS_WORKBOOK,
    SCORES_WORKBOOK,
    both_forms,
    folder_bids,
    folder_scores,
)
from svengine.excel.safety import DEFAULT_MAX_ROWS, Limits
from svengine.io import schemas
from svengine.io.decisions import DECISIONS_FILE, read_decisions
from svengine.io.documents import (
    each_number_problem,
    number_problems,
    read_document,
    read_text,
    recording_reads,
    with_yaml_positions,
)
from svengine.io.moderation_csv import SV_MODERATION_FILE, read_sv_moderation_csv
from svengine.io.scores_csv import read_scores_csv
from svengine.model.award import Decisions
from svengine.model.bid import Bid, Bidder
from svengine.model.checked import from_checked
from svengine.model.library import MeasureLibrary
from svengine.model.panel import SvModeration
from svengine.model.scores import Score, gate_score
from svengine.model.tender import Tender
from svengine.problems import (
    Location,
    MoreProblems,
    Problem,
    bounded,
    gathered,
    json_path,
    problem_order,
    raise_if_any,
)

ModelT = TypeVar("ModelT", bound=BaseModel)

TENDER_FILE = "tender.yaml"
BIDS_FOLDER = "bids"
SCORES_FILE = "scores.csv"


@dataclass(frozen=True)
class EvaluationInput:
    """Everything an evaluation needs, as read from a folder."""

    tender: Tender
    bids: tuple[Bid, ...]
    scores: tuple[Score, ...]
    files: dict[str, bytes] = field(default_factory=dict, compare=False)
    """Every file read, as read: {path relative to the folder with `/` (may start `../`): bytes}."""
    sv_moderation: tuple[SvModeration, ...] = ()
    """The panel's social value decisions (sv_moderation.csv, optional); pass them to evaluate()."""
    decisions: Decisions | None = None
    """The buyer's decisions (decisions.yaml, optional; docs/award.md); pass them to evaluate()."""


def _build(
    model: type[ModelT],
    document: Any,
    file: str | None,
    base: list[str | int] | None = None,
    **extra: Any,
) -> tuple[ModelT | None, list[Problem]]:
    # The schema has already passed; this only turns the document into typed objects, directly
    # where every value is of the exact type its field takes (model/checked.py), else by pydantic.
    document = {**document, **extra}
    fast = from_checked(model, document)
    if fast is not None:
        return fast, []
    try:
        return model.model_validate(document), []
    except ValidationError as error:
        return None, [
            Problem(
                "invalid_value",
                detail["msg"],
                Location(file=file, path=json_path([*(base or []), *detail["loc"]])),
            )
            for detail in error.errors()
        ]


def _checked(
    document: Any,
    schema_name: str,
    file: str | None,
    definition: str | None = None,
    base: list[str | int] | None = None,
    grammar_checked: bool = False,
) -> list[Problem]:
    """Grammar and schema problems of a document, without reporting one place twice.

    `grammar_checked`: the document is part of one whose grammar check found nothing (every part
    of a clean document is clean), so it is not walked again."""
    grammar = [] if grammar_checked else number_problems(document, file)
    if base:
        grammar = [_rebased(p, base) for p in grammar]
    if any(p.code in ("cyclic_document", "nested_too_deeply") for p in grammar):
        return grammar  # the schema validator would recurse for ever, or past Python's limit
    every = (
        # only the first were kept: walk again for the places, holding no Problem
        (_rebased(p, base) for p in each_number_problem(document, file))
        if any(isinstance(p, MoreProblems) for p in grammar)
        else grammar
    )
    flagged = {p.location.path for p in every if p.location.path is not None}
    shape = schemas.validate(document, schema_name, file, definition, base, skip_paths=flagged)
    return bounded(grammar + shape)


def _rebased(problem: Problem, base: list[str | int] | None) -> Problem:
    """A problem of a part of a document, located in the whole document (under `base`)."""
    if not base or isinstance(problem, MoreProblems):
        return problem
    return problem.at(path=json_path(base) + (problem.location.path or "$")[1:])


# -- measure libraries -------------------------------------------------------------------------


def _library(document: Any, file: str | None) -> tuple[MeasureLibrary | None, list[Problem]]:
    problems = _checked(document, "measure-library", file)
    if problems:
        return None, problems
    library, problems = _build(MeasureLibrary, document, file)
    if library is not None:
        problems = check_library(library, file)
    return (library if not problems else None), problems


def parse_library(document: Any, file: str | None = None) -> MeasureLibrary:
    """A measure library from a parsed JSON/YAML document."""
    library, problems = _library(document, file)
    raise_if_any(problems)
    assert library is not None
    return library


def load_library(path: str | os.PathLike[str]) -> MeasureLibrary:
    """A measure library from a YAML or JSON file."""
    path = Path(path)
    document, problems = read_document(path)
    raise_if_any(problems)
    return parse_library(document, str(path))


# -- tenders -----------------------------------------------------------------------------------

ILLUSTRATIVE = "illustrative"
"""`social_value.library: illustrative` names the illustrative library shipped with svengine
(src/svengine/data/illustrative.yaml, a copy of toms/illustrative.yaml: illustrative proxy values,
never National TOMs or HACT values)."""


def _recorded_name(path: str, base: str) -> str:
    """An input's name in the audit record: its path from the tender's folder, or `illustrative`
    for the library shipped with svengine (the same name on every machine)."""
    if os.path.normpath(path) == os.path.normpath(str(library_file(ILLUSTRATIVE, Path(base)))):
        return ILLUSTRATIVE
    return os.path.relpath(path, base).replace(os.sep, "/")


def library_file(named: str, base_dir: Path) -> Path:
    """The file `social_value.library` names: `illustrative`, or a path from the tender's folder."""
    if named == ILLUSTRATIVE:
        return Path(str(resources.files("svengine") / "data" / "illustrative.yaml"))
    return Path(os.path.normpath(base_dir / named))


def _tender(
    document: Any, file: str | None, base_dir: Path | None, library: MeasureLibrary | None
) -> tuple[Tender | None, list[Problem]]:
    problems = _checked(document, "tender", file)
    if problems:
        return None, problems
    if library is None and isinstance(document.get("social_value"), dict) and base_dir is not None:
        named = document["social_value"]["library"]
        library_path = library_file(named, base_dir)
        library_document, problems = read_document(library_path)
        if problems and any(p.code == "missing_file" for p in problems):
            return None, [
                Problem(
                    "library",
                    f"the measure library named by social_value.library ({named}) is not there:"
                    f" looked for {library_path}, relative to the tender's folder; name"
                    f" `{ILLUSTRATIVE}` for svengine's illustrative library, or give the path of"
                    " your library file",
                    Location(file=file, path="$.social_value.library"),
                )
            ]
        if not problems and not (
            isinstance(library_document, dict) and "measures" in library_document
        ):
            # Not quoted: the path may name any file (`/etc/passwd`), whose text must not be shown.
            return None, [
                Problem(
                    "library",
                    "the file named by social_value.library is not a measure library (a YAML or"
                    " JSON mapping with `measures:`)",
                    Location(file=str(library_path)),
                )
            ]
        if not problems:
            library, problems = _library(library_document, str(library_path))
        if problems:
            problems = [
                Problem(
                    "library",
                    f"the measure library named by social_value.library cannot be used: {p.message}",
                    p.location,
                )
                for p in problems
            ]
            return None, problems
    tender, problems = _build(Tender, document, file, measure_library=library)
    if tender is None:
        return None, problems
    problems = check_tender(tender, file)
    # The panel's own mistakes leave the tender usable, so a folder's scores are still checked against it.
    return (tender if not problems else None), problems + check_panel_config(tender, file)


def parse_tender(
    document: Any,
    file: str | None = None,
    base_dir: str | os.PathLike[str] | None = None,
    library: MeasureLibrary | None = None,
) -> Tender:
    """A tender from a parsed document; its library is `library`, or read relative to `base_dir`.

    With `library` given, `social_value.library` (where the library's file is) may be left out."""
    if library is not None and not isinstance(library, MeasureLibrary):
        raise TypeError(
            f"library must be a MeasureLibrary (from parse_library or load_library), "
            f"not {type(library).__name__}"
        )
    if file is not None and not isinstance(file, str):
        raise TypeError(f"file must be text naming the document, not {type(file).__name__}")
    if base_dir is not None and not isinstance(base_dir, (str, os.PathLike)):
        raise TypeError(f"base_dir must be a folder path, not {type(base_dir).__name__}")
    block = document.get("social_value") if isinstance(document, dict) else None
    if library is not None and isinstance(block, dict) and "library" not in block:
        document = {**document, "social_value": {**block, "library": library.id}}
    tender, problems = _tender(
        document, file, Path(base_dir) if base_dir is not None else None, library
    )
    raise_if_any(problems)
    assert tender is not None
    return tender


def load_tender(path: str | os.PathLike[str]) -> Tender:
    """A tender from its YAML (or JSON) file, with the measure library it names loaded."""
    path = Path(path)
    document, problems = read_document(path)
    raise_if_any(problems)
    tender, problems = _tender(document, str(path), path.parent, None)
    raise_if_any(_with_lines(problems, path))
    assert tender is not None
    return tender


def _with_lines(problems: list[Problem], path: Path) -> list[Problem]:
    """A YAML tender's problems located by JSON path get the line and column too."""
    if not problems or path.suffix.lower() == ".json":
        return problems
    text, unreadable = read_text(path, str(path))
    return (
        problems if text is None or unreadable else with_yaml_positions(problems, text, str(path))
    )


# -- bids --------------------------------------------------------------------------------------


def stand_in(item: Any, source: Location) -> Bid | None:
    """A refused bid as far as other checks need it (who and which lot), or None if that is unreadable.

    A bid whose price is mistyped is still a bid: scores, decisions and moderation rows about it must
    not be reported as being about "a bidder who has no bid" (one mistake, one message)."""
    bidder = item.get("bidder") if isinstance(item, dict) else None
    bidder_id = bidder.get("id") if isinstance(bidder, dict) else None
    if not isinstance(bidder_id, str) or not bidder_id.strip():
        return None
    assert isinstance(bidder, dict)
    name = bidder.get("name")
    lot = item.get("lot")
    return Bid(
        bidder=Bidder(id=bidder_id, name=name if isinstance(name, str) else bidder_id),
        lot=lot if isinstance(lot, str) else None,
        source=source,
    )


def _bids(
    document: Any,
    file: str | None,
    grammar_checked: bool = False,
    refused: list[Bid] | None = None,
) -> tuple[list[Bid], list[Problem]]:
    """The bids of a document and their problems; `refused` collects stand_in() of each refused bid."""
    items = document if isinstance(document, list) else [document]
    bids: list[Bid] = []
    problems: list[Problem] = []
    if isinstance(document, list) and not document:
        problems.append(
            Problem("no_bids", "the file holds an empty list of bids", Location(file=file))
        )
    for index, item in enumerate(items):
        base: list[str | int] = [index] if isinstance(document, list) else []
        found = _checked(
            item, "bid", file, definition="bid", base=base, grammar_checked=grammar_checked
        )
        source = Location(file=file, path=json_path(base))
        bid = None
        if not found:
            bid, found = _build(Bid, item, file, base, source=source)
        problems = gathered(problems, found)
        if bid is not None:
            bids.append(bid)
        elif refused is not None and (present := stand_in(item, source)) is not None:
            refused.append(present)
    return bids, problems


def parse_bids(document: Any, file: str | None = None) -> list[Bid]:
    """Bids from a parsed document: one bid object, or a list of them."""
    bids, problems = _bids(document, file)
    raise_if_any(problems)
    return bids


def _bid_files(path: Path) -> list[Path]:
    # Every entry named *.json is a bid file, whatever it is: a folder, a symbolic link (dangling or
    # not), a FIFO is then refused by the reader with its name, never skipped (docs/reliability.md).
    return (
        sorted((p for p in path.iterdir() if p.suffix.lower() == ".json"), key=lambda p: p.name)
        if path.is_dir()
        else [path]
    )


def _read_bids(path: Path, refused: list[Bid] | None = None) -> tuple[list[Bid], list[Problem]]:
    bids: list[Bid] = []
    problems: list[Problem] = []
    files = _bid_files(path)
    if path.is_dir() and not files:
        problems.append(
            Problem("no_bids", "the bids folder holds no .json files", Location(file=str(path)))
        )
    for file in files:
        document, found = read_document(file)
        if not found:  # a file holding only `null` is checked (and refused), never skipped
            parsed, found = _bids(
                document, str(file), grammar_checked=True, refused=refused
            )  # read_document checked it
            bids += parsed
        problems = gathered(problems, found)
    return bids, problems


def load_bids(path: str | os.PathLike[str]) -> list[Bid]:
    """Bids from a JSON file or from every `*.json` file in a folder."""
    bids, problems = _read_bids(Path(path))
    raise_if_any(problems)
    return bids


# -- scores ------------------------------------------------------------------------------------


def parse_scores(document: Any, file: str | None = None) -> list[Score]:
    """Scores from a parsed JSON document: a list of {bidder, criterion, score, comment}."""
    scores, problems = scores_from_document(document, file)
    raise_if_any(problems)
    return scores


def scores_from_document(document: Any, file: str | None) -> tuple[list[Score], list[Problem]]:
    """`parse_scores` without raising: the scores that could be built and every row's problems."""
    problems = _checked(document, "scores", file)
    if problems:
        return [], problems
    scores: list[Score] = []
    for index, row in enumerate(document):
        source = Location(file=file, path=json_path([index]))
        if row["score"] in ("pass", "fail"):  # a pass/fail criterion's verdict (docs/award.md)
            scores.append(
                gate_score(
                    **{k: v for k, v in row.items() if k not in ("score", "bidder", "criterion")},
                    bidder=row["bidder"],
                    criterion=row["criterion"],
                    verdict=row["score"],
                    source=source,
                )
            )
            continue
        score, found = _build(Score, row, file, [index], source=source)
        problems += found
        if score is not None:
            scores.append(score)
    return scores, problems


def load_scores(path: str | os.PathLike[str]) -> list[Score]:
    """Scores from a CSV file (`bidder,criterion,score[,comment]`) or a JSON file."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        document, problems = read_document(path)
        raise_if_any(problems)
        return parse_scores(document, str(path))
    scores, problems = read_scores_csv(path)
    raise_if_any(problems)
    return scores


# -- folders -----------------------------------------------------------------------------------


def read_folder(
    folder: str | os.PathLike[str],
    pending_moderation: bool = False,
    *,
    max_rows: int = DEFAULT_MAX_ROWS,
    limits: Limits | None = None,
) -> tuple[EvaluationInput | None, list[Problem]]:
    """An evaluation folder and every problem in it, across all its files and between them.

    `bids.xlsx` and `scores.xlsx` may stand in for `bids/` and `scores.csv` (docs/excel.md); a
    workbook sheet may hold at most `max_rows` data rows. `pending_moderation`: panel consensus rows
    may still be missing (for the moderation sheet). `limits` sets every workbook bound at once
    (size, parts, expansion, compression ratio, rows; docs/reliability.md); `max_rows` is its row bound.
    """
    with recording_reads() as read:
        inputs, problems = _read_folder(
            Path(folder), pending_moderation, limits or Limits(max_rows=max_rows)
        )
    if inputs is None:
        return None, problems
    base = os.path.normpath(os.path.abspath(folder))
    files = {_recorded_name(path, base): data for path, data in read.items()}
    return replace(inputs, files=dict(sorted(files.items()))), []


def _read_folder(
    folder: Path, pending_moderation: bool, limits: Limits
) -> tuple[EvaluationInput | None, list[Problem]]:
    problems: list[Problem] = []
    if not folder.is_dir():
        return None, [
            Problem(
                "missing_folder", "the evaluation folder does not exist", Location(file=str(folder))
            )
        ]
    tender_path = folder / TENDER_FILE
    document, problems = read_document(tender_path)
    tender = None
    if not problems:  # a tender of only a comment is None: the schema refuses it
        tender, problems = _tender(document, str(tender_path), tender_path.parent, None)
        problems = _with_lines(problems, tender_path)
    bids_path = folder / BIDS_FOLDER
    tender_id = tender.id if tender is not None else None
    clashes = [
        p
        for p in (
            both_forms(folder, BIDS_WORKBOOK, BIDS_FOLDER),
            both_forms(folder, SCORES_WORKBOOK, SCORES_FILE),
        )
        if p
    ]
    problems += clashes
    price_model = tender.price.model if tender is not None else None
    refused: list[Bid] = []  # bids present but refused: still present for every other check
    from_workbook = (
        folder_bids(folder, tender_id, limits, price_model, refused) if not clashes else None
    )
    bids: list[Bid] = []
    if from_workbook is not None:
        bids, found = from_workbook
        problems += found
    elif bids_path.is_symlink():
        problems.append(
            Problem(
                "not_a_file",
                "bids/ is a symbolic link; inputs must be ordinary files inside the evaluation folder",
                Location(file=str(bids_path)),
            )
        )
    elif not bids_path.is_dir():
        problems.append(
            Problem(
                "missing_file",
                "the folder has no bids/ folder of bid files (or bids.xlsx)",
                Location(file=str(bids_path)),
            )
        )
    else:
        bids, found = _read_bids(bids_path, refused)
        problems += found
    scores_path = folder / SCORES_FILE
    scores_workbook = folder_scores(folder, tender_id, limits) if not clashes else None
    if scores_workbook is not None:
        scores_path = folder / SCORES_WORKBOOK
        scores, found = scores_workbook
    else:
        scores, found = read_scores_csv(scores_path)
    problems += found
    moderation_path = folder / SV_MODERATION_FILE
    moderated = os.path.lexists(moderation_path)  # optional: no file, no moderation
    moderation, moderation_found = (
        read_sv_moderation_csv(moderation_path) if moderated else ([], [])
    )
    problems += moderation_found
    decisions_path = folder / DECISIONS_FILE
    decisions, decisions_found = (
        read_decisions(decisions_path) if os.path.lexists(decisions_path) else (None, [])
    )
    problems += decisions_found
    if tender is not None:
        bid_problems, score_problems = check_inputs(
            tender, bids, scores, str(scores_path), pending_moderation, moderation, refused
        )  # lot by lot
        problems += bid_problems
        if not found:
            problems += score_problems
        if decisions is not None and not any(
            p.code in ("missing_lot", "unknown_lot", "unexpected_lot") for p in bid_problems
        ):
            problems += check_decisions(tender, [*bids, *refused], decisions, str(decisions_path))
        if moderated and not moderation_found:
            problems += check_sv_moderation(tender, bids, moderation, str(moderation_path), refused)
    if problems or tender is None:
        return None, problems
    return EvaluationInput(
        tender, tuple(bids), tuple(scores), sv_moderation=tuple(moderation), decisions=decisions
    ), []


def load_folder(
    folder: str | os.PathLike[str],
    *,
    max_rows: int = DEFAULT_MAX_ROWS,
    limits: Limits | None = None,
) -> EvaluationInput:
    """An evaluation folder (`tender.yaml`, `bids/` or `bids.xlsx`, `scores.csv` or `scores.xlsx`, optional
    `sv_moderation.csv` and `decisions.yaml`), fully checked; `limits` bounds what a workbook may hold
    (excel.safety.Limits)."""
    inputs, problems = read_folder(folder, max_rows=max_rows, limits=limits)
    raise_if_any(problems)
    assert inputs is not None
    return inputs


def sort_problems(problems: Sequence[Problem]) -> list[Problem]:
    """Problems grouped by file, in a stable order for people to read (`problem_order`); a stand-in
    for problems only counted (`more_problems`) comes last."""
    return sorted(problems, key=lambda p: (isinstance(p, MoreProblems), problem_order(p)))
