"""Social value: commitments valued with the library's proxies, additionality, and the £ score."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from svengine.display import figure, money
from svengine.model.bid import Bid, Commitment
from svengine.model.construct import built, changed
from svengine.model.library import DEFLATOR_FIELDS, Deflators, Measure
from svengine.model.result import (
    BidResult,
    DeflatorsApplied,
    Flag,
    NetCommitmentResult,
    NetSocialValueResult,
)
from svengine.model.tender import Tender
from svengine.numbers import EXACT, decimal_text, money_text, to_exact_decimal
from svengine.problems import Location, Problem, json_path
from svengine.scoring import rules, shared_results

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_NO_DEFLATORS = Deflators()


@dataclass(frozen=True)
class ValuedCommitment:
    commitment: Commitment
    measure: Measure
    years: int
    amount: Decimal
    """proxy × quantity × years, exactly (a product of decimals is a decimal: no Fraction needed)."""
    counted: bool
    net_amount: Decimal | None = None
    """The amount net of the deflators (docs/methods-net.md), when the tender reports net values."""
    deflators: Deflators = _NO_DEFLATORS
    """The deflators applied: the library's, with the tender's overrides."""
    net_by_year: tuple[Decimal, ...] = ()
    """The net amount of each year counted (one entry for a whole-term or first-year-only measure)."""

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


def net_total(commitments: list[ValuedCommitment]) -> Decimal:
    """The sum of the commitments' net amounts, exactly (gross where no net was computed)."""
    total = _ZERO
    for c in commitments:
        total = EXACT.add(total, c.net_amount if c.net_amount is not None else c.amount)
    return total


def reports_net(tender: Tender) -> bool:
    """Whether result.json carries net values: any deflator declared (by a library measure or a
    tender override) or `count: net`. Otherwise net = gross and the result keeps its earlier bytes."""
    block = tender.social_value
    if block is None:
        return False
    if block.count == "net" or any(d.declared for d in (block.deflators or {}).values()):
        return True
    library = tender.measure_library
    return library is not None and any(
        m.declared for m in library.measures
    )  # a Measure is a Deflators


def counts_net(tender: Tender) -> bool:
    """`social_value.count: net`: the net value is scored and counts for additionality."""
    return tender.social_value is not None and tender.social_value.count == "net"


def deflators_for(tender: Tender, measure: Measure) -> Deflators:
    """The measure's deflators with the tender's overrides (field by field) applied."""
    block = tender.social_value
    override = (block.deflators or {}).get(measure.id) if block is not None else None
    own = measure.deflators
    if override is None:
        return own
    return Deflators(
        **{
            name: getattr(override, name)
            if getattr(override, name) is not None
            else getattr(own, name)
            for name in DEFLATOR_FIELDS
        }
    )


def _deflator_env(gross_per_year: Decimal, deflators: Deflators) -> dict[str, Fraction]:
    env = {name: Fraction(getattr(deflators, name) or 0) for name in DEFLATOR_FIELDS}
    env["proxy"], env["q"] = Fraction(gross_per_year), Fraction(1)
    return env


def net_years(gross_per_year: Decimal, years: int, deflators: Deflators) -> tuple[Decimal, ...]:
    """Each counted year's net amount (`rules.NET_YEAR`): gross × (1 − d)(1 − a)(1 − disp)(1 − l),
    and every year after the first (1 − drop_off) of the year before. Terminating, so exact decimals."""
    env = _deflator_env(gross_per_year, deflators)
    year = rules.exact(rules.NET_YEAR)
    return tuple(
        to_exact_decimal(year({**env, "k": Fraction(k)})) for k in range(1, max(years, 1) + 1)
    )


def net_amount(gross_per_year: Decimal, years: int, deflators: Deflators) -> Decimal:
    """The net value of `years` counted years (`rules.NET_VALUE`, the sum of `net_years`)."""
    env = {**_deflator_env(gross_per_year, deflators), "n": Fraction(max(years, 1))}
    return to_exact_decimal(rules.exact(rules.NET_VALUE)(env))


def deflator_problems(deflators: Deflators, file: str | None, *where: str | int) -> list[Problem]:
    """Each deflator must be a % from 0 to 100; `where` is the JSON path of the deflators."""
    return [
        Problem(
            "bad_parameter",
            f"{name} is {decimal_text(value)}; a deflator is a % from 0 to 100",
            Location(file=file, path=json_path([*where, name])),
        )
        for name in DEFLATOR_FIELDS
        for value in (getattr(deflators, name),)
        if value is not None and not _ZERO <= value <= _HUNDRED
    ]


def check_deflator_overrides(tender: Tender, file: str | None = None) -> list[Problem]:
    """A tender's `social_value.deflators`: in range, and each naming a measure of the library."""
    block = tender.social_value
    if block is None:
        return []
    problems: list[Problem] = []
    library = tender.measure_library
    for measure_id, deflators in (block.deflators or {}).items():
        where = ["social_value", "deflators", measure_id]
        problems += deflator_problems(deflators, file, *where)
        if library is not None and measure_id not in library.by_id:
            problems.append(
                Problem(
                    "unknown_measure",
                    f'social_value.deflators names "{measure_id}", which is not in library'
                    f" {library.id} {library.version}",
                    Location(file=file, path=json_path(where)),
                )
            )
    return problems


def value_commitments(
    tender: Tender, bid: Bid, net: bool | None = None
) -> tuple[list[ValuedCommitment], list[Flag]]:
    """proxy × quantity × years for each commitment, with the flags the panel should see.

    `net`: `reports_net(tender)`, which a caller valuing every bid of a tender asks once (it looks
    at every measure of the library); None asks it here.

    `years` defaults to 1, is capped at 1 for first-year-only measures and is 1 for whole-term
    (`basis: total`) measures; record-only measures are worth 0; measures outside the tender's
    allowed list are worth 0 here and flagged.
    """
    block = tender.social_value
    library = tender.measure_library
    if block is None or library is None:
        return [], []
    allowed = set(block.measures) if block.measures is not None else None
    if net is None:
        net = reports_net(tender)
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
        if not net:
            valued.append(ValuedCommitment(commitment, measure, years, amount, counted))
            continue
        deflators = deflators_for(tender, measure)
        by_year = (
            net_years(EXACT.multiply(proxy, commitment.quantity), years, deflators)
            if counted
            else (_ZERO,)
        )
        net_value = (
            net_amount(EXACT.multiply(proxy, commitment.quantity), years, deflators)
            if counted
            else _ZERO
        )
        valued.append(
            ValuedCommitment(
                commitment, measure, years, amount, counted, net_value, deflators, by_year
            )
        )
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


def net_commitment_words(c: ValuedCommitment) -> str:
    """The net working of one commitment, in words (appended to its gross working in `explain`)."""
    if c.net_amount is None or not c.counted:
        return ""
    d = c.deflators
    steps = [
        f"{label} {figure(pct)}%"
        for label, pct in (
            ("deadweight", d.deadweight_pct),
            ("attribution", d.attribution_pct),
            ("displacement", d.displacement_pct),
            ("leakage", d.leakage_pct),
        )
        if pct is not None
    ]
    first = c.net_by_year[0] if c.net_by_year else _ZERO
    if not steps and (len(c.net_by_year) < 2 or not d.drop_off_pct):
        return f", net = gross {money(c.net_amount)} (no deflator declared)"
    text = (
        f", net of {', '.join(steps)}: {money(first)} in the first year"
        if steps
        else f", no deflator but a drop-off: {money(first)} in the first year"
    )
    if len(c.net_by_year) > 1:
        drop = d.drop_off_pct if d.drop_off_pct is not None else _ZERO
        text += (
            f", each later year {figure(drop)}% less than the one before: "
            + " + ".join(money(v) for v in c.net_by_year)
            + f" = {money(c.net_amount)} net"
        )
    else:
        text += f" = {money(c.net_amount)} net"
    return text


def net_total_words(tender: Tender, gross: Decimal, net: Decimal) -> str:
    """Gross against net for the bid, and which one the tender counts."""
    counted = "net" if counts_net(tender) else "gross"
    return (
        f"Gross social value {money(gross)}, net of deflators {money(net)}; "
        f"the tender counts the {counted} value (social_value.count: {counted}). "
    )


def _money(value: Decimal) -> Decimal:
    return Decimal(money_text(value))


def net_value_result(
    result: BidResult, commitments: list[ValuedCommitment], tender: Tender
) -> BidResult:
    """The bid's result with net social value: `net_value` on the bid's social value and on each
    commitment (with the deflators applied and each year's net), and `total` the gross value."""
    social = result.social_value
    net_commitments = tuple(
        built(
            NetCommitmentResult,
            **dict(row),
            net_value=_money(c.net_amount if c.net_amount is not None else c.amount),
            net_by_year=tuple(_money(v) for v in c.net_by_year),
            deflators=built(
                DeflatorsApplied, **{name: getattr(c.deflators, name) for name in DEFLATOR_FIELDS}
            ),
        )
        for row, c in zip(social.commitments, commitments, strict=True)
    )
    fields = {**dict(social), "commitments": net_commitments}
    fields["total"] = _money(total_amount(commitments))
    return changed(
        result,
        social_value=built(
            NetSocialValueResult,
            **fields,
            net_value=_money(net_total(commitments)),
            counted="net" if counts_net(tender) else "gross",
        ),
    )
