"""An OCDS 1.1 release package for the award, built from a recorded Result and its tender (pure).

The mapping (our field → OCDS path) is documented in docs/ocds.md. Extensions used: bids
(v1.1.5), lots (v1.1.5), award criteria breakdown, party scale, the UK extension (Find a Tender),
and, only with `include_scores`, the local svengine scores extension in schemas/ocds-scores-extension.
Amounts and weights are Decimals (written as exact JSON numbers by `dumps_exact`); no float anywhere.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from svengine.model.result import BidResult, Result
from svengine.model.tender import Tender
from svengine.numbers import round_fraction

EXTENSIONS = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_awardCriteria_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_partyDetails_scale_extension/master/extension.json",
    "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/main/extension.json",
)
SINGLE_LOT = "1"
"""The lot id used for a tender not divided into lots (award criteria live on lots in OCDS)."""
BUYER_ID = "buyer"
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class OcdsOptions:
    """What the release needs that an evaluation does not record (docs/ocds.md, `svengine ocds`)."""

    published: str
    """The release date and the package's publishedDate (RFC 3339): by default the run's finish time."""
    ocid_prefix: str = "ocds-xxxxxx"
    """The publisher's registered OCID prefix; the default is a placeholder to be replaced."""
    publisher: str = "svengine"
    uri: str | None = None
    buyer: str | None = None
    include_scores: bool = False
    """Per-bidder scores (confidential until published) in the svengine scores extension."""
    scores_extension_url: str = "https://example.org/svengine/ocds-scores-extension/extension.json"


OCDS_PLACES = 2
"""Places of an OCDS amount that does not terminate (docs/ocds.md)."""


def _value(amount: Decimal | Fraction, currency: str) -> dict[str, Any]:
    """An OCDS Value: amounts are JSON numbers, so an evaluated price that never terminates (a
    whole-life price without declared rounding, exact in result.json as `20000/207`) is published
    rounded half up to the penny; every terminating amount is written exactly as result.json has it."""
    if isinstance(amount, Fraction):
        amount = round_fraction(amount, OCDS_PLACES, "half_up")
    return {"amount": amount, "currency": currency}


def _weight(number: Decimal) -> dict[str, Any]:
    return {"number": number, "weight": "percentageExact"}


def award_criteria(tender: Tender) -> dict[str, Any]:
    """The tender's award criteria and weights (percent of the total score) as OCDS AwardCriteria."""
    criteria: list[dict[str, Any]] = []
    quality = tender.quality
    if quality is not None:
        for criterion in quality.criteria:
            weight = criterion.weight
            if quality.weights_basis == "percent_of_block":
                weight = weight * tender.weights.quality / HUNDRED
            numbers = [_weight(weight)]
            if criterion.min_score is not None:
                numbers.append({"number": criterion.min_score, "threshold": "minimumScore"})
            entry: dict[str, Any] = {"type": "quality", "name": criterion.title, "numbers": numbers}
            entry["description"] = criterion.description or (
                f"Quality criterion {criterion.id}, marked out of {tender.max_score(criterion)}."
            )
            criteria.append(entry)
        for gate in quality.gates:
            criteria.append(
                {
                    "type": "quality",
                    "name": gate.title,
                    "description": f"Pass/fail criterion {gate.id}: a fail excludes the bid.",
                }
            )
    criteria.append(
        {
            "type": "price",
            "name": "Price",
            "description": f"Price, scored by the {tender.price.method.replace('_', ' ')} method.",
            "numbers": [_weight(tender.weights.price)],
        }
    )
    if tender.social_value is not None and tender.weights.social_value:
        criteria.append(
            {
                "type": "quality",
                "name": "Social value",
                "description": (
                    f"Social value, scored by the {tender.social_value.method.replace('_', ' ')} method."
                ),
                "numbers": [_weight(tender.weights.social_value)],
            }
        )
    return {"criteria": criteria}


def _bid_id(bid: BidResult, lots: bool) -> str:
    return f"{bid.bidder_id}-{bid.lot}" if lots and bid.lot is not None else bid.bidder_id


def _statistics(bids: list[BidResult], lot: str | None, start: int) -> list[dict[str, Any]]:
    """Bid statistics for one lot (or the whole tender): core bid codes and the UK final-stage ones."""
    counts = {
        "bids": len(bids),
        "validBids": sum(1 for bid in bids if bid.status == "ranked"),
        "disqualifiedBids": sum(1 for bid in bids if bid.status == "excluded"),
        "finalStageBids": len(bids),
        "smeFinalStageBids": sum(1 for bid in bids if bid.size in ("sme", "micro")),
        "vcseFinalStageBids": sum(1 for bid in bids if bid.vcse),
    }
    statistics = []
    for number, (measure, value) in enumerate(counts.items(), start=start):
        statistic: dict[str, Any] = {"id": str(number), "measure": measure, "value": value}
        if lot is not None:
            statistic["relatedLot"] = lot
        statistics.append(statistic)
    return statistics


def _scores(bid: BidResult) -> dict[str, Any]:
    return {
        "rank": bid.rank,
        "total": bid.total_score,
        "quality": bid.quality.score,
        "price": bid.price.score,
        "socialValue": bid.social_value.score,
    }


def release_package(result: Result, tender: Tender, options: OcdsOptions) -> dict[str, Any]:
    """The release package (a dict; Decimals for numbers): one `award` release for the evaluation."""
    currency = result.tender.currency
    has_lots = bool(result.lots)
    lot_ids = [lot.id for lot in result.lots] if result.lots else [SINGLE_LOT]
    criteria = award_criteria(tender)
    if result.lots:
        lots = [
            {
                "id": lot.id,
                "title": lot.title,
                "value": _value(lot.contract_value, currency),
                "awardCriteria": criteria,
            }
            for lot in result.lots
        ]
    else:
        lots = [
            {
                "id": SINGLE_LOT,
                "title": result.tender.title,
                "value": _value(result.tender.contract_value, currency),
                "awardCriteria": criteria,
            }
        ]

    appointed = {(entry.lot, entry.bidder_id) for entry in result.awards}
    suppliers = {bidder for _lot, bidder in appointed}
    names: dict[str, BidResult] = {}
    for bid in result.bids:
        names.setdefault(bid.bidder_id, bid)

    parties: list[dict[str, Any]] = []
    if options.buyer:
        parties.append({"id": BUYER_ID, "name": options.buyer, "roles": ["buyer"]})
    for bidder_id in sorted(names):
        bid = names[bidder_id]
        details: dict[str, Any] = {}
        if bid.size != "unknown":
            details["scale"] = bid.size
        if bid.vcse is not None:
            details["vcse"] = bid.vcse
        party: dict[str, Any] = {
            "id": bidder_id,
            "name": bid.bidder_name,
            "roles": ["tenderer", "supplier"] if bidder_id in suppliers else ["tenderer"],
        }
        if details:
            party["details"] = details
        parties.append(party)

    details_list = []
    for bid in result.bids:
        entry: dict[str, Any] = {
            "id": _bid_id(bid, has_lots),
            "status": "valid" if bid.status == "ranked" else "disqualified",
            "tenderers": [{"id": bid.bidder_id, "name": bid.bidder_name}],
            "value": _value(bid.price.amount, currency),
            "relatedLots": [bid.lot if has_lots and bid.lot is not None else SINGLE_LOT],
        }
        if options.include_scores:
            entry["svengineScores"] = _scores(bid)
        details_list.append(entry)

    statistics: list[dict[str, Any]] = []
    for lot_id in lot_ids:
        in_lot = [b for b in result.bids if not has_lots or b.lot == lot_id]
        statistics.extend(
            _statistics(in_lot, lot_id if has_lots else None, start=len(statistics) + 1)
        )

    awards = []
    by_key = {(bid.lot, bid.bidder_id): bid for bid in result.bids}
    for appointment in result.awards:
        bid = by_key[(appointment.lot, appointment.bidder_id)]
        lot_id = appointment.lot if has_lots and appointment.lot is not None else SINGLE_LOT
        awards.append(
            {
                "id": f"{lot_id}-{appointment.bidder_id}",
                "title": f"Award of lot {lot_id} to {bid.bidder_name}",
                "status": "pending",
                "date": options.published,
                "value": _value(bid.price.amount, currency),
                "suppliers": [{"id": bid.bidder_id, "name": bid.bidder_name}],
                "relatedLots": [lot_id],
                "relatedBid": _bid_id(bid, has_lots),
            }
        )

    tenderers = Counter(bid.bidder_id for bid in result.bids)
    weights = tender.weights
    tender_section: dict[str, Any] = {
        "id": result.tender.id,
        "title": result.tender.title,
        "value": _value(result.tender.contract_value, currency),
        "awardCriteria": "ratedCriteria",
        "awardCriteriaDetails": (
            f"Most advantageous tender: quality {weights.quality}%, price {weights.price}%, "
            f"social value {weights.social_value}% of the total score."
        ),
        "numberOfTenderers": len(tenderers),
        "tenderers": [{"id": b, "name": names[b].bidder_name} for b in sorted(tenderers)],
        "lots": lots,
    }
    if tender.description:
        tender_section["description"] = tender.description

    release: dict[str, Any] = {
        "ocid": f"{options.ocid_prefix}-{result.tender.id}",
        "id": f"{result.tender.id}-award",
        "date": options.published,
        "tag": ["award"],
        "initiationType": "tender",
        "language": "en",
        "parties": parties,
    }
    if options.buyer:
        release["buyer"] = {"id": BUYER_ID, "name": options.buyer}
    release["tender"] = tender_section
    release["bids"] = {"statistics": statistics, "details": details_list}
    release["awards"] = awards

    extensions = list(EXTENSIONS)
    if options.include_scores:
        extensions.append(options.scores_extension_url)
    return {
        "uri": options.uri or f"urn:svengine:ocds:{result.tender.id}",
        "version": "1.1",
        "extensions": extensions,
        "publishedDate": options.published,
        "publisher": {"name": options.publisher},
        "releases": [release],
    }
