"""Which form an evaluation folder uses: `bids.xlsx` / `scores.xlsx`, or `bids/` / `scores.csv`."""

from __future__ import annotations

import os
from pathlib import Path

from svengine.excel.safety import Limits
from svengine.model.bid import Bid
from svengine.model.scores import Score
from svengine.problems import Location, Problem

BIDS_WORKBOOK = "bids.xlsx"
SCORES_WORKBOOK = "scores.xlsx"


def both_forms(folder: Path, workbook: str, other: str) -> Problem | None:
    """A problem if the folder holds a workbook and its JSON/CSV equivalent at once."""
    if os.path.lexists(folder / workbook) and os.path.lexists(folder / other):
        return Problem(
            "both_forms",
            f"the folder has both {other} and {workbook}; keep one of them",
            Location(file=str(folder / workbook)),
        )
    return None


def folder_bids(
    folder: Path,
    tender_id: str | None,
    limits: Limits,
    price_model: str | None = None,
    refused: list[Bid] | None = None,
) -> tuple[list[Bid], list[Problem]] | None:
    """Bids from `bids.xlsx` in `folder` (priced as the tender's `price_model`), or None if there is none.

    `refused` collects a stand-in for each Bids row that is present but refused (read_bids_workbook)."""
    path = folder / BIDS_WORKBOOK
    if not os.path.lexists(path):  # a dangling link is refused by the reader, not ignored
        return None
    from svengine.excel.workbooks import (
        read_bids_workbook,
    )  # openpyxl loads only for a workbook folder

    return read_bids_workbook(
        path, tender_id, limits=limits, price_model=price_model, refused=refused
    )


def folder_scores(
    folder: Path, tender_id: str | None, limits: Limits
) -> tuple[list[Score], list[Problem]] | None:
    """Scores from `scores.xlsx` in `folder`, or None if there is none."""
    path = folder / SCORES_WORKBOOK
    if not os.path.lexists(path):  # a dangling link is refused by the reader, not ignored
        return None
    from svengine.excel.workbooks import read_scores_workbook

    return read_scores_workbook(path, tender_id, limits=limits)
