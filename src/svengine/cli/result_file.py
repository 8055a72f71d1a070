"""Reading DIR/result.json for the commands that work from a recorded result alone."""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import ValidationError

from svengine.model.result import Result

RESULT_FILE = "result.json"


def read_result(folder: Path) -> Result | None:
    """DIR/result.json, or None after saying on stderr why it cannot be read."""
    path = folder / RESULT_FILE
    try:
        return Result.model_validate_json(path.read_bytes())
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
