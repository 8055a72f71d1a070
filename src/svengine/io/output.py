"""Writing outputs safely: atomically, and never over an existing file unless asked."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from svengine.problems import OutputExists


def refuse_existing(paths: Iterable[Path], force: bool) -> None:
    """Raise OutputExists if any of `paths` exists and `force` is not set."""
    if force:
        return
    existing = [str(p) for p in paths if p.exists()]
    if existing:
        raise OutputExists(f"{', '.join(existing)} already exist{'s' if len(existing) == 1 else ''}; use --force to replace")


def write_atomic(path: Path, data: bytes | str | Iterable[bytes], force: bool = False) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename it into place.

    A reader (or a crash) sees the old file or the new one, never half of one. `data` may be an
    iterable of byte chunks (a large result.json, written without holding it whole).
    """
    refuse_existing([path], force)
    chunks = [data.encode("utf-8")] if isinstance(data, str) else [data] if isinstance(data, bytes) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
            stream.flush()
            os.fsync(stream.fileno())
        if not force and path.exists():  # appeared while we were writing
            raise OutputExists(f"{path} already exists; use --force to replace")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
