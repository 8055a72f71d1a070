"""A fast streaming parse of one sheet's XML: each cell's saved value, formula flag and style; merged ranges.

openpyxl's own sheet parser spends most of its time in per-cell Python work, and defusedxml
(which openpyxl parses through) swaps in the pure-Python XML parser to hook entity declarations,
which is slower still (docs/performance.md). Here the C parser of `xml.etree.ElementTree` reads
the sheet, and the protection defusedxml gives is kept by a cheaper route: entity and DTD
declarations are only legal in a document type declaration, which can only come before the root
element, so the prolog is checked first and a `<!DOCTYPE` there is refused (`DTDForbidden`, the
same error defusedxml raises). Without a DTD, expat rejects any entity other than the five
predefined ones. A prolog this check cannot read plainly (another encoding, a huge prolog) goes
through defusedxml's parser instead: slower, equally safe.

Values mean what openpyxl's parser makes of them in saved-value mode, rule for rule (numbers with a
point or exponent as float, others int; shared strings; booleans; dates by the cell's number
format; inline strings; the error text of an error cell), so the import checks see the same cells.

Two paths give those cells. Building an element per `<c>` and `<v>` (over a million for a
100,000-row sheet) cost more than a whole read by python-calamine, so rows of the plain shapes
spreadsheet programs write (`_CELL`, `_ROW_PLAIN`: `r`, `s`, `t` in that order; a formula and a
saved value, or one inline string; text without entities or carriage returns) are read from the
XML text by compiled patterns (`_plain_rows`), while expat, the parser the element path runs,
checks the whole part as it goes (well-formed, namespaces bound, no entity but the five
predefined), fed the same chunks in the same order. Anything else, anywhere (another shape of
cell or row, a comment, a namespace declared inside the rows, a row outside `sheetData`, any XML
error), stops the plain path: the part is read again from its start by the element parser
(`_parsed_rows`), which gives the rows from where the plain path stopped, so the rows and the
error (its type, message and the row it comes after) are those of the element parser.
tests/test_sheet_xml.py checks both paths against openpyxl's parser on every kind of cell, and
tests/test_sheet_xml_differential.py holds the plain path to the element parser on generated
hostile parts (namespaces, attribute order and quoting, entities, CDATA, comments, broken ends).
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable, Container, Iterable, Iterator
from typing import IO, Any, TypeVar, cast
from xml.etree.ElementTree import Element, XMLPullParser, fromstring
from xml.parsers.expat import ExpatError, ParserCreate

from defusedxml import DTDForbidden
from defusedxml.ElementTree import iterparse as defused_iterparse
from openpyxl.utils import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601

from svengine.problems import SvengineError

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SHEET_DATA = _NS + "sheetData"
_ROW, _VALUE, _FORMULA, _INLINE, _MERGE, _TEXT, _RUN = (
    _NS + tag for tag in ("row", "v", "f", "is", "mergeCell", "t", "r")
)
_CHUNK = 1 << 16
_PROLOG_LIMIT = 1 << 16
_KEPT_TEXTS = 1 << 16
_DECLARATION = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_PLAIN_ENCODINGS = {b"utf-8", b"utf8", b"us-ascii", b"ascii"}
_COORDINATE = re.compile(r"([A-Z]{1,3})(\d+)$")

CellT = TypeVar("CellT", bound=tuple[Any, ...])
RowT = TypeVar("RowT")
RawCell = tuple[int, Any, bool, bool, int]
"""column, value, formula (the cell has a formula), error (an error value such as #N/A), style index"""


class SheetXml:
    """Parse state for one sheet part: the merged ranges are known once its rows have been read."""

    def __init__(
        self,
        shared_strings: list[Any],
        epoch: Any,
        date_formats: Container[int],
        timedelta_formats: Container[int],
    ) -> None:
        self.shared_strings = shared_strings
        self.epoch = epoch
        self.date_formats = date_formats
        self.timedelta_formats = timedelta_formats
        self.merged: list[str] = []
        self._columns: dict[str, int] = {}
        # One object for each repeated inline string (bidder ids, measure codes, a repeated
        # description): what shared strings give for free. Bounded, as a sheet may repeat nothing.
        self._texts: dict[str, str] = {}
        self._numbers: dict[
            str, int | float
        ] = {}  # the number a saved text reads as, for texts seen before

    def rows(self, source: IO[bytes]) -> Iterator[tuple[int, list[RawCell]]]:
        """Each `<row>` in order: its number and its cells (every `<c>`, blank ones included).

        Through the plain-text path (`_plain_rows`) while the XML is of the plain shapes it reads;
        at the first thing it does not read plainly, the part is parsed again from its start by
        the element parser (`_parsed_rows`), which carries on from the row the plain path reached.
        """
        return self._either(source, self._plain_region, lambda number, raw: raw)

    def kept_rows(
        self, source: IO[bytes], places: list[int], cell: type[CellT]
    ) -> Iterator[tuple[int, dict[int, CellT]]]:
        """The rows that hold anything, each as {column: cell(row, column, value, formula, error, places)}.

        What `kept_cells` makes of `rows`, with the plain path making the cells as it reads them
        (one loop over the cells rather than two; tests/test_sheet_xml.py checks both are equal).
        """
        for number, cells in self._either(
            source,
            lambda text, number: self._plain_region_kept(text, number, places, cell),
            lambda number, raw: kept_cells(number, raw, places, cell),
        ):
            if cells:
                yield number, cells

    def _either(
        self,
        source: IO[bytes],
        region: Callable[[str, int], Iterator[tuple[int, RowT]]],
        convert: Callable[[int, list[RawCell]], RowT],
    ) -> Iterator[tuple[int, RowT]]:
        if not source.seekable():
            for number, raw in self._parsed_rows(source):
                yield number, convert(number, raw)
            return
        start = source.tell()
        given = 0
        try:
            for row in self._plain_rows(source, region):
                yield row
                given += 1
            return
        except NotPlain:
            pass
        source.seek(start)
        self.merged = []
        for index, (number, raw) in enumerate(self._parsed_rows(source)):
            if index >= given:
                yield number, convert(number, raw)

    def _parsed_rows(self, source: IO[bytes]) -> Iterator[tuple[int, list[RawCell]]]:
        """The reference parser: every element through the C ElementTree parser (or defusedxml's)."""
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
            if kind == "inlineStr":
                cells.append(
                    (
                        column,
                        self._text(_inline_text(inline)) if inline is not None else None,
                        formula,
                        False,
                        style_id,
                    )
                )
            else:
                value, error = self._value(kind, text, style_id)
                cells.append((column, value, formula, error, style_id))
        return cells

    def _text(self, value: str) -> str:
        texts = self._texts
        if len(texts) >= _KEPT_TEXTS:
            texts.clear()
        return texts.setdefault(value, value)

    def _value(self, kind: str, text: str | None, style_id: int) -> tuple[Any, bool]:
        """A cell's value and error flag from its type and saved text (inline strings aside), as openpyxl reads them."""
        error = kind == "e"
        if not text:
            return None, error
        if kind == "n":
            value: Any = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
            if style_id in self.date_formats:
                try:
                    value = from_excel(
                        value, self.epoch, timedelta=style_id in self.timedelta_formats
                    )
                except (OverflowError, ValueError):
                    return "#VALUE!", True  # as openpyxl: a date out of range is an error cell
            return value, error
        if kind == "s":
            return self.shared_strings[int(text)], error
        if kind == "b":
            return bool(int(text)), error
        if kind == "d":
            return from_ISO8601(text), error
        return text, error  # "str" (a formula's text result) and "e" (the error text)

    def _plain_rows(
        self,
        source: IO[bytes],
        region_rows: Callable[[str, int], Iterator[tuple[int, RowT]]] | None = None,
    ) -> Iterator[tuple[int, RowT]]:
        """The rows, read from the XML text by compiled patterns; raises NotPlain at anything else.

        Only for the shapes spreadsheet programs write for plain cells (see _CELL): every other
        shape, and any XML error at all, raises NotPlain and the element parser reads the part
        again. expat (the parser ElementTree runs) checks the whole part as it goes, fed the same
        chunks in the same order, so a part the element parser refuses is never read here.
        """
        read_region = region_rows or cast(
            "Callable[[str, int], Iterator[tuple[int, RowT]]]", self._plain_region
        )
        head = _head(source)
        start = _prolog_end(head)  # raises DTDForbidden, as the element parser's path does
        if start is None:
            raise NotPlain
        checker = ParserCreate(
            namespace_separator="}"
        )  # as ElementTree's parser: namespaces checked
        pending = b""
        root: bytes | None = None
        number = 0
        data = head
        while data:
            try:
                checker.Parse(data, False)
            except ExpatError:
                raise NotPlain from None
            pending += data
            cut = pending.rfind(b"</row>")
            if cut >= 0:
                cut += 6
                region, pending = pending[:cut], pending[cut:]
                if root is None:
                    root, region = _split_head(region, start)
                for row_number, cells in read_region(region.decode("utf-8"), number):
                    number = row_number  # the next region numbers its rows on from here
                    yield row_number, cells
            elif len(pending) > _LONGEST_PENDING:
                raise NotPlain
            data = source.read(_CHUNK)
        try:
            checker.Parse(b"", True)
        except ExpatError:
            raise NotPlain from None
        if root is None:
            raise NotPlain  # no row at all: a small part, read by the element parser
        end = pending.find(b"</sheetData>")  # cannot be inside a plain row: plain text holds no "<"
        if end < 0:
            raise NotPlain
        # self-closing rows, after the last </row>
        yield from read_region(pending[:end].decode("utf-8"), number)
        self.merged = _tail_merged(root + pending[end + len(b"</sheetData>") :])

    def _plain_cells(
        self, text: str, number: int
    ) -> Iterator[tuple[int, list[tuple[int, int, str, str, str, str, str]]]]:
        """Each plain row of `text` as (row number, [(column, style, kind, formula, saved,
        has_inline, inline)]); raises NotPlain at anything else.

        One walk shared by `_plain_region` and `_plain_region_kept`, which only make cells differently.
        """
        if "xmlns" in text:
            raise NotPlain  # a namespace declared on a row or cell could change what its names mean
        position, end = 0, len(text)
        columns = self._columns
        row_match = _ROW_PLAIN.match
        cells_of = _CELL.findall
        while position < end:
            found = row_match(text, position)
            if found is None:
                if text[position:].strip(" \t\r\n"):
                    raise NotPlain
                break  # white space after the last row
            position = found.end()
            r, content = found.group(1, 2)
            number = int(r) if r is not None else number + 1
            cells = []
            column = 0
            if content:
                for letters, style, kind, formula, saved, has_inline, inline, other in cells_of(
                    content
                ):
                    if other:
                        raise NotPlain
                    if letters:
                        known = columns.get(letters)
                        column = known if known is not None else self._column(letters + "1")
                    else:
                        column += 1
                    if has_inline and kind != "inlineStr":
                        raise NotPlain
                    cells.append(
                        (
                            column,
                            int(style) if style else 0,
                            kind,
                            formula,
                            saved,
                            has_inline,
                            inline,
                        )
                    )
            yield number, cells

    def _number(self, saved: str) -> int | float:
        """The number a saved text reads as, as openpyxl reads it (a bounded cache: values repeat)."""
        numbers = self._numbers
        value = numbers.get(saved)
        if value is None:
            value = float(saved) if ("." in saved or "E" in saved or "e" in saved) else int(saved)
            if len(numbers) >= _KEPT_TEXTS:
                numbers.clear()
            numbers[saved] = value
        return value

    def _plain_region(self, text: str, previous: int) -> Iterator[tuple[int, list[RawCell]]]:
        shared = self.shared_strings
        dates = self.date_formats
        for number, plain in self._plain_cells(text, previous):
            cells: list[RawCell] = []
            for column, style_id, kind, formula, saved, has_inline, inline in plain:
                if has_inline:
                    cells.append((column, self._text(inline), False, False, style_id))
                elif kind == "s" and saved:
                    cells.append((column, shared[int(saved)], bool(formula), False, style_id))
                elif (not kind or kind == "n") and saved and style_id not in dates:
                    cells.append((column, self._number(saved), bool(formula), False, style_id))
                elif kind == "inlineStr":
                    cells.append((column, None, bool(formula), False, style_id))
                else:
                    value, error = self._value(kind or "n", saved or None, style_id)
                    cells.append((column, value, bool(formula), error, style_id))
            yield number, cells

    def _plain_region_kept(
        self, text: str, previous: int, places: list[int], make: type[CellT]
    ) -> Iterator[tuple[int, dict[int, CellT]]]:
        """`_plain_region` with each row's cells made as `kept_cells` makes them (the same branches, then its rules)."""
        shared = self.shared_strings
        dates = self.date_formats
        count = len(places)
        new = _new_tuple
        for number, plain in self._plain_cells(text, previous):
            cells: dict[int, CellT] = {}
            for column, style_id, kind, formula, saved, has_inline, inline in plain:
                if has_inline:
                    if inline.strip():  # else blank text, no formula: not kept
                        cells[column] = new(
                            make, (number, column, self._text(inline), False, False, 0)
                        )
                elif kind == "s" and saved:
                    value = shared[int(saved)]
                    if type(value) is str and value.strip():
                        cells[column] = new(make, (number, column, value, formula != "", False, 0))
                    else:
                        _keep(
                            cells,
                            make,
                            number,
                            column,
                            value,
                            formula != "",
                            False,
                            style_id,
                            places,
                        )
                elif (not kind or kind == "n") and saved and style_id not in dates:
                    cells[column] = new(
                        make,
                        (
                            number,
                            column,
                            self._number(saved),
                            formula != "",
                            False,
                            places[style_id] if style_id < count else 0,
                        ),
                    )
                elif kind == "inlineStr":
                    if formula:
                        cells[column] = new(make, (number, column, None, True, False, 0))
                else:
                    value, error = self._value(kind or "n", saved or None, style_id)
                    _keep(
                        cells, make, number, column, value, formula != "", error, style_id, places
                    )
            yield number, cells

    def _column(self, coordinate: str) -> int:
        found = _COORDINATE.match(coordinate)
        if found is None:
            raise ValueError(f"{coordinate} is not a cell reference")
        column = int(column_index_from_string(found.group(1)))
        self._columns[found.group(1)] = column
        return column


_new_tuple = tuple.__new__  # a named tuple made without its Python-level __new__: millions of cells


def kept_cells(
    number: int, raw: list[RawCell], places: list[int], make: type[CellT]
) -> dict[int, CellT]:
    """The cells of one row that hold anything: blank text read as empty; empty cells without a formula left out.

    A number is given the decimal places its style shows (`places`, by style index).
    """
    cells: dict[int, CellT] = {}
    count = len(places)
    new = _new_tuple
    for column, value, formula, error, style in raw:
        kind = type(value)
        if (
            kind is str and value.strip()
        ):  # the common cases first, by exact type; the same rules as _keep
            cells[column] = new(make, (number, column, value, formula, error, 0))
        elif kind is int or kind is float:
            cells[column] = new(
                make,
                (number, column, value, formula, error, places[style] if 0 <= style < count else 0),
            )
        else:
            _keep(cells, make, number, column, value, formula, error, style, places)
    return cells


def _keep(
    cells: dict[int, CellT],
    make: type[CellT],
    number: int,
    column: int,
    value: Any,
    formula: bool,
    error: bool,
    style: int,
    places: list[int],
) -> None:
    if isinstance(value, str) and not value.strip():
        value = None
    if value is None and not formula:
        return  # an empty or only-formatted cell
    shown = places[style] if isinstance(value, (int, float)) and 0 <= style < len(places) else 0
    cells[column] = _new_tuple(make, (number, column, value, formula, error, shown))


def _inline_text(inline: Element) -> str:
    """An inline string's text, as openpyxl's `Text.content`.

    The plain `t`, then each run's `t` (phonetic runs left out).
    """
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


class NotPlain(SvengineError):
    """The part holds something the plain-text path does not read: the element parser reads it.

    Raised by the plain-text path only and caught by `SheetXml.rows`; public so tests can name it."""


# The plain shapes. A cell: `r`, `s` and `t` in this order (as Excel, LibreOffice, openpyxl and
# XlsxWriter write them), then only a formula and a saved value, or one plain inline string; text
# without `&` (an entity) or a carriage return (which XML turns into a line feed). Groups: column
# letters, style, type, formula, saved value, inline string (marker, text); the last alternative
# catches any other character that is not white space: the row is then not plain.
_SPACE = "[ \t\r\n]*"
_CELL = re.compile(
    '<c(?: r="([A-Z]{1,3})[0-9]+")?(?: s="([0-9]+)")?(?: t="(s|n|b|str|e|d|inlineStr)")?(?: (?:cm|vm|ph)="[0-9]+")*'
    "(?:/>|>(?:(<f>[^<]*</f>|<f [^>]*/>|<f [^>]*>[^<]*</f>|<f/>))?(?:<v>([^<&\r]*)</v>|<v/>)?</c>"
    '|>(<is>)<t(?: xml:space="preserve")?>([^<&\r]*)</t></is></c>)'
    "|([^ \t\r\n])"
)
# A row: `r` first if at all, other attributes (never a namespace: checked apart) ignored, as the
# element parser does; its content up to the first `</row>` (a row inside it would not be plain).
_ROW_PLAIN = re.compile(
    _SPACE
    + '<row(?: r="([0-9]+)")?(?: (?!r=)[A-Za-z][A-Za-z0-9:]*="[^"<]*")*'
    + _SPACE
    + "(?:/>|>([^<]*(?:<(?!/row>)[^<]*)*)</row>)"
)
_ROOT = re.compile(rb"<worksheet[ \t\r\n][^>]*>")
_MAIN = b' xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_LONGEST_PENDING = 1 << 22


def _split_head(region: bytes, start: int) -> tuple[bytes, bytes]:
    """The root element's start tag, and the region from just inside `<sheetData>`; raises NotPlain.

    The root must declare SpreadsheetML as the default namespace, and what comes before
    `<sheetData>` must be whole elements the element parser reads nothing from (no row, no merged
    range): checked by parsing it, closed, with the element parser itself.
    """
    opening = region.find(b"<sheetData>")
    root = _ROOT.match(region, start)
    if opening < 0 or root is None or region.count(_MAIN, root.start(), root.end()) != 1:
        raise NotPlain
    head = SheetXml([], None, set(), set())
    try:
        rows = list(head._parsed_rows(io.BytesIO(region[:opening] + b"</worksheet>")))
        # The text above can sit inside another attribute's value (`a=' xmlns="…main"'`): only the
        # parser knows the default namespace, and the plain path reads unprefixed names as in it.
        named = fromstring(root.group(0) + b"</worksheet>").tag
    except Exception:
        raise NotPlain from None
    if rows or head.merged or named != _NS + "worksheet":
        raise NotPlain
    return root.group(0), region[opening + len(b"<sheetData>") :]


def _tail_merged(tail: bytes) -> list[str]:
    """Merged ranges of what follows `</sheetData>` (given the root's start tag, for its namespaces)."""
    reader = SheetXml([], None, set(), set())
    try:
        rows = list(reader._parsed_rows(io.BytesIO(tail)))
    except Exception:
        raise NotPlain from None
    if rows:
        raise NotPlain
    return reader.merged


def _head(source: IO[bytes]) -> bytes:
    """The first bytes of the part, up to its root element if the prolog is short enough to check."""
    head = source.read(_CHUNK)
    while _prolog_end(head) is None and len(head) < _PROLOG_LIMIT:
        more = source.read(_CHUNK)
        if not more:
            break
        head += more
    return head


def part_events(source: IO[bytes]) -> Iterator[Iterable[tuple[str, Any]]]:
    """The ("start" | "end", element) events of any XML part, in batches, by the route sheets take:
    the C parser after a prolog check that refuses a DTD (DTDForbidden), else defusedxml's parser."""
    return _batches(source)


def _batches(source: IO[bytes]) -> Iterator[Iterable[tuple[str, Any]]]:
    """Every element of the part as it ends, in batches, through the C parser when the prolog is plain."""
    head = _head(source)
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
        elif (
            position + 1 < len(head)
            and head[position] == ord("<")
            and (chr(head[position + 1]).isalpha() or head[position + 1] in b"_:")
        ):
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
        yield from defused_iterparse(
            _Joined(head, source), events=("start", "end"), forbid_dtd=True
        )
