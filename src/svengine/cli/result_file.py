"""DIR/result.json, DIR/run.json and the tender they record, for the commands that read an evaluation."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from svengine.io.documents import MAX_DOCUMENT_BYTES, read_input
from svengine.io.loaders import load_tender
from svengine.model.result import Result
from svengine.model.tender import Tender

RESULT_FILE = "result.json"
RUN_FILE = "run.json"
TENDER_FILES = ("tender.yaml", "tender.yml", "tender.json")


def read_result(folder: Path) -> Result | None:
    """DIR/result.json, or None after saying on stderr why it cannot be read."""
    read = read_result_file(folder)
    return read[0] if read is not None else None


def read_result_file(folder: Path) -> tuple[Result, bytes] | None:
    """DIR/result.json and its bytes (for their digest), or None after saying on stderr why not."""
    path = folder / RESULT_FILE
    try:
        data = path.read_bytes()
        return Result.model_validate_json(data), data
    except OSError as error:
        print(
            f"svengine: cannot read {path}: {error.strerror}; give a folder written by `svengine evaluate --out`",
            file=sys.stderr,
        )
    except ValidationError as error:
        print(
            f"svengine: {path} is not a result.json this version can read ({error.error_count()} problems)",
            file=sys.stderr,
        )
    return None


def read_run(folder: Path, required: bool = False) -> tuple[bool, dict[str, object] | None]:
    """DIR/run.json as a JSON object: `(True, record)`; `(True, None)` when it is absent and not
    `required`; `(False, None)` after saying on stderr why it cannot be read."""
    path = folder / RUN_FILE
    if not path.is_file():
        if not required:
            return True, None
        print(
            f"svengine: {path} does not exist; give a folder written by `svengine evaluate --out`",
            file=sys.stderr,
        )
        return False, None
    try:
        loaded = json.loads(path.read_bytes())
    except (OSError, ValueError) as error:
        print(f"svengine: cannot read {path} as JSON: {error}", file=sys.stderr)
        return False, None
    if not isinstance(loaded, dict):
        print(f"svengine: {path} is not a run record (a JSON object was expected)", file=sys.stderr)
        return False, None
    return True, loaded


@dataclass(frozen=True)
class RecordedTender:
    """The tender an evaluation read, found again (`tender`), or the words that say why not (`why`)."""

    tender: Tender | None
    why: str = ""


def recorded_tender(
    folder: Path, result: Result, run: Mapping[str, object] | None
) -> RecordedTender:
    """The tender evaluated, read from where DIR/run.json says it was read, if it is still the bytes
    DIR/result.json recorded; otherwise None and why, naming the file at fault. A tender file that
    no longer loads (its library moved, say) raises InvalidInput with its problems."""
    result_path, run_path = folder / RESULT_FILE, folder / RUN_FILE
    if run is None:
        return RecordedTender(
            None, f"{run_path} does not exist, so where the tender was read from is not known"
        )
    recorded = (result.audit.inputs if result.audit else None) or {}
    name = next((key for key in sorted(recorded) if key in TENDER_FILES), None)
    if name is None:
        return RecordedTender(
            None,
            f"{result_path} records no tender file, so the tender the evaluation read cannot be found",
        )
    entries = run.get("inputs")
    if not isinstance(entries, list):
        return RecordedTender(
            None, f"{run_path} cannot be read as a run record: it has no list of inputs"
        )
    places = [
        entry.get("read_from")
        for entry in entries
        if isinstance(entry, dict) and entry.get("path") == name
    ]
    if not places or not isinstance(places[0], str):
        return RecordedTender(None, f"{run_path} does not say where {name} was read from")
    source = Path(places[0])
    data, problems = read_input(source, str(source), MAX_DOCUMENT_BYTES)  # a FIFO would block
    if data is None:
        return RecordedTender(
            None,
            f"cannot read {source}, where {run_path} says {name} was read from:"
            f" {problems[0].message}",
        )
    if hashlib.sha256(data).hexdigest() != recorded[name]:
        return RecordedTender(
            None,
            f"{source} has changed since the evaluation (its SHA-256 differs from the one {RESULT_FILE}"
            " records); re-run `svengine evaluate` or restore the file",
        )
    return RecordedTender(load_tender(source))


def evaluation_tender(folder: Path) -> Tender | None:
    """The tender of a folder written by `evaluate --out` (recorded_tender); None after saying on
    stderr why not."""
    result = read_result(folder)
    if result is None:
        return None
    readable, run = read_run(folder, required=True)
    if not readable:
        return None
    found = recorded_tender(folder, result, run)
    if found.tender is None:
        print(f"svengine: {found.why}", file=sys.stderr)
    return found.tender
