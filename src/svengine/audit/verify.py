"""Re-run a recorded evaluation and say precisely what, if anything, differs.

`verify_dir(DIR)` re-reads the inputs from where DIR/run.json says they were read; `verify_bundle(ZIP)`
uses the copies inside the bundle. Both re-evaluate with this engine and compare with the recorded
result.json: its own seal (result_sha256), each input file's SHA-256, the method digest and every
figure, walking both documents (bids by bidder id, criteria by id).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from svengine.audit.bundle import INPUTS, BundleError, extract_bundle
from svengine.audit.record import RESULT_FILE, RUN_FILE, evaluate_inputs
from svengine.io.display import shown
from svengine.io.documents import MAX_DOCUMENT_BYTES, confined, read_input
from svengine.io.loaders import ILLUSTRATIVE, library_file, read_folder, sort_problems
from svengine.problems import SvengineError, problem_count
from svengine.seal.canonical import sha256_hex
from svengine.seal.digests import result_sha256
from svengine.version import __version__

MAX_RESULT_BYTES = 8 * 1024**3
"""result.json and run.json, counted as read (a run.json naming /dev/zero is refused before that)."""
MAX_INPUT_BYTES = MAX_DOCUMENT_BYTES
"""An input file: the largest any reader accepts (documents and workbooks alike, 50 MiB)."""


def _read(path: Path, limit: int) -> bytes:
    data, problems = read_input(path, str(path), limit)
    if data is None:
        raise VerifyError(str(problems[0]))
    return data


class VerifyError(SvengineError):
    """The record cannot be verified at all (missing or unreadable files); the message says why."""


@dataclass
class Report:
    """What verification found: `findings` fail it; `notes` are information only."""

    findings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    headline: list[str] = field(default_factory=list)
    """What the differences mean for people (the winner, ranks, totals), said before the detail."""

    @property
    def verified(self) -> bool:
        return not self.findings

    def text(self) -> str:
        # One finding, one line: names from the record are shown escaped (io/display.py).
        if self.verified:
            return "\n".join(["verified", *(f"  note: {shown(note)}" for note in self.notes)])
        count = len(self.findings)
        lines = [f"NOT verified: {count} difference{'s' if count != 1 else ''} found"]
        if self.headline:
            lines.append("What changes for people:")
            lines += [f"  {shown(line)}" for line in self.headline]
            lines.append("In detail:")
        lines += [f"  {shown(finding)}" for finding in self.findings]
        lines += [f"  note: {shown(note)}" for note in self.notes]
        return "\n".join(lines)


# -- walking two results -----------------------------------------------------------------------


def _show(value: Any) -> str:
    if value is _ABSENT:
        return "(absent)"
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "bidder_id" in value:
        return f"(the whole bid of {value['bidder_id']})"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 200 else text[:197] + "..."


_ABSENT = object()


def _keyed(items: list[Any]) -> tuple[str, dict[str, Any]] | None:
    """A list of objects keyed by their identifying field, if every item has a distinct one."""
    for key in ("bidder_id", "id", "measure"):
        if items and all(
            isinstance(item, dict) and isinstance(item.get(key), str) for item in items
        ):
            names = [item[key] for item in items]
            if len(set(names)) == len(names):
                return key, {name: item for name, item in zip(names, items, strict=True)}
    return None


def differences(recorded: Any, recomputed: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Every leaf where two JSON documents differ, as (path, recorded, recomputed)."""
    if isinstance(recorded, dict) and isinstance(recomputed, dict):
        for key in [*recorded, *(k for k in recomputed if k not in recorded)]:
            yield from differences(
                recorded.get(key, _ABSENT),
                recomputed.get(key, _ABSENT),
                f"{path}.{key}" if path else key,
            )
        return
    if isinstance(recorded, list) and isinstance(recomputed, list):
        old, new = _keyed(recorded), _keyed(recomputed)
        if old and new and old[0] == new[0]:
            for name in [*old[1], *(n for n in new[1] if n not in old[1])]:
                yield from differences(
                    old[1].get(name, _ABSENT), new[1].get(name, _ABSENT), f"{path}[{name}]"
                )
            return
        for index in range(max(len(recorded), len(recomputed))):
            yield from differences(
                recorded[index] if index < len(recorded) else _ABSENT,
                recomputed[index] if index < len(recomputed) else _ABSENT,
                f"{path}[{index}]",
            )
        return
    if recorded != recomputed or type(recorded) is not type(recomputed):
        yield path, recorded, recomputed


def _figures(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != "audit"}


# -- the checks --------------------------------------------------------------------------------


def _short(digest: object) -> str:
    return f"{str(digest)[:12]}…"


def _load_result(data: bytes, name: str) -> dict[str, Any]:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise VerifyError(f"{name} is not valid JSON: {error}") from None
    except RecursionError:
        raise VerifyError(f"{name} is nested too deeply to be a result svengine wrote") from None
    if not isinstance(document, dict) or not isinstance(document.get("audit"), dict):
        raise VerifyError(
            f"{name} has no audit block; it was not written by a version of svengine that records one"
        )
    return document


def _check_seal(recorded: dict[str, Any], report: Report) -> None:
    sealed = recorded["audit"].get("result_sha256")
    if sealed != result_sha256(recorded):
        report.findings.append(
            "result.json was edited after it was written: its content no longer matches its result_sha256"
        )


def _check_inputs(
    recorded: dict[str, Any], current: dict[str, bytes | None], report: Report
) -> None:
    """Compare the recorded SHA-256 of each input with the bytes found now (None: missing)."""
    digests = recorded["audit"].get("inputs") or {}
    for path in sorted(digests):
        data = current.get(path)
        if data is None:
            report.findings.append(
                f"input missing: {path} (recorded sha256 {_short(digests[path])}, not found now)"
            )
        elif sha256_hex(data) != digests[path]:
            report.findings.append(
                f"input changed since the evaluation: {path} (recorded sha256 "
                f"{_short(digests[path])}, now {_short(sha256_hex(data))})"
            )


def _appointed(result: dict[str, Any]) -> dict[str | None, list[str]]:
    by_lot: dict[str | None, list[str]] = {}
    for award in result.get("awards") or ():
        by_lot.setdefault(award.get("lot"), []).append(str(award.get("bidder_id")))
    return by_lot


def _bids(result: dict[str, Any]) -> dict[tuple[Any, Any], dict[str, Any]]:
    return {(b.get("lot"), b.get("bidder_id")): b for b in result.get("bids") or ()}


def _names(ids: list[str]) -> str:
    return " and ".join(ids) if ids else "nobody"


def headline(recorded: dict[str, Any], recomputed: dict[str, Any]) -> list[str]:
    """The differences that matter to people, in words: who wins, then ranks and totals."""
    lines: list[str] = []
    before, after = _appointed(recorded), _appointed(recomputed)
    for lot in sorted(set(before) | set(after), key=lambda lot: (lot is not None, lot or "")):
        old, new = before.get(lot, []), after.get(lot, [])
        if old != new:
            where = f" of lot {lot}" if lot is not None else ""
            one = len(old) <= 1 and len(new) <= 1
            what = "winner" if one else "suppliers appointed"
            lines.append(f"the {what}{where} changes from {_names(old)} to {_names(new)}")
    old_bids, new_bids = _bids(recorded), _bids(recomputed)
    for key in sorted(set(old_bids) | set(new_bids), key=lambda k: (str(k[0]), str(k[1]))):
        lot, bidder = key
        name = f"{bidder}" + (f" (lot {lot})" if lot is not None else "")
        old_bid, new_bid = old_bids.get(key), new_bids.get(key)
        if old_bid is None or new_bid is None:
            lines.append(f"{name} is {'new' if old_bid is None else 'no longer'} in the evaluation")
            continue
        for field_name, words in (("rank", "rank"), ("total_score", "total"), ("status", "status")):
            was, now = old_bid.get(field_name), new_bid.get(field_name)
            if was != now:
                shown_was = "none" if was is None else was
                shown_now = "none" if now is None else now
                lines.append(f"{name}'s {words} changes from {shown_was} to {shown_now}")
    return lines


def _compare(recorded: dict[str, Any], recomputed: dict[str, Any], report: Report) -> None:
    report.headline = headline(recorded, recomputed)
    old_engine = recorded["audit"].get("engine") or {}
    old_version = old_engine.get("version")
    changed = list(differences(_figures(recorded), _figures(recomputed)))
    # The explain texts restate the figures in words: list the figures first, then name the texts.
    figures = [(path, old, new) for path, old, new in changed if ".explain." not in path]
    texts = [path for path, _, _ in changed if ".explain." in path]
    lines = [
        f"{path}: recorded {_show(old)}, recomputed {_show(new)}" for path, old, new in figures
    ]
    if texts:
        lines.append(f"explanation texts differ too: {', '.join(texts)}")
    if old_version != __version__:
        if changed:
            bidders = sorted(
                {path.split("]")[0][5:] for path, _, _ in changed if path.startswith("bids[")}
            )
            report.findings.append(
                f"a different engine version gives different numbers: recorded with svengine {old_version},"
                f" recomputed with svengine {__version__}; "
                + (f"bids {', '.join(bidders)} differ" if bidders else "the summary differs")
                + f" in {len(figures)} figure{'s' if len(figures) != 1 else ''}:"
            )
            report.findings += [f"  {line}" for line in lines]
        else:
            report.notes.append(
                f"recorded with svengine {old_version}, recomputed with svengine {__version__}: "
                "every figure is the same"
            )
    else:
        report.findings += [f"differs: {line}" for line in lines]
    old_method, new_method = (
        recorded["audit"].get("method_sha256"),
        recomputed["audit"]["method_sha256"],
    )
    if old_method != new_method:
        report.findings.append(
            f"the evaluation method differs: recorded method_sha256 {_short(old_method)}, "
            f"recomputed {_short(new_method)}"
            " (the tender or the measure library changed, or this engine reads them differently)"
        )


def _rerun(folder: Path, recorded: dict[str, Any], report: Report) -> None:
    inputs, problems = read_folder(folder)
    if inputs is None:
        count = problem_count(problems)
        report.findings.append(
            f"the inputs can no longer be evaluated ({count} problem{'s' if count != 1 else ''}):"
        )
        report.findings += [f"  {problem}" for problem in sort_problems(problems)]
        return
    recomputed = json.loads(evaluate_inputs(inputs).to_json())
    recorded_paths = set(recorded["audit"].get("inputs") or {})
    # Inputs that changed were reported from their recorded places; here only files read now and not before.
    for path in sorted(set(inputs.files) - recorded_paths):
        report.findings.append(
            f"input added since the evaluation: {path} (read now, not in the record)"
        )
    _compare(recorded, recomputed, report)


def verify_dir(directory: Path) -> Report:
    """Verify DIR/result.json by re-reading the inputs from the places DIR/run.json records."""
    result_path, run_path = directory / RESULT_FILE, directory / RUN_FILE
    for needed in (result_path, run_path):
        if not needed.is_file():
            raise VerifyError(
                f"{needed} does not exist; verify needs the folder written by `svengine evaluate --out`"
            )
    recorded = _load_result(_read(result_path, MAX_RESULT_BYTES), str(result_path))
    try:
        run = json.loads(_read(run_path, MAX_RESULT_BYTES).decode("utf-8"))
        folder = Path(run["folder"])
        places = {str(item["path"]): Path(item["read_from"]) for item in run["inputs"]}
    except RecursionError:
        raise VerifyError(f"{run_path} is nested too deeply to be a run record") from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise VerifyError(f"{run_path} cannot be read: {error}") from None
    report = Report()
    _check_seal(recorded, report)
    recorded_inputs = recorded["audit"].get("inputs") or {}
    current: dict[str, bytes | None] = {}
    for path in recorded_inputs:
        # Gone, moved, unreadable, or no longer an ordinary file (a device, a FIFO): missing.
        current[path] = read_input(places.get(path, folder / path), path, MAX_INPUT_BYTES)[0]
    _check_inputs(recorded, current, report)
    _rerun(folder, recorded, report)
    return report


def verify_bundle(path: Path) -> Report:
    """Verify an evaluation.zip with the input copies inside it (never the original files)."""
    with tempfile.TemporaryDirectory(prefix="svengine-verify-") as temporary:
        try:
            extracted = extract_bundle(path, Path(temporary))
        except BundleError as error:
            raise VerifyError(str(error)) from None
        recorded = _load_result(extracted.result_json, f"{path}:result.json")
        report = Report(findings=list(extracted.mismatches))
        _check_seal(recorded, report)
        recorded_inputs = recorded["audit"].get("inputs") or {}
        current: dict[str, bytes | None] = {}
        # Nothing outside the bundle is read, whatever its tender names (`library: /etc/passwd`).
        with confined(_inside(extracted.root)):
            for name in recorded_inputs:
                place = extracted.folder / name
                current[name] = read_input(place, name, MAX_INPUT_BYTES)[0]
            _check_inputs(recorded, current, report)
            _rerun(extracted.folder, recorded, report)
        # Messages name the bundle, never the temporary folder it was unpacked into.
        unpacked = str(extracted.root) + os.sep
        report.findings = [f.replace(unpacked, f"{path}:") for f in report.findings]
        report.notes = [n.replace(unpacked, f"{path}:") for n in report.notes]
    return report


def _inside(root: Path) -> Callable[[str], str | None]:
    """Where verify reads a path asked for while re-running a bundle unpacked at `root`.

    A path inside the bundle is read there. A path outside it (a tender's absolute `library:`, or
    one that climbs out) is read from the bundle's copy when the bundle holds a file whose path
    under `inputs/` ends the path asked for (that is how evaluate placed it); anything else is None,
    refused without being touched.
    """
    base = str(root)
    inputs = root / INPUTS
    held = {
        file.relative_to(inputs).as_posix()
        for file in (inputs.rglob("*") if inputs.is_dir() else [])
        if file.is_file()
    }

    shipped = os.path.normpath(str(library_file(ILLUSTRATIVE, root)))

    def resolve(path: str) -> str | None:
        if path == base or path.startswith(base + os.sep):
            return path
        if ILLUSTRATIVE in held and os.path.normpath(path) == shipped:
            return str(inputs / ILLUSTRATIVE)  # the library shipped with svengine, as recorded
        parts = PurePath(path).parts[1:]  # without the root or drive
        for start in range(len(parts)):
            tail = "/".join(parts[start:])
            if tail in held:
                return str(inputs / tail)
        return None

    return resolve
