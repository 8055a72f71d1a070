"""One score row on its own: a known bidder and criterion, a score in range, a whole mark when asked.

Shared by the plain scores check (`scores.py`) and the panel's (`panel.py`).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from decimal import Decimal

from svengine.model.scores import Score
from svengine.model.tender import Tender
from svengine.numbers import decimal_text
from svengine.problems import Location, Problem

RowRules = tuple[dict[str, Decimal], bool]
"""What a score row is checked against: each criterion's maximum score, and whether marks must be whole."""


def row_rules(tender: Tender) -> RowRules:
    """The tender's rules for score rows, worked out once for all its rows (see score_row_problems)."""
    criteria = {c.id: c for c in (*tender.quality_criteria, *tender.social_value_criteria)}
    return {key: tender.max_score(criterion) for key, criterion in criteria.items()}, (
        tender.quality.whole_marks_only if tender.quality else False
    )


def score_row_problems(
    tender: Tender,
    bidder_ids: set[str],
    score: Score,
    where: Location,
    rules: RowRules | None = None,
) -> list[Problem]:
    """What is wrong with one score row on its own: unknown bidder or criterion, out of range, not a whole mark.

    `rules`: `row_rules(tender)`, when the caller checks many rows."""
    maxima, whole_marks = rules if rules is not None else row_rules(tender)
    if (
        score.bidder in bidder_ids and score.criterion in maxima
    ):  # the common case: only the range to check
        maximum = maxima[score.criterion]
        if 0 <= score.score <= maximum and not (
            whole_marks and score.score != score.score.to_integral_value()
        ):
            return []
    problems: list[Problem] = []
    if score.bidder not in bidder_ids:
        problems.append(
            Problem(
                "unknown_bidder",
                f'score for bidder "{score.bidder}", who has no bid'
                + did_you_mean(score.bidder, sorted(bidder_ids)),
                where,
                bidder=score.bidder,
                criterion=score.criterion,
            )
        )
    if score.criterion not in maxima:
        problems.append(
            Problem(
                "unknown_criterion",
                f'score for criterion "{score.criterion}", which the tender does not have'
                + did_you_mean(score.criterion, sorted(maxima)),
                where,
                bidder=score.bidder,
                criterion=score.criterion,
            )
        )
    else:
        maximum = maxima[score.criterion]
        if not 0 <= score.score <= maximum:
            problems.append(
                Problem(
                    "score_out_of_range",
                    _out_of_range(tender, score, maximum),
                    where,
                    bidder=score.bidder,
                    criterion=score.criterion,
                )
            )
        elif whole_marks and score.score != score.score.to_integral_value():
            problems.append(
                Problem(
                    "not_whole_mark",
                    f"score {decimal_text(score.score)} is not a whole mark (the tender says whole_marks_only)",
                    where,
                    bidder=score.bidder,
                    criterion=score.criterion,
                )
            )
    return problems


def did_you_mean(value: str, choices: Sequence[str]) -> str:
    """` (did you mean "B1"?)` when an id is close to one of `choices`, else ""."""
    close = difflib.get_close_matches(value, list(choices), n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _out_of_range(tender: Tender, score: Score, maximum: Decimal) -> str:
    """Which criterion, the score given and the limit it breaks, in words."""
    titles = {c.id: c.title for c in (*tender.quality_criteria, *tender.social_value_criteria)}
    title = titles.get(score.criterion)
    which = f"criterion {score.criterion}" + (f" ({title})" if title else "")
    given = decimal_text(score.score)
    if score.score < 0:
        return f"{which}: score {given} is below 0; scores run from 0 to {decimal_text(maximum)}"
    return f"{which}: score {given} is above the maximum of {decimal_text(maximum)}"
