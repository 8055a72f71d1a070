"""Panel arithmetic: individual scores to one agreed score, spread and evaluator bias (pure, exact).

The aggregate is taken before weighting, on exact fractions: the mean is the sum over the count;
the median of an even count is the mean of the middle two. Nothing is rounded here. Every result
is independent of the order of the score rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from svengine.model.panel import Panel, PanelEvaluator, is_consensus
from svengine.model.panel_result import (
    CriterionPanel,
    EvaluatorSummary,
    IndividualScore,
    PanelFlag,
    PanelResult,
)
from svengine.model.scores import Score
from svengine.model.tender import Criterion, Tender
from svengine.numbers import (
    decimal_text,
    exact_text,
    terminating_places,
    to_exact_decimal,
)

Cell = tuple[str, str]
"""(bidder id, criterion id)."""

HUNDRED = Fraction(100)


def mean(values: Iterable[Fraction | Decimal]) -> Fraction:
    """The exact arithmetic mean (raises ValueError on no values)."""
    exact = [Fraction(v) for v in values]
    if not exact:
        raise ValueError("the mean of no scores is undefined")
    return sum(exact, Fraction(0)) / len(exact)


def median(values: Iterable[Fraction | Decimal]) -> Fraction:
    """The exact median; of an even count, the mean of the middle two (raises ValueError on no values)."""
    ordered = sorted(Fraction(v) for v in values)
    if not ordered:
        raise ValueError("the median of no scores is undefined")
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def exact_score(value: Fraction) -> Decimal | Fraction:
    """A Decimal when the value terminates (as every score typed in does), else the exact Fraction."""
    return to_exact_decimal(value) if terminating_places(value) is not None else value


def uses_panel(tender: Tender, scores: Sequence[Score]) -> bool:
    """Panel scoring applies when the tender declares a panel or any score names its evaluator."""
    return tender.panel is not None or any(s.evaluator is not None for s in scores)


def effective_panel(tender: Tender, scores: Sequence[Score]) -> Panel | None:
    """The tender's panel, the defaults when only the scores name evaluators, or None."""
    if tender.panel is not None:
        return tender.panel
    return Panel() if uses_panel(tender, scores) else None


def criteria_of(tender: Tender) -> tuple[Criterion, ...]:
    return (*tender.quality_criteria, *tender.social_value_criteria)


def panel_evaluators(panel: Panel, scores: Sequence[Score]) -> list[PanelEvaluator]:
    """The evaluators: the tender's list, or everyone who scored (each assigned every criterion)."""
    if panel.evaluators is not None:
        return list(panel.evaluators)
    named = sorted(
        {s.evaluator for s in scores if s.evaluator is not None and not is_consensus(s.evaluator)}
    )
    return [PanelEvaluator(id=name, criteria="all", conflict_declared=True) for name in named]


@dataclass(frozen=True)
class CellScores:
    """The rows of one bid × criterion: each evaluator's score, and the consensus if there is one."""

    individual: tuple[Score, ...]
    consensus: Score | None


def cells(scores: Sequence[Score]) -> dict[Cell, CellScores]:
    """Score rows grouped by bid × criterion, individual scores ordered by evaluator id."""
    individual: dict[Cell, list[Score]] = {}
    consensus: dict[Cell, Score] = {}
    for score in scores:
        key = (score.bidder, score.criterion)
        if is_consensus(score.evaluator):
            consensus[key] = score
        else:
            individual.setdefault(key, [])
            individual[key].append(score)
    keys = set(individual) | set(consensus)
    return {
        key: CellScores(
            tuple(sorted(individual.get(key, []), key=lambda s: s.evaluator or "")),
            consensus.get(key),
        )
        for key in sorted(keys)
    }


def spread(values: Sequence[Decimal]) -> Decimal:
    return max(values) - min(values) if values else Decimal(0)


def spread_pct(values: Sequence[Decimal], maximum: Decimal) -> Fraction:
    """max − min as a % of the criterion's scale, exact."""
    return Fraction(spread(values)) * HUNDRED / Fraction(maximum)


def is_disagreement(panel: Panel, values: Sequence[Decimal], maximum: Decimal) -> bool:
    return spread_pct(values, maximum) > Fraction(panel.spread_tolerance_pct)


@dataclass(frozen=True)
class AgreedScore:
    """The one score a bid gets on a criterion, with the panel trail behind it.

    It stands where a `Score` stands in the evaluation (`score`, `comment`), so the pipeline after
    aggregation is the same for panel scores and for one agreed score per cell.
    """

    bidder: str
    criterion: str
    score: Decimal | Fraction
    comment: str | None
    trail: CriterionPanel


def trail(panel: Panel, criterion: Criterion, maximum: Decimal, cell: CellScores) -> CriterionPanel:
    values = [s.score for s in cell.individual]
    return CriterionPanel(
        aggregate=panel.aggregate,
        individual=tuple(
            IndividualScore(evaluator=s.evaluator or "", score=s.score, comment=s.comment)
            for s in cell.individual
        ),
        mean=exact_text(mean(values)),
        median=exact_text(median(values)),
        spread=spread(values),
        spread_pct=exact_text(spread_pct(values, maximum)),
        disagreement=is_disagreement(panel, values, maximum),
        consensus=cell.consensus.score if cell.consensus is not None else None,
        rationale=cell.consensus.comment if cell.consensus is not None else None,
    )


def agree(tender: Tender, panel: Panel, scores: Sequence[Score]) -> dict[Cell, AgreedScore]:
    """One agreed score per bid × criterion by the tender's rule (inputs already checked)."""
    by_id = {c.id: c for c in criteria_of(tender)}
    agreed: dict[Cell, AgreedScore] = {}
    for key, cell in cells(scores).items():
        criterion = by_id[key[1]]
        path = trail(panel, criterion, tender.max_score(criterion), cell)
        values = [s.score for s in cell.individual]
        if panel.aggregate == "consensus":
            assert cell.consensus is not None
            value: Decimal | Fraction = cell.consensus.score
            comment = cell.consensus.comment
        else:
            value = exact_score(mean(values) if panel.aggregate == "mean" else median(values))
            comment = None
        agreed[key] = AgreedScore(key[0], key[1], value, comment, path)
    return agreed


def agreed_scores(tender: Tender, scores: Sequence[Score]) -> dict[Cell, Score | AgreedScore]:
    """The score each bid × criterion is weighted with: the agreed score itself, or the panel's aggregate."""
    panel = effective_panel(tender, scores)
    if panel is None:
        return {(s.bidder, s.criterion): s for s in scores}
    return dict(agree(tender, panel, scores))


def spread_message(
    criterion: Criterion, maximum: Decimal, path: CriterionPanel, tolerance: Decimal
) -> str:
    values = ", ".join(f"{s.evaluator} {decimal_text(s.score)}" for s in path.individual)
    return (
        f"{criterion.id} ({criterion.title}): evaluators disagree ({values}); spread {decimal_text(path.spread)}"
        f" is {_pct(Fraction(path.spread) * HUNDRED / Fraction(maximum))}% of the 0-{decimal_text(maximum)} scale,"
        f" more than the {decimal_text(tolerance)}% tolerance"
    )


def _pct(value: Fraction) -> str:
    # Display only: the exact value is in result.json (spread_pct, mean_deviation_pct).
    from svengine.display import figure

    return figure(value)


def evaluator_deviations(
    tender: Tender, scores: Sequence[Score]
) -> dict[str, tuple[int, Fraction | None]]:
    """Per evaluator: scores given, and the signed mean of (score − cell mean) × 100 / scale.

    Only cells that at least two evaluators scored count: alone, an evaluator is the panel mean.
    """
    by_id = {c.id: c for c in criteria_of(tender)}
    given: dict[str, int] = {}
    deviations: dict[str, list[Fraction]] = {}
    for (_, criterion_id), cell in cells(scores).items():
        maximum = Fraction(tender.max_score(by_id[criterion_id]))
        cell_mean = mean([s.score for s in cell.individual]) if cell.individual else Fraction(0)
        for score in cell.individual:
            name = score.evaluator or ""
            given[name] = given.get(name, 0) + 1
            deviations.setdefault(name, [])
            if len(cell.individual) >= 2:
                deviations[name].append((Fraction(score.score) - cell_mean) * HUNDRED / maximum)
    return {
        name: (given[name], mean(deviations[name]) if deviations[name] else None)
        for name in sorted(given)
    }


def panel_result(
    tender: Tender, panel: Panel, scores: Sequence[Score], disagreements: int
) -> PanelResult:
    """The panel section of the result: each evaluator's deviation, and who is flagged `evaluator_bias`."""
    deviations = evaluator_deviations(tender, scores)
    all_ids = tuple(c.id for c in criteria_of(tender))
    summaries: list[EvaluatorSummary] = []
    flags: list[PanelFlag] = []
    tolerance = Fraction(panel.bias_tolerance_pct)
    listed = panel.evaluators is not None
    for evaluator in sorted(panel_evaluators(panel, scores), key=lambda e: e.id):
        count, deviation = deviations.get(evaluator.id, (0, None))
        summaries.append(
            EvaluatorSummary(
                id=evaluator.id,
                criteria=all_ids if evaluator.criteria == "all" else tuple(evaluator.criteria),
                conflict_declared=evaluator.conflict_declared if listed else None,
                scores=count,
                mean_deviation_pct=exact_text(deviation) if deviation is not None else None,
            )
        )
        if deviation is not None and abs(deviation) > tolerance:
            direction = "above" if deviation > 0 else "below"
            flags.append(
                PanelFlag(
                    code="evaluator_bias",
                    message=f"{evaluator.id} scores on average {_pct(abs(deviation))}% of the scale "
                    f"{direction} the panel mean"
                    f" of the same cells, more than the {decimal_text(panel.bias_tolerance_pct)}% tolerance",
                    evaluator=evaluator.id,
                )
            )
    return PanelResult(
        aggregate=panel.aggregate,
        spread_tolerance_pct=panel.spread_tolerance_pct,
        bias_tolerance_pct=panel.bias_tolerance_pct,
        min_evaluators=panel.min_evaluators,
        evaluators=tuple(summaries),
        disagreements=disagreements,
        flags=tuple(flags),
    )


@dataclass(frozen=True)
class SheetRow:
    """One bid × criterion of the moderation sheet (no prices: the panel scores quality blind to them)."""

    bidder: str
    bidder_name: str
    criterion: Criterion
    maximum: Decimal
    trail: CriterionPanel
    lot: str | None = None
    """The lot of the bid (tenders with lots: each lot is moderated as its own competition)."""


def moderation_sheet(
    tender: Tender, bidder_names: dict[str, str], scores: Sequence[Score]
) -> list[SheetRow]:
    """Every bid × criterion with its individual scores, spread, mean, consensus and rationale.

    Disagreements come first (widest spread first), then the rest by bidder and criterion order.
    Works before the moderation meeting: consensus and rationale may still be missing.
    """
    panel = effective_panel(tender, scores)
    assert panel is not None
    order = {c.id: index for index, c in enumerate(criteria_of(tender))}
    by_id = {c.id: c for c in criteria_of(tender)}
    rows = [
        SheetRow(
            bidder,
            bidder_names.get(bidder, ""),
            by_id[criterion_id],
            tender.max_score(by_id[criterion_id]),
            trail(panel, by_id[criterion_id], tender.max_score(by_id[criterion_id]), cell),
        )
        for (bidder, criterion_id), cell in cells(scores).items()
        if cell.individual
    ]

    def key(row: SheetRow) -> tuple[bool, Fraction, str, int]:
        pct = Fraction(row.trail.spread) / Fraction(row.maximum)
        return (
            not row.trail.disagreement,
            -pct if row.trail.disagreement else Fraction(0),
            row.bidder,
            order[row.criterion.id],
        )

    return sorted(rows, key=key)
