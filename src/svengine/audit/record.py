"""An evaluation run from a folder, and what `evaluate --out DIR` writes about it.

`result.json` is the reproducible record (no time, host or absolute path); `run.json` is the run's
metadata (where each input was read from, when, engine, platform), kept outside the digested
result; `evaluation.zip` bundles the inputs exactly as read with the result and a manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from svengine.audit.bundle import BUNDLE_FILE, build_bundle
from svengine.excel.safety import DEFAULT_MAX_ROWS
from svengine.io.digests import InputDigest, digests_of_files
from svengine.io.loaders import ILLUSTRATIVE, EvaluationInput, library_file, load_folder
from svengine.io.output import Content, refuse_existing, write_set
from svengine.model.result import Result
from svengine.report import WORKBOOK_FILE
from svengine.scoring.evaluate import evaluate_unsealed
from svengine.seal.canonical import sha256_hex
from svengine.seal.digests import (
    ENGINE_NAME,
    draft_with_input_digests,
    sealed_with_input_digests,
    sealed_with_input_files,
)
from svengine.seal.streaming import SealedOnWrite, result_json_chunks
from svengine.version import __version__

RESULT_FILE = "result.json"
RUN_FILE = "run.json"


def evaluate_inputs(
    inputs: EvaluationInput, digests: Sequence[InputDigest] | None = None
) -> Result:
    """The folder's result, sealed with the digest of every file the loader read.

    `inputs` come from `read_folder`/`load_folder`, which have run every check `evaluate` runs, so
    the checks are not repeated and the result is sealed once (not once without and once with the
    input files); the bytes are those of `with_input_files(evaluate(...), files)`. `digests`: those
    of `inputs.files` (io/digests.py `digests_of_files`), when the caller has let the bytes go.
    """
    result = _unsealed(inputs)
    if digests is not None:
        return sealed_with_input_digests(result, inputs.tender, _by_name(digests))
    return sealed_with_input_files(result, inputs.tender, inputs.files)


def draft_inputs(inputs: EvaluationInput, digests: Sequence[InputDigest]) -> Result:
    """`evaluate_inputs(inputs, digests)` before its seal: the audit block's `result_sha256` is "".

    For `write_outputs`, which seals it while writing result.json (each bid turned into JSON once
    instead of twice); the bytes written are those of the sealed result.
    """
    return draft_with_input_digests(_unsealed(inputs), inputs.tender, _by_name(digests))


def _unsealed(inputs: EvaluationInput) -> Result:
    return evaluate_unsealed(
        inputs.tender, inputs.bids, inputs.scores, inputs.sv_moderation, inputs.decisions
    )


def _by_name(digests: Sequence[InputDigest]) -> dict[str, str]:
    return {digest.name: digest.sha256 for digest in digests}


def evaluate_folder(folder: str | os.PathLike[str], *, max_rows: int = DEFAULT_MAX_ROWS) -> Result:
    """Evaluate an evaluation folder exactly as `svengine evaluate FOLDER --out DIR` does.

    Everything the folder holds counts (panel moderation, the buyer's decisions); the result is
    byte for byte the result.json the command writes. Raises InvalidInput listing every problem.
    """
    return evaluate_inputs(load_folder(folder, max_rows=max_rows))


def output_paths(out: Path, bundle: bool, workbook: bool = False) -> list[Path]:
    return [
        out / RESULT_FILE,
        out / RUN_FILE,
        *([out / WORKBOOK_FILE] if workbook else []),
        *([out / BUNDLE_FILE] if bundle else []),
    ]


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def run_record(
    folder: Path,
    inputs: EvaluationInput,
    result_json: bytes | None,
    started: datetime,
    bundle: bool,
    *,
    file_sha256: str | None = None,
    result_sha256: str | None = None,
    digests: Sequence[InputDigest] | None = None,
) -> dict[str, object]:
    """The run's metadata: absolute paths, times and platform are allowed here, never in result.json.

    Give the result.json bytes, or (when it was written in pieces) its file digest and seal;
    `digests` (of `inputs.files`) when the caller has let the bytes go.
    """
    base = Path(os.path.normpath(os.path.abspath(folder)))
    if result_json is not None:
        file_sha256, result_sha256 = (
            sha256_hex(result_json),
            json.loads(result_json)["audit"]["result_sha256"],
        )
    return {
        "engine": {"name": ENGINE_NAME, "version": __version__},
        "started_at": _utc(started),
        "finished_at": _utc(datetime.now(UTC)),
        "platform": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "folder": str(base),
        "inputs": [
            {
                "path": digest.name,
                "read_from": os.path.normpath(
                    library_file(ILLUSTRATIVE, base)
                    if digest.name == ILLUSTRATIVE
                    else base / digest.name
                ),
                "sha256": digest.sha256,
                "bytes": digest.size,
            }
            for digest in sorted(
                digests if digests is not None else digests_of_files(inputs.files),
                key=lambda digest: digest.name,
            )
        ],
        "result": {"file": RESULT_FILE, "file_sha256": file_sha256, "result_sha256": result_sha256},
        "bundle": BUNDLE_FILE if bundle else None,
    }


def _hashed(chunks: Iterable[bytes], digest: hashlib._Hash) -> Iterator[bytes]:
    for chunk in chunks:
        digest.update(chunk)
        yield chunk


def write_outputs(
    out: Path,
    folder: Path,
    inputs: EvaluationInput,
    result: Result,
    *,
    bundle: bool,
    force: bool,
    started: datetime,
    workbook: bytes | None = None,
    digests: Sequence[InputDigest] | None = None,
    notice: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write result.json, run.json and (if given) report.xlsx and evaluation.zip, as one set.

    `result`: sealed, or (without a bundle) a draft from `draft_inputs`, sealed while result.json
    is written; the bytes are the same.

    All or nothing (io/output.py `write_set`): after any failure the folder holds exactly the old
    set; with concurrent writers, the last one's set whole. Every existing output is refused
    before anything is written. `digests`: as for `run_record`. `notice` hears that the set of a
    writer killed between its renames was put back (write_set).
    """
    paths = output_paths(out, bundle, workbook=workbook is not None)
    refuse_existing(paths, force)
    # result.json is written bid by bid (seal/streaming.py) and hashed on the way, so its text is
    # never held whole; only a bundle, which zips it, needs the bytes in one piece. A draft (from
    # `draft_inputs`) is sealed on the way.
    assert result.audit is not None
    draft = SealedOnWrite(result) if result.audit.result_sha256 == "" else None
    if draft is not None and bundle:
        raise ValueError("a bundle zips result.json whole: seal the result first")
    file_digest = hashlib.sha256()
    result_json = result.to_json().encode("utf-8") if bundle else None

    def result_chunks() -> Iterable[bytes]:
        if draft is not None:
            return _hashed(draft, file_digest)
        return _hashed(
            [result_json] if result_json is not None else result_json_chunks(result), file_digest
        )

    def run_chunks() -> Iterable[bytes]:  # after result.json is written: it records its digest
        sealed = draft.sealed if draft is not None else result
        assert sealed.audit is not None
        run = run_record(
            folder,
            inputs,
            None,
            started,
            bundle,
            file_sha256=file_digest.hexdigest(),
            result_sha256=sealed.audit.result_sha256,
            digests=digests,
        )
        return [(json.dumps(run, indent=2, ensure_ascii=False) + "\n").encode("utf-8")]

    files: dict[str, Content] = {RESULT_FILE: result_chunks, RUN_FILE: run_chunks}
    if workbook is not None:
        files[WORKBOOK_FILE] = workbook
    if result_json is not None:
        files[BUNDLE_FILE] = build_bundle(folder, inputs.files, result_json)
    write_set(out, files, force=force, notice=notice)
    return paths


def winners(result: Result) -> tuple[str, str]:
    """Who won, as one line of text, and their total score(s): for a batch summary.

    Without lots: the rank-1 bidder id (tied winners joined by `+`) and its total. With lots: lot
    by lot, the appointed suppliers (or, where the award appointed none, the rank-1 bids), e.g.
    `L1: S1, S3; L2: S2` and `L1: 81.5, 80; L2: 77`: a bidder's id alone would not say which lot
    it won, and one bidder ranked first in three lots read `S1+S1+S1`.
    """
    if result.lots is None:
        first = [bid for bid in result.bids if bid.rank == 1]
        return "+".join(bid.bidder_id for bid in first), str(first[0].total_score) if first else ""
    names, totals = [], []
    for lot in result.lots:
        appointed = [
            result.bid(entry.bidder_id, lot.id) for entry in result.awards if entry.lot == lot.id
        ]
        chosen = appointed or [bid for bid in result.bids if bid.lot == lot.id and bid.rank == 1]
        if chosen:
            names.append(f"{lot.id}: {', '.join(bid.bidder_id for bid in chosen)}")
            totals.append(f"{lot.id}: {', '.join(str(bid.total_score) for bid in chosen)}")
    return "; ".join(names), "; ".join(totals)
