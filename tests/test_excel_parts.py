"""excel/parts.py reads shared strings, styles and sheet paths as openpyxl does (issue 13).

The reference is what openpyxl itself keeps after opening the same bytes (read here, in a test, from
its private attributes: the engine no longer reads them). Hypothesis draws shared string tables
(plain and rich text, several `t`, `x005F_`, empty items) and style sheets (custom and built-in
number formats, dates, durations, custom codes that repeat a built-in one, no `cellXfs` at all).
"""

from __future__ import annotations

import copy
import io
import warnings
import zipfile
from xml.sax.saxutils import escape, quoteattr

import pytest
import xlsxwriter
from defusedxml import DTDForbidden
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

from svengine.excel.parts import format_places, read_parts
from svengine.excel.safety import Limits
from svengine.excel.sheets import open_workbook_bytes, read_sheet

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CODES = ["General", "0.00", "#,##0.000", "yyyy-mm-dd", "[h]:mm:ss", "mm:ss", "0%", '"£"#,##0.0',
         "d-mmm", "h:mm AM/PM", "@", "[mm]:ss", "dd/mm/yyyy hh:mm", "0.0E+00", "# ?/?"]  # fmt: skip


def _base() -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    first = book.add_worksheet("Bids")
    first.write_string(0, 0, "x")
    first.write_number(1, 0, 1.5, book.add_format({"num_format": "0.00"}))
    book.add_worksheet("Other").write_string(0, 0, "y")
    book.close()
    return out.getvalue()


BASE = _base()


def _replaced(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(BASE)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item.filename, parts.get(item.filename, source.read(item.filename)))
    return out.getvalue()


def _openpyxl_reading(data: bytes) -> tuple[list[str], set[int], set[int], list[int]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    places = []
    for style in book._cell_styles:
        number = style.numFmtId
        code = (
            BUILTIN_FORMATS.get(number)
            if number < BUILTIN_FORMATS_MAX_SIZE
            else book._number_formats[number - BUILTIN_FORMATS_MAX_SIZE]
        )
        places.append(format_places(code or "General"))
    strings = list(book["Bids"]._shared_strings)
    dates, durations = set(book._date_formats), set(book._timedelta_formats)
    book.close()
    return strings, dates, durations, places


def _ours(data: bytes) -> tuple[list[str], set[int], set[int], list[int]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = read_parts(archive)
    return (
        parts.shared_strings,
        set(parts.date_formats),
        set(parts.timedelta_formats),
        parts.places,
    )


_text = st.text(alphabet=st.sampled_from("ab £_x005F\t "), max_size=8)
_run = st.builds(lambda t: f"<r><rPr><b/></rPr><t>{escape(t)}</t></r>", _text) | st.just("<r/>")
_item = st.lists(
    st.builds(lambda t: f'<t xml:space="preserve">{escape(t)}</t>', _text) | _run | st.just("<t/>"),
    max_size=4,
)


@st.composite
def _styles(draw: st.DrawFn) -> str:
    custom = draw(
        st.dictionaries(
            st.integers(min_value=20, max_value=200), st.sampled_from(CODES), max_size=5
        )
    )
    ids = sorted(custom) + list(range(0, 50))
    formats = "".join(
        f"<numFmt numFmtId={quoteattr(str(i))} formatCode={quoteattr(c)}/>"
        for i, c in custom.items()
    )
    styles = draw(st.lists(st.sampled_from(ids), min_size=0, max_size=8))
    xfs = "".join(
        f'<xf numFmtId="{i}" fontId="0" fillId="0" borderId="0" xfId="0"/>' for i in styles
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}">'
        f'<numFmts count="{len(custom)}">{formats}</numFmts>'
        '<fonts count="1"><font/></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        + (f'<cellXfs count="{len(styles)}">{xfs}</cellXfs>' if styles else "")
        + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(_item, min_size=2, max_size=6), styles=_styles())
def test_the_parts_read_as_openpyxl_reads_them(items: list[list[str]], styles: str) -> None:
    strings = "".join(f"<si>{''.join(parts)}</si>" for parts in items)
    data = _replaced(
        {
            "xl/sharedStrings.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}">{strings}</sst>'
            ).encode(),
            "xl/styles.xml": styles.encode(),
        }
    )
    assert _ours(data) == _openpyxl_reading(data)


def test_sheet_paths_and_a_known_reading() -> None:
    with zipfile.ZipFile(io.BytesIO(BASE)) as archive:
        parts = read_parts(archive)
    assert parts.sheets == {"Bids": "xl/worksheets/sheet1.xml", "Other": "xl/worksheets/sheet2.xml"}
    assert parts.shared_strings == ["x", "y"]
    assert parts.places == [0, 2]  # General, then 0.00
    workbook, problems = open_workbook_bytes(BASE, "b.xlsx", Limits())
    assert workbook is not None and not problems
    sheet, problems = read_sheet(workbook, "Other", "b.xlsx", Limits())
    workbook.close()
    assert sheet is not None and [(n, c[1].value) for n, c in sheet.rows] == [(1, "y")]


def test_a_rich_and_escaped_shared_string() -> None:
    item = "<si><t>dropped</t><t>kept </t><r><t>bo</t><t>ld</t></r><r><t>_x005F_x000D_</t></r></si>"
    table = f'<sst xmlns="{NS}">{item}<si><t>two</t></si></sst>'.encode()
    data = _replaced({"xl/sharedStrings.xml": table})
    assert _ours(data)[0] == ["kept ld_x000D_", "two"] == _openpyxl_reading(data)[0]


def test_a_part_with_a_dtd_is_refused_before_it_is_parsed() -> None:
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]>'
        b'<sst xmlns="' + NS.encode() + b'"><si><t>&a;</t></si></sst>'
    )
    with (
        zipfile.ZipFile(io.BytesIO(_replaced({"xl/sharedStrings.xml": hostile}))) as archive,
        pytest.raises(DTDForbidden),
    ):
        read_parts(archive)
    # and through the front door: a located problem, never a traceback
    workbook, problems = open_workbook_bytes(
        _replaced({"xl/sharedStrings.xml": hostile}), "b.xlsx", Limits()
    )
    assert workbook is None and [p.code for p in problems] == ["unsafe_xml"]


def test_a_part_is_never_read_past_its_declared_size() -> None:
    class Lying(zipfile.ZipFile):
        def getinfo(self, name: str) -> zipfile.ZipInfo:
            info = copy.copy(super().getinfo(name))
            if name == "xl/styles.xml":
                info.file_size = 10
            return info

    with Lying(io.BytesIO(BASE)) as archive, pytest.raises(zipfile.BadZipFile, match="CRC"):
        read_parts(archive)


def test_an_empty_part_is_a_parse_error() -> None:
    with (
        zipfile.ZipFile(io.BytesIO(_replaced({"xl/styles.xml": b""}))) as archive,
        # ElementTree's ParseError, a SyntaxError: defusedxml 0.7.0 (our floor) raises it from its own
        # copy of the ElementTree module, a different class of the same name.
        pytest.raises(SyntaxError, match="no element found"),
    ):
        read_parts(archive)
