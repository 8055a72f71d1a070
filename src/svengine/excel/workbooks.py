"""Reading bids and scores workbooks (`bids.xlsx`, `scores.xlsx`) into the same models as JSON/CSV.

A workbook means exactly what the equivalent `bids/*.json` or `scores.csv` means; the engine's own
checks then run on the result unchanged, so a measure outside the allowed list or the same measure
twice is flagged just as it is from JSON. Rules only a workbook can break are reported here, at the
cell: text in number cells, numbers in id columns, formulas without a saved value, merged cells,
unknown columns, a repeated score row, and a template made for another tender.
"""

from __future__ import annotations

from array import array
from pathlib import Path
from typing import Literal

from svengine.excel import layout
from svengine.excel.cells import CellReader
from svengine.excel.prices import (
    BidKey,
    PricedLines,
    lot_hint,
    lot_text,
    priced_lines,
    read_prices_table,
    unknown_bidders,
)
from svengine.excel.safety import Limits
from svengine.excel.sheets import Cell, Workbook, open_workbook, read_sheet
from svengine.excel.tables import Row, read_table, stream_table
from svengine.model.bid import Bid, Bidder, Commitment
from svengine.model.construct import built
from svengine.model.scores import Score, gate_score
from svengine.problems import Location, Problem


def template_problems(
    workbook: Workbook, file: str, kind: str, tender_id: str | None, limits: Limits
) -> list[Problem]:
    """If the workbook is an svengine template, it must be of this kind and for this tender."""
    if layout.META_SHEET not in workbook.sheetnames:
        return []  # a buyer's own workbook with the pinned columns is fine
    sheet, problems = read_sheet(workbook, layout.META_SHEET, file, limits)
    if sheet is None:
        return problems
    cells = dict(sheet.rows).get(2, {})
    kind_found, version, tender = (cells[i].value if i in cells else None for i in (1, 2, 3))
    where = Location(file=file, sheet=layout.META_SHEET, row=2)
    if kind_found != kind:
        return [
            Problem(
                "wrong_template", f'this is a "{kind_found}" template, not a {kind} workbook', where
            )
        ]
    if str(version) != layout.TEMPLATE_VERSION:
        return [
            Problem(
                "wrong_template",
                f"this template is version {version}; this svengine reads version "
                f"{layout.TEMPLATE_VERSION}; make a new template",
                where,
            )
        ]
    if tender_id is not None and str(tender) != tender_id:
        return [
            Problem(
                "wrong_tender",
                f'this workbook was made for tender "{tender}", not for this tender "{tender_id}"',
                where,
            )
        ]
    return []


def _required(reader: CellReader, row: Row, names: tuple[str, ...], sheet: str) -> bool:
    missing = [name for name in names if name not in row.cells]
    for name in missing:
        reader.problems.append(
            Problem(
                "missing_value",
                f'the "{name}" cell is empty',
                Location(file=reader.file, sheet=sheet, row=row.number),
            )
        )
    return not missing


_SOCIAL_VALUE_REQUIRED = frozenset(layout.SOCIAL_VALUE_REQUIRED)


class _SocialValueRows:
    """Each SocialValue row made into a commitment as it is read, so the sheet's cells are never all held.

    Exactly what reading the whole table and then each row did: the same cell checks in row order
    (their problems are reported after the Prices sheet's, as before), and for `unknown_bidder` the
    order of the rows whose bidder cell is text, kept as two arrays of numbers rather than the rows.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.reader = CellReader(file, layout.SOCIAL_VALUE_SHEET)
        self.commitments: dict[BidKey, list[Commitment]] = {}
        self._keys: dict[tuple[str | None, str], int] = {}
        self._rows = array("q")
        self._row_keys = array("q")
        self._letter = ""

    def add(self, row: Row) -> None:
        reader, c = self.reader, row.cells
        owner_lot = _lot(reader, row)
        owner = reader.identifier(c.get("bidder_id"), "bidder_id")
        measure = reader.identifier(c.get("measure"), "measure")
        quantity = reader.decimal(c.get("quantity"), "quantity")
        years = reader.whole(c.get("years"), "years", minimum=1)
        description = reader.text(c.get("description"), "description")
        # `c.keys() >= ...` first: _required's answer when nothing is missing, without its list. And
        # `is not None` rather than `None not in (...)`, which compares None with a Decimal (slow).
        present = c.keys() >= _SOCIAL_VALUE_REQUIRED or _required(
            reader, row, layout.SOCIAL_VALUE_REQUIRED, layout.SOCIAL_VALUE_SHEET
        )
        if present and owner is not None and measure is not None and quantity is not None:
            source = Location(file=self.file, sheet=layout.SOCIAL_VALUE_SHEET, row=row.number)
            # Built without pydantic's validation (which kept its own set of fields per instance: 1,160
            # bytes a commitment against 430): every value is already what the field's validator
            # makes of it (the reader's decimal passes the same grammar `Dec` checks; text is str;
            # years an int). tests/test_sheet_xml.py checks that validating gives an equal object.
            self.commitments.setdefault((owner_lot, owner), []).append(
                built(
                    Commitment,
                    measure=measure,
                    quantity=quantity,
                    years=years,
                    description=description or None,
                    source=source,
                )
            )
        cell = c.get("bidder_id")
        if cell is not None and isinstance(cell.value, str):
            key = (_lot_value(row), cell.value.strip())
            self._rows.append(row.number)
            self._row_keys.append(self._keys.setdefault(key, len(self._keys)))
            if not self._letter:
                self._letter = (
                    cell.letter
                )  # the bidder_id column is one column of the header: the same in every row

    def unknown_bidders(self, left: dict[BidKey, list[Commitment]]) -> list[Problem]:
        """`unknown_bidder` at each row (in sheet order) whose bidder has commitments left over, no Bids row."""
        keys = list(self._keys)
        problems = []
        for number, index in zip(self._rows, self._row_keys, strict=True):
            lot, bidder = keys[index]
            if (lot, bidder) in left:
                problems.append(
                    Problem(
                        "unknown_bidder",
                        f'commitment for bidder "{bidder}"{lot_text(lot)}, who has no row on the '
                        f"{layout.BIDS_SHEET} sheet{lot_hint(lot)}",
                        Location(
                            file=self.file,
                            sheet=layout.SOCIAL_VALUE_SHEET,
                            row=number,
                            column=self._letter,
                        ),
                        bidder=bidder,
                    )
                )
        return problems


def read_bids_workbook(
    path: Path,
    tender_id: str | None = None,
    file: str | None = None,
    limits: Limits | None = None,
    price_model: str | None = None,
    refused: list[Bid] | None = None,
) -> tuple[list[Bid], list[Problem]]:
    """Bids from the `Bids`, `SocialValue` and (optional) `Prices` sheets, in row order, and every problem in them.

    `price_model` is the tender's `price.model`: the Bids sheet's `price` is required only for
    `lump_sum` (otherwise it is the optional stated price). Unknown (None): required unless the
    workbook has a Prices sheet. `refused` collects a stand-in (bidder id, name, lot) for each Bids
    row with a bidder id that is refused for another cell: it is still a bid for the other checks,
    and its commitments and priced lines are not reported as belonging to no Bids row.
    """
    name = file or str(path)
    limits = limits or Limits()
    workbook, problems = open_workbook(path, name, limits)
    if workbook is None:
        return [], problems
    try:
        problems = template_problems(workbook, name, layout.KIND_BIDS, tender_id, limits)
        if problems:
            return [], problems
        priced_model = price_model not in (None, "lump_sum") or (
            price_model is None and layout.PRICES_SHEET in workbook.sheetnames
        )
        bids_required = tuple(c for c in layout.BIDS_REQUIRED if c != "price" or not priced_model)
        bid_rows, found = read_table(
            workbook,
            name,
            layout.BIDS_SHEET,
            (*layout.BIDS_COLUMNS, layout.LOT),
            bids_required,
            limits,
        )
        problems += found
        price_rows, found = read_prices_table(workbook, name, price_model, limits)
        problems += found
        social_value = _SocialValueRows(name)
        found, _ = stream_table(
            workbook,
            name,
            layout.SOCIAL_VALUE_SHEET,
            (*layout.SOCIAL_VALUE_COLUMNS, layout.LOT),
            layout.SOCIAL_VALUE_REQUIRED,
            limits,
            social_value.add,
            display=layout.SOCIAL_VALUE_DISPLAY,
        )
        problems += found
    finally:
        workbook.close()
    if problems:
        return [], problems

    priced, problems = priced_lines(price_rows, name, price_model)
    commitments = social_value.commitments
    problems += social_value.reader.problems

    bids: list[Bid] = []
    reader = CellReader(name, layout.BIDS_SHEET)
    for row in bid_rows:
        c = row.cells
        lot = _lot(reader, row)
        bidder_id = reader.identifier(c.get("bidder_id"), "bidder_id")
        bidder_name = reader.text(c.get("bidder_name"), "bidder_name")
        employees = reader.whole(c.get("employees"), "employees", minimum=0)
        turnover = reader.decimal(c.get("turnover"), "turnover")
        balance = reader.decimal(c.get("balance_sheet_total"), "balance_sheet_total")
        vcse = reader.boolean(c.get("vcse"), "vcse")
        price = reader.decimal(c.get("price"), "price")
        stated_ok = (
            price is not None or "price" not in c
        )  # a blank stated price is fine where it is optional
        if (
            _required(reader, row, bids_required, layout.BIDS_SHEET)
            and None not in (bidder_id, bidder_name)
            and stated_ok
            and bidder_name
        ):
            assert bidder_id is not None
            bidder = Bidder(
                id=bidder_id,
                name=bidder_name,
                employees=employees,
                turnover=turnover,
                balance_sheet_total=balance,
                vcse=vcse,
            )
            lines = priced.get((lot, bidder_id), PricedLines())
            bids.append(
                Bid(
                    bidder=bidder,
                    price=price,
                    social_value=tuple(commitments.pop((lot, bidder_id), [])),
                    source=Location(file=name, sheet=layout.BIDS_SHEET, row=row.number),
                    prices=lines.prices or None,
                    adjustment_pct=lines.adjustment_pct,
                    adjustments_pct=lines.adjustments_pct or None,
                    lot=lot,
                )
            )
        elif bidder_id is not None:
            commitments.pop((lot, bidder_id), None)  # its commitments belong to a Bids row
            if refused is not None:
                refused.append(
                    Bid(
                        bidder=Bidder(id=bidder_id, name=bidder_name or bidder_id),
                        lot=lot,
                        source=Location(file=name, sheet=layout.BIDS_SHEET, row=row.number),
                    )
                )
    problems += reader.problems
    problems += social_value.unknown_bidders(commitments)
    on_bids_sheet = {
        (_lot_value(row), cell.value.strip())
        for row in bid_rows
        if (cell := row.cells.get("bidder_id")) is not None and isinstance(cell.value, str)
    }
    problems += unknown_bidders(priced, on_bids_sheet, name)
    return bids, problems


def read_scores_workbook(
    path: Path, tender_id: str | None = None, file: str | None = None, limits: Limits | None = None
) -> tuple[list[Score], list[Problem]]:
    """Scores from the `Scores` sheet; a blank evaluator is the panel's one agreed score."""
    name = file or str(path)
    limits = limits or Limits()
    workbook, problems = open_workbook(path, name, limits)
    if workbook is None:
        return [], problems
    try:
        problems = template_problems(workbook, name, layout.KIND_SCORES, tender_id, limits)
        if problems:
            return [], problems
        rows, problems = read_table(
            workbook,
            name,
            layout.SCORES_SHEET,
            (*layout.SCORES_COLUMNS, layout.LOT),
            layout.SCORES_REQUIRED,
            limits,
        )
    finally:
        workbook.close()
    if problems:
        return [], problems
    reader = CellReader(name, layout.SCORES_SHEET)
    scores: list[Score] = []
    seen: dict[tuple[str | None, str, str, str | None], int] = {}
    for row in rows:
        c = row.cells
        lot = _lot(reader, row)
        bidder = reader.identifier(c.get("bidder"), "bidder")
        criterion = reader.identifier(c.get("criterion"), "criterion")
        evaluator = reader.identifier(c.get("evaluator"), "evaluator") if "evaluator" in c else None
        verdict = _verdict(c.get("score"))
        score = (
            reader.decimal(c.get("score"), "score (or pass/fail for a pass/fail criterion)")
            if verdict is None
            else None
        )
        comment = reader.text(c.get("comment"), "comment")
        if (
            not _required(reader, row, layout.SCORES_REQUIRED, layout.SCORES_SHEET)
            or None in (bidder, criterion)
            or (score is None and verdict is None)
        ):
            continue
        assert bidder is not None and criterion is not None
        key = (lot, bidder, criterion, evaluator or None)
        if key in seen:
            who = f" by {evaluator}" if evaluator else ""
            reader.problems.append(
                Problem(
                    "duplicate_score",
                    f"a second score for bidder {bidder}{lot_text(lot)} on criterion "
                    f"{criterion}{who} (first given in row {seen[key]})",
                    Location(file=name, sheet=layout.SCORES_SHEET, row=row.number),
                    bidder=bidder,
                    criterion=criterion,
                )
            )
            continue
        seen[key] = row.number
        where = Location(file=name, sheet=layout.SCORES_SHEET, row=row.number)
        if verdict is not None:
            # exactly as scores.csv: the engine checks the criterion is pass/fail (`not_pass_fail` otherwise)
            scores.append(
                gate_score(
                    bidder,
                    criterion,
                    verdict,
                    comment=comment or None,
                    evaluator=evaluator or None,
                    lot=lot,
                    source=where,
                )
            )
            continue
        assert score is not None
        scores.append(
            Score(
                bidder=bidder,
                criterion=criterion,
                score=score,
                comment=comment or None,
                evaluator=evaluator or None,
                lot=lot,
                source=where,
            )
        )
    return scores, reader.problems


def _lot(reader: CellReader, row: Row) -> str | None:
    """The row's lot (None when the column is absent or the cell blank); a number cell is `id_not_text`."""
    return reader.identifier(row.cells["lot"], "lot") or None if "lot" in row.cells else None


def _lot_value(row: Row) -> str | None:
    """The row's lot as typed text, without reporting (the cell's problems are reported once, by `_lot`)."""
    cell = row.cells.get("lot")
    return cell.value.strip() or None if cell is not None and isinstance(cell.value, str) else None


def _verdict(cell: Cell | None) -> Literal["pass", "fail"] | None:
    """A pass/fail verdict typed in a score cell (any case, surrounding spaces ignored), as scores.csv reads it."""
    if cell is None or not isinstance(cell.value, str):
        return None
    text = cell.value.strip().casefold()
    return "pass" if text == "pass" else "fail" if text == "fail" else None


def workbook_problems(path: Path, limits: Limits | None = None) -> tuple[str, list[Problem]]:
    """What kind of workbook `path` is (by its sheets) and every problem in it, without a tender."""
    limits = limits or Limits()
    workbook, problems = open_workbook(path, str(path), limits)
    if workbook is None:
        return "workbook", problems
    try:
        is_scores = (
            layout.SCORES_SHEET in workbook.sheetnames
            and layout.BIDS_SHEET not in workbook.sheetnames
        )
    finally:
        workbook.close()
    if is_scores:
        return "scores workbook", read_scores_workbook(path, limits=limits)[1]
    return "bids workbook", read_bids_workbook(path, limits=limits)[1]
