"""Explanations: the formula and the numbers behind each published figure, in words.

Exact values are shown exactly when they terminate; otherwise to six places followed by an
ellipsis, then the published rounding, so a reader can redo every step by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from svengine.display import PEOPLE_PLACES, figure, fixed, money
from svengine.model.construct import built
from svengine.model.result import Explanation
from svengine.model.tender import Tender
from svengine.numbers import exact_text, terminating_places
from svengine.scoring import rules
from svengine.scoring.price_models import PriceLine, discount_rate_pct
from svengine.scoring.quality import deduction
from svengine.scoring.social_value import (
    ValuedCommitment,
    net_commitment_words,
    net_total,
    net_total_words,
    reports_net,
    total_amount,
)
from svengine.scoring.working import ScoredBid, ScoredCriterion


@dataclass(frozen=True)
class Context:
    """The figures every explanation refers to."""

    tender: Tender
    w_quality: Fraction
    w_price: Fraction
    w_social_quant: Fraction
    lowest_price: Fraction | None
    highest_price: Fraction | None
    best_quality: Fraction | None
    best_social: Fraction | None
    available_quality: Fraction = Fraction(0)
    """Σ of the quality criteria's weights in points (the same for every bid)."""
    criterion_texts: dict[tuple[str, Decimal | Fraction], str] = field(default_factory=dict)
    """One criterion's working by criterion id and score: the same few texts recur in every bid."""
    commitment_texts: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)
    """The fixed words around a commitment's quantity and amount, by measure id and years."""
    same_texts: dict[str, str] = field(default_factory=dict)
    """Quality and total paragraphs already written: bids with the same marks share one string."""

    @cached_property
    def reports_net(self) -> bool:
        """The tender reports net social value (docs/methods-net.md); asked once, not per bid."""
        return reports_net(self.tender)

    @cached_property
    def quality_available_text(self) -> str:
        """`of A (minimum p% = m)`: the quality points available and the minimum, the same for every bid."""
        available = self.available_quality
        text = f"of {figure(available)}"
        quality = self.tender.quality
        if quality is not None and quality.min_total_pct is not None:
            text += (
                f" (minimum {figure(quality.min_total_pct)}% = "
                f"{figure(available * Fraction(quality.min_total_pct) / 100)})"
            )
        return text


def _published(tender: Tender, exact: Fraction, published: Decimal) -> str:
    rounding = tender.rounding
    return f"{figure(exact)} → {published} (rounded {rounding.mode.replace('_', ' ')} to {rounding.places} places)"


def explain_bid(context: Context, item: ScoredBid, rank: int | None) -> Explanation:
    """Plain-English working for one bid's quality, price, social value and total."""
    tender = context.tender
    return built(
        Explanation,  # the engine's own strings: nothing to validate
        quality=_shared(context, _quality(context, item)),
        evaluated_price=_evaluated_price(tender, item),
        price=_price(context, item),
        social_value=_social_value(context, item),
        total=_shared(context, _total(tender, item, rank)),
    )


def _shared(context: Context, text: str) -> str:
    # Memory: about half the bids of a large tender repeat another's quality paragraph (the same
    # marks), and many their total's; each result keeps the one string (immutable) instead of a copy.
    return context.same_texts.setdefault(text, text)


def _criteria(context: Context, rows: list[ScoredCriterion]) -> str:
    return "; ".join(_criterion(context, row) for row in rows)


def _criterion(context: Context, row: ScoredCriterion) -> str:
    criterion, weight, points, score = row
    key = (criterion.id, score.score)  # equal scores are written alike and earn equal points
    text = context.criterion_texts.get(key)
    if text is None:
        text = (
            f"{criterion.id}: {figure(weight)} × "
            f"{figure(score.score)}/{figure(context.tender.max_score(criterion))} = "
            f"{figure(points)}"
        )
        context.criterion_texts[key] = text
    return text


def _quality(context: Context, item: ScoredBid) -> str:
    tender = context.tender
    if tender.quality is None or not item.quality_criteria:
        return "No quality criteria in this tender."
    text = (
        f"{_criteria(context, item.quality_criteria)}. Quality points T = "
        f"{figure(item.quality_total)} {context.quality_available_text}."
    )
    if item.excluded:
        return text + " Excluded: " + "; ".join(f.message for f in item.exclusions) + "."
    exact = item.block_points["quality"]
    if tender.quality.method == "absolute":
        return (
            text
            + f" Absolute method: score = T = {_published(tender, exact, item.block_scores['quality'])}."
        )
    shown = {
        rules.W_QUALITY: figure(context.w_quality),
        rules.T: figure(item.quality_total),
        rules.T_BEST: figure(context.best_quality or 0),
    }
    method = tender.quality.method
    how = rules.QUALITY_WORDS[method]
    published = _published(tender, exact, item.block_scores["quality"])
    if not context.best_quality:
        return text + f" {how.title}: {rules.equal_words(how, shown)} = {published}."
    return text + f" {_rule_words(rules.QUALITY[method], how, shown)} = {published}."


def _rule_words(rule: rules.Expr, how: rules.Words, shown: dict[rules.Expr, str]) -> str:
    """`Title: the rule in words`, both from the rule's one definition (scoring/rules.py)."""
    return f"{how.title}: {rules.words(rule, shown, how)}"


def _price(context: Context, item: ScoredBid) -> str:
    tender = context.tender
    price = money(item.price)
    if item.excluded:
        return f"Price {price} {tender.currency}; not scored because the bid is excluded."
    exact = item.block_points["price"]
    result = _published(tender, exact, item.block_scores["price"])
    w = figure(context.w_price)
    block = tender.price
    if context.w_price == 0:
        return f"Price {price}; {rules.PRICE_UNWEIGHTED}."
    lowest, highest = context.lowest_price, context.highest_price
    assert lowest is not None and highest is not None
    how = rules.PRICE_WORDS[block.method]
    shown = {
        rules.W_PRICE: w,
        rules.P: price,
        rules.P_MIN: money(lowest),
        rules.P_MAX: money(highest),
    }
    if block.method == "min_max_linear" and highest == lowest:
        return f"{how.title}: {rules.equal_words(how, shown)} = {result}."
    if block.method == "reference_linear":
        assert block.ceiling is not None and block.floor is not None
        shown |= {rules.CEILING: money(block.ceiling), rules.FLOOR: money(block.floor)}
    return f"{_rule_words(rules.PRICE[block.method], how, shown)} = {result}."


_MODEL_WORDS = {
    "basket": ("Basket", "Σ volume × unit price"),
    "schedule_of_rates": ("Schedule of rates", "Σ volume × base rate × (1 + adjustment/100)"),
    "multi_part": ("Multi-part price", "Σ multiplier × amount"),
    "whole_life": ("Whole-life cost", "Σ over parts and years of amount / (1 + r)^year"),
}


def _price_line(line: PriceLine, described: set[str]) -> str:
    # Each item's description is shown once: a whole-life part has a line per year.
    name = line.item + (
        f" ({line.description})" if line.description and line.item not in described else ""
    )
    described.add(line.item)
    if line.year is not None:
        return (
            f"{name} year {line.year}: {money(line.rate)} × {figure(line.discount_factor or 0)} = "
            f"{money(line.amount)}"
        )
    if line.adjustment_pct is not None:
        sign = "−" if line.adjustment_pct < 0 else "+"
        return (
            f"{name} [{line.section}]: {figure(line.quantity or 0)} × {money(line.rate)} × (1 "
            f"{sign} {figure(abs(line.adjustment_pct))}/100)"
            f" = {money(line.amount)}"
        )
    return f"{name}: {figure(line.quantity or 0)} × {money(line.rate)} = {money(line.amount)}"


def _evaluated_price(tender: Tender, item: ScoredBid) -> str:
    priced = item.priced
    assert priced is not None
    block = tender.price
    vat = f"VAT {block.vat}"
    if priced.model == "lump_sum":
        assert priced.stated is not None
        text = f"Lump sum: the bid's price {money(priced.stated)} {tender.currency} ({vat}) is the evaluated price"
        if Fraction(priced.stated) != priced.evaluated and block.evaluated_rounding is not None:
            rounding = block.evaluated_rounding
            text += (
                f", rounded {rounding.mode.replace('_', ' ')} to {rounding.places} places: "
                f"{money(priced.evaluated)}"
            )
        return text + "."
    title, formula = _MODEL_WORDS[priced.model]
    assert priced.computed is not None
    text = f"{title} ({vat}): {formula}"
    if priced.model == "whole_life":
        rate = discount_rate_pct(block)
        text += (
            f", r = {figure(rate)}%, discount factor 1 / {figure(1 + Fraction(rate) / 100)}^year"
        )
    described: set[str] = set()
    text += ". " + "; ".join(_price_line(line, described) for line in priced.lines)
    declared = block.evaluated_rounding
    if declared is None and terminating_places(priced.computed) is None:
        text += (
            f". Evaluated price ({tender.currency}) = exactly {exact_text(priced.computed)}, about"
            f" {fixed(priced.computed, PEOPLE_PLACES)} (shown to the penny only for reading): it never"
            " ends as a decimal, and as the tender declares no price.evaluated_rounding the exact"
            " figure is the one scored."
        )
    else:
        text += f". Evaluated price ({tender.currency}) = {money(priced.computed)}"
        if declared is not None and priced.evaluated != priced.computed:
            mode = declared.mode.replace("_", " ")
            text += f" → {money(priced.evaluated)} (rounded {mode} to {declared.places} places)"
        text += "."
    if priced.stated is not None:
        if priced.arithmetic_error and terminating_places(priced.evaluated) is None:
            text += (
                f" The bid states {money(priced.stated)}, which is not the exact figure: an arithmetic"
                " error (a tender that wants totals stated to the penny to agree declares"
                " price.evaluated_rounding); the exact computed figure is evaluated."
            )
        elif priced.arithmetic_error:
            text += (
                f" The bid states {money(priced.stated)}: an arithmetic error; the computed "
                f"{money(priced.evaluated)} is evaluated."
            )
        else:
            text += f" The bid states {money(priced.stated)}, which agrees."
    return text


def _social_value(context: Context, item: ScoredBid) -> str:
    tender = context.tender
    block = tender.social_value
    if block is None:
        return "Social value is not evaluated in this tender."
    parts = [_commitment(context, c) for c in item.commitments]
    additionality = item.social_value * 100 / Fraction(tender.contract_value)
    text = (
        ("; ".join(parts) + ". " if parts else "No commitments offered. ")
        + (
            net_total_words(tender, total_amount(item.commitments), net_total(item.commitments))
            if context.reports_net
            else ""
        )
        + ("Counted" if context.reports_net else "Total")
        + f" social value {money(item.social_amount)} = {figure(additionality)}% of the "
        f"contract value {money(tender.contract_value)}."
    )
    if item.excluded:
        return text + " Not scored because the bid is excluded."
    quant = item.quantitative_points
    assert quant is not None
    w = figure(context.w_social_quant)
    best = context.best_social
    if context.w_social_quant == 0:
        text += " " + rules.sentence(rules.SOCIAL_VALUE_UNWEIGHTED)
    else:
        shown: dict[rules.Expr, str] = {rules.W_SV_QUANT: w}
        if block.method == "target":
            shown[rules.ADDITIONALITY] = figure(additionality)
            shown[rules.TARGET_PCT] = figure(block.target_pct or 0)
        elif block.method == "relative_to_highest" and best:
            shown |= {rules.SV: money(item.social_amount), rules.SV_MAX: money(best)}
        elif best:
            shown[rules.SVPP] = figure(item.social_value / item.price)
            shown[rules.SVPP_MAX] = figure(best)
        rule, how = rules.SOCIAL_VALUE[block.method], rules.SOCIAL_VALUE_WORDS[block.method]
        if block.method != "target" and not best:
            text += " " + rules.sentence(rules.equal_words(how, shown))
        else:
            text += f" {_rule_words(rule, how, shown)} = {figure(quant)}."
    if item.social_criteria:
        text += f" Criteria: {_criteria(context, item.social_criteria)}."
    exact = item.block_points["social_value"]
    return (
        text
        + f" Social value score = {_published(tender, exact, item.block_scores['social_value'])}."
    )


def _commitment(context: Context, c: ValuedCommitment) -> str:
    measure = c.measure
    if not c.counted:
        return f"{measure.id} not counted (outside the allowed measures)"
    if measure.record_only:
        return f"{measure.id} {figure(c.commitment.quantity)} {measure.unit} recorded (record-only, worth 0)"
    # Everything but the quantity and the amount is fixed by the measure and the years: written once.
    key = (measure.id, c.years)
    head_tail = context.commitment_texts.get(key)
    if head_tail is None:
        proxy = money(measure.proxy_value) if measure.proxy_value is not None else "record only"
        head_tail = context.commitment_texts[key] = (
            f"{measure.id} ",
            f" {measure.unit} × {c.years} yr × {proxy} = ",
        )
    head, tail = head_tail
    text = head + figure(c.commitment.quantity) + tail + money(c.amount)
    return text + net_commitment_words(c) if c.net_amount is not None else text


def _total(tender: Tender, item: ScoredBid, rank: int | None) -> str:
    if item.excluded:
        return "Excluded, so not ranked: " + "; ".join(f.message for f in item.exclusions) + "."
    scores = item.block_scores
    scale = f" of {figure(tender.total_points)}" if tender.total_points is not None else ""
    text = (
        f"Total = quality {scores['quality']} + price {scores['price']} + social value {scores['social_value']}"
        f" = {item.total}{scale} (the sum of the published block scores)."
    )
    if item.fictitious is not None:
        text += " " + _fictitious(tender, item)
    if rank is not None:
        text += f" Rank {rank}."
    return text


def _fictitious(tender: Tender, item: ScoredBid) -> str:
    """Award on value: the deductions and the fictitious price the bid is ranked on."""
    assert item.fictitious is not None and item.deductions is not None
    parts = []
    for criterion, _, _, score in item.quality_criteria:
        if criterion.money_value is not None:
            amount = deduction(tender, criterion, score.score)
            parts.append(
                f"{criterion.id} {money(criterion.money_value)} × {figure(score.score)}/"
                f"{figure(tender.max_score(criterion))} = {money(amount)}"
            )
    return (
        f"Award on value (fictitious price): deductions {'; '.join(parts) or 'none'}; "
        f"fictitious price = evaluated price {money(item.price)} − deductions "
        f"{money(item.deductions)} = {money(item.fictitious)} {tender.currency}, ranked lowest first"
        f" (the price invoiced stays {money(item.price)})."
    )
