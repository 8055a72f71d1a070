"""A fast streaming parse of one sheet's XML: each cell's saved value, formula flag and style; merged ranges.

openpyxl's own sheet parser took about 5 s per 100,000 rows, mostly in per-cell Python work, and
defusedxml (which openpyxl parses through) swaps in the pure-Python XML parser to hook entity
declarations, which alone doubles the time. Here the C parser of `xml.etree.ElementTree` reads
the sheet, and the protection defusedxml gives is kept by a cheaper route: entity and DTD
declarations are only legal in a document type declaration, which can only come before the root
element, so the prolog is checked first and a `<!DOCTYPE` there is refused (`DTDForbidden`, the
same error defusedxml raises). Without a DTD, expat rejects any entity other than the five
predefined ones. A prolog this check cannot read plainly (another encoding, a huge prolog) goes
through defusedxml's parser instead: slower, equally safe.

Values mean what openpyxl's parser makes of them in saved-value mode, rule for rule (numbers with a
point or exponent as float, others int; shared strings; booleans; dates by the cell's number
format; inline strings; the error text of an error cell), so the import checks see the same cells.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator
from typing import IO, Any, cast
from xml.etree.ElementTree import Element, XMLPullParser

from defusedxml import DTDForbidden
from defusedxml.ElementTree import iterparse as defused_iterparse
from openpyxl.utils import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SHEET_DATA = _NS + "sheetData"
_ROW, _VALUE, _FORMULA, _INLINE, _MERGE, _TEXT, _RUN = (_NS + tag for tag in ("row", "v", "f", "is", "mergeCell", "t", "r"))
_CHUNK = 1 << 16
_PROLOG_LIMIT = 1 << 16
_DECLARATION = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_PLAIN_ENCODINGS = {b"utf-8", b"utf8", b"us-ascii", b"ascii"}
_COORDINATE = re.compile(r"([A-Z]{1,3})(\d+)$")

RawCell = tuple[int, Any, bool, bool, int]
"""column, value, formula (the cell has a formula), error (an error value such as #N/A), style index"""


class SheetXml:
    """Parse state for one sheet part: the merged ranges are known once its rows have been read."""

    def __init__(self, shared_strings: list[Any], epoch: Any, date_formats: set[int], timedelta_formats: set[int]) -> None:
        self.shared_strings = shared_strings
        self.epoch = epoch
        self.date_formats = date_formats
        self.timedelta_formats = timedelta_formats
        self.merged: list[str] = []
        self._columns: dict[str, int] = {}

    def rows(self, source: IO[bytes]) -> Iterator[tuple[int, list[RawCell]]]:
        """Each `<row>` in order: its number and its cells (every `<c>`, blank ones included)."""
        number = 0
        data: Element | None = None
        for batch in _batches(source):
            for event, element in batch:
                tag = element.tag
                if event == "start":
                    if tag == _SHEET_DATA:
                        data = element
                elif tag == _ROW:
                    r = element.get("r")
                    number = _row_number(r) if r is not None else number + 1
                    yield number, self._cells(element)
                    # Drop the row from the tree: memory stays flat however many rows the sheet has.
                    if data is not None and len(data) and data[-1] is element:
                        del data[-1]
                    else:
                        element.clear()
                elif tag == _MERGE:
                    ref = element.get("ref")
                    if ref:
                        self.merged.append(ref)

    def _cells(self, row: Element) -> list[RawCell]:
        cells: list[RawCell] = []
        column = 0
        columns = self._columns
        for c in row:
            r = c.get("r")
            if r is None:
                column += 1
            else:
                found = columns.get(r.rstrip("0123456789"))
                column = found if found is not None else self._column(r)
            kind = c.get("t", "n")
            style = c.get("s")
            style_id = int(style) if style else 0
            text = None
            formula = False
            inline = None
            for child in c:
                tag = child.tag
                if tag == _VALUE:
                    text = child.text
                elif tag == _FORMULA:
                    formula = True
                elif tag == _INLINE:
                    inline = child
            value: Any = None
            error = kind == "e"
            if kind == "inlineStr":
                value = _inline_text(inline) if inline is not None else None
            elif text:
                if kind == "n":
                    value = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
                    if style_id in self.date_formats:
                        try:
                            value = from_excel(value, self.epoch, timedelta=style_id in self.timedelta_formats)
                        except (OverflowError, ValueError):
                            value, error = "#VALUE!", True  # as openpyxl: a date out of range is an error cell
                elif kind == "s":
                    value = self.shared_strings[int(text)]
                elif kind == "b":
                    value = bool(int(text))
                elif kind == "d":
                    value = from_ISO8601(text)
                else:  # "str" (a formula's text result) and "e" (the error text)
                    value = text
            cells.append((column, value, formula, error, style_id))
        return cells

    def _column(self, coordinate: str) -> int:
        found = _COORDINATE.match(coordinate)
        if found is None:
            raise ValueError(f"{coordinate} is not a cell reference")
        column = int(column_index_from_string(found.group(1)))
        self._columns[found.group(1)] = column
        return column


def _inline_text(inline: Element) -> str:
    """An inline string's text, as openpyxl's `Text.content`: the plain `t`, then each run's `t` (phonetic runs left out)."""
    plain: list[str] = []
    runs: list[str] = []
    for child in inline:
        if child.tag == _TEXT:
            plain.append(child.text or "")
        elif child.tag == _RUN:
            runs.extend(t.text or "" for t in child if t.tag == _TEXT)
    return "".join(plain[-1:] + runs)  # openpyxl keeps the last plain `t` when there are several


def _row_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        number = float(text)  # as openpyxl: "3.0" is row 3
        if not number.is_integer():
            raise ValueError(f"{text} is not a valid row number") from None
        return int(number)


def _batches(source: IO[bytes]) -> Iterator[Iterable[tuple[str, Any]]]:
    """Every element of the part as it ends, in batches, through the C parser when the prolog is plain."""
    head = source.read(_CHUNK)
    while _prolog_end(head) is None and len(head) < _PROLOG_LIMIT:
        more = source.read(_CHUNK)
        if not more:
            break
        head += more
    if _prolog_end(head) is None:
        # Not plain UTF-8 text up to the root element: defusedxml's slower parser decides.
        yield _defused(head, source)
        return
    parser: XMLPullParser[Any] = XMLPullParser(events=("start", "end"))
    data = head
    while data:
        parser.feed(data)
        yield cast("Iterable[tuple[str, Any]]", parser.read_events())
        data = source.read(_CHUNK)
    parser.close()
    yield cast("Iterable[tuple[str, Any]]", parser.read_events())


def _prolog_end(head: bytes) -> int | None:
    """Where the root element starts, if the prolog before it is plain and holds no DTD; else None.

    Raises DTDForbidden for a document type declaration.
    """
    position = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    if head.startswith(b"<?xml", position):
        end = head.find(b"?>", position)
        if end < 0:
            return None
        declared = _DECLARATION.match(head, position, end + 2)
        if declared is not None and declared.group(1).lower() not in _PLAIN_ENCODINGS:
            return None
        position = end + 2
    while True:
        while position < len(head) and head[position] in b" \t\r\n":
            position += 1
        if head.startswith(b"<!--", position):
            end = head.find(b"-->", position + 4)
            if end < 0:
                return None
            position = end + 3
        elif head.startswith(b"<?", position):
            end = head.find(b"?>", position + 2)
            if end < 0:
                return None
            position = end + 2
        elif head.startswith(b"<!", position):
            if head.startswith(b"<!DOCTYPE", position):
                raise DTDForbidden(None, None, None)
            return None  # anything else here is malformed: defusedxml's parser reports it
        elif position + 1 < len(head) and head[position] == ord("<") and (chr(head[position + 1]).isalpha() or head[position + 1] in b"_:"):
            return position
        else:
            return None


class _Joined:
    """The bytes already read, then the rest of the source, as one file for defusedxml."""

    def __init__(self, head: bytes, source: IO[bytes]) -> None:
        self.head = head
        self.source = source

    def read(self, size: int = -1) -> bytes:
        if self.head:
            data, self.head = self.head, b""
            return data
        return self.source.read(size)


def _defused(head: bytes, source: IO[bytes]) -> Iterator[tuple[str, Element]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield from defused_iterparse(_Joined(head, source), events=("start", "end"), forbid_dtd=True)

