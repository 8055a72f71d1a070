"""Reading DIR/result.json for the commands that work from a recorded result alone."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from pydantic import ValidationError

from svengine.io.loaders import load_tender
from svengine.model.result import Result
from svengine.model.tender import Tender
from svengine.problems import SvengineError

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


def recorded_tender(result: Result, run: dict[str, object] | None) -> Tender | None:
    """The tender evaluated, read from where run.json says it was read, if it is still the same
    bytes result.json recorded (as `svengine ocds` finds it); otherwise None."""
    if run is None or result.audit is None:
        return None
    recorded = result.audit.inputs or {}
    entries = run.get("inputs")
    if not isinstance(entries, list):
        return None
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("path") not in TENDER_FILES:
            continue
        source = Path(str(entry.get("read_from")))
        try:
            same = hashlib.sha256(source.read_bytes()).hexdigest() == recorded.get(entry["path"])
            return load_tender(source) if same else None
        except (OSError, SvengineError):
            return None
    return None


def evaluation_tender(folder: Path) -> Tender | None:
    """The tender of a folder written by `evaluate --out`: read where run.json says it was read,
    if it is still the bytes result.json recorded; None after saying on stderr why not."""
    result = read_result(folder)
    if result is None:
        return None
    try:
        run = json.loads((folder / RUN_FILE).read_bytes())
    except (OSError, ValueError):
        run = None
    tender = recorded_tender(result, run if isinstance(run, dict) else None)
    if tender is None:
        print(
            f"svengine: the tender {folder} was evaluated from is no longer where {RUN_FILE} says,"
            " or it has changed since; give the tender file itself",
            file=sys.stderr,
        )
    return tender
