"""The tender's and the library's own rules: weights that add up, complete methods, unique ids.

The lots, gates and award rule of a tender are checked by `award.py`, which this calls.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from svengine.checks.award import check_award_tender
from svengine.checks.rows import did_you_mean
from svengine.model.library import MeasureLibrary
from svengine.model.tender import Criterion, Tender
from svengine.numbers import decimal_text
from svengine.problems import Location, Problem, json_path
from svengine.scoring.price_models import check_price_block
from svengine.scoring.social_value import check_deflator_overrides, deflator_problems
from svengine.scoring.weights import quantitative_weight

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
        problems += deflator_problems(measure.deflators, file, "measures", index)
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
        problems += _check_money_value(criterion, tender, block, where)
        problems += _check_marks(
            criterion.allowed_scores, criterion.descriptors, [criterion], tender, [*at, index]
        )
    return problems


def _check_money_value(
    criterion: Criterion, tender: Tender, block: str, where: Location
) -> list[Problem]:
    """award model fictitious_price: every quality criterion says what full marks are worth."""
    value = criterion.money_value
    fictitious = tender.award_rule.model == "fictitious_price" and block == "quality"
    if value is None and fictitious:
        return [
            Problem(
                "missing_parameter",
                f"criterion {criterion.id}: award model fictitious_price needs money_value on every"
                " quality criterion (the amount deducted from the price for full marks)",
                where,
                criterion=criterion.id,
            )
        ]
    if value is not None and not fictitious:
        why = (
            "only quality criteria are converted into money"
            if block != "quality"
            else f"the award model is {tender.award_rule.model}, not fictitious_price"
        )
        return [
            Problem(
                "unused_parameter",
                f"criterion {criterion.id}: money_value is used only by award model"
                f" fictitious_price ({why})",
                Location(path=f"{where.path}.money_value"),
                criterion=criterion.id,
            )
        ]
    if value is not None and value < 0:
        return [
            Problem(
                "bad_parameter",
                f"criterion {criterion.id}: money_value must not be negative",
                Location(path=f"{where.path}.money_value"),
                criterion=criterion.id,
            )
        ]
    return []


def _check_marks(
    allowed: Sequence[Decimal] | None,
    descriptors: Mapping[Decimal, str] | None,
    criteria: Sequence[Criterion],
    tender: Tender,
    at: Sequence[str | int],
) -> list[Problem]:
    """allowed_scores and descriptors (on a criterion, or on the quality block for `criteria`
    without their own): marks on the criteria's scales, descriptors only for allowed marks."""
    problems: list[Problem] = []
    whole_marks = tender.quality is not None and tender.quality.whole_marks_only
    for criterion in criteria:
        maximum = tender.max_score(criterion)
        if allowed is not None:
            if not allowed:
                problems.append(
                    Problem(
                        "bad_scale",
                        "allowed_scores must list at least one mark",
                        Location(path=json_path([*at, "allowed_scores"])),
                    )
                )
            for position, mark in enumerate(allowed):
                if not 0 <= mark <= maximum or (whole_marks and mark != mark.to_integral_value()):
                    problems.append(
                        Problem(
                            "bad_scale",
                            f"criterion {criterion.id}: allowed score {_num(mark)} is outside"
                            f" 0..{_num(maximum)}"
                            + (" or not a whole mark" if whole_marks else ""),
                            Location(path=json_path([*at, "allowed_scores", position])),
                            criterion=criterion.id,
                        )
                    )
            for mark, count in Counter(allowed).items():
                if count > 1:
                    problems.append(
                        Problem(
                            "bad_scale",
                            f"allowed score {_num(mark)} is listed more than once",
                            Location(path=json_path([*at, "allowed_scores"])),
                        )
                    )
        marks = tender.allowed_scores(criterion)
        for mark in descriptors or {}:
            if not 0 <= mark <= maximum or (marks is not None and mark not in marks):
                where = (
                    "one of the allowed scores" if marks is not None else f"in 0..{_num(maximum)}"
                )
                problems.append(
                    Problem(
                        "bad_scale",
                        f"criterion {criterion.id}: descriptor for mark {_num(mark)}, which is not"
                        f" {where}",
                        Location(path=json_path([*at, "descriptors", _num(mark)])),
                        criterion=criterion.id,
                    )
                )
    return _unique(problems)


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    out = []
    for problem in problems:
        key = (problem.message, str(problem.location))
        if key not in seen:
            seen.add(key)
            out.append(problem)
    return out


def check_tender(tender: Tender, file: str | None = None) -> list[Problem]:
    """Weights that add up, complete price and social value methods, unique criteria."""
    problems: list[Problem] = []

    def add(code: str, message: str, *parts: str | int, criterion: str | None = None) -> None:
        problems.append(
            Problem(code, message, Location(file=file, path=json_path(parts)), criterion=criterion)
        )

    weights = tender.weights
    total = weights.quality + weights.price + weights.social_value
    points = tender.points_total
    if tender.total_points is not None and tender.total_points <= 0:
        add("not_positive", "total_points must be greater than 0", "total_points")
    elif total != points:
        named = " (total_points)" if tender.total_points is not None else ""
        add(
            "weights_sum",
            f"block weights must add up to {_num(points)} points{named}; quality"
            f" {_num(weights.quality)} + price {_num(weights.price)}"
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
                f"quality criteria weights add up to {_num(declared)} points but weights.quality "
                f"is {_num(weights.quality)}"
                " (or declare weights_basis: percent_of_block if they are percentages of the quality block)",
                "quality",
                "criteria",
            )
        elif (
            quality.criteria and quality.weights_basis == "percent_of_block" and declared != HUNDRED
        ):
            add(
                "criteria_weights_sum",
                "with weights_basis: percent_of_block the quality criteria weights must add up "
                f"to 100; they add up to {_num(declared)}",
                "quality",
                "criteria",
            )
        problems.extend(
            p.at(file=file)
            for p in _check_marks(
                quality.allowed_scores,
                None,
                [c for c in quality.criteria if c.allowed_scores is None],
                tender,
                ["quality"],
            )
            + _check_marks(
                None,
                quality.descriptors,
                [c for c in quality.criteria if c.descriptors is None],
                tender,
                ["quality"],
            )
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
                f"price ceiling ({_num(price.ceiling)}) must be greater than floor "
                f"({_num(price.floor)}), and floor at least 0",
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
                        f'allowed measure "{measure_id}" is not in library {library.id} {library.version}'
                        + did_you_mean(measure_id, list(library.by_id)),
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
    problems += check_deflator_overrides(tender, file)  # docs/methods-net.md
    return problems + check_award_tender(tender, file)  # lots, gates and the award rule
