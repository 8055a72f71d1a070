"""Price models: how a bid's price submission becomes the evaluated price that the formula scores.

Each model: what the tender gives, what the bid gives, and the evaluated price.

- lump_sum: nothing; `price`; the price.
- basket: `basket: [{item, volume}]`; `prices: {item: unit price}`; Σ volume × unit price.
- schedule_of_rates: `schedule: [{item, base_rate, volume, section}]`; `adjustment_pct` or
  `adjustments_pct: {section: pct}`; Σ volume × base_rate × (1 + adj/100).
- multi_part: `parts: [{id, multiplier}]`; `prices: {id: amount}`; Σ multiplier × amount.
- whole_life: `parts: [{id, years}]`, `discount_rate_pct`; `prices: {id: amount per listed year}`;
  Σ over parts and years of amount / (1 + r)^year.

Everything is exact (fractions); the evaluated price is rounded only if the tender declares
`price.evaluated_rounding` (required for whole_life, whose discounted sums never terminate), and
the rounded figure is then the one scored, so every published figure can be redone by hand.
Pure: no I/O. The checks here return located problems; they never raise.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache

from svengine.display import grouped
from svengine.model.bid import Bid
from svengine.model.construct import built
from svengine.model.result import Flag, PriceLineResult, PriceResult
from svengine.model.tender import PriceBlock, PriceModel
from svengine.numbers import (
    decimal_text,
    exact_text,
    money_text,
    round_fraction,
    to_exact_decimal,
)
from svengine.problems import Location, Problem

DEFAULT_DISCOUNT_RATE_PCT = Decimal("3.5")
"""The HM Treasury Green Book social time preference rate for years 0-30."""

At = Callable[..., Location]
"""Builds the location of a field from its JSON path parts (relative to the tender or the bid)."""

_OWN_FIELDS: dict[str, tuple[str, ...]] = {
    "lump_sum": (),
    "basket": ("basket",),
    "schedule_of_rates": ("schedule",),
    "multi_part": ("parts",),
    "whole_life": ("parts", "discount_rate_pct"),
}
_BID_FIELDS: dict[str, tuple[str, ...]] = {
    "lump_sum": ("price",),
    "basket": ("price", "prices"),
    "schedule_of_rates": ("price", "adjustment_pct", "adjustments_pct"),
    "multi_part": ("price", "prices"),
    "whole_life": ("price", "prices"),
}
_NOUN = {"basket": "basket item", "multi_part": "price part", "whole_life": "cost part"}


@dataclass(frozen=True)
class PriceLine:
    """One priced line: what it is, the figures it multiplies, and what it adds to the price."""

    item: str
    description: str | None
    rate: Decimal
    """The bid's unit price (basket), the buyer's base rate (schedule_of_rates), or the bid's amount."""
    amount: Fraction
    """What the line adds to the evaluated price, exactly."""
    quantity: Decimal | None = None
    """The volume (basket, schedule_of_rates) or the multiplier (multi_part)."""
    section: str | None = None
    adjustment_pct: Decimal | None = None
    year: int | None = None
    discount_factor: Fraction | None = None
    """1 / (1 + r)^year (whole_life)."""


@dataclass(frozen=True)
class EvaluatedPrice:
    """A bid's evaluated price and the working behind it."""

    model: PriceModel
    lines: tuple[PriceLine, ...]
    computed: Fraction | None
    """Σ of the lines, exactly, before any declared rounding (None for lump_sum)."""
    stated: Decimal | None
    """The price the bid states, if it states one."""
    evaluated: Fraction
    """The amount scored: the computed figure (the stated one for lump_sum), rounded as declared."""

    @property
    def arithmetic_error(self) -> bool:
        """The bid states a price that is not what its lines add up to (after the declared rounding)."""
        return (
            self.computed is not None
            and self.stated is not None
            and Fraction(self.stated) != self.evaluated
        )


def discount_rate_pct(block: PriceBlock) -> Decimal:
    return (
        block.discount_rate_pct
        if block.discount_rate_pct is not None
        else DEFAULT_DISCOUNT_RATE_PCT
    )


@cache  # the same factors recur for every bid and part
def discount_factor(rate_pct: Decimal, year: int) -> Fraction:
    """1 / (1 + r)^year with r = rate_pct / 100, exactly."""
    return 1 / (1 + Fraction(rate_pct) / 100) ** year


def price_lines(block: PriceBlock, bid: Bid) -> tuple[PriceLine, ...]:
    """The priced lines of a bid that passed `check_bid_price` (empty for lump_sum)."""
    prices = bid.prices or {}
    if block.model == "basket":
        return tuple(
            PriceLine(
                i.item,
                i.description,
                prices[i.item],
                Fraction(i.volume) * Fraction(prices[i.item]),
                quantity=i.volume,
            )
            for i in block.basket or ()
        )
    if block.model == "schedule_of_rates":
        lines = []
        for i in block.schedule or ():
            adjustment = (
                bid.adjustment_pct
                if bid.adjustment_pct is not None
                else (bid.adjustments_pct or {})[i.section]
            )
            amount = Fraction(i.volume) * Fraction(i.base_rate) * (1 + Fraction(adjustment) / 100)
            lines.append(
                PriceLine(
                    i.item,
                    i.description,
                    i.base_rate,
                    amount,
                    quantity=i.volume,
                    section=i.section,
                    adjustment_pct=adjustment,
                )
            )
        return tuple(lines)
    if block.model == "multi_part":
        return tuple(
            PriceLine(
                p.id,
                p.description,
                prices[p.id],
                Fraction(p.multiplier or 0) * Fraction(prices[p.id]),
                quantity=p.multiplier,
            )
            for p in block.parts or ()
        )
    if block.model == "whole_life":
        rate = discount_rate_pct(block)
        return tuple(
            PriceLine(
                p.id,
                p.description,
                prices[p.id],
                Fraction(prices[p.id]) * factor,
                year=year,
                discount_factor=factor,
            )
            for p in block.parts or ()
            for year in p.years or ()
            for factor in (discount_factor(rate, year),)
        )
    return ()


def evaluate_price(block: PriceBlock, bid: Bid) -> EvaluatedPrice:
    """The evaluated price of a bid that passed `check_bid_price`."""
    rounding = block.evaluated_rounding

    def declared(value: Fraction) -> Fraction:
        return (
            Fraction(round_fraction(value, rounding.places, rounding.mode)) if rounding else value
        )

    if block.model == "lump_sum":
        assert bid.price is not None
        return EvaluatedPrice("lump_sum", (), None, bid.price, declared(Fraction(bid.price)))
    lines = price_lines(block, bid)
    computed = sum((line.amount for line in lines), Fraction(0))
    return EvaluatedPrice(block.model, lines, computed, bid.price, declared(computed))


# -- checks ------------------------------------------------------------------------------------


def _num(value: Decimal | Fraction) -> str:
    return decimal_text(Decimal(value)) if isinstance(value, Decimal) else str(value)


def _money(value: Fraction) -> str:
    # Evaluated prices always terminate: products of decimals, or rounded as declared (whole_life).
    return grouped(to_exact_decimal(value), min_places=2)


def check_price_block(block: PriceBlock, at: At) -> list[Problem]:
    """The tender's price model: the lines it needs, unique ids, sensible volumes, rates and years."""
    problems: list[Problem] = []

    def add(code: str, message: str, *parts: str | int) -> None:
        problems.append(Problem(code, message, at(*parts)))

    model = block.model
    for name in ("basket", "schedule", "parts", "discount_rate_pct"):
        if getattr(block, name) is not None and name not in _OWN_FIELDS[model]:
            add("unused_parameter", f"price.{name} is not used by the price model {model}", name)
    needed = {
        "basket": "basket",
        "schedule_of_rates": "schedule",
        "multi_part": "parts",
        "whole_life": "parts",
    }.get(model)
    if needed is not None and not getattr(block, needed):
        add(
            "missing_parameter",
            f"price model {model} needs price.{needed}, the list of lines bidders price",
            needed,
        )
    if model == "whole_life" and block.evaluated_rounding is None:
        add(
            "missing_parameter",
            "price model whole_life needs price.evaluated_rounding (for example {places: 2, mode: half_up}):"
            " a discounted cost rarely has a finite decimal expansion, so the tender must say how it is rounded",
            "evaluated_rounding",
        )
    if model == "whole_life" and discount_rate_pct(block) < 0:
        add("bad_parameter", "price.discount_rate_pct must not be negative", "discount_rate_pct")

    if model == "basket":
        for index, item in enumerate(block.basket or ()):
            if item.volume <= 0:
                add(
                    "not_positive",
                    f"basket item {item.item}: volume must be greater than 0",
                    "basket",
                    index,
                    "volume",
                )
        problems += _duplicates((i.item for i in block.basket or ()), "basket", at)
    elif model == "schedule_of_rates":
        for index, rate in enumerate(block.schedule or ()):
            for name in ("base_rate", "volume"):
                if getattr(rate, name) <= 0:
                    add(
                        "not_positive",
                        f"schedule item {rate.item}: {name} must be greater than 0",
                        "schedule",
                        index,
                        name,
                    )
        problems += _duplicates((i.item for i in block.schedule or ()), "schedule", at)
    elif model in ("multi_part", "whole_life"):
        wanted, unwanted = (
            ("multiplier", "years") if model == "multi_part" else ("years", "multiplier")
        )
        for index, part in enumerate(block.parts or ()):
            if getattr(part, unwanted) is not None:
                add(
                    "unused_parameter",
                    f"part {part.id}: {unwanted} is not used by the price model {model}",
                    "parts",
                    index,
                    unwanted,
                )
            if getattr(part, wanted) is None:
                add(
                    "missing_parameter",
                    f"part {part.id}: the price model {model} needs {wanted}",
                    "parts",
                    index,
                )
            elif model == "multi_part" and (part.multiplier or 0) <= 0:
                add(
                    "not_positive",
                    f"part {part.id}: multiplier must be greater than 0",
                    "parts",
                    index,
                    "multiplier",
                )
            elif model == "whole_life":
                years = part.years or ()
                if not years:
                    add(
                        "missing_parameter",
                        f"part {part.id}: years must list at least one year",
                        "parts",
                        index,
                        "years",
                    )
                for year, count in Counter(years).items():
                    if count > 1:
                        add(
                            "duplicate_year",
                            f"part {part.id}: year {year} is listed {count} times",
                            "parts",
                            index,
                            "years",
                        )
        problems += _duplicates((p.id for p in block.parts or ()), "parts", at)
    return problems


def _duplicates(ids: Iterable[str], field: str, at: At) -> list[Problem]:
    return [
        Problem(
            "duplicate_price_item",
            f'"{item}" appears {count} times in price.{field}; ids must be unique',
            at(field),
        )
        for item, count in Counter(ids).items()
        if count > 1
    ]


def check_bid_price(block: PriceBlock, bid: Bid, at: At) -> list[Problem]:
    """Refusals: fields the model does not use, missing or unknown items, adjustments at or below
    −100%, negative amounts, an evaluated price that is not above 0, and (with
    `price.arithmetic: refuse`) a stated price that is not what the lines add up to."""
    problems: list[Problem] = []
    who = bid.bidder.id

    def add(code: str, message: str, *parts: str | int) -> None:
        problems.append(Problem(code, message, at(*parts), bidder=who))

    model = block.model
    for name in ("price", "prices", "adjustment_pct", "adjustments_pct"):
        if getattr(bid, name) is not None and name not in _BID_FIELDS[model]:
            add(
                "unexpected_price_field",
                f'this tender is priced as {model}, so the bid must not give "{name}"',
                name,
            )
    if bid.price is not None and bid.price <= 0:
        add("not_positive", f"price must be greater than 0 (got {_num(bid.price)})", "price")

    if model == "lump_sum":
        if bid.price is None:
            add(
                "missing_price",
                "the bid gives no price; this tender is priced as a lump sum",
                "price",
            )
        return problems

    if model == "schedule_of_rates":
        sections = list(dict.fromkeys(i.section for i in block.schedule or ()))
        if bid.adjustment_pct is not None and bid.adjustments_pct is not None:
            add(
                "conflicting_adjustments",
                "give either adjustment_pct (one for all) or adjustments_pct (per section), not both",
                "adjustments_pct",
            )
        elif bid.adjustment_pct is not None:
            _check_adjustment(bid.adjustment_pct, "all sections", add, "adjustment_pct")
        elif bid.adjustments_pct is not None:
            _check_keys(
                bid.adjustments_pct,
                sections,
                "adjustments_pct",
                add,
                "missing_adjustment",
                "unknown_section",
                "no adjustment for section {key}; give one for every section of the schedule",
                "section",
            )
            for section, pct in bid.adjustments_pct.items():
                _check_adjustment(pct, f"section {section}", add, "adjustments_pct", section)
        else:
            add(
                "missing_adjustment",
                "the bid gives no adjustment_pct (or adjustments_pct per section) to the schedule of rates",
                "adjustment_pct",
            )
    else:
        ids = (
            [i.item for i in block.basket or ()]
            if model == "basket"
            else [p.id for p in block.parts or ()]
        )
        if bid.prices is None:
            add(
                "missing_price_item",
                f"the bid gives no prices; this tender is priced as {model} and every {_NOUN[model]} must be priced",
                "prices",
            )
        else:
            noun = _NOUN[model]
            _check_keys(
                bid.prices,
                ids,
                "prices",
                add,
                "missing_price_item",
                "unknown_price_item",
                f"no price for {noun} {{key}}; every {noun} in the tender must be priced",
                noun,
            )
            for key, value in bid.prices.items():
                if value < 0:
                    add(
                        "negative_price",
                        f'the price of "{key}" must not be negative (got {_num(value)})',
                        "prices",
                        key,
                    )
    if problems:
        return problems  # the lines cannot be priced until these are put right

    priced = evaluate_price(block, bid)
    if priced.evaluated <= 0:
        add(
            "not_positive",
            f"the evaluated price must be greater than 0; the priced lines add up to {_money(priced.evaluated)}",
            next(
                f
                for f in ("prices", "adjustments_pct", "adjustment_pct")
                if getattr(bid, f) is not None
            ),
        )
    elif priced.arithmetic_error and block.arithmetic == "refuse":
        assert priced.stated is not None
        add(
            "arithmetic_error",
            f"the stated price {grouped(priced.stated, min_places=2)} is not what the priced lines add up to"
            f" ({_money(priced.evaluated)}), and the tender refuses prices with arithmetic "
            "errors (price.arithmetic: refuse)",
            "price",
        )
    return problems


def _check_adjustment(pct: Decimal, what: str, add: Callable[..., None], *parts: str) -> None:
    if pct <= -100:
        add(
            "bad_adjustment",
            f"the adjustment for {what} is {_num(pct)}%; an adjustment at or below -100% would "
            "price the work at nothing or less",
            *parts,
        )


def _check_keys(
    given: dict[str, Decimal],
    expected: list[str],
    field: str,
    add: Callable[..., None],
    missing: str,
    unknown: str,
    missing_text: str,
    noun: str,
) -> None:
    for key in expected:
        if key not in given:
            add(missing, missing_text.format(key=f'"{key}"'), field)
    for key in given:
        if key not in expected:
            close = difflib.get_close_matches(key, expected, n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            add(unknown, f'"{key}" is not a {noun} of this tender{hint}', field, key)


# -- results -----------------------------------------------------------------------------------


def _money_decimal(value: Fraction) -> Decimal:
    return Decimal(money_text(to_exact_decimal(value)))


def price_result(block: PriceBlock, priced: EvaluatedPrice, score: Decimal | None) -> PriceResult:
    """result.json's `price`: the amount scored, the model, and the working behind it."""
    # A lump sum keeps the price exactly as the bid wrote it, so earlier result.json files stay the same.
    if (
        priced.model == "lump_sum"
        and priced.stated is not None
        and Fraction(priced.stated) == priced.evaluated
    ):
        evaluated = priced.stated
    else:
        evaluated = _money_decimal(priced.evaluated)
    return built(
        PriceResult,  # the engine's own figures (see _bid_result)
        amount=evaluated,
        score=score,
        model=priced.model,
        vat=block.vat,
        evaluated=evaluated,
        stated=priced.stated,
        computed=exact_text(priced.computed) if priced.computed is not None else None,
        arithmetic_error=priced.arithmetic_error,
        lines=tuple(
            PriceLineResult(
                item=line.item,
                description=line.description,
                section=line.section,
                year=line.year,
                quantity=line.quantity,
                rate=line.rate,
                adjustment_pct=line.adjustment_pct,
                discount_factor=exact_text(line.discount_factor)
                if line.discount_factor is not None
                else None,
                amount=exact_text(line.amount),
            )
            for line in priced.lines
        ),
    )


def arithmetic_flag(priced: EvaluatedPrice) -> Flag:
    """The `arithmetic_error` flag: the stated and the computed figure, and which one is evaluated."""
    assert priced.stated is not None and priced.computed is not None
    return Flag(
        code="arithmetic_error",
        message=f"the bid states a price of {grouped(priced.stated, min_places=2)} but its priced lines add up to"
        f" {_money(priced.evaluated)}; the computed figure is evaluated (price.arithmetic: use_computed)",
    )
