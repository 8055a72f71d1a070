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
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from svengine.audit.bundle import BUNDLE_FILE, build_bundle
from svengine.excel.safety import DEFAULT_MAX_ROWS
from svengine.io.digests import InputDigest, digests_of_files
from svengine.io.loaders import EvaluationInput, load_folder
from svengine.io.output import refuse_existing, write_atomic
from svengine.model.result import Result
from svengine.report import WORKBOOK_FILE
from svengine.scoring.evaluate import evaluate_unsealed
from svengine.seal.canonical import sha256_hex
from svengine.seal.digests import ENGINE_NAME, sealed_with_input_digests, sealed_with_input_files
from svengine.seal.streaming import result_json_chunks
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
    result = evaluate_unsealed(
        inputs.tender, inputs.bids, inputs.scores, inputs.sv_moderation, inputs.decisions
    )
    if digests is not None:
        return sealed_with_input_digests(
            result, inputs.tender, {digest.name: digest.sha256 for digest in digests}
        )
    return sealed_with_input_files(result, inputs.tender, inputs.files)


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
                "read_from": os.path.normpath(base / digest.name),
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
) -> list[Path]:
    """Write result.json, run.json and (if given) report.xlsx and evaluation.zip, each atomically.

    Every existing output is refused before anything is written. `digests`: as for `run_record`.
    """
    paths = output_paths(out, bundle, workbook=workbook is not None)
    refuse_existing(paths, force)
    # result.json is written bid by bid (seal/streaming.py) and hashed on the way, so its text is
    # never held whole; only a bundle, which zips it, needs the bytes in one piece.
    assert result.audit is not None
    file_digest = hashlib.sha256()
    result_json = result.to_json().encode("utf-8") if bundle else None
    write_atomic(
        out / RESULT_FILE,
        _hashed(
            [result_json] if result_json is not None else result_json_chunks(result), file_digest
        ),
        force=force,
    )
    run = run_record(
        folder,
        inputs,
        None,
        started,
        bundle,
        file_sha256=file_digest.hexdigest(),
        result_sha256=result.audit.result_sha256,
        digests=digests,
    )
    write_atomic(out / RUN_FILE, json.dumps(run, indent=2, ensure_ascii=False) + "\n", force=force)
    if workbook is not None:
        write_atomic(out / WORKBOOK_FILE, workbook, force=force)
    if result_json is not None:
        write_atomic(
            out / BUNDLE_FILE, build_bundle(folder, inputs.files, result_json), force=force
        )
    return paths
