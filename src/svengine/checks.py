"""The rules that make a tender, a library, bids and scores fit together (pure; no I/O).

JSON Schemas check each document's shape; these checks cover what a schema cannot: weights that
must add up, references between documents, duplicates, ranges that depend on the tender. Each
returns every problem it finds, located, and never raises.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal

from svengine.model.bid import Bid
from svengine.model.library import MeasureLibrary
from svengine.model.scores import Score
from svengine.model.tender import Criterion, Tender
from svengine.numbers import decimal_text
from svengine.problems import Location, Problem, json_path
from svengine.scoring.price_models import check_bid_price, check_price_block

HUNDRED = Decimal(100)


def _num(value: Decimal) -> str:
    return decimal_text(value)


def check_library(library: MeasureLibrary, file: str | None = None) -> list[Problem]:
    """Duplicate ids, priced measures without a proxy, record-only measures with one."""
    problems: list[Problem] = []

    def at(*parts: str | int) -> Location:
        return Location(file=file, path=json_path(parts))

    seen: set[str] = set()
    for index, measure in enumerate(library.measures):
        if measure.id in seen:
            problems.append(
                Problem(
                    "duplicate_measure_id",
                    f'measure id "{measure.id}" appears more than once',
                    at("measures", index, "id"),
                )
            )
        seen.add(measure.id)
        if measure.record_only and measure.proxy_value is not None:
            problems.append(
                Problem(
                    "record_only_with_proxy",
                    f'measure "{measure.id}" is record-only (worth £0) but has a proxy_value; remove one of them',
                    at("measures", index, "proxy_value"),
                )
            )
        if not measure.record_only and measure.proxy_value is None:
            problems.append(
                Problem(
                    "missing_proxy",
                    f'measure "{measure.id}" has no proxy_value; give one, or mark it record_only: true',
                    at("measures", index),
                )
            )
        if measure.proxy_value is not None and measure.proxy_value < 0:
            problems.append(
                Problem(
                    "negative_proxy",
                    f'measure "{measure.id}" has a negative proxy_value',
                    at("measures", index, "proxy_value"),
                )
            )
    ids = {measure.id for measure in library.measures}
    for index, measure in enumerate(library.measures):
        for position, other in enumerate(measure.exclusive_with):
            if other not in ids:  # a misspelt id would silently switch the gaming check off
                problems.append(
                    Problem(
                        "unknown_measure",
                        f'measure "{measure.id}" is exclusive with "{other}", which is not in the library',
                        at("measures", index, "exclusive_with", position),
                    )
                )
    return problems


def _check_criteria(
    criteria: Sequence[Criterion], tender: Tender, block: str, at: Iterable[str | int]
) -> list[Problem]:
    problems: list[Problem] = []
    for index, criterion in enumerate(criteria):
        where = Location(path=json_path([*at, index]))
        maximum = tender.max_score(criterion)
        if maximum <= 0:
            problems.append(
                Problem(
                    "bad_scale",
                    f"criterion {criterion.id}: the maximum score must be greater than 0",
                    where,
                    criterion=criterion.id,
                )
            )
        if criterion.min_score is not None and not 0 <= criterion.min_score <= maximum:
            problems.append(
                Problem(
                    "bad_min_score",
                    f"criterion {criterion.id}: min_score {_num(criterion.min_score)} is outside 0..{_num(maximum)}",
                    where,
                    criterion=criterion.id,
                )
            )
        if criterion.weight < 0:
            problems.append(
                Problem(
                    "negative_weight",
                    f"criterion {criterion.id}: weight must not be negative",
                    where,
                    criterion=criterion.id,
                )
            )
    return problems


def quantitative_weight(tender: Tender) -> Decimal:
    """Points of the social value block given to the £ part (the rest goes to its criteria)."""
    block = tender.social_value
    if block is None:
        return Decimal(0)
    if block.quantitative_weight is not None:
        return block.quantitative_weight
    return tender.weights.social_value - sum((c.weight for c in block.criteria), Decimal(0))


def check_tender(tender: Tender, file: str | None = None) -> list[Problem]:
    """Weights that add up, complete price and social value methods, unique criteria."""
    problems: list[Problem] = []

    def add(code: str, message: str, *parts: str | int, criterion: str | None = None) -> None:
        problems.append(
            Problem(code, message, Location(file=file, path=json_path(parts)), criterion=criterion)
        )

    weights = tender.weights
    total = weights.quality + weights.price + weights.social_value
    if total != HUNDRED:
        add(
            "weights_sum",
            f"block weights must add up to 100 points; quality {_num(weights.quality)} + price {_num(weights.price)}"
            f" + social_value {_num(weights.social_value)} = {_num(total)}",
            "weights",
        )
    for name in ("quality", "price", "social_value"):
        if getattr(weights, name) < 0:
            add("negative_weight", f"the {name} weight must not be negative", "weights", name)
    if tender.contract_value <= 0:
        add("not_positive", "contract_value must be greater than 0", "contract_value")

    quality = tender.quality
    if quality is None:
        if weights.quality != 0:
            add(
                "missing_block",
                "the tender gives quality a weight but has no quality block",
                "quality",
            )
    else:
        if quality.scale_max <= 0:
            add("bad_scale", "quality.scale_max must be greater than 0", "quality", "scale_max")
        problems.extend(
            p.at(file=file)
            for p in _check_criteria(quality.criteria, tender, "quality", ["quality", "criteria"])
        )
        declared = sum((c.weight for c in quality.criteria), Decimal(0))
        if weights.quality != 0 and not quality.criteria:
            add(
                "missing_criteria",
                "quality has a weight but no criteria to score",
                "quality",
                "criteria",
            )
        elif quality.criteria and quality.weights_basis == "points" and declared != weights.quality:
            add(
                "criteria_weights_sum",
                f"quality criteria weights add up to {_num(declared)} points but weights.quality is {_num(weights.quality)}"
                " (or declare weights_basis: percent_of_block if they are percentages of the quality block)",
                "quality",
                "criteria",
            )
        elif (
            quality.criteria and quality.weights_basis == "percent_of_block" and declared != HUNDRED
        ):
            add(
                "criteria_weights_sum",
                f"with weights_basis: percent_of_block the quality criteria weights must add up to 100; they add up to {_num(declared)}",
                "quality",
                "criteria",
            )
        if quality.min_total_pct is not None and not 0 <= quality.min_total_pct <= HUNDRED:
            add(
                "bad_percentage",
                "quality.min_total_pct must be between 0 and 100",
                "quality",
                "min_total_pct",
            )

    price = tender.price
    if price.method == "reference_linear":
        if price.ceiling is None or price.floor is None:
            add(
                "missing_parameter",
                "price method reference_linear needs both ceiling and floor",
                "price",
            )
        elif not price.ceiling > price.floor >= 0:
            add(
                "bad_parameter",
                f"price ceiling ({_num(price.ceiling)}) must be greater than floor ({_num(price.floor)}), and floor at least 0",
                "price",
            )
    else:
        for name in ("ceiling", "floor"):
            if getattr(price, name) is not None:
                add(
                    "unused_parameter",
                    f"price {name} is used only by the reference_linear method, not {price.method}",
                    "price",
                    name,
                )

    problems += check_price_block(
        price, lambda *parts: Location(file=file, path=json_path(["price", *parts]))
    )

    social = tender.social_value
    if social is None:
        if weights.social_value != 0:
            add(
                "missing_block",
                "the tender gives social value a weight but has no social_value block",
                "social_value",
            )
    else:
        problems.extend(
            p.at(file=file)
            for p in _check_criteria(
                social.criteria, tender, "social_value", ["social_value", "criteria"]
            )
        )
        if social.method == "target" and (social.target_pct is None or social.target_pct <= 0):
            add(
                "missing_parameter",
                "social value method target needs target_pct greater than 0",
                "social_value",
                "target_pct",
            )
        if social.criteria and social.quantitative_weight is None:
            add(
                "missing_parameter",
                "social_value has criteria, so quantitative_weight must say how many points the £ part gets",
                "social_value",
                "quantitative_weight",
            )
        else:
            quant = quantitative_weight(tender)
            parts = quant + sum((c.weight for c in social.criteria), Decimal(0))
            if quant < 0:
                add(
                    "negative_weight",
                    "social_value.quantitative_weight must not be negative",
                    "social_value",
                    "quantitative_weight",
                )
            elif parts != weights.social_value:
                add(
                    "social_value_weights_sum",
                    f"quantitative_weight {_num(quant)} plus the social value criteria weights make {_num(parts)}"
                    f" points but weights.social_value is {_num(weights.social_value)}",
                    "social_value",
                )
        library = tender.measure_library
        if library is not None:
            if library.currency != tender.currency:
                add(
                    "currency_mismatch",
                    f"the measure library is in {library.currency} but the tender is in {tender.currency}",
                    "social_value",
                    "library",
                )
            for index, measure_id in enumerate(social.measures or ()):
                if measure_id not in library.by_id:
                    add(
                        "unknown_measure",
                        f'allowed measure "{measure_id}" is not in library {library.id} {library.version}',
                        "social_value",
                        "measures",
                        index,
                    )
        if social.measures is not None:
            for measure_id, count in Counter(social.measures).items():
                if count > 1:
                    add(
                        "duplicate_measure",
                        f'measure "{measure_id}" is listed more than once in social_value.measures',
                        "social_value",
                        "measures",
                    )

    ids = Counter(c.id for c in (*tender.quality_criteria, *tender.social_value_criteria))
    for criterion_id, count in ids.items():
        if count > 1:
            add(
                "duplicate_criterion",
                f'criterion id "{criterion_id}" is used {count} times; ids must be unique',
                criterion=criterion_id,
            )
    for key, count in Counter(tender.tie_break).items():
        if count > 1:
            add("duplicate_tie_break", f'tie_break lists "{key}" more than once', "tie_break")
    from svengine.checks_award import (
        check_award_tender,
    )  # lots, gates and the award rule build on these checks

    return problems + check_award_tender(tender, file)


def _bid_location(bid: Bid, *parts: str | int) -> Location:
    if (
        parts[:1] == ("social_value",)
        and len(parts) > 1
        and isinstance(parts[1], int)
        and parts[1] < len(bid.social_value)
    ):
        own = bid.social_value[
            parts[1]
        ].source  # a commitment read from its own row (SocialValue sheet)
        if own is not None:
            return replace(own, path=(own.path or "$") + json_path(parts)[1:])
    source = bid.source or Location()
    base = source.path or "$"
    return replace(source, path=base + json_path(parts)[1:])


def check_bids(tender: Tender, bids: Sequence[Bid]) -> list[Problem]:
    """Duplicate bidders, prices and quantities that must be positive, measures the library lacks."""
    problems: list[Problem] = []
    library = tender.measure_library
    counts = Counter(bid.bidder.id for bid in bids)
    reported: set[str] = set()
    for bid in bids:
        who = bid.bidder.id

        def add(code: str, message: str, *parts: str | int) -> None:
            problems.append(Problem(code, message, _bid_location(bid, *parts), bidder=who))  # noqa: B023

        if counts[who] > 1 and who not in reported:
            reported.add(who)
            add(
                "duplicate_bidder",
                f'bidder id "{who}" is used by {counts[who]} bids; each bid needs its own id',
                "bidder",
                "id",
            )
        problems += check_bid_price(
            tender.price, bid, lambda *parts, bid=bid: _bid_location(bid, *parts)
        )
        for name in ("turnover", "balance_sheet_total"):
            value = getattr(bid.bidder, name)
            if value is not None and value < 0:
                add("negative_value", f"{name} must not be negative", "bidder", name)
        if bid.bidder.employees is not None and bid.bidder.employees < 0:
            add("negative_value", "employees must not be negative", "bidder", "employees")
        for index, commitment in enumerate(bid.social_value):
            if commitment.quantity <= 0:
                add(
                    "not_positive",
                    f"commitment {commitment.measure}: quantity must be greater than 0 (got {_num(commitment.quantity)})",
                    "social_value",
                    index,
                    "quantity",
                )
            if commitment.years is not None and commitment.years < 1:
                add(
                    "bad_years",
                    f"commitment {commitment.measure}: years must be a whole number of at least 1",
                    "social_value",
                    index,
                    "years",
                )
            if tender.social_value is None:
                continue
            if library is None:
                continue
            measure = library.by_id.get(commitment.measure)
            if measure is None:
                add(
                    "unknown_measure",
                    f'measure "{commitment.measure}" is not in library {library.id} {library.version}',
                    "social_value",
                    index,
                    "measure",
                )
            elif measure.basis == "total" and commitment.years not in (None, 1):
                add(
                    "bad_years",
                    f'measure "{measure.id}" counts a quantity for the whole term (basis: total), so years must be 1 or left out',
                    "social_value",
                    index,
                    "years",
                )
        if bid.social_value and tender.social_value is None:
            add(
                "unexpected_social_value",
                "this tender does not evaluate social value, but the bid offers commitments",
                "social_value",
            )
    return problems


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
                f'score for bidder "{score.bidder}", who has no bid',
                where,
                bidder=score.bidder,
                criterion=score.criterion,
            )
        )
    if score.criterion not in maxima:
        problems.append(
            Problem(
                "unknown_criterion",
                f'score for criterion "{score.criterion}", which the tender does not have',
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
                    f"score {_num(score.score)} is outside 0..{_num(maximum)}",
                    where,
                    bidder=score.bidder,
                    criterion=score.criterion,
                )
            )
        elif whole_marks and score.score != score.score.to_integral_value():
            problems.append(
                Problem(
                    "not_whole_mark",
                    f"score {_num(score.score)} is not a whole mark (the tender says whole_marks_only)",
                    where,
                    bidder=score.bidder,
                    criterion=score.criterion,
                )
            )
    return problems


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
    from svengine.checks_panel import (  # builds on the row checks above
        check_panel_scores,
        uses_panel,
    )

    if (
        file is None
    ):  # called from evaluate(): name the scores' own file when they all came from one
        files = {score.source.file for score in scores if score.source is not None}
        file = files.pop() if len(files) == 1 else None
    if uses_panel(tender, scores):
        return check_panel_scores(tender, bids, scores, file, pending_ok)
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
