"""The evaluation, in the published order of operations.

1. check every input (all problems at once);
2. thresholds: bids below a criterion's min_score or the quality minimum are excluded, and leave
   the reference set (Procurement Act 2023 s.23(3)(a); CJEU C-546/16 Montte);
3. price and social value scores against the reference set;
4. weighting; each block rounded as declared; the total is the sum of the rounded blocks;
5. ranking by the published total and the tie-break chain.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from svengine.checks import (
    check_decisions,
    check_inputs,
    check_panel_config,
    check_sv_moderation,
    check_tender,
)
from svengine.display import figure, money
from svengine.model.award import Decisions
from svengine.model.bid import Bid
from svengine.model.construct import builder, built
from svengine.model.panel import Panel, SvModeration
from svengine.model.result import (
    BidResult,
    CommitmentResult,
    CriterionResult,
    Flag,
    QualityResult,
    ReferenceValues,
    Result,
    SocialValueResult,
    Summary,
    TenderSummary,
)
from svengine.model.scores import Score
from svengine.model.tender import Criterion, Tender
from svengine.numbers import (
    RoundingMode,
    decimal_text,
    exact_text,
    fraction_sum,
    money_text,
    round_fraction,
    round_ratio,
    to_exact_decimal,
)
from svengine.problems import Location, Problem, raise_if_any
from svengine.scoring import award, explain, shared_results
from svengine.scoring.gaming import gaming_flags
from svengine.scoring.panel import (
    AgreedScore,
    agreed_scores,
    effective_panel,
    panel_result,
    spread_message,
)
from svengine.scoring.price import price_points
from svengine.scoring.price_models import (
    arithmetic_flag,
    evaluate_price,
    evaluated_figure,
    price_result,
)
from svengine.scoring.quality import (
    criterion_points,
    criterion_weight_points,
    fictitious_price,
    quality_block_points,
    total_deduction,
)
from svengine.scoring.ranking import Standing, rank
from svengine.scoring.rules import BLOCKS
from svengine.scoring.size import supplier_size
from svengine.scoring.social_value import (
    counts_net,
    net_total,
    net_value_result,
    quantitative_points,
    reports_net,
    total_amount,
    value_commitments,
)
from svengine.scoring.sv_moderation import moderate
from svengine.scoring.weights import quantitative_weight
from svengine.scoring.working import ScoredBid
from svengine.seal.digests import sealed


def check_all(
    tender: Tender,
    bids: Sequence[Bid],
    scores: Sequence[Score],
    sv_moderation: Sequence[SvModeration] = (),
    decisions: Decisions | None = None,
) -> list[Problem]:
    """Every problem that stops an evaluation, from the tender, the bids and the scores together."""
    problems = check_tender(tender) + check_panel_config(tender)
    if tender.social_value is not None and tender.measure_library is None:
        problems.append(
            Problem(
                "library_not_loaded",
                "the tender's social value library was not loaded; use load_tender() or pass measure_library",
                Location(path="$.social_value.library"),
            )
        )
    bid_problems, score_problems = check_inputs(
        tender, bids, scores, sv_moderation=sv_moderation
    )  # lot by lot
    problems += bid_problems + score_problems
    problems += check_sv_moderation(tender, bids, sv_moderation)
    if decisions is not None:
        problems += check_decisions(tender, bids, decisions)
    return problems


def evaluate(
    tender: Tender,
    bids: Sequence[Bid],
    scores: Sequence[Score],
    sv_moderation: Sequence[SvModeration] = (),
    decisions: Decisions | None = None,
) -> Result:
    """Evaluate the bids exactly as the tender publishes; raises InvalidInput listing every problem.

    Panel scores (rows naming their evaluator) are first aggregated to one score per bid and
    criterion by the tender's panel rule; `sv_moderation` decisions apply before social value is
    totalled. Each lot is its own competition; `decisions` (decisions.yaml) disregard tenders
    before any reference value is computed; the award rule then appoints (docs/award.md).
    """
    raise_if_any(check_all(tender, bids, scores, sv_moderation, decisions))
    return sealed(
        evaluate_unsealed(tender, bids, scores, sv_moderation, decisions), tender
    )  # names the engine and the method's digest (docs/audit.md)


def evaluate_unsealed(
    tender: Tender,
    bids: Sequence[Bid],
    scores: Sequence[Score],
    sv_moderation: Sequence[SvModeration] = (),
    decisions: Decisions | None = None,
) -> Result:
    """`evaluate` without its audit block, for inputs `check_all` has already passed (the folder
    reader runs every one of its checks): the caller seals the result once, input files included."""
    parts = award.split_lots(tender, bids, scores, sv_moderation)
    lots = [
        _evaluate_lot(
            part.tender,
            part.bids,
            part.scores,
            part.sv_moderation,
            award.pre_exclusions(part, decisions),
        )
        for part in parts
    ]
    return award.decide(tender, parts, lots, decisions)


def _evaluate_lot(
    tender: Tender,
    bids: Sequence[Bid],
    scores: Sequence[Score],
    sv_moderation: Sequence[SvModeration],
    excluded: Mapping[str, Sequence[Flag]],
) -> Result:
    """One competition (a lot, or the whole tender), unsealed; `excluded`: bids already out, with why."""
    weights = tender.weights
    w_quality, w_price = Fraction(weights.quality), Fraction(weights.price)
    w_social_quant = Fraction(quantitative_weight(tender))
    by_cell = agreed_scores(tender, scores)
    panel = effective_panel(tender, scores)

    # A criterion's weight in points and maximum are the same for every bid, and its points depend
    # only on the score, of which there are a handful (0 to 5, say): compute each once per lot.
    constants = {
        c.id: (criterion_weight_points(tender, c, w_quality), Fraction(tender.max_score(c)))
        for c in (*tender.quality_criteria, *tender.social_value_criteria)
    }
    points_of: dict[tuple[str, Decimal | Fraction], Fraction] = {}

    def scored_criteria(
        bid: Bid, criteria: Sequence[Criterion]
    ) -> list[tuple[Criterion, Fraction, Fraction, Score | AgreedScore]]:
        out = []
        for criterion in criteria:
            score = by_cell[(bid.bidder.id, criterion.id)]
            weight_points, maximum = constants[criterion.id]
            key = (criterion.id, score.score)  # equal scores (3 and 3.0) earn equal points
            points = points_of.get(key)
            if points is None:
                points = points_of[key] = criterion_points(
                    weight_points, Fraction(score.score), maximum
                )
            out.append((criterion, weight_points, points, score))
        return out

    available_quality = sum(
        (criterion_weight_points(tender, c, w_quality) for c in tender.quality_criteria),
        Fraction(0),
    )
    required_quality = _required_quality(tender, available_quality)
    count_net = counts_net(tender)
    net = reports_net(tender)
    working: list[ScoredBid] = []
    for bid in sorted(bids, key=lambda b: b.bidder.id):
        quality_criteria = scored_criteria(bid, tender.quality_criteria)
        moderated, moderation, moderation_flags = moderate(bid, sv_moderation)
        commitments, flags = value_commitments(tender, moderated, net)
        # The value scored and behind additionality: gross unless `social_value.count: net`.
        social_amount = net_total(commitments) if count_net else total_amount(commitments)
        social_criteria = scored_criteria(bid, tender.social_value_criteria)
        flags += (
            _spread_flags(tender, panel, [*quality_criteria, *social_criteria]) + moderation_flags
        )
        item = ScoredBid(
            bid=bid,
            quality_criteria=quality_criteria,
            social_criteria=social_criteria,
            quality_total=fraction_sum(points for *_, points, _ in quality_criteria),
            commitments=commitments,
            social_value=Fraction(social_amount),
            social_amount=social_amount,
            flags=flags,
            priced=evaluate_price(tender.price, bid),
            moderation=moderation,
        )
        if item.priced is not None and item.priced.arithmetic_error:
            item.flags.append(arithmetic_flag(item.priced))
        item.exclusions = [
            *excluded.get(bid.bidder.id, ()),
            *_threshold_exclusions(tender, item, available_quality, required_quality),
        ]
        working.append(item)

    gaming_flags(tender, working)
    valid = [item for item in working if not item.excluded]
    reference_prices = [item.price for item in valid]
    best_quality = max((item.quality_total for item in valid), default=None)
    best_social = max((item.social_value for item in valid), default=None)
    best_ratio = max((item.social_value_per_price for item in valid), default=None)
    ratio_method = (
        tender.social_value is not None
        and tender.social_value.method == "relative_to_highest_ratio"
    )
    reference = ReferenceValues(
        lowest_price=evaluated_figure(min(reference_prices)) if reference_prices else None,
        highest_price=evaluated_figure(max(reference_prices)) if reference_prices else None,
        best_quality_points=exact_text(best_quality) if best_quality is not None else None,
        highest_social_value=_money(best_social) if best_social is not None else None,
        highest_social_value_per_price=exact_text(best_ratio) if best_ratio is not None else None,
    )

    # Memory: block scores repeat (a handful of quality marks give a handful of quality scores), and
    # every bid's result keeps its own; equal fractions round to one shared (immutable) Decimal.
    same_rounded: dict[Fraction, Decimal] = {}

    def rounded(value: Fraction) -> Decimal:
        score = same_rounded.get(value)
        if score is None:
            score = same_rounded[value] = round_fraction(
                value, tender.rounding.places, tender.rounding.mode
            )
        return score

    standings: list[Standing] = []
    if len(valid) >= COLUMNAR_FROM:
        _score_columnar(tender, valid)
    else:
        # The formulas only need the lowest and highest valid price: pass those two, not all n
        # prices, so scoring stays linear in the number of bids (min/max per bid was quadratic).
        price_bounds = [min(reference_prices), max(reference_prices)] if reference_prices else []
        for item in valid:
            blocks = item.block_points
            blocks["quality"] = (
                quality_block_points(tender, w_quality, item.quality_total, best_quality)
                if tender.quality
                else Fraction(0)
            )
            blocks["price"] = price_points(tender.price, w_price, item.price, price_bounds)
            blocks["social_value"] = Fraction(0)
            if tender.social_value is not None:
                item.quantitative_points = quantitative_points(
                    tender,
                    w_social_quant,
                    item.social_value,
                    item.price,
                    best_ratio if ratio_method else best_social,
                )
                blocks["social_value"] = fraction_sum(
                    (item.quantitative_points, *(p for *_, p, _ in item.social_criteria))
                )
            item.block_scores = {name: rounded(value) for name, value in blocks.items()}
    for item in valid:
        item.total = sum(item.block_scores.values(), Decimal(0))
        if tender.award_rule.model == "fictitious_price":
            _fictitious(tender, item)
        standings.append(
            Standing(
                item.bid.bidder.id,
                item.total,
                item.block_scores["quality"],
                item.block_scores["price"],
                item.block_scores["social_value"],
                item.price,
                lead=award.lead(tender, item.price, item.total, item.fictitious),
            )
        )

    ranks: dict[str, tuple[int, list[str]]] = {}
    for standing, rank_value, tied in rank(standings, tender.tie_break):
        ranks[standing.bidder_id] = (rank_value, tied)
    same_total: dict[Decimal | tuple[Fraction, ...], list[str]] = {}
    for standing in standings:
        same_total.setdefault(standing.primary, []).append(standing.bidder_id)
    primaries = {standing.bidder_id: standing.primary for standing in standings}
    for item in valid:
        others = [b for b in same_total[primaries[item.bid.bidder.id]] if b != item.bid.bidder.id]
        untied = [b for b in others if b not in ranks[item.bid.bidder.id][1]]
        if untied:
            item.flags.append(
                shared_results.flag(
                    code="tie_broken",
                    message="same "
                    f"{award.primary_text(tender, item.total, primaries[item.bid.bidder.id])} "
                    f"as {', '.join(sorted(untied))}; the order was decided by the"
                    f" published tie-break ({', '.join(tender.tie_break)})",
                )
            )

    bid_results: list[BidResult] = []
    context = explain.Context(
        tender=tender,
        w_quality=w_quality,
        w_price=w_price,
        w_social_quant=w_social_quant,
        lowest_price=min(reference_prices) if reference_prices else None,
        highest_price=max(reference_prices) if reference_prices else None,
        best_quality=best_quality,
        best_social=best_ratio if ratio_method else best_social,
        available_quality=available_quality,
    )
    shared: dict[tuple[str, str, str | None], CriterionResult] = {}
    disagreements = _disagreements(working) if panel is not None else 0
    available = to_exact_decimal(
        available_quality
    )  # the same for every bid: one object, not one each
    by_cell.clear()  # the scores as weighted, one entry per bid and criterion: no longer needed
    # Memory: each bid's working state (fractions, valued commitments, scored criteria) is dropped
    # as soon as its result is built, so the two are never all alive at once (the peak of a large
    # evaluation). Popping from the reversed list keeps the bids' order.
    del valid
    working.reverse()
    while working:
        item = working.pop()
        bid_results.append(
            _bid_result(tender, item, ranks.get(item.bid.bidder.id), context, shared, available)
        )

    bid_results.sort(key=_result_order)
    result = Result(
        tender=TenderSummary(
            id=tender.id,
            title=tender.title,
            currency=tender.currency,
            contract_value=tender.contract_value,
        ),
        summary=_summary(bid_results),
        reference=reference,
        bids=tuple(bid_results),
        panel=panel_result(tender, panel, scores, disagreements) if panel is not None else None,
    )
    return result


def _fictitious(tender: Tender, item: ScoredBid) -> None:
    """fictitious_price: the deductions and the fictitious price the bid is ranked on; a negative
    one (deductions above the price) still ranks, lowest first, and is flagged (docs/methods.md)."""
    item.deductions = total_deduction(
        tender, [(criterion, score.score) for criterion, _, _, score in item.quality_criteria]
    )
    item.fictitious = fictitious_price(item.price, item.deductions)
    if item.fictitious < 0:
        item.flags.append(
            Flag(
                code="fictitious_price_below_zero",
                message=f"the quality deductions {money(item.deductions)} exceed the evaluated price"
                f" {money(item.price)}: fictitious price {money(item.fictitious)}; it ranks as it"
                " is (lowest first), the invoiced price stays the bid's price",
            )
        )


COLUMNAR_FROM = 1000
"""Competitions with at least this many bids still in them are scored on the vectorised exact path
(`scoring.columnar.score_exact`: the same rules over integer arrays); smaller ones bid by bid over
Fractions, which is quicker below it (numpy is not even imported). Both give the same bytes
(tests/test_result_bytes.py evaluates every example both ways)."""


def _score_columnar(tender: Tender, valid: Sequence[ScoredBid]) -> None:
    """Each valid bid's block points, £ part and published block scores, from `score_exact`."""
    from svengine.scoring.columnar import score_exact  # numpy: only for large tenders

    scored = score_exact(
        tender,
        [item.quality_total for item in valid],
        [item.price for item in valid],
        [item.social_value for item in valid],
        [fraction_sum(p for *_, p, _ in item.social_criteria) for item in valid],
    )
    n, places = len(valid), scored.places
    exact = {block: scored.fractions(block, n) for block in (*BLOCKS, "quantitative")}
    units = {block: scored.units[block].tolist() for block in BLOCKS}
    same: dict[int, Decimal] = {}  # equal scores share one (immutable) Decimal, as `rounded` does
    for index, item in enumerate(valid):
        for block in BLOCKS:
            item.block_points[block] = exact[block][index]
            value = int(units[block][index])
            published = same.get(value)
            if published is None:
                published = same[value] = Decimal(f"{value}E-{places}")
            item.block_scores[block] = published
        if tender.social_value is not None:
            item.quantitative_points = exact["quantitative"][index]


def _spread_flags(
    tender: Tender,
    panel: Panel | None,
    rows: Sequence[tuple[Criterion, Fraction, Fraction, Score | AgreedScore]],
) -> list[Flag]:
    return [
        Flag(
            code="spread",
            message=spread_message(
                criterion, tender.max_score(criterion), score.trail, panel.spread_tolerance_pct
            ),
        )
        for criterion, _, _, score in rows
        if panel is not None and isinstance(score, AgreedScore) and score.trail.disagreement
    ]


def _disagreements(working: Sequence[ScoredBid]) -> int:
    return sum(
        1
        for item in working
        for *_, score in (*item.quality_criteria, *item.social_criteria)
        if isinstance(score, AgreedScore) and score.trail.disagreement
    )


def _score_text(value: Decimal | Fraction) -> str:
    return decimal_text(value) if isinstance(value, Decimal) else exact_text(value)


def _money(value: Fraction) -> Decimal:
    return Decimal(money_text(to_exact_decimal(value)))


def _money_decimal(value: Decimal) -> Decimal:
    """`_money` of an exact decimal: money_text writes equal values alike, so no Fraction is needed."""
    return Decimal(money_text(value))


def rounded_percentage(amount: Decimal, base: Fraction, places: int, mode: RoundingMode) -> Decimal:
    """`additionality(amount, base)` rounded as declared, from integers (no Fraction built)."""
    numerator, denominator = amount.as_integer_ratio()
    numerator, denominator = numerator * 100 * base.denominator, denominator * base.numerator
    if denominator < 0:  # round_ratio wants the sign on the numerator, as a Fraction keeps it
        numerator, denominator = -numerator, -denominator
    return round_ratio(numerator, denominator, places, mode)


def _required_quality(tender: Tender, available: Fraction) -> Fraction | None:
    """The quality points a bid needs (min_total_pct of those available), None without a minimum."""
    quality = tender.quality
    if quality is not None and quality.min_total_pct is not None and quality.criteria:
        return available * Fraction(quality.min_total_pct) / 100
    return None


def _threshold_exclusions(
    tender: Tender, item: ScoredBid, available: Fraction, required: Fraction | None
) -> list[Flag]:
    exclusions: list[Flag] = []
    for criterion, _, _, score in (*item.quality_criteria, *item.social_criteria):
        if criterion.min_score is not None and score.score < criterion.min_score:
            exclusions.append(
                shared_results.flag(
                    code="below_min_score",
                    message=f"{criterion.id} ({criterion.title}) scored {_score_text(score.score)},"
                    f" below the minimum of {decimal_text(criterion.min_score)}",
                )
            )
    quality = tender.quality
    if (
        quality is not None
        and quality.min_total_pct is not None
        and required is not None
        and item.quality_total < required
    ):
        exclusions.append(
            shared_results.flag(
                code="below_min_total_quality",
                message=f"quality points {figure(item.quality_total)} are below the minimum of"
                f" {decimal_text(quality.min_total_pct)}% of {figure(available)} available"
                f" ({figure(required)})",
            )
        )
    return exclusions


def _criterion_results(
    rows: list[tuple[Criterion, Fraction, Fraction, Score | AgreedScore]],
    tender: Tender,
    shared: dict[tuple[str, str, str | None], CriterionResult],
) -> tuple[CriterionResult, ...]:
    return tuple(criterion_result(row, tender, shared) for row in rows)


def criterion_result(
    row: tuple[Criterion, Fraction, Fraction, Score | AgreedScore],
    tender: Tender,
    shared: dict[tuple[str, str, str | None], CriterionResult],
) -> CriterionResult:
    criterion, weight_points, points, score = row
    # Without a panel trail, a criterion's result is fixed by the score as written and the comment,
    # and a few of those recur in every bid: bids share one (frozen) object, built once. The key
    # is the score's text, not its value, so 3 and 3.0 (written differently) are never shared.
    key = (
        None if isinstance(score, AgreedScore) else (criterion.id, str(score.score), score.comment)
    )
    if key is not None and key in shared:
        return shared[key]
    result = built(
        CriterionResult,
        id=criterion.id,
        title=criterion.title,
        weight=to_exact_decimal(weight_points),
        max_score=tender.max_score(criterion),
        min_score=criterion.min_score,
        score=score.score,
        points=exact_text(points),
        comment=score.comment,
        panel=score.trail if isinstance(score, AgreedScore) else None,
    )
    if key is not None:
        shared[key] = result
    return result


def _bid_result(
    tender: Tender,
    item: ScoredBid,
    ranking: tuple[int, list[str]] | None,
    context: explain.Context,
    shared: dict[tuple[str, str, str | None], CriterionResult],
    available: Decimal,
) -> BidResult:
    bid = item.bid
    published = item.block_scores
    flags = list(item.flags)
    rank_value: int | None = None
    if ranking is not None:
        rank_value, tied = ranking
        if tied:
            flags.append(
                Flag(
                    code="tie",
                    message=f"tied at rank {rank_value} with {', '.join(tied)}: same {award.primary_name(tender)}"
                    + (f" and same {', '.join(tender.tie_break)}" if tender.tie_break else "")
                    + "; no published rule breaks the tie",
                )
            )
    assert item.priced is not None
    # The result models are built with `built` (model_construct, faster: model/construct.py):
    # every value here is the engine's own (Decimals from round_fraction/to_exact_decimal, exact
    # text, validated input fields), so re-validating them cost a quarter of a large evaluation
    # and checked nothing a user wrote.
    # tests/test_result_streaming.py checks that validating the built result changes nothing.
    contract_value = Fraction(tender.contract_value)
    rounding = tender.rounding
    result = built(
        BidResult,
        bidder_id=bid.bidder.id,
        bidder_name=bid.bidder.name,
        status="excluded" if item.excluded else "ranked",
        rank=rank_value,
        total_score=item.total,
        quality=built(
            QualityResult,
            score=published.get("quality"),
            points=exact_text(item.quality_total),
            available=available,
            criteria=_criterion_results(item.quality_criteria, tender, shared),
        ),
        price=price_result(tender.price, item.priced, published.get("price")),
        social_value=built(
            SocialValueResult,
            total=_money_decimal(item.social_amount),
            additionality_pct=rounded_percentage(
                item.social_amount, contract_value, rounding.places, rounding.mode
            ),
            additionality_pct_of_price=rounded_percentage(
                item.social_amount, item.price, rounding.places, rounding.mode
            ),
            score=published.get("social_value"),
            quantitative_points=exact_text(item.quantitative_points)
            if item.quantitative_points is not None
            else None,
            criteria=_criterion_results(item.social_criteria, tender, shared),
            commitments=tuple(
                _commitment_result(
                    measure=c.measure.id,
                    title=c.measure.title,
                    theme=c.measure.theme,
                    unit=c.measure.unit,
                    quantity=c.commitment.quantity,
                    years=c.years,
                    years_offered=c.commitment.years,
                    proxy_value=c.measure.proxy_value,
                    value=_money_decimal(c.amount),
                    counted=c.counted,
                    description=c.commitment.description,
                    moderation=item.moderation.get(c.measure.id),
                )
                for c in item.commitments
            ),
        ),
        size=supplier_size(bid.bidder, tender.supplier_size),
        vcse=bid.bidder.vcse,
        exclusions=tuple(item.exclusions),
        flags=tuple(flags),
        explain=explain.explain_bid(context, item, rank_value),
        value_ratio=award.value_ratio_text(tender, item.price, item.total),
    )
    # Net social value (docs/methods-net.md): only tenders that declare deflators or count net.
    return net_value_result(result, item.commitments, tender) if context.reports_net else result


_commitment_result = builder(CommitmentResult)  # ten or so per bid: the fastest way to build them


def _result_order(result: BidResult) -> tuple[int, int, str]:
    if result.rank is None:
        return (1, 0, result.bidder_id)
    return (0, result.rank, result.bidder_id)


def _summary(results: Sequence[BidResult]) -> Summary:
    return Summary(
        bids=len(results),
        ranked=sum(1 for r in results if r.status == "ranked"),
        excluded=sum(1 for r in results if r.status == "excluded"),
        sme=sum(1 for r in results if r.size in ("sme", "micro")),
        micro=sum(1 for r in results if r.size == "micro"),
        vcse=sum(1 for r in results if r.vcse),
        size_unknown=sum(1 for r in results if r.size == "unknown"),
    )
