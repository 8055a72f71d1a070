"""The sheet XML reader: the same cells as openpyxl's own parser, and no DTD ever parsed."""

from __future__ import annotations

import datetime
import io
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from svengine.excel.sheet_xml import SheetXml
from svengine.excel.sheets import Cell
from svengine.excel.workbooks import read_bids_workbook
from svengine.model.bid import Commitment

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Every kind of cell the import rules care about, hand-written: shared and inline strings (plain and
# rich), numbers (int, decimal, exponent), booleans, a date by its style, a formula with and without
# a saved value, a text formula result, an error, a blank cell, rows and cells without references.
SHEET = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{NS}"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>in line</t></is></c><c r="C1" t="inlineStr"><is><r><t>ri</t></r><r><t>ch</t></r></is></c></row>
<row r="2"><c r="A2"><v>42</v></c><c r="B2"><v>57.75</v></c><c r="C2"><v>1E-3</v></c><c r="D2" t="b"><v>1</v></c><c r="E2" s="1"><v>45000</v></c></row>
<row r="4"><c r="A4"><f>1+1</f><v>2</v></c><c r="B4"><f>A4*2</f></c><c r="C4" t="str"><f>"x"</f><v>x</v></c><c r="D4" t="e"><v>#N/A</v></c><c r="E4"/></row>
<row><c><v>7</v></c><c><v>8</v></c><c r="AB5" t="s"><v>1</v></c></row>
</sheetData><mergeCells count="1"><mergeCell ref="A7:B8"/></mergeCells></worksheet>"""  # noqa: E501 - a row per line, as a sheet is written
STRINGS = ["shared", "two"]


def _openpyxl_cells(xml: str) -> list[tuple[int, list[tuple[int, object, bool, bool, int]]]]:
    class Parser(WorkSheetParser):  # type: ignore[misc]
        def parse_cell(self, element):  # type: ignore[no-untyped-def]
            cell = super().parse_cell(element)
            cell["formula"] = element.find(FORMULA_TAG) is not None
            return cell

    parser = Parser(io.BytesIO(xml.encode()), STRINGS, data_only=True, date_formats={1})
    return [
        (
            number,
            [
                (c["column"], c["value"], c["formula"], c["data_type"] == "e", c["style_id"])
                for c in cells
            ],
        )
        for number, cells in parser.parse()
    ]


def test_the_same_cells_as_openpyxls_parser() -> None:
    reader = SheetXml(STRINGS, openpyxl.utils.datetime.WINDOWS_EPOCH, {1}, set())
    rows = list(reader.rows(io.BytesIO(SHEET.encode())))
    assert rows == _openpyxl_cells(SHEET)
    # and what that is, by hand
    assert [number for number, _ in rows] == [1, 2, 4, 5]
    assert rows[0][1] == [
        (1, "shared", False, False, 0),
        (2, "in line", False, False, 0),
        (3, "rich", False, False, 0),
    ]
    assert rows[1][1][:4] == [
        (1, 42, False, False, 0),
        (2, 57.75, False, False, 0),
        (3, 0.001, False, False, 0),
        (4, True, False, False, 0),
    ]
    assert rows[1][1][4] == (5, datetime.datetime(2023, 3, 15), False, False, 1)
    assert rows[2][1] == [
        (1, 2, True, False, 0),
        (2, None, True, False, 0),
        (3, "x", True, False, 0),
        (4, "#N/A", False, True, 0),
        (5, None, False, False, 0),
    ]
    assert rows[3][1] == [
        (1, 7, False, False, 0),
        (2, 8, False, False, 0),
        (28, "two", False, False, 0),
    ]
    assert reader.merged == ["A7:B8"]


def _bids_workbook(tmp_path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Bids"
    sheet.append(
        [
            "bidder_id",
            "bidder_name",
            "employees",
            "turnover",
            "balance_sheet_total",
            "vcse",
            "price",
        ]
    )
    sheet.append(["B1", "Acme", None, None, None, None, 1])
    workbook.create_sheet("SocialValue").append(["bidder_id", "measure", "quantity"])
    path = tmp_path / "bids.xlsx"
    workbook.save(path)
    return path


def _replace_prolog(path: Path, prolog: bytes) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    body = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = prolog + body[body.index(b"<worksheet") :]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


BOMB = (
    b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
)


@pytest.mark.parametrize(
    "prolog",
    [
        b'<?xml version="1.0"?>' + BOMB,
        b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>\n<!-- a comment --><?pi x?>\n' + BOMB,
        b"<!-- <worksheet> in a comment is not the root -->" + BOMB,
        b'<?xml version="1.0" encoding="ISO-8859-1"?>'
        + BOMB,  # not read by the fast path: defusedxml refuses it
        b'<?xml version="1.0"?><!-- '
        + b"x" * 200_000
        + b" -->"
        + BOMB,  # a prolog too long to check: defusedxml
    ],
)
def test_a_document_type_declaration_in_a_sheet_is_refused(tmp_path: Path, prolog: bytes) -> None:
    path = _bids_workbook(tmp_path)
    _replace_prolog(path, prolog)
    _, problems = read_bids_workbook(path)
    assert [p.code for p in problems] == ["unsafe_xml"]


@pytest.mark.parametrize(
    "prolog",
    [
        b"",
        b'<?xml version="1.0" encoding="ISO-8859-1"?>',
        b'<?xml version="1.0"?><!-- ' + b"x" * 200_000 + b" -->",
    ],
)
def test_a_sheet_without_a_dtd_is_read_on_either_path(tmp_path: Path, prolog: bytes) -> None:
    path = _bids_workbook(tmp_path)
    _replace_prolog(path, prolog)
    bids, problems = read_bids_workbook(path)
    assert problems == []
    assert [(b.bidder.id, b.bidder.name, b.price) for b in bids] == [("B1", "Acme", 1)]


# The plain-text path (`SheetXml._plain_rows`) reads cells by compiled patterns; every shape it does
# not read plainly goes to the element parser (`_parsed_rows`). Both must give openpyxl's cells.
WIDE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PLAIN_CELLS = [
    '<c r="A{r}" t="s"><v>0</v></c>',
    '<c r="A{r}" s="3" t="s"><v>1</v></c>',
    '<c r="B{r}" t="inlineStr"><is><t>in line</t></is></c>',
    '<c r="B{r}" t="inlineStr"><is><t xml:space="preserve">  padded </t></is></c>',
    '<c r="B{r}" t="inlineStr"><is><t></t></is></c>',
    '<c r="B{r}" t="inlineStr"><is><t>   </t></is></c>',
    '<c r="B{r}" t="inlineStr"><v>ignored</v></c>',
    '<c r="B{r}" t="inlineStr"/>',
    '<c r="C{r}"><v>42</v></c>',
    '<c r="C{r}" t="n"><v>57.75</v></c>',
    '<c r="C{r}" s="3"><v>4395000</v></c>',
    '<c r="C{r}" s="7"><v>12.5</v></c>',
    '<c r="C{r}"><v>1E-3</v></c>',
    '<c r="C{r}"><v>2.5e2</v></c>',
    '<c r="C{r}"><v>-0</v></c>',
    '<c r="C{r}"><v>0.30000000000000004</v></c>',
    '<c r="C{r}"><v>1e400</v></c>',
    '<c r="C{r}"><v>-1.5E+300</v></c>',
    '<c r="D{r}" t="b"><v>1</v></c>',
    '<c r="D{r}" t="b"><v>0</v></c>',
    '<c r="E{r}" s="1"><v>45000</v></c>',
    '<c r="E{r}" s="1"><v>45000.5</v></c>',
    '<c r="E{r}" s="2"><v>1.25</v></c>',
    '<c r="E{r}" s="1"><v>99999999999</v></c>',
    '<c r="E{r}" t="d"><v>2024-01-31T10:30:00</v></c>',
    '<c r="F{r}"><f>1+1</f><v>2</v></c>',
    '<c r="F{r}"><f>A4*2</f></c>',
    '<c r="F{r}" s="3"><f>A4*2</f><v></v></c>',
    '<c r="F{r}" t="str"><f>"x"</f><v>x</v></c>',
    '<c r="F{r}" t="str"><f>"x"</f><v>  </v></c>',
    '<c r="F{r}"><f t="shared" ref="F1:F9" si="0">A1</f><v>3</v></c>',
    '<c r="F{r}"><f t="shared" si="0"/><v>3.5</v></c>',
    '<c r="F{r}" t="s"><f>A1</f><v>0</v></c>',
    '<c r="F{r}" t="b"><f>TRUE()</f><v>1</v></c>',
    '<c r="G{r}" t="e"><v>#N/A</v></c>',
    '<c r="G{r}" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
    '<c r="G{r}" t="e"/>',
    '<c r="H{r}"/>',
    '<c r="H{r}" s="3"/>',
    '<c r="H{r}"></c>',
    '<c r="H{r}"><v></v></c>',
    '<c r="H{r}"><v/></c>',
    '<c r="H{r}" t="s"/>',
    "<c><v>7</v></c>",
    '<c t="s"><v>1</v></c>',
    '<c r="XFD{r}"><v>1</v></c>',
    '<c r="ZZZ{r}" t="s"><v>0</v></c>',
    '<c r="J{r}" t="s" cm="1"><v>1</v></c>',
    '<c r="K{r}" t="str"><v>text, with spaces  </v></c>',
    '<c r="K{r}" t="str"><v>café ≠ caf\u00e9 \U0001f600</v></c>',
    '<c r="K{r}" t="str"><v>two\nlines</v></c>',
    '<c r="A{r}" t="s"><v>0</v></c>\n  <c r="B{r}"><v>1</v></c>\n',
]
NOT_PLAIN_CELLS = [
    '<c r="B{r}" t="inlineStr"><is><r><t>ri</t></r><r><t>ch</t></r></is></c>',
    '<c r="B{r}" t="inlineStr"><is><t>a &amp; b</t></is></c>',
    '<c r="B{r}" t="inlineStr"><is><t/></is></c>',
    '<c r="B{r}" t="inlineStr"><is><t>x</t><rPh sb="0" eb="1"><t>y</t></rPh></is></c>',
    '<c r="K{r}" t="str"><v>a&lt;b</v></c>',
    '<c r="K{r}" t="str"><v>carriage\r\nreturn</v></c>',
    '<c t="s" r="A{r}"><v>0</v></c>',
    '<c r="A{r}" t="s"><v>0</v><extLst/></c>',
    '<c r="A{r}"><!-- a comment --><v>1</v></c>',
    '<c r="A{r}"><v><![CDATA[12]]></v></c>',
    '<c r="A{r}" t="x"><v>1</v></c>',
    '<c r="A{r}" t="s"><v>&#48;</v></c>',
    '<c r="A{r}"><is><t>not inline</t></is><v>2</v></c>',
    '<c r="A{r}" xmlns="urn:other"><v>1</v></c>',
    # rows the plain path leaves to the element parser: `r` not first, a number as a float, a row of another namespace
    '<row spans="1:2" r="3"><c r="A3"><v>1</v></c></row><row r="4"><c r="A4"><v>2</v></c></row>',
    '<row r="3.0"><c r="A3"><v>1</v></c></row><row r="4"><c r="A4"><v>2</v></c></row>',
    '<row r="3" xmlns="urn:other"><c r="A3"><v>1</v></c></row><row r="4"><c r="A4"><v>2</v></c></row>',
]
ROWS = [
    ('<row r="{r}" spans="1:5" x14ac:dyDescent="0.25">', "</row>"),
    ('<row r="{r}" ht="20" customHeight="1">', "\n</row>"),
    ("<row>", "</row>"),
]


def _document(rows: list[str], head: str = "", tail: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{WIDE}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
        ' xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
        f'<dimension ref="A1:E9"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>{head}<sheetData>'
        + "".join(rows)
        + f'</sheetData>{tail}<mergeCells count="2"><mergeCell ref="A7:B8"/><mergeCell '
        'ref="C9:D9"/></mergeCells></worksheet>'
    ).encode()


def _reader() -> SheetXml:
    return SheetXml(STRINGS, openpyxl.utils.datetime.WINDOWS_EPOCH, {1, 2}, {2})


def _reference(data: bytes) -> list[tuple[int, list[tuple[int, object, bool, bool, int]]]]:
    class Parser(WorkSheetParser):  # type: ignore[misc]
        def parse_cell(self, element):  # type: ignore[no-untyped-def]
            cell = super().parse_cell(element)
            cell["formula"] = element.find(FORMULA_TAG) is not None
            return cell

    parser = Parser(
        io.BytesIO(data), STRINGS, data_only=True, date_formats={1, 2}, timedelta_formats={2}
    )
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore"
        )  # openpyxl warns of a date out of range (an error cell, as ours)
        return [
            (
                number,
                [
                    (c["column"], c["value"], c["formula"], c["data_type"] == "e", c["style_id"])
                    for c in cells
                ],
            )
            for number, cells in parser.parse()
        ]


def _same(left: object, right: object) -> bool:
    """Equal, with NaN equal to NaN and the type of every value the same."""
    return repr(left) == repr(right)


PLACES = [0, 2, 0, 3]  # decimal places shown by style 0, 1, 2, 3 (style 4 and over: none known)


def _kept(data: bytes) -> None:
    """The cells kept for the import (`kept_rows`, which makes them as it reads) are those
    `kept_cells` makes of `rows`."""
    from svengine.excel.sheet_xml import kept_cells
    from svengine.excel.sheets import Cell

    reader, reference = _reader(), _reader()
    kept = list(reader.kept_rows(io.BytesIO(data), PLACES, Cell))
    expected = [
        (number, cells)
        for number, raw in reference.rows(io.BytesIO(data))
        if (cells := kept_cells(number, raw, PLACES, Cell))
    ]
    assert _same(kept, expected)
    assert all(type(cell) is Cell for _, cells in kept for cell in cells.values())
    assert reader.merged == reference.merged


def _rows_of(cell: str, row: tuple[str, str]) -> list[str]:
    opening, closing = row
    return [
        opening.format(r=r) + "\n" + cell.format(r=r) + f'<c r="AA{r}" t="s"><v>1</v></c>' + closing
        for r in (3, 4)
    ] + ['<row r="6"/>']


@pytest.mark.parametrize("row", ROWS)
@pytest.mark.parametrize("cell", PLAIN_CELLS)
def test_the_plain_path_gives_openpyxls_cells(cell: str, row: tuple[str, str]) -> None:
    data = _document(_rows_of(cell, row))
    plain = _reader()
    rows = list(plain._plain_rows(io.BytesIO(data)))  # read plainly to the end: no fallback
    assert _same(rows, _reference(data))
    assert plain.merged == ["A7:B8", "C9:D9"]
    parsed = _reader()
    assert _same(list(parsed._parsed_rows(io.BytesIO(data))), rows)
    assert parsed.merged == plain.merged
    _kept(data)


@pytest.mark.parametrize("cell", NOT_PLAIN_CELLS)
def test_other_cells_go_to_the_element_parser_with_the_same_result(cell: str) -> None:
    from svengine.excel.sheet_xml import NotPlain

    data = _document(_rows_of(cell, ROWS[0]) if cell.startswith("<c") else [cell])
    with pytest.raises(NotPlain):
        list(_reader()._plain_rows(io.BytesIO(data)))
    reader = _reader()
    assert _same(list(reader.rows(io.BytesIO(data))), _reference(data))
    assert reader.merged == ["A7:B8", "C9:D9"]
    _kept(data)


PLAIN_ROW = (
    '<row r="{r}" spans="1:5"><c r="A{r}" t="s"><v>1</v></c><c r="B{r}" '
    't="inlineStr"><is><t>EX-JOB-1</t></is></c><c r="C{r}"><v>{r}.25</v></c><c '
    'r="D{r}"><v>2</v></c></row>'
)


@pytest.mark.parametrize(
    "where",
    [
        '<row r="{r}"><c r="A{r}" t="inlineStr"><is><r><t>rich</t></r></is></c></row>',  # a cell not read plainly
        '<row r="{r}.0"><c r="A{r}"><v>1</v></c></row>',  # a row number openpyxl reads as a float
        "<!-- a comment between rows -->",
        '<x:row xmlns:x="'
        + WIDE
        + '" r="{r}"><x:c r="A{r}"><x:v>5</x:v></x:c></x:row>',  # a prefixed row
    ],
)
def test_a_part_not_plain_after_many_rows_is_read_on_from_where_the_plain_path_stopped(
    where: str,
) -> None:
    rows = (
        [PLAIN_ROW.format(r=r) for r in range(1, 3000)]
        + [where.format(r=3000)]
        + [PLAIN_ROW.format(r=r) for r in range(3001, 3100)]
    )
    data = _document(rows)
    assert len(data) > 4 * (1 << 16)  # several chunks of plain rows come first
    reader = _reader()
    read = list(reader.rows(io.BytesIO(data)))
    assert _same(read, _reference(data))
    assert read[2998][0] == 2999 and read[-1][0] == 3099
    assert reader.merged == ["A7:B8", "C9:D9"]
    _kept(data)


@pytest.mark.parametrize(
    "where",
    [
        head_tail
        for head_tail in [
            ('<sheetPr><tabColor rgb="FF00FF00"/></sheetPr>', ""),
            (
                "",
                '<conditionalFormatting sqref="A1"><cfRule type="expression" '
                'priority="1"><formula>A1&gt;0</formula></cfRule></conditionalFormatting>',
            ),
            (
                '<mergeCells count="1"><mergeCell ref="E1:F1"/></mergeCells>',
                "",
            ),  # merged ranges before the rows: the element parser
            (
                "",
                '<row r="99"><c r="A99"><v>1</v></c></row>',
            ),  # a row after sheetData: the element parser
        ]
    ],
)
def test_what_surrounds_the_rows_is_read_as_the_element_parser_reads_it(
    where: tuple[str, str],
) -> None:
    data = _document([PLAIN_ROW.format(r=r) for r in range(1, 50)], head=where[0], tail=where[1])
    reader, reference = _reader(), _reader()
    assert _same(
        list(reader.rows(io.BytesIO(data))), list(reference._parsed_rows(io.BytesIO(data)))
    )
    assert reader.merged == reference.merged
    assert _same(list(_reader().rows(io.BytesIO(data))), _reference(data))
    _kept(data)


@pytest.mark.parametrize(
    ("broken", "error"),
    [
        (
            '<row r="{r}"><c r="A{r}"><v>1</v></d></row>',
            "ParseError",
        ),  # malformed XML after plain rows
        ('<row r="{r}"><c r="A{r}"><v>&bogus;</v></c></row>', "ParseError"),  # an undefined entity
        (
            '<row r="{r}"><c r="A{r}" t="s"><v>99</v></c></row>',
            "IndexError",
        ),  # no such shared string
        ('<row r="{r}"><c r="a{r}"><v>1</v></c></row>', "ValueError"),  # not a cell reference
        ('<row r="{r}"><c r="A{r}"><v>1,5</v></c></row>', "ValueError"),  # not a number
        (
            '<row r="{r}"><c r="A{r}"><v>nan</v></c></row>',
            "ValueError",
        ),  # read as an int, as openpyxl does
    ],
)
def test_a_broken_part_fails_as_the_element_parser_fails_after_the_same_rows(
    broken: str, error: str
) -> None:
    data = _document([PLAIN_ROW.format(r=r) for r in range(1, 3000)] + [broken.format(r=3000)])

    def outcome(
        rows: Iterator[tuple[int, list[tuple[int, object, bool, bool, int]]]],
    ) -> tuple[int, str]:
        given = 0
        try:
            for _ in rows:
                given += 1
        except Exception as failure:
            return given, f"{type(failure).__name__}: {failure}"
        return given, "no error"

    fast = outcome(_reader().rows(io.BytesIO(data)))
    assert fast == outcome(_reader()._parsed_rows(io.BytesIO(data)))
    assert fast[1].startswith(error)
    from svengine.excel.sheets import Cell

    assert (
        outcome(_reader().kept_rows(io.BytesIO(data), PLACES, Cell)) == fast
    )  # every row holds a value here


def test_a_commitment_built_without_validation_equals_the_validated_one(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Bids"
    sheet.append(
        [
            "bidder_id",
            "bidder_name",
            "employees",
            "turnover",
            "balance_sheet_total",
            "vcse",
            "price",
        ]
    )
    sheet.append(["B1", "Acme", None, None, None, None, 1])
    social = workbook.create_sheet("SocialValue")
    social.append(["bidder_id", "measure", "quantity", "years", "description"])
    social.append(["B1", "EX-JOB-1", 57.75, 2, "Local jobs"])
    social.append(["B1", " EX-JOB-2 ", "0012.50", None, None])
    social.append(["B1", "EX-GRO-1", 4395000, 3, "  padded  "])
    social["C4"].number_format = "#,##0.00"
    path = tmp_path / "bids.xlsx"
    workbook.save(path)
    bids, problems = read_bids_workbook(path)
    assert problems == []
    commitments = bids[0].social_value
    assert [(c.measure, str(c.quantity), c.years, c.description) for c in commitments] == [
        ("EX-JOB-1", "57.75", 2, "Local jobs"),
        ("EX-JOB-2", "12.50", None, None),
        ("EX-GRO-1", "4395000.00", 3, "padded"),
    ]
    for commitment in commitments:
        validated = Commitment.model_validate(
            {name: getattr(commitment, name) for name in Commitment.model_fields}
        )
        assert validated == commitment
        assert repr(validated) == repr(commitment)


@pytest.mark.parametrize(
    ("value", "minimum", "expected", "code"),
    [
        (0, 0, 0, None),
        (3, 1, 3, None),
        (999_999_999_999_999, 1, 999_999_999_999_999, None),  # 15 digits: the grammar's limit
        (
            1_000_000_000_000_000,
            1,
            None,
            "bad_number",
        ),  # 16 digits: refused, never read as a whole number
        (0, 1, None, "not_whole_number"),
        (-2, 0, None, "not_whole_number"),
        (True, 0, None, "not_a_number"),
        (2.0, 1, 2, None),
        (2.5, 1, None, "not_whole_number"),
        (" 4 ", 1, 4, None),
    ],
)
def test_whole_numbers_read_the_same_by_the_quick_path_and_the_grammar(
    value: object, minimum: int, expected: int | None, code: str | None
) -> None:
    from svengine.excel.cells import CellReader
    from svengine.excel.sheets import Cell

    for places in (0, 2):
        reader = CellReader("bids.xlsx", "SocialValue")
        cell = Cell(5, 4, value, places=places)
        assert reader.whole(cell, "years", minimum) == expected
        assert (
            reader.whole(cell, "years", minimum) == expected
        )  # the second time from what was kept
        assert [p.code for p in reader.problems] == ([code, code] if code else [])


def test_a_decimal_kept_for_one_cell_is_never_given_for_a_cell_that_cannot_be_read() -> None:
    from svengine.excel.cells import CellReader
    from svengine.excel.sheets import Cell

    reader = CellReader("bids.xlsx", "SocialValue")
    assert str(reader.decimal(Cell(2, 3, 57.75), "quantity")) == "57.75"
    assert str(reader.decimal(Cell(3, 3, 57.75, places=2), "quantity")) == "57.75"
    assert str(reader.decimal(Cell(4, 3, 57.5, places=2), "quantity")) == "57.50"
    assert str(reader.decimal(Cell(5, 3, 1, places=2), "quantity")) == "1.00"
    assert (
        str(reader.decimal(Cell(6, 3, True), "quantity")) == "None"
    )  # True == 1, but a boolean is not a number
    assert (
        reader.decimal(Cell(7, 3, 57.75, error=True), "quantity") is None
    )  # the same value in an error cell
    assert reader.decimal(Cell(8, 3, None, formula=True), "quantity") is None
    assert [(p.code, p.location.row) for p in reader.problems] == [
        ("not_a_number", 6),
        ("cell_error", 7),
        ("formula_without_value", 8),
    ]


def test_the_element_parser_reads_again_from_the_start_of_a_part_in_the_archive(
    tmp_path: Path,
) -> None:
    rows = [PLAIN_ROW.format(r=r) for r in range(1, 3000)] + [
        '<row r="3000"><c r="A3000" t="inlineStr"><is><r><t>rich</t></r></is></c></row>'
    ]
    data = _document(rows)
    path = tmp_path / "part.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", data)
    with zipfile.ZipFile(path) as archive, archive.open("xl/worksheets/sheet1.xml") as source:
        reader = _reader()
        read = list(
            reader.rows(source)
        )  # the plain path stops at row 3000, after several chunks; the part is read again
    assert _same(read, _reference(data))
    assert read[-1] == (3000, [(1, "rich", False, False, 0)])
    assert reader.merged == ["A7:B8", "C9:D9"]


@pytest.mark.parametrize(
    "root",
    [
        f'<worksheet xmlns="urn:other" a=\' xmlns="{WIDE}"\'>',  # the SpreadsheetML text inside an attribute value
        f'<worksheet a=\' xmlns="{WIDE}"\' xmlns="urn:other">',
    ],
)
def test_a_root_that_only_seems_to_declare_spreadsheetml_is_read_as_the_element_parser_reads_it(
    root: str,
) -> None:
    # The rows are in urn:other: the element parser and openpyxl read no row at all.
    rows = "".join(PLAIN_ROW.format(r=r) for r in range(1, 50))
    data = f'<?xml version="1.0" encoding="UTF-8"?>\n{root}<sheetData>{rows}</sheetData></worksheet>'.encode()
    assert _reference(data) == []
    assert list(_reader().rows(io.BytesIO(data))) == []
    assert list(_reader().kept_rows(io.BytesIO(data), PLACES, Cell)) == []
