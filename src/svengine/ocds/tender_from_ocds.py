"""A tender.yaml started from a published OCDS tender notice's award criteria (`svengine init --from-ocds`).

Reads a release package, a single release, or a record package's compiled release; takes the award
criteria of the first lot that declares them (`tender.lots[].awardCriteria`, the award criteria
breakdown extension), or `tender.awardCriteria` when it is an object. Price and cost criteria become
the price weight, a criterion named "social value" the social value weight, every other weighted
criterion a quality criterion (Q1, Q2, ... in the order published), and a criterion without a
number a pass/fail criterion. What the notice cannot say (scoring methods, scale, the measure
library) is written with a comment asking the user to complete it.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from svengine.problems import InvalidInput, Location, Problem

PLACEHOLDER_LIBRARY = "TO-COMPLETE/measure-library.yaml"


def _refuse(message: str, file: str, path: str = "$") -> InvalidInput:
    return InvalidInput([Problem("ocds_release", message, Location(file=file, path=path))])


def _release(document: Any, file: str) -> tuple[dict[str, Any], str]:
    if isinstance(document, dict) and isinstance(document.get("releases"), list):
        releases = [r for r in document["releases"] if isinstance(r, dict)]
        with_criteria = [r for r in releases if _criteria_source(r) is not None]
        if not with_criteria:
            raise _refuse("no release in the package declares award criteria", file, "$.releases")
        return with_criteria[-1], "$.releases"
    if isinstance(document, dict) and isinstance(document.get("records"), list):
        for index, record in enumerate(document["records"]):
            compiled = record.get("compiledRelease") if isinstance(record, dict) else None
            if isinstance(compiled, dict) and _criteria_source(compiled) is not None:
                return compiled, f"$.records[{index}].compiledRelease"
        raise _refuse("no compiled release in the record package declares award criteria", file)
    if isinstance(document, dict) and isinstance(document.get("tender"), dict):
        return document, "$"
    raise _refuse(
        "this is not an OCDS release, release package or record package (no tender, releases or records)",
        file,
    )


def _criteria_source(release: dict[str, Any]) -> tuple[list[Any], str] | None:
    tender = release.get("tender")
    if not isinstance(tender, dict):
        return None
    own = tender.get("awardCriteria")
    if isinstance(own, dict) and isinstance(own.get("criteria"), list):
        return own["criteria"], "tender.awardCriteria.criteria"
    for index, lot in enumerate(tender.get("lots") or []):
        criteria = lot.get("awardCriteria") if isinstance(lot, dict) else None
        if isinstance(criteria, dict) and isinstance(criteria.get("criteria"), list):
            return criteria["criteria"], f"tender.lots[{index}].awardCriteria.criteria"
    return None


def _text(value: Any) -> str:
    return json.dumps(str(value), ensure_ascii=False)


def _weight(criterion: dict[str, Any]) -> tuple[Decimal | None, str | None]:
    for number in criterion.get("numbers") or []:
        if isinstance(number, dict) and number.get("weight") and number.get("number") is not None:
            return Decimal(str(number["number"])), str(number["weight"])
    return None, None


def _threshold(criterion: dict[str, Any]) -> Decimal | None:
    for number in criterion.get("numbers") or []:
        if isinstance(number, dict) and number.get("threshold") == "minimumScore":
            return Decimal(str(number["number"]))
    return None


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def tender_yaml_from_release(
    text: str | bytes, file: str = "release.json", library: str | None = None
) -> str:
    """The text of a tender.yaml holding the notice's criteria and weights, with comments to complete."""
    try:
        document = json.loads(text, parse_float=Decimal)
    except (ValueError, RecursionError) as error:
        raise _refuse(f"this is not JSON ({error})", file) from None
    release, where = _release(document, file)
    found = _criteria_source(release)
    if found is None:
        raise _refuse(
            "the release declares no award criteria (tender.lots[].awardCriteria or tender.awardCriteria)",
            file,
            f"{where}.tender",
        )
    criteria, criteria_path = found
    tender = release["tender"]
    price = Decimal(0)
    quality_weight = Decimal(0)
    social_value = Decimal(0)
    quality: list[str] = []
    kinds: set[str] = set()
    number = 0
    gate = 0
    for criterion in criteria:
        if not isinstance(criterion, dict):
            continue
        name = str(criterion.get("name") or criterion.get("description") or "Untitled criterion")
        weight, kind = _weight(criterion)
        if kind:
            kinds.add(kind)
        kind_of = str(criterion.get("type") or "quality")
        if weight is None:
            gate += 1
            quality.append(f"    - {{id: PF{gate}, title: {_text(name)}, pass_fail: true}}")
        elif kind_of in ("price", "cost"):
            price += weight
        elif "social value" in name.lower():
            social_value += weight
        else:
            number += 1
            quality_weight += weight
            minimum = _threshold(criterion)
            extra = f", min_score: {_plain(minimum)}" if minimum is not None else ""
            quality.append(
                f"    - {{id: Q{number}, title: {_text(name)}, weight: {_plain(weight)}{extra}}}"
            )
    value = tender.get("value") if isinstance(tender.get("value"), dict) else {}
    amount = value.get("amount")
    currency = value.get("currency") or "GBP"
    total = quality_weight + price + social_value
    lines = [
        f"# Started by `svengine init --from-ocds` from {file}: the award criteria of",
        f"# {release.get('ocid', 'an unnamed contracting process')} ({criteria_path}), weights as declared.",
        "# Complete every line marked TO COMPLETE or TO CHOOSE before `svengine validate` and `evaluate`.",
    ]
    if kinds - {"percentageExact"}:
        lines.append(
            f"# The notice gives weights as {', '.join(sorted(kinds))}: check they are points of 100."
        )
    if total != 100:
        lines.append(f"# The declared weights add up to {_plain(total)}, not 100: check them.")
    lines += [
        f"id: {_text(tender.get('id') or release.get('ocid') or 'TO-COMPLETE')}",
        f"title: {_text(tender.get('title') or 'TO COMPLETE')}",
        f"currency: {_text(currency)}",
        (
            f'contract_value: "{_plain(Decimal(str(amount)))}"'
            if amount is not None
            else 'contract_value: "0"  # TO COMPLETE: the estimated contract value'
        ),
        "duration_years: 1  # TO COMPLETE: the contract term in years",
        "weights:",
        f"  quality: {_plain(quality_weight)}",
        f"  price: {_plain(price)}",
        f"  social_value: {_plain(social_value)}",
    ]
    if quality:
        lines += [
            "quality:",
            "  method: relative_to_best  # TO CHOOSE: the published quality scoring method",
            "  scale_max: 5  # TO CHOOSE: the marking scale (0 to scale_max)",
            "  criteria:",
            *quality,
        ]
    lines += [
        "price:",
        "  method: min_max_linear  # TO CHOOSE: the published price scoring method",
    ]
    if social_value:
        lines += [
            "social_value:",
            f"  library: {_text(library or PLACEHOLDER_LIBRARY)}"
            + ("" if library else "  # TO COMPLETE: the measure library (TOMs)"),
            "  method: relative_to_highest  # TO CHOOSE: the published social value method",
        ]
    lines += ["rounding: {places: 2, mode: half_even}  # TO CHOOSE: the published rounding"]
    return "\n".join(lines) + "\n"
