"""evaluation.zip: the inputs exactly as read, result.json and a manifest, in one deterministic file.

Layout:
    manifest.json                     every other file with its SHA-256 and size
    result.json                       the result, byte for byte as written next to it
    inputs/<folder>/tender.yaml ...   the input files, byte copies, in their relative layout

Inputs outside the evaluation folder (a tender's `library: ../../toms/x.yaml`) keep their place
relative to it: the folder sits as many levels below `inputs/` as the deepest `../` needs, under
its own parent folders' names, so the tender's relative paths resolve inside the bundle unchanged.

The zip is deterministic: entries sorted by name, a fixed 1980-01-01 timestamp, fixed permissions,
one compression setting; the same inputs and result give the same bytes.
"""

from __future__ import annotations

import io
import json
import os
import posixpath
import stat
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from svengine.io.documents import not_a_regular_file
from svengine.problems import SvengineError
from svengine.seal.canonical import sha256_hex
from svengine.seal.digests import engine

BUNDLE_FILE = "evaluation.zip"
MANIFEST_FILE = "manifest.json"
RESULT_ENTRY = "result.json"
INPUTS = "inputs"
FORMAT = "svengine-evaluation-bundle/1"
_EPOCH = (1980, 1, 1, 0, 0, 0)
# Bounds on what verify will extract: a bundle is untrusted input (zip bombs, huge archives).
MAX_ENTRIES = 100_000
MAX_TOTAL_BYTES = 2 * 1024**3


class BundleError(SvengineError):
    """A bundle that cannot be opened safely; the message says why in plain words."""


def _ups(path: str) -> int:
    parts = PurePosixPath(path).parts
    count = 0
    while count < len(parts) and parts[count] == "..":
        count += 1
    return count


def folder_entry(folder: Path, files: Mapping[str, bytes]) -> str:
    """Where the evaluation folder sits inside the bundle (`inputs` or `inputs/<parents>/<name>`)."""
    depth = max((_ups(path) for path in files), default=0)
    names = Path(os.path.normpath(os.path.abspath(folder))).parts[1:]  # without the root or drive
    if depth > len(names):
        raise BundleError("an input lies above the root of the file system")
    return posixpath.join(INPUTS, *names[len(names) - depth :]) if depth else INPUTS


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, whatever machine writes it
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    return info


def build_bundle(folder: Path, files: Mapping[str, bytes], result_json: bytes) -> bytes:
    """The bundle's bytes: `files` ({path relative to the folder: bytes as read}) and result.json."""
    base = folder_entry(folder, files)
    entries = {
        posixpath.normpath(posixpath.join(base, path)): (path, data) for path, data in files.items()
    }
    listed = [
        {"path": name, "input": path, "sha256": sha256_hex(data), "bytes": len(data)}
        for name, (path, data) in sorted(entries.items())
    ]
    listed.append(
        {
            "path": RESULT_ENTRY,
            "input": None,
            "sha256": sha256_hex(result_json),
            "bytes": len(result_json),
        }
    )
    manifest = {
        "format": FORMAT,
        "engine": engine().model_dump(mode="json"),
        "folder": base,
        "result": RESULT_ENTRY,
        "files": sorted(listed, key=lambda item: str(item["path"])),
    }
    contents = {name: data for name, (_, data) in entries.items()}
    contents[RESULT_ENTRY] = result_json
    contents[MANIFEST_FILE] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode(
        "utf-8"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(contents):
            archive.writestr(_info(name), contents[name], compresslevel=6)
    return buffer.getvalue()


@dataclass
class Extracted:
    """A bundle unpacked into a folder, with what its manifest says and where it disagrees."""

    root: Path
    folder: Path
    result_json: bytes
    manifest: dict[str, object]
    mismatches: list[str] = field(default_factory=list)


def _safe_name(name: str) -> str:
    """The member name if it stays inside the extraction folder; otherwise BundleError (zip-slip)."""
    if (
        not name
        or "\\" in name
        or name.startswith("/")
        or (len(name) > 1 and name[1] == ":")
        or "\x00" in name
    ):
        raise BundleError(f'the bundle holds an unsafe file name "{name}"; refused')
    parts = PurePosixPath(name).parts
    if any(part in ("..", ".") for part in parts):
        raise BundleError(
            f'the bundle holds an unsafe file name "{name}" (it points outside the bundle); refused'
        )
    return name


def extract_bundle(path: Path, destination: Path) -> Extracted:
    """Unpack a bundle into `destination` safely, then check every file against the manifest."""
    try:
        return _extract(path, destination)
    except _DAMAGED as error:
        raise BundleError(_damage(error)) from None


_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError)


def _damage(error: BaseException) -> str:
    """A plain sentence for what zipfile found wrong inside an entry."""
    text = str(error)
    if isinstance(error, RuntimeError) and "encrypted" in text:
        return "the bundle holds an encrypted (password-protected) entry; svengine writes none: refused"
    if isinstance(error, NotImplementedError):
        return (
            "the bundle holds an entry compressed with a method svengine does not write (such as"
            " PPMd or LZMA); refused"
        )
    if "Overlapped" in text or "overlap" in text.lower():
        return "the bundle's entries overlap one another (a zip bomb); refused"
    return "the bundle is damaged: an entry cannot be unpacked (a changed or missing byte); refused"


def _extract(path: Path, destination: Path) -> Extracted:
    problem = not_a_regular_file(path, str(path))
    if problem is not None:  # a FIFO would block, a device never end: refused before opening
        raise BundleError(problem.message)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, *_DAMAGED):
        raise BundleError(
            "this is not an evaluation bundle (it is not a readable zip file)"
        ) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ENTRIES:
            raise BundleError(
                f"the bundle holds {len(members):,} entries; the limit is {MAX_ENTRIES:,}"
            )
        total = 0
        seen: set[str] = set()
        root = destination.resolve()
        for member in members:
            name = _safe_name(member.filename)
            if member.is_dir():
                continue
            if member.flag_bits & 0x1:
                raise BundleError(
                    "the bundle holds an encrypted (password-protected) entry; svengine writes"
                    " none: refused"
                )
            if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise BundleError(
                    "the bundle holds an entry compressed with a method svengine does not write"
                    " (such as PPMd or LZMA); refused"
                )
            if stat.S_ISLNK(member.external_attr >> 16):
                raise BundleError(f'the bundle holds a symbolic link "{name}"; refused')
            if name in seen:
                raise BundleError(f'the bundle holds "{name}" twice; refused')
            seen.add(name)
            target = (root / name).resolve()
            if root not in target.parents:
                raise BundleError(f'the bundle holds an unsafe file name "{name}"; refused')
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, open(target, "wb") as sink:
                while chunk := source.read(1 << 20):
                    total += len(chunk)
                    if total > MAX_TOTAL_BYTES:
                        raise BundleError(
                            f"the bundle unpacks to more than {MAX_TOTAL_BYTES:,} bytes; refused"
                        )
                    sink.write(chunk)
    return _checked(root, seen)


def _checked(root: Path, names: set[str]) -> Extracted:
    if MANIFEST_FILE not in names:
        raise BundleError(f"the bundle has no {MANIFEST_FILE}")
    try:
        manifest = json.loads((root / MANIFEST_FILE).read_text(encoding="utf-8"))
        listed = {str(item["path"]): str(item["sha256"]) for item in manifest["files"]}
        folder = _safe_name(str(manifest["folder"]))
        result_name = _safe_name(str(manifest["result"]))
    except RecursionError:
        raise BundleError(
            f"the bundle's {MANIFEST_FILE} is nested too deeply to be a manifest; refused"
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        raise BundleError(
            f"the bundle's {MANIFEST_FILE} is not a manifest svengine wrote (it cannot be read)"
        ) from None
    if result_name not in names:
        raise BundleError(f"the bundle has no {result_name}")
    mismatches = []
    for name, digest in sorted(listed.items()):
        if name not in names:
            mismatches.append(f"bundle file {name} is listed in the manifest but missing")
        elif sha256_hex((root / _safe_name(name)).read_bytes()) != digest:
            mismatches.append(
                f"bundle file {name} does not match its SHA-256 in the manifest (it was changed)"
            )
    for name in sorted(names - set(listed) - {MANIFEST_FILE}):
        mismatches.append(f"bundle file {name} is not listed in the manifest (it was added)")
    return Extracted(root, root / folder, (root / result_name).read_bytes(), manifest, mismatches)
