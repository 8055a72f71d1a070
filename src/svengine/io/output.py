"""Writing outputs safely: atomically, and never over an existing file unless asked.

Each output is written to a hidden temporary file beside it (`.result.json.<pid>.<random>.tmp`),
flushed to disk, given the permissions a new file gets (0666 less the umask, so usually 0644) and
renamed into place: a reader, or a process killed at any moment, sees the old file or the new one,
never half of one. A killed writer leaves its temporary file behind; the next write of the same
output removes those whose process is gone (docs/reliability.md).
"""

from __future__ import annotations

import os
import re
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
        raise OutputExists(
            f"{', '.join(existing)} already exist{'s' if len(existing) == 1 else ''}; use --force to replace"
        )


def new_file_mode() -> int:
    """The permissions `open()` would give a new file: 0666 less the process umask."""
    mask = os.umask(
        0o022
    )  # the only portable way to read the umask is to set it; put it straight back
    os.umask(mask)
    return 0o666 & ~mask


def temporary_prefix(path: Path) -> str:
    """The start of the name of every temporary file written for `path` by this process."""
    return f".{path.name}.{os.getpid()}."


def stale_temporaries(path: Path) -> list[Path]:
    """Temporary files left beside `path` by writers that were killed (their process no longer runs)."""
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.(\d+)\.[^.]+\.tmp$")
    stale = []
    try:
        candidates = list(path.parent.iterdir())
    except OSError:
        return []
    for candidate in candidates:
        found = pattern.match(candidate.name)
        if found is not None and not _running(int(found.group(1))):
            stale.append(candidate)
    return sorted(stale)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return (
            True  # another user's process (or a number we cannot ask about): leave its file alone
        )
    return True


def write_atomic(path: Path, data: bytes | str | Iterable[bytes], force: bool = False) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename it into place.

    A reader (or a crash) sees the old file or the new one, never half of one. `data` may be an
    iterable of byte chunks (a large result.json, written without holding it whole).
    """
    refuse_existing([path], force)
    chunks = (
        [data.encode("utf-8")]
        if isinstance(data, str)
        else [data]
        if isinstance(data, bytes)
        else data
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in stale_temporaries(path):
        stale.unlink(missing_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=temporary_prefix(path), suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, new_file_mode())  # mkstemp makes 0600; an output is an ordinary file
        if not force and path.exists():  # appeared while we were writing
            raise OutputExists(f"{path} already exists; use --force to replace")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); where a folder cannot be opened, there is nothing to do."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
