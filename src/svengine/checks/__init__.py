"""The rules that make a tender, a library, bids and scores fit together (pure; no I/O).

JSON Schemas check each document's shape; these checks cover what a schema cannot: weights that
must add up, references between documents, duplicates, ranges that depend on the tender. Each
returns every problem it finds, located, and never raises.

`tender` (the tender and the library), `bids`, `rows` (one score row), `scores` (scores.csv),
`panel` (the panel's rules) and `award` (lots, gates, decisions.yaml); they import one another
only downwards (tender → award → bids, scores → panel → rows), so the package has no cycle.
"""

from svengine.checks.award import check_award_tender, check_decisions, check_inputs
from svengine.checks.bids import check_bids
from svengine.checks.panel import (
    PENDING_MODERATION,
    check_panel_config,
    check_panel_scores,
    check_sv_moderation,
    uses_panel,
)
from svengine.checks.rows import RowRules, row_rules, score_row_problems
from svengine.checks.scores import check_scores
from svengine.checks.tender import check_library, check_tender

__all__ = [
    "PENDING_MODERATION",
    "RowRules",
    "check_award_tender",
    "check_bids",
    "check_decisions",
    "check_inputs",
    "check_library",
    "check_panel_config",
    "check_panel_scores",
    "check_scores",
    "check_sv_moderation",
    "check_tender",
    "row_rules",
    "score_row_problems",
    "uses_panel",
]
