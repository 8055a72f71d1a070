"""Trust at the edges (issue 14): inputs that cannot hide, reach out or blow up; output sets never half-written.

Each case asserts the exit code, that the message names the user's file, that nothing was written
(or the old output set is intact), and that the inputs are unchanged. The families that a git
checkout cannot hold (symbolic links, FIFOs, devices, a full disk, concurrent writers) are built
here at test time; the rest are in tests/corpus (generated).
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import svengine
from svengine.cli.main import main
from svengine.io.csv_table import csv_safe
from svengine.io.display import shown
from svengine.report.document import Document

REPO = Path(__file__).resolve().parents[1]
SVENGINE = Path(sys.executable).with_name("svengine")
EXAMPLE = REPO / "examples" / "housing-repairs"
LIBRARY = REPO / "toms" / "illustrative.yaml"
OUTPUTS = ("result.json", "run.json", "report.xlsx", "evaluation.zip")


def digest(root: Path) -> dict[str, str]:
    """Every file under root (links not followed) with its SHA-256 or what it points to."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            found[str(path.relative_to(root))] = "link:" + os.readlink(path)
        elif path.is_file():
            found[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def folder(tmp_path: Path, name: str = "ev", library: str | None = None) -> Path:
    """A copy of the housing-repairs example whose library is a copy beside it (or `library`)."""
    root = tmp_path / name
    shutil.copytree(EXAMPLE, root)
    if not (tmp_path / "lib.yaml").exists():
        shutil.copy(LIBRARY, tmp_path / "lib.yaml")
    tender = root / "tender.yaml"
    text = tender.read_text(encoding="utf-8")
    text = text.replace(
        "library: ../../toms/illustrative.yaml", f"library: {library or '../lib.yaml'}"
    )
    tender.write_text(text, encoding="utf-8")
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def refused(capsys: pytest.CaptureFixture[str], root: Path, names: str, tmp_path: Path) -> str:
    """evaluate and validate both exit 1 naming `names`, write nothing, change no input."""
    before = digest(root)
    out = tmp_path / "out"
    code, _, err = run(capsys, "evaluate", str(root), "--out", str(out))
    assert code == 1, err
    assert names in err and "Traceback" not in err, err
    assert not out.exists()
    code, _, err2 = run(capsys, "validate", str(root))
    assert code == 1 and names in err2, err2
    assert digest(root) == before
    return err


# -- symbolic links and special files: inputs are regular files -------------------------------


def test_a_bid_that_is_a_link_to_a_file_outside_the_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = folder(tmp_path)
    outside = tmp_path / "elsewhere.json"
    shutil.copy(root / "bids" / "B6.json", outside)
    (root / "bids" / "B6.json").unlink()
    (root / "bids" / "B6.json").symlink_to(outside)
    err = refused(capsys, root, "bids/B6.json", tmp_path)
    assert "symbolic link" in err


@pytest.mark.parametrize("kind", ["dangling", "loop", "folder", "fifo"])
def test_a_bid_file_never_vanishes_silently(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = folder(tmp_path)
    entry = root / "bids" / "B7.json"
    if kind == "dangling":
        entry.symlink_to(tmp_path / "nowhere.json")
    elif kind == "loop":
        entry.symlink_to(entry)
    elif kind == "folder":
        entry.mkdir()
    else:
        os.mkfifo(entry)
    err = refused(capsys, root, "bids/B7.json", tmp_path)
    assert {
        "dangling": "symbolic link",
        "loop": "symbolic link",
        "folder": "folder",
        "fifo": "FIFO",
    }[kind] in err


def test_a_fifo_as_tender_yaml_is_refused_without_blocking(tmp_path: Path) -> None:
    root = folder(tmp_path)
    (root / "tender.yaml").unlink()
    os.mkfifo(root / "tender.yaml")
    # In a subprocess with a timeout: a reader that opened the FIFO would block for ever.
    done = subprocess.run(
        [str(SVENGINE), "validate", str(root)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1 and "tender.yaml" in done.stderr and "FIFO" in done.stderr


@pytest.mark.parametrize("place", ["library", "scores", "validate"])
def test_dev_zero_is_refused_before_it_is_read(
    place: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if place == "validate":
        code, _, err = run(capsys, "validate", "/dev/zero")
        assert code == 1 and "/dev/zero" in err and "device" in err
        return
    root = folder(tmp_path, library="/dev/zero" if place == "library" else None)
    if place == "scores":
        (root / "scores.csv").unlink()
        (root / "scores.csv").symlink_to("/dev/zero")
    err = refused(capsys, root, "/dev/zero" if place == "library" else "scores.csv", tmp_path)
    assert "device" in err or "symbolic link" in err


def test_verify_of_a_run_json_naming_dev_zero_reports_the_input_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, out = folder(tmp_path), tmp_path / "out"
    assert run(capsys, "evaluate", str(root), "--out", str(out))[0] == 0
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    record["inputs"][0]["read_from"] = "/dev/zero"
    (out / "run.json").write_text(json.dumps(record), encoding="utf-8")
    code, text, _ = run(capsys, "verify", str(out))
    assert code == 1 and "input missing" in text


# -- verify reads nothing outside the bundle --------------------------------------------------


def rewritten(bundle: Path, target: Path, change: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(target, "w") as sink:
        for info in source.infolist():
            data = source.read(info)
            for suffix, new in change.items():
                if info.filename.endswith(suffix):
                    data = new
            sink.writestr(info, data)
    return target


def test_verify_of_a_bundle_never_reads_the_host(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, out = folder(tmp_path), tmp_path / "out"
    assert run(capsys, "evaluate", str(root), "--out", str(out), "--bundle")[0] == 0
    tender = (root / "tender.yaml").read_text(encoding="utf-8")
    evil = tender.replace("library: ../lib.yaml", "library: ../../../../../../../../etc/passwd")
    bundle = rewritten(
        out / "evaluation.zip", tmp_path / "evil.zip", {"tender.yaml": evil.encode()}
    )
    code, text, err = run(capsys, "verify", str(bundle))
    assert code == 1 and "NOT verified" in text
    assert "root:" not in text + err  # nothing of /etc/passwd is quoted
    assert "not in the bundle" in text
    assert "svengine-verify-" not in text + err  # the temporary folder is never named


def test_a_library_that_is_not_a_library_is_never_quoted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password=hunter2\nline two\n", encoding="utf-8")
    root = folder(tmp_path, library=str(secret))
    err = refused(capsys, root, str(secret), tmp_path)
    assert "hunter2" not in err and "not a measure library" in err


def test_a_bundle_with_an_absolute_library_path_verifies_from_its_copies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, out = folder(tmp_path, library=str(tmp_path / "lib.yaml")), tmp_path / "out"
    assert run(capsys, "evaluate", str(root), "--out", str(out), "--bundle")[0] == 0
    assert run(capsys, "verify", str(out / "evaluation.zip"))[:2] == (0, "verified\n")
    # ... from the copies only: the original library gone, the bundle still verifies.
    (tmp_path / "lib.yaml").unlink()
    assert run(capsys, "verify", str(out / "evaluation.zip"))[:2] == (0, "verified\n")


def _bundle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    root, out = folder(tmp_path), tmp_path / "out"
    assert run(capsys, "evaluate", str(root), "--out", str(out), "--bundle")[0] == 0
    return out / "evaluation.zip"


def _flipped(bundle: Path, target: Path) -> Path:
    data = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as archive:
        info = archive.getinfo("result.json")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


def _flag(bundle: Path, target: Path, flag: int = 0, method: int | None = None) -> Path:
    """Set a general-purpose flag bit (encryption) or the method (PPMd: 98) of every entry."""
    data = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as archive:
        infos = archive.infolist()
    for info in infos:
        local = info.header_offset
        data[local + 6] |= flag
        if method is not None:
            data[local + 8 : local + 10] = method.to_bytes(2, "little")
    central = data.find(b"PK\x01\x02")
    while central != -1:
        data[central + 8] |= flag
        if method is not None:
            data[central + 10 : central + 12] = method.to_bytes(2, "little")
        central = data.find(b"PK\x01\x02", central + 4)
    target.write_bytes(bytes(data))
    return target


def _overlapping(bundle: Path, target: Path) -> Path:
    """A second central-directory entry pointing at the first entry's data (entries overlap)."""
    with zipfile.ZipFile(bundle) as source:
        infos = source.infolist()
    data = bundle.read_bytes()
    end = data.rfind(b"PK\x05\x06")
    directory_at = int.from_bytes(data[end + 16 : end + 20], "little")
    first = data.find(b"PK\x01\x02", directory_at)
    second = data.find(b"PK\x01\x02", first + 4)
    copy = bytearray(data[second : data.find(b"PK\x01\x02", second + 4)])
    copy[42:46] = infos[0].header_offset.to_bytes(4, "little")
    body = data[:end] + bytes(copy)
    record = bytearray(data[end:])
    count = int.from_bytes(record[10:12], "little") + 1
    record[8:10] = record[10:12] = count.to_bytes(2, "little")
    record[12:16] = (int.from_bytes(record[12:16], "little") + len(copy)).to_bytes(4, "little")
    target.write_bytes(body + bytes(record))
    return target


def _deep_manifest(bundle: Path, target: Path) -> Path:
    return rewritten(bundle, target, {"manifest.json": b"[" * 200_000 + b"]" * 200_000})


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (_flipped, "damaged"),
        (lambda b, t: _flag(b, t, flag=0x1), "encrypted"),
        (lambda b, t: _flag(b, t, method=98), "PPMd"),
        (_overlapping, "refused"),
        (_deep_manifest, "manifest.json"),
    ],
    ids=["flipped-byte", "encrypted", "ppmd", "overlapping", "deep-manifest"],
)
def test_a_corrupt_bundle_is_exit_1_with_a_sentence(
    damage: object, says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = damage(_bundle(tmp_path, capsys), tmp_path / "bad.zip")  # type: ignore[operator]
    before = bundle.read_bytes()
    code, _, err = run(capsys, "verify", str(bundle))
    assert code == 1, err
    assert err.startswith("svengine: cannot verify") and says in err, err
    assert "Traceback" not in err and bundle.read_bytes() == before


# -- CSV and Markdown injection, display spoofing ----------------------------------------------


@pytest.mark.parametrize(
    "text", ["=cmd|' /C calc'!A0", "@SUM(1)+cmd", "+1", "-1", "\t=1", "\r=1", "＝1+1", "＠A1"]
)
def test_csv_cells_that_a_spreadsheet_would_run_are_text(text: str) -> None:
    assert csv_safe(text) == "'" + text
    assert csv_safe("Calder Ltd") == "Calder Ltd" and csv_safe(3) == "3"


def test_batch_summary_csv_holds_no_formula(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tenders = tmp_path / "tenders"
    tenders.mkdir()
    root = folder(tenders, name="=cmd|' -C calc'!A0")
    assert run(capsys, "batch", str(tenders), "--out", str(tmp_path / "out"))[0] == 0
    text = (tmp_path / "out" / "summary.csv").read_text(encoding="utf-8")
    assert "\n'=cmd|" in text
    assert all(not line.startswith(("=", "+", "-", "@")) for line in text.splitlines())
    assert root.exists()


def test_batch_names_the_appointed_suppliers_of_each_lot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tenders = tmp_path / "tenders"
    shutil.copytree(REPO / "examples" / "framework-multi-lot", tenders / "fw")
    shutil.copytree(REPO / "toms", tmp_path / "toms")
    text = (tenders / "fw" / "tender.yaml").read_text(encoding="utf-8")
    (tenders / "fw" / "tender.yaml").write_text(
        text.replace("../../toms/", "../../toms/"), encoding="utf-8"
    )
    assert run(capsys, "batch", str(tenders), "--out", str(tmp_path / "out"))[0] == 0
    rows = (tmp_path / "out" / "summary.csv").read_text(encoding="utf-8").splitlines()
    assert "L1: S1, S2; L2: S1, S2; L3: S6, S3" in rows[1]
    assert "S1+S1" not in rows[1]


def test_markdown_markup_from_bidders_is_escaped() -> None:
    doc = Document("T")
    doc.para("[x](javascript:alert(1))")
    doc.items(["![t](http://attacker.example/beacon.png)"])
    doc.table(["name"], [["[x](javascript:alert(1))"]])
    doc.heading("# not a heading")
    markdown = doc.markdown()
    assert "[x](" not in markdown.replace("\\[x\\](", "")
    assert "\\[x\\](javascript:alert(1))" in markdown
    assert "!\\[t\\](http://attacker.example/beacon.png)" in markdown
    assert "## \\# not a heading" in markdown


def test_control_and_bidirectional_characters_are_shown_escaped() -> None:
    assert shown("evil\u202egpj.exe") == "evil\\u202egpj.exe"
    assert shown("a\u2028b\nc\rd\x1b[2J") == "a\\u2028b\\nc\\rd\\x1b[2J"
    doc = Document("T")
    doc.para("Smith\u202eLtd")
    assert "\u202e" not in doc.markdown() + doc.html()


def test_a_newline_in_a_file_name_cannot_forge_an_output_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = folder(tmp_path)
    (root / "bids" / "B9\nsvengine: 0 problems\u202e.json").write_text("{", encoding="utf-8")
    err = refused(capsys, root, "B9\\nsvengine: 0 problems\\u202e.json", tmp_path)
    assert "\u202e" not in err
    assert not any(line.startswith("svengine: 0 problems") for line in err.splitlines())


def test_bidder_names_are_escaped_in_the_terminal_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = folder(tmp_path)
    bid = json.loads((root / "bids" / "B1.json").read_text(encoding="utf-8"))
    bid["bidder"]["name"] = "Calder\u202e Ltd\u2028forged"
    (root / "bids" / "B1.json").write_text(json.dumps(bid), encoding="utf-8")
    code, out, _ = run(capsys, "evaluate", str(root))
    assert code == 0 and "Calder\\u202e Ltd\\u2028forged" in out and "\u202e" not in out


# -- bounded, whatever the input ------------------------------------------------------------


def test_parse_bids_with_a_5000_digit_price_raises_invalid_input() -> None:
    with pytest.raises(svengine.InvalidInput) as raised:
        svengine.parse_bids([{"bidder": {"id": "B1", "name": "x"}, "price": 10**5000}])
    assert raised.value.problems[0].location.path == "$[0].price"


def test_max_rows_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "evaluate", str(EXAMPLE), "--max-rows", "-1")[0] == 2
    assert run(capsys, "validate", str(EXAMPLE), "--max-rows", "0")[0] == 2


def test_a_yaml_alias_bound_counts_expanded_text(tmp_path: Path) -> None:
    title = "x" * 200_000
    text = f"base: &t {title}\n" + "".join(f"k{i}: *t\n" for i in range(400))
    document, problems = svengine.io.documents.parse_yaml(text, "t.yaml")  # type: ignore[attr-defined]
    assert document is None and "alias bomb" in problems[0].message


def test_a_yaml_merge_key_is_explained() -> None:
    from svengine.io.documents import parse_yaml

    _, problems = parse_yaml("base: &b {a: 1}\nother:\n  <<: *b\n", "t.yaml")
    assert "merge key" in problems[0].message and "python" not in problems[0].message


def test_more_than_1000_problems_are_counted_not_all_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = folder(tmp_path)
    rows = ["bidder,criterion,score,comment"] + [f"X{i},Q9,four," for i in range(1_500)]
    (root / "scores.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", str(root))
    lines = err.splitlines()
    assert code == 1 and len(lines) == 1 + 1_000 + 1
    assert "more problems" in lines[-1]


def test_a_200000_character_csv_comment_gets_a_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = folder(tmp_path)
    lines = (root / "scores.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = 'B1,Q1,4,"' + "x" * 200_000 + '"'
    (root / "scores.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = refused(capsys, root, "scores.csv:2", tmp_path)
    assert "longer than 131,072 characters" in err and "field limit" not in err


def test_out_naming_a_file_is_said_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "results.txt"
    target.write_text("mine", encoding="utf-8")
    code, _, err = run(capsys, "evaluate", str(folder(tmp_path)), "--out", str(target))
    assert code == 1 and "is a file; --out needs a folder" in err and "File exists" not in err
    assert target.read_text(encoding="utf-8") == "mine"


# -- workbooks ------------------------------------------------------------------------------


def _workbook(tmp_path: Path, extra: dict[str, bytes], workbook_xml: bytes | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Bids"
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "bids.xlsx"
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as sink,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml" and workbook_xml is not None:
                data = workbook_xml
            if info.filename in extra:
                data = extra.pop(info.filename)
            sink.writestr(info.filename, data)
        for name, data in extra.items():
            sink.writestr(name, data)
    return path


def test_a_workbook_declaring_100000_sheets_is_refused_before_parsing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheets = b"".join(
        b'<sheet name="S%d" sheetId="%d" r:id="rId1"/>' % (i, i + 1) for i in range(100_000)
    )
    xml = (
        b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        + sheets
        + b"</sheets></workbook>"
    )
    path = _workbook(tmp_path, {}, xml)
    code, _, err = run(capsys, "validate", str(path))
    assert code == 1 and "bids.xlsx" in err and "100,000 sheets" in err


def test_a_relationship_to_a_unc_path_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rels = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath"'
        b' Target="\\\\attacker\\share\\prices.xlsx" TargetMode="External"/></Relationships>'
    )
    path = _workbook(tmp_path, {"xl/worksheets/_rels/sheet1.xml.rels": rels})
    code, _, err = run(capsys, "validate", str(path))
    assert code == 1 and "bids.xlsx" in err and "outside it" in err


def test_an_encrypted_workbook_is_named_as_such(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bids.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    code, _, err = run(capsys, "validate", str(path))
    assert code == 1 and "password" in err and "not a zip" not in err
    assert err.count("\n") == 2  # one problem, not a cascade


# -- output sets: all or nothing --------------------------------------------------------------


def _old_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, Path, dict[str, bytes]]:
    root, out = folder(tmp_path), tmp_path / "out"
    assert run(capsys, "evaluate", str(root), "--out", str(out), "--bundle")[0] == 0
    old = {name: (out / name).read_bytes() for name in OUTPUTS}
    bid = json.loads((root / "bids" / "B1.json").read_text(encoding="utf-8"))
    bid["price"] = "4600000.00"
    (root / "bids" / "B1.json").write_text(json.dumps(bid), encoding="utf-8")
    return root, out, old


@pytest.mark.parametrize("failing", range(4))
def test_a_full_disk_leaves_the_old_set_whole(
    failing: int,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root, out, old = _old_set(tmp_path, capsys)
    before = digest(root)
    from svengine.io import output

    real = output._write_staged
    calls = []

    def full(staged: Path, target: Path, data: output.Content) -> None:
        calls.append(target)
        if len(calls) > failing:
            raise output._named(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), target)
        real(staged, target, data)

    monkeypatch.setattr(output, "_write_staged", full)
    code, _, err = run(capsys, "evaluate", str(root), "--out", str(out), "--bundle", "--force")
    assert code == 1 and "No space left on device" in err
    assert str(out / OUTPUTS[failing]) in err and ".tmp" not in err
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == old
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)
    assert digest(root) == before


def test_force_that_cannot_replace_report_xlsx_leaves_the_old_set_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out, old = _old_set(tmp_path, capsys)
    real = os.replace

    def held_open(source: object, target: object) -> None:  # as Windows does for an open file
        if str(target).endswith("report.xlsx") and ".svengine-set" not in str(target):
            raise PermissionError(errno.EACCES, "Permission denied", str(target))
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", held_open)
    code, _, err = run(capsys, "evaluate", str(root), "--out", str(out), "--bundle", "--force")
    assert code == 1 and str(out / "report.xlsx") in err and "nothing in" in err
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == old
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)


def test_concurrent_force_runs_leave_one_whole_set(tmp_path: Path) -> None:
    first, second = folder(tmp_path, "a"), folder(tmp_path, "b")
    bid = json.loads((second / "bids" / "B1.json").read_text(encoding="utf-8"))
    bid["price"] = "4600000.00"
    (second / "bids" / "B1.json").write_text(json.dumps(bid), encoding="utf-8")
    out = tmp_path / "out"
    for _ in range(6):
        runs = [
            subprocess.Popen(
                [str(SVENGINE), "evaluate", str(f), "--out", str(out), "--force", "--bundle"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for f in (first, second)
        ]
        errors = [r.communicate(timeout=120)[1] for r in runs]
        assert [r.returncode for r in runs] == [0, 0], errors
        record = json.loads((out / "run.json").read_text(encoding="utf-8"))
        result = (out / "result.json").read_bytes()
        assert record["result"]["file_sha256"] == hashlib.sha256(result).hexdigest()
        with zipfile.ZipFile(out / "evaluation.zip") as bundle:
            assert bundle.read("result.json") == result
        assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)


def test_text_over_excel_cell_limit_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = folder(tmp_path)
    lines = (root / "scores.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = 'B1,Q1,4,"' + "y" * 40_000 + '"'
    (root / "scores.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "evaluate", str(root), "--out", str(tmp_path / "out"))
    assert code == 0 and "warning text_cut" in err and "40,000 characters" in err
    from openpyxl import load_workbook

    issues = load_workbook(tmp_path / "out" / "report.xlsx", read_only=True)["Issues"]
    assert any("40,000 characters" in str(row) for row in issues.iter_rows(values_only=True))


def test_max_rows_must_be_positive_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "toms.csv"
    sheet.write_text("id,title\nX1,One\n", encoding="utf-8")
    for bad in ("-1", "0"):
        code, _, err = run(
            capsys,
            "library",
            "import",
            str(sheet),
            "--out",
            str(tmp_path / "lib.yaml"),
            "--max-rows",
            bad,
        )
        assert code == 2 and "must be at least 1" in err and "Traceback" not in err
    assert not (tmp_path / "lib.yaml").exists()
    from svengine.excel.safety import LimitError, Limits

    for bad_value in (-1, 0):
        with pytest.raises(LimitError, match="max_rows"):
            Limits(max_rows=bad_value)
        with pytest.raises(svengine.SvengineError):
            svengine.load_folder(EXAMPLE, max_rows=bad_value)
