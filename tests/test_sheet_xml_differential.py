"""The sheet reader's plain-text fast path against its element parser, on generated hostile XML.

`SheetXml.rows` and `SheetXml.kept_rows` read the rows of plain shapes with compiled patterns and
hand anything else to the element parser (`_parsed_rows`, expat through ElementTree), which is the
reference. Here hypothesis writes sheet parts mixing the plain shapes with everything a bidder's
file may hold instead: namespace prefixes and extra declarations, attributes in any order and
either quote, entities and character references, CDATA, comments, processing instructions, white
space anywhere, inline and shared strings, rich text, huge and malformed numbers, values of the
wrong type, and broken endings. Both must give exactly the same rows, merged ranges and error
(its type, message, and the rows given before it).
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svengine.excel.sheet_xml import SheetXml, kept_cells
from svengine.excel.sheets import Cell

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRINGS = ["shared", "  ", "two words", "x"]
PLACES = [0, 2, 0, 3]


def _reader() -> SheetXml:
    return SheetXml(STRINGS, openpyxl.utils.datetime.WINDOWS_EPOCH, {1, 2}, {2})


def _outcome(rows: Any) -> tuple[list[Any], str | None]:
    """Every row given, then the error (type and message) that stopped the reading, if any."""
    given_rows: list[Any] = []
    try:
        for row in rows:
            given_rows.append(row)
    except Exception as error:  # the reference decides which: compared whole
        return given_rows, f"{type(error).__name__}: {error}"
    return given_rows, None


def _quote(text: str, double: bool) -> str:
    return f'"{text}"' if double else f"'{text}'"


@st.composite
def _attributes(draw: st.DrawFn, pairs: list[tuple[str, str]]) -> str:
    pairs = draw(st.permutations(pairs))
    parts = []
    for name, value in pairs:
        space = draw(_SPACES)
        around = draw(_EQUALS)
        parts.append(f"{space}{name}{around}{_quote(value, draw(st.booleans()))}")
    return "".join(parts)


_NUMBERS = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["0", "42", "57.75", "1E-3", "1e308", "1e309", "-0", "3.0", "45000", "1E+2"]),
    st.sampled_from(["", " 42", "4 2", "abc", "0x10", "NaN", "inf", "1_000", "٣"]),
)
_TEXTS = st.one_of(
    st.sampled_from(["plain", "two words", " ", "", "a&amp;b", "&lt;tag&gt;", "line&#13;end"]),
    st.sampled_from(["&#x41;", "caf\u00e9", "<![CDATA[<raw> & text]]>", "a<!-- note -->b"]),
    st.sampled_from(["x<?pi data?>y", "tab\there", "new\nline", "&quot;q&apos;"]),
    st.text(st.characters(codec="utf-8", exclude_characters="<&\x00"), max_size=8).filter(
        lambda t: (
            all(c == "\t" or c == "\n" or c == "\r" or ord(c) >= 32 for c in t)
            and "\ufffe" not in t
            and "\uffff" not in t
            and not any(0xD800 <= ord(c) <= 0xDFFF for c in t)
        )
    ),
)


_PLAIN_TEXTS = st.one_of(
    st.sampled_from(["plain", "two words", " ", "", "caf\u00e9", "new\nline", "tab\there"]),
    st.text(st.characters(codec="utf-8", exclude_characters="<&\r\x00"), max_size=8).filter(
        lambda t: all(c in "\t\n" or 32 <= ord(c) < 0xD800 or 0xE000 <= ord(c) < 0xFFFE for c in t)
    ),
)


# The fixed choices, built once (a strategy built inside a composite is built and validated again
# on every draw; docs/performance.md, "Test suite"); the same choices as they were written inline.
_SPACES = st.sampled_from([" ", " ", "  ", "\n", "\t"])
_EQUALS = st.sampled_from(["=", "=", " = "])
_COLUMNS = st.sampled_from(["A", "B", "C", "Z", "AB", "XFD", None])
_PLAIN_KINDS = st.sampled_from([None, "s", "n", "b", "str", "e", "d", "inlineStr"])
_KINDS = st.sampled_from([None, "s", "n", "b", "str", "e", "d", "inlineStr", "bogus"])
_SHARED_INDEXES = st.one_of(st.integers(0, 5).map(str), _NUMBERS)
_BOOLEANS = st.sampled_from(["0", "1", "2", "true", ""])
_DATES = st.sampled_from(["2024-01-31", "2024-01-31T10:00:00", "nonsense", ""])
_PLAIN_FORMULAS = st.sampled_from(["", "", "", "<f>A1*2</f>", "<f/>", '<f t="shared" si="0"/>'])
_CELL_SPACES = st.sampled_from(["", "", "", " ", "\n  "])
_PRESERVE = st.sampled_from(["", ' xml:space="preserve"'])
_INSIDE = st.sampled_from(["<!-- c -->", "<?pi x?>", " ", "\n"])
_ROOTS = st.sampled_from(["default", "default", "default", "prefix", "both", "other"])
_ROW_EXTRAS = st.sampled_from(["", ' spans="1:5"', ' ht="20" customHeight="1"'])
_ROW_SPACES = st.sampled_from(["", "", "\n", "\n  "])
_BETWEEN = st.sampled_from(["", "", "\n", "  ", "<!-- between -->", "<?pi?>"])


@st.composite
def _plain_cell(draw: st.DrawFn, row: int) -> str:
    """A cell of the shapes spreadsheet programs write (the fast path's), values of any kind."""
    column = draw(_COLUMNS)
    kind = draw(_PLAIN_KINDS)
    attributes = f' r="{column}{row}"' if column else ""
    if draw(st.booleans()):
        attributes += f' s="{draw(st.integers(0, 5))}"'
    if kind:
        attributes += f' t="{kind}"'
    if kind == "inlineStr" and draw(st.integers(0, 3)):
        return f"<c{attributes}><is><t>{draw(_PLAIN_TEXTS)}</t></is></c>"
    if kind == "s":
        saved = draw(_SHARED_INDEXES)
    elif kind in ("str", "e", "inlineStr"):
        saved = draw(_PLAIN_TEXTS)
    elif kind == "b":
        saved = draw(_BOOLEANS)
    elif kind == "d":
        saved = draw(_DATES)
    else:
        saved = draw(_NUMBERS)
    formula = draw(_PLAIN_FORMULAS)
    value = draw(st.sampled_from([f"<v>{saved}</v>", f"<v>{saved}</v>", "<v/>", ""]))
    if not formula and not value and draw(st.booleans()):
        return f"<c{attributes}/>"
    return f"<c{attributes}>{formula}{value}</c>"


@st.composite
def _cell(draw: st.DrawFn, prefix: str, row: int) -> str:
    column = draw(_COLUMNS)
    kind = draw(_KINDS)
    pairs = []
    if column is not None:
        pairs.append(("r", f"{column}{row}"))
    if draw(st.booleans()):
        pairs.append(("s", str(draw(st.integers(0, 5)))))
    if kind is not None:
        pairs.append(("t", kind))
    if draw(st.integers(0, 5)) == 0:
        pairs.append(("cm", "1"))
    attributes = (
        draw(_attributes(pairs))
        if draw(st.booleans())
        else "".join(f' {name}="{value}"' for name, value in pairs)
    )
    p = prefix
    ws = draw(_CELL_SPACES)
    if kind == "s":
        saved = draw(_SHARED_INDEXES)
    elif kind in ("str", "e", "inlineStr"):
        saved = draw(_TEXTS)
    elif kind == "b":
        saved = draw(_BOOLEANS)
    elif kind == "d":
        saved = draw(_DATES)
    else:
        saved = draw(_NUMBERS)
    parts: list[str] = []
    if draw(st.integers(0, 3)) == 0:
        parts.append(
            draw(
                st.sampled_from(
                    [
                        f"<{p}f>A1*2</{p}f>",
                        f"<{p}f/>",
                        f'<{p}f t="shared" si="0"/>',
                        f"<{p}f>1&lt;2</{p}f>",
                    ]
                )
            )
        )
    shape = draw(st.integers(0, 9))
    if shape <= 4:
        parts.append(f"<{p}v>{saved}</{p}v>")
    elif shape == 5:
        parts.append(f"<{p}v/>")
    elif shape == 6:
        space = draw(_PRESERVE)
        parts.append(f"<{p}is><{p}t{space}>{draw(_TEXTS)}</{p}t></{p}is>")
    elif shape == 7:
        runs = "".join(
            f"<{p}r><{p}rPr><{p}b/></{p}rPr><{p}t>{draw(_TEXTS)}</{p}t></{p}r>"
            for _ in range(draw(st.integers(0, 3)))
        )
        plain = f"<{p}t>{draw(_TEXTS)}</{p}t>" if draw(st.booleans()) else ""
        phonetic = f"<{p}rPh sb='0' eb='1'><{p}t>ph</{p}t></{p}rPh>" if draw(st.booleans()) else ""
        parts.append(f"<{p}is>{plain}{runs}{phonetic}</{p}is>")
    elif shape == 8:
        parts.append(draw(_INSIDE))
        parts.append(f"<{p}v>{saved}</{p}v>")
    if draw(st.integers(0, 4)) == 0:
        parts.reverse()
    if not parts and draw(st.booleans()):
        return f"{ws}<{p}c{attributes}/>"
    return f"{ws}<{p}c{attributes}>" + "".join(parts) + f"</{p}c>"


@st.composite
def _part(draw: st.DrawFn) -> bytes:
    # Mostly the plain shapes with, now and then, one hostile row or cell among them: the fast path
    # reads the plain rows and must hand over at the hostile one exactly as the reference reads it.
    hostile = draw(st.integers(0, 3)) == 0
    root = draw(_ROOTS) if hostile else "default"
    if root == "default":
        p, declarations = "", f' xmlns="{MAIN}"'
    elif root == "prefix":
        p, declarations = "x:", f" xmlns:x='{MAIN}'"
    elif root == "both":
        p, declarations = "", f' xmlns:x="{MAIN}" xmlns="{MAIN}" xmlns:r="urn:r"'
    else:  # the right names in another namespace: no row is a spreadsheet row
        p, declarations = "", ' xmlns="urn:not-spreadsheetml"'
    rows: list[str] = []
    number = 0
    count = draw(st.integers(0, 8))
    odd = draw(st.integers(0, count)) if draw(st.integers(0, 2)) == 0 else -1
    for index in range(count):
        number += draw(st.integers(1, 3))
        if not hostile and index != odd:
            r = f' r="{number}"' if draw(st.integers(0, 5)) else ""
            extra = draw(_ROW_EXTRAS)
            cells = "".join(draw(_plain_cell(number)) for _ in range(draw(st.integers(0, 5))))
            space = draw(_ROW_SPACES)
            rows.append(
                f"{space}<row{r}{extra}>{cells}</row>"
                if cells or draw(st.booleans())
                else f"{space}<row{r}{extra}/>"
            )
            continue
        pairs = []
        if draw(st.integers(0, 4)):
            pairs.append(("r", str(number) if draw(st.integers(0, 9)) else f"{number}.0"))
        if draw(st.booleans()):
            pairs.append(("spans", "1:5"))
        if draw(st.booleans()):
            pairs.append(("ht", "20"))
        attributes = draw(_attributes(pairs))
        if draw(st.integers(0, 9)) == 0:
            attributes += f' xmlns:y="{MAIN}"'
        cells = "".join(draw(_cell(p, number)) for _ in range(draw(st.integers(0, 5))))
        between = draw(_BETWEEN)
        if not cells and draw(st.booleans()):
            rows.append(f"{between}<{p}row{attributes}/>")
        else:
            rows.append(f"{between}<{p}row{attributes}>{cells}</{p}row>")
    prolog = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        if not hostile
        else draw(
            st.sampled_from(
                [
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
                    "<?xml version='1.0' encoding='utf-8'?>",
                    "",
                    '<?xml version="1.0"?>\n<!-- a comment first -->\n',
                ]
            )
        )
    )
    merged = f'<{p}mergeCells count="1"><{p}mergeCell ref="A7:B8"/></{p}mergeCells>'
    head = draw(st.sampled_from(["", f'<{p}dimension ref="A1:E9"/>'] + ["<!-- head -->"] * hostile))
    text = (
        f"{prolog}<{p}worksheet{declarations}>{head}<{p}sheetData>"
        + "".join(rows)
        + f"</{p}sheetData>{merged}</{p}worksheet>"
    )
    ending = draw(st.integers(0, 9 if hostile else 30))
    if ending == 0:
        text = text[: draw(st.integers(0, len(text)))]  # a broken ending anywhere
    elif ending == 1:
        text += "<trailing/>"
    return text.encode("utf-8")


def _reference_rows(data: bytes) -> tuple[tuple[list[Any], str | None], list[str]]:
    reader = _reader()
    outcome = _outcome(reader._parsed_rows(io.BytesIO(data)))
    return outcome, reader.merged


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_part())
def test_rows_are_exactly_the_element_parsers(data: bytes) -> None:
    reader = _reader()
    ours = _outcome(reader.rows(io.BytesIO(data)))
    reference, merged = _reference_rows(data)
    assert repr(ours) == repr(reference)
    if reference[1] is None:
        assert reader.merged == merged


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_part())
def test_kept_rows_are_the_element_parsers_rows_kept(data: bytes) -> None:
    reader = _reader()
    ours = _outcome(reader.kept_rows(io.BytesIO(data), PLACES, Cell))
    (rows, error), _ = _reference_rows(data)
    expected = [
        (number, cells) for number, raw in rows if (cells := kept_cells(number, raw, PLACES, Cell))
    ]
    assert repr(ours) == repr((expected, error))
