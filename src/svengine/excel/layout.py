"""The pinned layout of svengine's workbooks: sheet names, header cells, the hidden template record.

Shared by the templates (which write it) and the readers (which hold workbooks to it), so the two
cannot drift. Header cells are exact; one header row, in row 1.
"""

from __future__ import annotations

TEMPLATE_VERSION = "1"

BIDS_SHEET = "Bids"
BIDS_COLUMNS = (
    "bidder_id",
    "bidder_name",
    "employees",
    "turnover",
    "balance_sheet_total",
    "vcse",
    "price",
)
BIDS_REQUIRED = ("bidder_id", "bidder_name", "price")
"""`price` is required only for lump-sum tenders; otherwise it is the optional stated price."""

SOCIAL_VALUE_SHEET = "SocialValue"
SOCIAL_VALUE_COLUMNS = ("bidder_id", "measure", "quantity", "years", "description")
SOCIAL_VALUE_DISPLAY = ("unit", "proxy")
"""Filled by formulas from the tender's library for the bidder's information; never read."""
SOCIAL_VALUE_REQUIRED = ("bidder_id", "measure", "quantity")

PRICES_SHEET = "Prices"
"""Optional sheet of bids.xlsx: the priced lines of tenders not priced as a lump sum (excel/prices.py)."""
PRICES_COLUMNS = ("bidder_id", "item", "amount")
"""basket (unit price of each item), multi_part and whole_life (amount of each part)."""
PRICES_SCHEDULE_COLUMNS = ("bidder_id", "adjustment_pct", "section")
"""schedule_of_rates: a blank section is the one adjustment for every section."""
PRICES_DISPLAY = (
    "description",
    "volume",
    "multiplier",
    "years",
    "items",
    "base_value",
    "line_total",
)
"""Filled by the prices template for the bidder's information; never read."""
PRICE_LINES_SHEET = "PriceLines"
"""A prices template's visible, protected list of the tender's lines (never read back)."""

LOT = "lot"
"""The lot column: the last column of every data sheet (Bids, SocialValue, Prices, Scores), for a
tender with lots. Read whenever it is there; the engine requires it with lots and refuses it
without (`missing_lot`, `unknown_lot`, `unexpected_lot`), as for JSON bids and scores.csv."""

SCORES_SHEET = "Scores"
SCORES_COLUMNS = ("bidder", "criterion", "evaluator", "score", "comment")
SCORES_REQUIRED = ("bidder", "criterion", "score")
VERDICTS = ("pass", "fail")
"""Text a score cell may hold for a pass/fail criterion (any case), as in scores.csv."""

CRITERIA_SHEET = "Criteria"
"""A scores template's visible, protected list of the criteria to score (never read back)."""

META_SHEET = "svengine"
"""Hidden sheet: A2 kind, B2 version, C2 tender id; the allowed lists start in column E."""
META_HEADER = ("kind", "version", "tender")
KIND_BIDS = "bids"
KIND_SCORES = "scores"
