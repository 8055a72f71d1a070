"""Turning one cell into a typed value, or into a problem located at that cell.

Numbers are read exactly. openpyxl gives a number cell as a Python float (`57.7` is stored in the
file as the text `57.7` and parsed to the nearest binary float). Excel keeps at most 15 significant
digits, and any decimal of at most 15 significant digits is the shortest text that reads back as its
float, so `repr(float)` gives back exactly the digits the user typed: `Decimal(repr(57.7))` is
`Decimal("57.7")`, never 57.699999999999996. No arithmetic is ever done on the float. A value that
needs more digits than that (float noise from a formula, such as 0.30000000000000004) fails the
decimal grammar and is reported, never rounded silently.

A number cell is given the decimal places its number format shows (4395000 formatted `#,##0.00`
is read as 4395000.00), so an amount echoed in result.json reads as the person saw it.

Identifiers must be text cells: a number in an id column is reported, not converted, because Excel
has already dropped any leading zeros (`007` typed into a General cell is stored as 7).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from svengine.excel.sheets import Cell
from svengine.numbers import (
    GRAMMAR,
    decimal_text,
    grammar_error,
    separator_error,
    to_decimal,
)
from svengine.problems import Location, Problem

_KEPT_DECIMALS = 1 << 16
_WHOLE_LIMIT = 10**15
_TRUE = {"true", "yes", "y"}
_FALSE = {"false", "no", "n"}


def number_text(value: int | float) -> str:
    """The text a number cell holds, exactly as typed (see the module docstring)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    # repr is the shortest text that reads back as this float; Decimal only rewrites 1e-06 as 0.000001.
    return format(Decimal(repr(value)), "f") if isinstance(value, float) else str(value)


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _shown_places(value: Decimal, places: int) -> Decimal:
    """`value` written with the decimal places its cell shows, when that adds only zeros.

    A price cell formatted `#,##0.00` holding 4395000 shows and means 4395000.00, as the JSON text
    "4395000.00" does; figures echoed in result.json then read the same. Digits are never removed:
    57.75 shown as 57.8 stays 57.75.
    """
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent < places <= 6:
        return value.quantize(Decimal(1).scaleb(-places))
    return value


class CellReader:
    """Reads cells of one sheet, collecting a problem for each cell that cannot be read."""

    def __init__(self, file: str, sheet: str | None) -> None:
        self.file = file
        self.sheet = sheet  # None for a CSV file: rows are then lines
        self.problems: list[Problem] = []
        # Decimals already read, by the cell's value (with its type: 1 and 1.0 are equal keys otherwise)
        # and shown places. A sheet repeats the same figures; reading each once is faster, and every
        # equal figure then shares one Decimal object. Only values read without a problem are kept.
        self._decimals: dict[tuple[type, object, int], Decimal] = {}

    def where(self, cell: Cell) -> Location:
        if self.sheet is None:
            return Location(file=self.file, line=cell.row, column=cell.letter)
        return Location(file=self.file, sheet=self.sheet, row=cell.row, column=cell.letter)

    def problem(
        self,
        code: str,
        message: str,
        cell: Cell,
        bidder: str | None = None,
        criterion: str | None = None,
    ) -> None:
        self.problems.append(
            Problem(code, message, self.where(cell), bidder=bidder, criterion=criterion)
        )

    def _usable(self, cell: Cell, name: str) -> bool:
        if cell.formula and cell.value is None:
            self.problem(
                "formula_without_value",
                f"{name} is a formula with no saved value (the file was written by a program that does not"
                " calculate); open it in Excel or LibreOffice and save it, or type the value",
                cell,
            )
            return False
        if cell.error:
            self.problem("cell_error", f"{name} shows the error {cell.value}", cell)
            return False
        return True

    def text(self, cell: Cell | None, name: str) -> str | None:
        """Free text (names, descriptions, comments); a number is kept as the text it shows."""
        if cell is not None and type(cell.value) is str and not cell.error:
            return cell.value.strip()  # the common case: what the lines below give for usable text
        if cell is None or not self._usable(cell, name):
            return None
        value = cell.value
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, (int, float)):
            return number_text(value)
        self.problem("not_text", f"{name} is a date or time, not text", cell)
        return None

    def identifier(self, cell: Cell | None, name: str) -> str | None:
        """An id: text only, surrounding spaces removed, leading zeros kept."""
        if cell is not None and type(cell.value) is str and not cell.error:
            return cell.value.strip()  # the common case: what the lines below give for usable text
        if cell is None or not self._usable(cell, name):
            return None
        value = cell.value
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.problem(
                "id_not_text",
                f"{name} {number_text(value)} is a number; ids are read as text, so format the column as Text and"
                " type it again (a number cell has lost any leading zeros)",
                cell,
            )
        else:
            self.problem("id_not_text", f"{name} {_shown(value)} is not text", cell)
        return None

    def decimal(self, cell: Cell | None, name: str) -> Decimal | None:
        """An exact decimal from a number cell, or from text written in the decimal grammar."""
        if cell is None:
            return None
        value = cell.value
        kind = type(value)
        if (
            kind is int or kind is float or kind is str
        ) and not cell.error:  # usable: a value, no error
            key = (kind, value, cell.places if kind is not str else 0)
            known = self._decimals.get(key)
            if known is not None:
                return known
        if not self._usable(cell, name):
            return None
        if kind is int or kind is float or kind is str:
            key = (kind, value, cell.places if kind is not str else 0)
            known = self._decimals.get(key)
            if known is not None:
                return known
            number = self._decimal(cell, name, value)
            if number is not None:
                if len(self._decimals) >= _KEPT_DECIMALS:
                    self._decimals.clear()  # bounded: a sheet of all-different figures gains nothing from it
                self._decimals[key] = number
            return number
        return self._decimal(cell, name, value)

    def _decimal(self, cell: Cell, name: str, value: object) -> Decimal | None:
        if isinstance(value, bool):
            self.problem(
                "not_a_number", f"{name} is {'TRUE' if value else 'FALSE'}, not a number", cell
            )
            return None
        if isinstance(value, (int, float)):
            text = number_text(value)
            message = grammar_error(text)
            if message is not None:
                self.problem(
                    "bad_number",
                    f"{name} {text} is not {GRAMMAR} (is it the result of a formula? round it)",
                    cell,
                )
                return None
            return _shown_places(to_decimal(text), cell.places)
        if isinstance(value, str):
            text = value.strip()
            if grammar_error(text) is not None:
                separated = separator_error(name, text)
                if separated is not None:
                    self.problem("not_a_number", separated, cell)
                    return None
                self.problem(
                    "not_a_number",
                    f'{name} "{_shown(text)}" is not a number; type digits only, such as 4395000.00',
                    cell,
                )
                return None
            return to_decimal(text)
        if isinstance(value, (datetime.datetime, datetime.date, datetime.time, datetime.timedelta)):
            self.problem("not_a_number", f"{name} is a date or time, not a number", cell)
            return None
        self.problem("not_a_number", f'{name} "{_shown(value)}" is not a number', cell)
        return None

    def whole(self, cell: Cell | None, name: str, minimum: int) -> int | None:
        """A whole number of at least `minimum`."""
        if (
            cell is not None
            and type(cell.value) is int
            and not cell.error
            and minimum <= cell.value < _WHOLE_LIMIT
        ):
            return (
                cell.value
            )  # what the lines below give for a whole number cell within the grammar's 15 digits
        number = self.decimal(cell, name)
        if number is None or cell is None:
            return None
        if number != number.to_integral_value() or number < minimum:
            self.problem(
                "not_whole_number",
                f"{name} must be a whole number of at least {minimum}, not {decimal_text(number)}",
                cell,
            )
            return None
        return int(number)

    def boolean(self, cell: Cell | None, name: str) -> bool | None:
        """TRUE/FALSE (a logical cell, or the text true/false/yes/no in any case)."""
        if cell is None or not self._usable(cell, name):
            return None
        value = cell.value
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        self.problem("not_true_false", f'{name} must be TRUE or FALSE, not "{_shown(value)}"', cell)
        return None
