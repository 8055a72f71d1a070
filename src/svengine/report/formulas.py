"""Excel formula text for the evaluation workbook: declared rounding, price, social value and ranks.

Spreadsheets compute in binary floating point, the engine in exact fractions. The formulas are
written so that a spreadsheet lands on the engine's published figures: every figure is first
rounded to 9 decimal places (which removes binary noise such as 14.004999999999999 for 14.005)
and only then rounded as the tender declares. `spreadsheet_agrees` tells, from the exact value,
whether that two-step rounding can differ from the engine's (only for a value closer than 5e-10
to a rounding boundary without being on it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction

from svengine.model.award import AwardModel
from svengine.model.tender import PriceMethod, QualityMethod, SocialValueMethod, TieBreakKey
from svengine.numbers import RoundingMode, round_fraction
from svengine.scoring import rules

CLEAN_PLACES = 9
"""Places every figure is rounded to before the declared rounding, to remove binary noise."""

PLACES = "Places"
"""The workbook name of the declared number of decimal places (a cell on the Inputs sheet)."""


def declared_rounding(expression: str, mode: RoundingMode, places: str = PLACES) -> str:
    """Formula text rounding `expression` (best a single cell) as the tender declares.

    half_up is ROUND (halves away from zero), down is ROUNDDOWN (towards zero; scores are never
    negative). Excel has no half-even function, so it is spelt out on the scaled value `s`:
    exactly half-way (s - INT(s) = 0.5, exact in binary once s is cleaned) goes to the even
    neighbour, everything else to the nearest.
    """
    clean = f"ROUND({expression},{CLEAN_PLACES})"
    if mode == "half_up":
        return f"ROUND({clean},{places})"
    if mode == "down":
        return f"ROUNDDOWN({clean},{places})"
    scaled = f"ROUND({clean}*10^{places},{CLEAN_PLACES}-{places})"
    whole = f"INT({scaled})"
    return f"IF({scaled}-{whole}=0.5,IF(MOD({whole},2)=0,{whole},{whole}+1),ROUND({scaled},0))/10^{places}"


def spreadsheet_agrees(value: Fraction, places: int, mode: RoundingMode) -> bool:
    """Whether `declared_rounding` of `value` gives the engine's exact rounding of it.

    The spreadsheet rounds to CLEAN_PLACES (half up) first; that can only change the result when
    the exact value lies within half a unit of the 9th place of a rounding boundary.
    """
    cleaned = Fraction(round_fraction(value, CLEAN_PLACES, "half_up"))
    return round_fraction(cleaned, places, mode) == round_fraction(value, places, mode)


def price_points(method: PriceMethod, price: str) -> str:
    """The unrounded price score of the price in cell `price` (names from the Inputs and Price
    sheets): `rules.PRICE[method]` as formula text."""
    formula = rules.PRICE.get(method)
    if formula is None:
        raise ValueError(f"unknown price method {method}")
    return rules.excel(formula, {"P": price})


def quality_points(method: QualityMethod, points: str) -> str:
    """The unrounded quality block from the bid's quality points T in cell `points`:
    `rules.QUALITY[method]` as formula text."""
    return rules.excel(rules.QUALITY[method], {"T": points})


def social_value_points(method: SocialValueMethod, total: str, per_price: str) -> str:
    """The unrounded £ part of the social value score, from the bid's total or total ÷ price:
    `rules.SOCIAL_VALUE[method]` as formula text."""
    formula = rules.SOCIAL_VALUE.get(method)
    if formula is None:
        raise ValueError(f"unknown social value method {method}")
    return rules.excel(formula, {"SV": total, "SVPP": per_price})


def deduction(money: str, score: str, maximum: str) -> str:
    """fictitious_price: a criterion's deduction from its money value, score and maximum score
    (cells or names): `rules.DEDUCTION` as formula text."""
    return rules.excel(rules.DEDUCTION, {"m": money, "s": score, "max": maximum})


def fictitious_price(price: str, deductions: str) -> str:
    """fictitious_price: the evaluated price less the sum of the deductions (`deductions`: a cell
    or an expression such as SUM(...)): `rules.FICTITIOUS_PRICE` as formula text."""
    return rules.excel(rules.FICTITIOUS_PRICE, {"P": price, "D": deductions})


def rank_keys(
    model: AwardModel,
    tie_break: Sequence[TieBreakKey],
    columns: Mapping[str, tuple[str, str]] | Callable[[str], tuple[str, str]],
) -> list[tuple[str, str, str]]:
    """The keys of `rank` for a bid: `rules.rank_keys(model, tie_break)`, each as (range, this
    bid's cell, ">" when higher is better or "<" when lower is better).

    `columns` gives, for a ranking figure ("total", "quality", "price", "social_value",
    "price_amount" ...), the range of every bid's value and this bid's cell; a figure the workbook
    has no column for raises KeyError (its rank is then copied from the engine, not a formula).
    """
    where = columns if callable(columns) else columns.__getitem__
    return [
        (*where(step.figure), ">" if step.better == "higher" else "<")
        for step in rules.rank_keys(model, tie_break)
    ]


def net_value(proxy: str, quantity: str, years: str, deflators: Mapping[str, str]) -> str:
    """A commitment's net social value from its proxy, quantity and years counted (cells) and its
    measure's deflators (`deadweight_pct` ... `drop_off_pct` to cells): `rules.NET_VALUE` as formula
    text. A blank deflator cell counts as 0, as an undeclared deflator does."""
    return rules.excel(rules.NET_VALUE, {"proxy": proxy, "q": quantity, "n": years, **deflators})


def rank(
    status: str, statuses: str, keys: Sequence[tuple[str, str, str]], same: str | None = None
) -> str:
    """Standard competition rank (1, 1, 3) among ranked bids, by the keys in order.

    Each key is (range, this bid's cell, ">" when higher is better or "<" when lower is better).
    The rank is 1 + the number of ranked bids strictly ahead: better on the first key, or equal on
    it and better on the next, and so on. Equal on every key is a shared rank, as in the engine.
    `same` is an extra condition (a bid in the same lot: `(lots=L2)`), so ranks are within a lot.
    """
    term = ""
    for column, cell, better in reversed(keys):
        ahead = f"({column}{better}{cell})"
        term = ahead if not term else f"{ahead}+({column}={cell})*({term})"
    within = f"*{same}" if same else ""
    return f'IF({status}="ranked",1+SUMPRODUCT(({statuses}="ranked"){within}*({term})),"")'
