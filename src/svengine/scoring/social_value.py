"""Social value: commitments valued with the library's proxies, additionality, and the £ score."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from svengine.model.bid import Bid, Commitment
from svengine.model.library import Measure
from svengine.model.result import Flag
from svengine.model.tender import Tender
from svengine.numbers import EXACT
from svengine.scoring import rules, shared_results

_ZERO = Decimal(0)


@dataclass(frozen=True)
class ValuedCommitment:
    commitment: Commitment
    measure: Measure
    years: int
    amount: Decimal
    """proxy × quantity × years, exactly (a product of decimals is a decimal: no Fraction needed)."""
    counted: bool

    @property
    def value(self) -> Fraction:
        """The amount as a Fraction, for callers that go on computing in fractions."""
        return Fraction(self.amount)


def total_amount(commitments: list[ValuedCommitment]) -> Decimal:
    """The sum of the commitments' amounts, exactly (decimal addition in the exact context)."""
    total = _ZERO
    for c in commitments:
        total = EXACT.add(total, c.amount)
    return total


def value_commitments(tender: Tender, bid: Bid) -> tuple[list[ValuedCommitment], list[Flag]]:
    """proxy × quantity × years for each commitment, with the flags the panel should see.

    `years` defaults to 1, is capped at 1 for first-year-only measures and is 1 for whole-term
    (`basis: total`) measures; record-only measures are worth 0; measures outside the tender's
    allowed list are worth 0 here and flagged.
    """
    block = tender.social_value
    library = tender.measure_library
    if block is None or library is None:
        return [], []
    allowed = set(block.measures) if block.measures is not None else None
    valued: list[ValuedCommitment] = []
    flags: list[Flag] = []
    for commitment in bid.social_value:
        measure = library.by_id[commitment.measure]
        offered = commitment.years if commitment.years is not None else 1
        years = 1 if measure.first_year_only or measure.basis == "total" else offered
        if measure.first_year_only and offered > 1:
            flags.append(
                shared_results.flag(
                    code="years_capped",
                    message=f"{measure.id} counts for the first year only; {offered} years offered, 1 counted",
                )
            )
        if tender.duration_years is not None and offered > tender.duration_years:
            flags.append(
                Flag(
                    code="years_beyond_duration",
                    message=f"{measure.id} is offered for {offered} years but the contract runs "
                    f"{tender.duration_years}",
                )
            )
        counted = allowed is None or measure.id in allowed
        if not counted:
            flags.append(
                Flag(
                    code="measure_not_allowed",
                    message=f"{measure.id} is not among the measures this tender counts; ignored",
                )
            )
        # Decimal products in the exact context: the same value the Fractions gave, at a fraction of the cost.
        proxy = (
            measure.proxy_value
            if measure.proxy_value is not None and not measure.record_only
            else _ZERO
        )
        amount = (
            EXACT.multiply(EXACT.multiply(proxy, commitment.quantity), years) if counted else _ZERO
        )
        valued.append(ValuedCommitment(commitment, measure, years, amount, counted))
    claimed = [c.measure for c in bid.social_value]
    duplicates = (
        Counter(claimed) if len(set(claimed)) < len(claimed) else {}
    )  # counted only when there is one
    for measure_id, count in sorted(duplicates.items()):
        if count > 1:
            flags.append(
                Flag(
                    code="duplicate_measure",
                    message=f"{measure_id} is claimed {count} times in this bid; check it is not counted twice",
                )
            )
    return valued, flags


def quantitative_points(
    tender: Tender, weight: Fraction, total: Fraction, price: Fraction, best: Fraction | None
) -> Fraction:
    """The £ part of the social value score.

    relative_to_highest: W × SV / SV_max; relative_to_highest_ratio: the same on SV ÷ price
    (`best` is then the highest ratio); target: W × min(additionality / target, 1). Nobody
    offering anything gives 0 for everyone.
    """
    block = tender.social_value
    assert block is not None
    if weight == 0:
        return Fraction(0)
    env = {
        "W_sv_quant": weight,
        "SV": total,
        "P": price,
        "ContractValue": Fraction(tender.contract_value),
    }
    if block.method == "target":
        assert block.target_pct is not None
        env["TargetPct"] = Fraction(block.target_pct)
    elif block.method == "relative_to_highest_ratio":
        env["SVPP"], env["SVPP_max"] = rules.exact(rules.SVPP_RULE)(env), best or Fraction(0)
    else:
        env["SV_max"] = best or Fraction(0)
    return rules.exact(rules.SOCIAL_VALUE[block.method])(env)


def additionality(social_value: Fraction, base: Fraction) -> Fraction:
    """Social value as a percentage of a base (the contract value, or the bid price), exact."""
    return rules.exact(rules.ADDITIONALITY)({"SV": social_value, "ContractValue": base})
