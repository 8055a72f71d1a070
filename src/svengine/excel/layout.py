"""The pinned layout of svengine's workbooks: sheet names, header cells, the hidden template record.

Shared by the templates (which write it) and the readers (which hold workbooks to it), so the two
cannot drift. Header cells are exact; one header row, in row 1.
"""

from __future__ import annotations

TEMPLATE_VERSION = "1"

BIDS_SHEET = "Bids"
BIDS_COLUMNS = ("bidder_id", "bidder_name", "employees", "turnover", "balance_sheet_total", "vcse", "price")
BIDS_REQUIRED = ("bidder_id", "bidder_name", "price")

SOCIAL_VALUE_SHEET = "SocialValue"
SOCIAL_VALUE_COLUMNS = ("bidder_id", "measure", "quantity", "years", "description")
SOCIAL_VALUE_DISPLAY = ("unit", "proxy")
"""Filled by formulas from the tender's library for the bidder's information; never read."""
SOCIAL_VALUE_REQUIRED = ("bidder_id", "measure", "quantity")

SCORES_SHEET = "Scores"
SCORES_COLUMNS = ("bidder", "criterion", "evaluator", "score", "comment")
SCORES_REQUIRED = ("bidder", "criterion", "score")

CRITERIA_SHEET = "Criteria"
"""A scores template's visible, protected list of the criteria to score (never read back)."""

META_SHEET = "svengine"
"""Hidden sheet: A2 kind, B2 version, C2 tender id; the allowed lists start in column E."""
META_HEADER = ("kind", "version", "tender")
KIND_BIDS = "bids"
KIND_SCORES = "scores"
