"""scores.csv against the tender and the bids: every bid scored once on every criterion (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from svengine.checks.panel import check_panel_scores, uses_panel
from svengine.checks.rows import row_rules, score_row_problems
from svengine.model.bid import Bid
from svengine.model.scores import Score
from svengine.model.tender import Tender
from svengine.numbers import decimal_text
from svengine.problems import Location, Problem


def check_scores(
    tender: Tender,
    bids: Sequence[Bid],
    scores: Sequence[Score],
    file: str | None = None,
    pending_ok: bool = False,
) -> list[Problem]:
    """Every bid scored once on every criterion, within the criterion's range.

    Panel scores are checked by the panel's rules (`pending_ok`: consensus rows may still be missing).
    """
    if (
        file is None
    ):  # called from evaluate(): name the scores' own file when they all came from one
        files = {score.source.file for score in scores if score.source is not None}
        file = files.pop() if len(files) == 1 else None
    if uses_panel(tender, scores):
        return check_panel_scores(tender, bids, scores, file, pending_ok) + allowed_mark_problems(
            tender, scores, file
        )
    problems: list[Problem] = []
    criteria = {c.id: c for c in (*tender.quality_criteria, *tender.social_value_criteria)}
    bidder_ids = {bid.bidder.id for bid in bids}
    rules = row_rules(tender)
    seen: dict[tuple[str, str], Score] = {}
    for score in scores:
        where = score.source or Location(file=file)
        key = (score.bidder, score.criterion)
        if key in seen:
            first = seen[key].source
            also = f" (first given at {first})" if first else ""
            problems.append(
                Problem(
                    "duplicate_score",
                    f"a second score for the same bid and criterion{also}",
                    where,
                    bidder=score.bidder,
                    criterion=score.criterion,
                )
            )
        else:
            seen[key] = score
        problems += score_row_problems(tender, bidder_ids, score, where, rules)
    problems += allowed_mark_problems(tender, scores, file)
    for bid in sorted(bids, key=lambda b: b.bidder.id):
        for criterion_id in criteria:
            if (bid.bidder.id, criterion_id) not in seen:
                problems.append(
                    Problem(
                        "missing_score",
                        f"no score for bidder {bid.bidder.id} on criterion {criterion_id}",
                        Location(file=file),
                        bidder=bid.bidder.id,
                        criterion=criterion_id,
                    )
                )
    return problems


def allowed_mark_problems(
    tender: Tender, scores: Sequence[Score], file: str | None = None
) -> list[Problem]:
    """Every mark (an evaluator's, a consensus or an agreed score) one of the criterion's
    allowed_scores, where the tender declares them (docs/methods.md)."""
    allowed = {
        c.id: marks
        for c in (*tender.quality_criteria, *tender.social_value_criteria)
        if (marks := tender.allowed_scores(c)) is not None
    }
    if not allowed:
        return []
    problems: list[Problem] = []
    for score in scores:
        marks = allowed.get(score.criterion)
        if marks is None or score.score in marks:
            continue
        listed = ", ".join(decimal_text(m) for m in marks)
        problems.append(
            Problem(
                "score_not_allowed",
                f"score {decimal_text(score.score)} is not one of the marks allowed on criterion"
                f" {score.criterion} ({listed})",
                score.source or Location(file=file),
                bidder=score.bidder,
                criterion=score.criterion,
            )
        )
    return problems
