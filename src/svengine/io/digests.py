"""Input digests: which files an evaluation read, and the SHA-256 of each, for the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from svengine.seal.canonical import sha256_hex


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


def digests_of_files(files: dict[str, bytes]) -> tuple[InputDigest, ...]:
    """SHA-256 and size of every input file as the loader read it, named relative to the folder.

    Relative names (`bids/B1.json`, `../../toms/illustrative.yaml`) keep the workbook free of host
    paths, so the same inputs give the same bytes wherever the folder lives.
    """
    return tuple(
        InputDigest(name=name, sha256=sha256_hex(data), size=len(data))
        for name, data in files.items()
    )
