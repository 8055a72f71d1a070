"""Input digests: which files an evaluation read, and the SHA-256 of each, for the audit trail."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from svengine.io.loaders import BIDS_FOLDER, SCORES_FILE, TENDER_FILE
from svengine.model.tender import Tender

# Spreadsheet forms of the bids and scores (issue 3, import): digested when present.
_OPTIONAL_FILES = ("bids.xlsx", "scores.xlsx")


@dataclass(frozen=True)
class InputDigest:
    """One input file: its path relative to the evaluation folder, SHA-256 and size in bytes."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class AuditTrail:
    """What the audit sheet records besides the engine version: the inputs and result.json."""

    inputs: tuple[InputDigest, ...] = ()
    result_sha256: str | None = None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def input_files(folder: Path, tender: Tender) -> list[Path]:
    """The files an evaluation of `folder` reads, in a fixed order: tender, library, bids, scores."""
    files = [folder / TENDER_FILE]
    if tender.social_value is not None:
        files.append(Path(os.path.normpath(folder / tender.social_value.library)))
    bids = folder / BIDS_FOLDER
    if bids.is_dir():
        files += sorted((p for p in bids.iterdir() if p.suffix.lower() == ".json" and p.is_file()), key=lambda p: p.name)
    files.append(folder / SCORES_FILE)
    files += [folder / name for name in _OPTIONAL_FILES]
    return [f for f in files if f.is_file()]


def input_digests(folder: str | os.PathLike[str], tender: Tender) -> tuple[InputDigest, ...]:
    """SHA-256 of every input file, named relative to the folder (`bids/B1.json`, `../lib.yaml`).

    Relative names keep the workbook free of host paths, so the same inputs give the same bytes
    wherever the folder lives.
    """
    folder = Path(folder)
    digests = []
    for path in input_files(folder, tender):
        data = path.read_bytes()
        name = Path(os.path.relpath(path, folder)).as_posix()
        digests.append(InputDigest(name=name, sha256=sha256_hex(data), size=len(data)))
    return tuple(digests)
