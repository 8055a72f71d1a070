"""The `Prices` sheet of `bids.xlsx`: priced lines for tenders not priced as a lump sum.

Two layouts, by the tender's `price.model` (docs/excel.md):

- basket, multi_part, whole_life: `bidder_id, item, amount`, one row per bidder and item (the unit
  price of a basket item, or the amount of a part), giving the bid's `prices`;
- schedule_of_rates: `bidder_id, adjustment_pct, section`; a blank section is the one adjustment
  for every section (`adjustment_pct`), a section gives `adjustments_pct[section]`.

The prices template lists the lines with their item (or section) filled in, so a row that gives
neither a bidder nor an amount is a line left unpriced and is skipped like a blank row; the
engine then reports the bid's missing line. Problems only a sheet can have are located at the cell
here: a bidder or item given twice, a bidder with no row on `Bids`, columns of the other layout.
What the lines mean (unknown items, adjustments at or below -100%, negative amounts) is the price
model's business and is checked by the engine as for JSON bids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from svengine.excel import layout
from svengine.excel.cells import CellReader
from svengine.excel.safety import Limits
from svengine.excel.sheets import Workbook
from svengine.excel.tables import Row, read_table
from svengine.problems import Location, Problem


@dataclass
class PricedLines:
    """What one bidder's rows on the Prices sheet give, in the fields of a bid."""

    prices: dict[str, Decimal] = field(default_factory=dict)
    adjustment_pct: Decimal | None = None
    adjustments_pct: dict[str, Decimal] = field(default_factory=dict)
    where: Location | None = None
    """The bidder_id cell of the bidder's first row, for a bidder with no row on the Bids sheet."""


def _columns(model: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The input columns and required columns of the Prices sheet for a price model (None: unknown)."""
    if model == "schedule_of_rates":
        return layout.PRICES_SCHEDULE_COLUMNS, ("bidder_id", "adjustment_pct")
    if model in (None, "lump_sum"):
        both = tuple(dict.fromkeys((*layout.PRICES_COLUMNS, *layout.PRICES_SCHEDULE_COLUMNS)))
        return both, ("bidder_id",)
    return layout.PRICES_COLUMNS, layout.PRICES_COLUMNS


def read_prices_table(
    workbook: Workbook, file: str, model: str | None, limits: Limits
) -> tuple[list[Row], list[Problem]]:
    """The priced rows of the `Prices` sheet (none without one), or the problems of its layout."""
    if layout.PRICES_SHEET not in workbook.sheetnames:
        return [], []
    columns, required = _columns(model)
    rows, problems = read_table(
        workbook,
        file,
        layout.PRICES_SHEET,
        (*columns, layout.LOT),
        required,
        limits,
        display=layout.PRICES_DISPLAY,
    )
    # A listed line nobody priced (the template fills in items and sections) is as good as blank.
    return [
        row
        for row in rows
        if "bidder_id" in row.cells or "amount" in row.cells or "adjustment_pct" in row.cells
    ], problems


BidKey = tuple[str | None, str]
"""(lot, bidder id): a bid in a tender with lots (lot None without lots)."""


def lot_text(lot: str | None) -> str:
    return f" in lot {lot}" if lot else ""


def priced_lines(
    rows: list[Row], file: str, model: str | None
) -> tuple[dict[BidKey, PricedLines], list[Problem]]:
    """Each bid's priced lines from the rows of the `Prices` sheet (by lot and bidder), and the
    problems of its cells.
    """
    if model == "lump_sum":
        if rows:
            where = Location(file=file, sheet=layout.PRICES_SHEET, row=rows[0].number)
            message = (
                "this tender is priced as a lump sum (the price column of the Bids sheet), so the "
                "Prices sheet must be empty; delete its rows"
            )
            return {}, [Problem("unexpected_sheet", message, where)]
        return {}, []
    reader = CellReader(file, layout.PRICES_SHEET)
    by_bidder: dict[BidKey, PricedLines] = {}
    seen: dict[tuple[str | None, str, str | None], int] = {}
    for row in rows:
        schedule = model == "schedule_of_rates" or (
            model is None and ("adjustment_pct" in row.cells or "section" in row.cells)
        )
        if schedule:
            _schedule_row(reader, row, by_bidder, seen)
        else:
            _item_row(reader, row, by_bidder, seen)
    return by_bidder, reader.problems


def _missing(reader: CellReader, row: Row, names: tuple[str, ...]) -> bool:
    missing = [name for name in names if name not in row.cells]
    for name in missing:
        reader.problems.append(
            Problem(
                "missing_value",
                f'the "{name}" cell is empty',
                Location(file=reader.file, sheet=layout.PRICES_SHEET, row=row.number),
            )
        )
    return bool(missing)


def _lot(reader: CellReader, row: Row) -> str | None:
    return reader.identifier(row.cells["lot"], "lot") or None if "lot" in row.cells else None


def _twice(
    reader: CellReader,
    row: Row,
    seen: dict[tuple[str | None, str, str | None], int],
    bidder: BidKey,
    key: str | None,
    what: str,
) -> bool:
    if (*bidder, key) in seen:
        reader.problems.append(
            Problem(
                "duplicate_price_line",
                f"bidder {bidder[1]}{lot_text(bidder[0])} gives {what} twice (first in row "
                f"{seen[(*bidder, key)]}); give each once",
                Location(file=reader.file, sheet=layout.PRICES_SHEET, row=row.number),
                bidder=bidder[1],
            )
        )
        return True
    seen[(*bidder, key)] = row.number
    return False


def _item_row(
    reader: CellReader,
    row: Row,
    by_bidder: dict[BidKey, PricedLines],
    seen: dict[tuple[str | None, str, str | None], int],
) -> None:
    c = row.cells
    lot = _lot(reader, row)
    bidder = reader.identifier(c.get("bidder_id"), "bidder_id")
    item = reader.identifier(c.get("item"), "item")
    amount = reader.decimal(c.get("amount"), "amount")
    if (
        _missing(reader, row, layout.PRICES_COLUMNS)
        or bidder is None
        or item is None
        or amount is None
    ):
        return
    if not _twice(reader, row, seen, (lot, bidder), item, f'a price for "{item}"'):
        lines = by_bidder.setdefault((lot, bidder), PricedLines(where=reader.where(c["bidder_id"])))
        lines.prices[item] = amount


def _schedule_row(
    reader: CellReader,
    row: Row,
    by_bidder: dict[BidKey, PricedLines],
    seen: dict[tuple[str | None, str, str | None], int],
) -> None:
    c = row.cells
    lot = _lot(reader, row)
    bidder = reader.identifier(c.get("bidder_id"), "bidder_id")
    pct = reader.decimal(c.get("adjustment_pct"), "adjustment_pct")
    section = reader.identifier(c.get("section"), "section") if "section" in c else None
    if _missing(reader, row, ("bidder_id", "adjustment_pct")) or bidder is None or pct is None:
        return
    what = (
        f'an adjustment for section "{section}"'
        if section
        else "the adjustment for all sections (blank section)"
    )
    if not _twice(reader, row, seen, (lot, bidder), section or None, what):
        lines = by_bidder.setdefault((lot, bidder), PricedLines(where=reader.where(c["bidder_id"])))
        if section:
            lines.adjustments_pct[section] = pct
        else:
            lines.adjustment_pct = pct


def unknown_bidders(
    priced: dict[BidKey, PricedLines], known: set[BidKey], file: str
) -> list[Problem]:
    """Prices rows for a bid (lot and bidder) that has no row on the Bids sheet."""
    return [
        Problem(
            "unknown_bidder",
            f'priced lines for bidder "{key[1]}"{lot_text(key[0])}, who has no row on the '
            f"{layout.BIDS_SHEET} sheet{lot_hint(key[0])}",
            lines.where or Location(file=file, sheet=layout.PRICES_SHEET),
            bidder=key[1],
        )
        for key, lines in priced.items()
        if key not in known
    ]


def lot_hint(lot: str | None) -> str:
    """For a row matched by lot and bidder: the lot cell must agree with the Bids sheet's."""
    return " with that lot (the lot cells of the two sheets must agree)" if lot else ""
