"""Writing outputs safely: atomically, and never over an existing file unless asked.

Each output is written to a hidden temporary file beside it (`.result.json.<pid>.<random>.tmp`),
flushed to disk, given the permissions a new file gets (0666 less the umask, so usually 0644) and
renamed into place: a reader, or a process killed at any moment, sees the old file or the new one,
never half of one. A killed writer leaves its temporary file behind; the next write of the same
output removes those whose process is gone (docs/reliability.md).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
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


def output_folder(out: Path) -> None:
    """Create the output folder `out` if needed; OSError naming it when it cannot be one."""
    if out.exists() and not out.is_dir():
        raise OSError(
            errno.ENOTDIR,
            "this is a file, not a folder; --out needs a folder (it is created if missing)",
            str(out),
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(out)) from None


def _named(error: OSError, path: Path) -> OSError:
    """The same error, naming the user's file (never the hidden temporary file it was writing)."""
    return OSError(error.errno, error.strerror or str(error), str(path))


Content = bytes | str | Iterable[bytes] | Callable[[], Iterable[bytes]]


def _chunks(data: Content) -> Iterable[bytes]:
    if isinstance(data, str):
        return [data.encode("utf-8")]
    if isinstance(data, bytes):
        return [data]
    if callable(data):
        return data()
    return data


_STAGING = re.compile(r"^\.svengine-set\.(\d+)\.[^.]+\.tmp$")


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder itself: one writer of a set at a time.

    A second `evaluate --force` into the same folder waits for the first to finish, then replaces
    its set whole: the last writer wins, and nobody sees a mix. (flock on the folder's own
    descriptor: no lock file is left behind. Where there is no flock, writers are not serialised.)
    """
    try:
        import fcntl
    except ImportError:  # Windows: no flock
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


Step = Callable[[str], None]
"""Called by write_set at each point of its work, with what was just done: `locked` (the lock is
held, a dead writer's set recovered, nothing of this set written yet), `staged` (every file is in
the staging folder), `replaced NAME` (after each rename into place), `done` (all renamed). A
public seam for tests and tools: pause a writer inside the lock, or kill it between two renames."""

JOURNAL = ".names"
"""In a staging folder: the names about to be renamed into place, in order, written before the first."""


def write_set(
    out: Path,
    files: Mapping[str, Content],
    force: bool = False,
    *,
    step: Step | None = None,
    notice: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write a set of outputs into the folder `out`, all or nothing (docs/reliability.md).

    Every file is first written in full into a hidden staging folder inside `out` (same file
    system), flushed and fsynced; only then are they renamed into place, under a lock on `out`. If
    writing fails (a full disk, no permission) nothing in `out` has changed; if a rename fails (a
    file open in another program on Windows), the files already replaced are put back from their
    hard-linked copies and the old set stays whole. The error names the user's file.

    A writer killed (SIGKILL, power cut) between two renames leaves its staging folder with the
    journal of names and the hard-linked old files: the next write_set into `out` (or
    `recover_set`, which `svengine verify DIR` runs) puts the old set back whole before doing
    anything else, and says so through `notice`. `step`: see `Step`.
    """
    paths = [out / name for name in files]
    refuse_existing(paths, force)
    output_folder(out)
    with _locked(out):
        for sentence in _recover(out):
            if notice is not None:
                notice(sentence)
        refuse_existing(paths, force)  # another writer may have finished while we waited
        if step is not None:
            step("locked")
        staging = Path(
            tempfile.mkdtemp(prefix=f".svengine-set.{os.getpid()}.", suffix=".tmp", dir=out)
        )
        try:
            for name, data in files.items():
                _write_staged(staging / name, out / name, data)
            _write_journal(staging, list(files))
            _sync_folder(staging)
            if step is not None:
                step("staged")
            _swap(staging, out, list(files), step)
            if step is not None:
                step("done")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    _sync_folder(out)
    return paths


def recover_set(out: Path) -> list[str]:
    """Put back the old set of outputs in `out` if a writer was killed between its renames.

    Returns a sentence for each recovery (nothing when there was nothing to recover). Takes the
    folder's lock, so it never touches the set of a writer still at work.
    """
    if not out.is_dir():
        return []
    with _locked(out):
        return _recover(out)


def _write_journal(staging: Path, names: list[str]) -> None:
    journal = staging / JOURNAL
    with open(journal, "w", encoding="utf-8") as stream:
        stream.write("\n".join(names) + "\n")
        stream.flush()
        os.fsync(stream.fileno())


def _recover(out: Path) -> list[str]:
    """Under the lock: roll back the half-renamed set of each dead writer, remove its staging folder."""
    sentences = []
    for staging in _stale_staging(out):
        try:
            journal = (staging / JOURNAL).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            journal = []  # killed before its renames began: the old set is whole
        names = [name for name in journal if name]
        replaced = [name for name in names if not (staging / name).exists()]
        if replaced and len(replaced) < len(names):  # a mix: put back the old set whole
            _put_back(staging / ".old", out, replaced)
            _sync_folder(out)
            sentences.append(
                f"{out}: a writer was stopped while replacing the outputs ({', '.join(replaced)} of"
                f" {', '.join(names)} replaced); the previous set was put back whole"
            )
        shutil.rmtree(staging, ignore_errors=True)
    return sentences


def _write_staged(staged: Path, target: Path, data: Content) -> None:
    try:
        with open(staged, "wb") as stream:
            for chunk in _chunks(data):
                stream.write(chunk)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(staged, new_file_mode())
    except OSError as error:
        raise _named(error, target) from None


def _swap(staging: Path, out: Path, names: list[str], step: Step | None = None) -> None:
    backup = staging / ".old"
    backup.mkdir()
    replaced: list[str] = []
    try:
        for name in names:
            target = out / name
            if target.exists():
                try:
                    os.link(target, backup / name)
                except OSError:
                    shutil.copy2(target, backup / name)
                _sync_folder(
                    backup
                )  # the old file's link is on disk before the new one replaces it
            try:
                os.replace(staging / name, target)
            except OSError as error:
                raise _named(error, target) from None
            replaced.append(name)
            if step is not None:
                step(f"replaced {name}")
    except BaseException:
        _put_back(backup, out, replaced)
        raise


def _put_back(backup: Path, out: Path, replaced: list[str]) -> None:
    """Undo the renames of `replaced`, last first: each old file back from its hard link in
    `backup`, or removed when the old set had none."""
    for name in reversed(replaced):
        if (backup / name).exists():
            os.replace(backup / name, out / name)
        else:
            (out / name).unlink(missing_ok=True)


def _stale_staging(out: Path) -> list[Path]:
    """Staging folders left by writers that were killed (their process no longer runs)."""
    try:
        entries = list(out.iterdir())
    except OSError:
        return []
    return sorted(
        entry
        for entry in entries
        if (found := _STAGING.match(entry.name)) and not _running(int(found.group(1)))
    )


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
    except OutputExists:
        Path(temporary).unlink(missing_ok=True)
        raise
    except (
        OSError
    ) as error:  # a full disk: the message names the user's file, not the temporary one
        Path(temporary).unlink(missing_ok=True)
        raise _named(error, path) from None
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
