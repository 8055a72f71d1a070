"""`svengine contract start`: a contract folder made from a recorded evaluation.

Reads EVALUATION_DIR/result.json (its seal checked) and run.json (where each input was read from),
finds the awarded bid, copies the measure library exactly as it was at award (its SHA-256 must be
the one result.json recorded: a library edited since the award is refused, so delivered value is
always priced at the proxies of the award), and writes contract.yaml, library.yaml and a byte copy
of result.json as award/result.json.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from svengine.contract.periods import Reporting
from svengine.contract.rules import KPI_MINIMUM, KPI_THRESHOLD
from svengine.io.documents import parse_json, parse_yaml
from svengine.io.output import refuse_existing, write_atomic
from svengine.numbers import round_fraction
from svengine.problems import InvalidInput, Location, Problem, raise_if_any
from svengine.seal.digests import result_sha256


@dataclass(frozen=True)
class Started:
    folder: Path
    contract_yaml: str
    warnings: tuple[str, ...]


def _load_json(path: Path) -> Any:
    if not path.is_file():
        raise InvalidInput(
            [
                Problem(
                    "missing_file",
                    "the file does not exist (run svengine evaluate FOLDER --out DIR first)",
                    Location(file=str(path)),
                )
            ]
        )
    document, problems = parse_json(path.read_text(encoding="utf-8"), str(path))
    raise_if_any(problems)
    return document


def _q(text: object) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(str(text), ensure_ascii=False)


def start_contract(
    evaluation: Path,
    bidder: str,
    lot: str | None,
    start: date,
    reporting: Reporting,
    out: Path,
    years: int | None = None,
    force: bool = False,
) -> Started:
    """Make the contract folder `out` for `bidder`'s award recorded in `evaluation`."""
    result_path = evaluation / "result.json"
    result_bytes = result_path.read_bytes() if result_path.is_file() else b""
    result = _load_json(result_path)
    run = _load_json(evaluation / "run.json")
    recorded = result.get("audit", {}).get("result_sha256")
    sealed = dict(result)
    sealed["audit"] = {k: v for k, v in result["audit"].items() if k != "result_sha256"}
    if recorded != result_sha256(sealed):
        raise InvalidInput(
            [
                Problem(
                    "seal_broken",
                    "result.json does not match its own result_sha256: it was edited after the evaluation",
                    Location(file=str(result_path), path="$.audit.result_sha256"),
                )
            ]
        )
    bids = [
        b
        for b in result["bids"]
        if b["bidder_id"] == bidder and (lot is None or b.get("lot") == lot)
    ]
    if not bids:
        raise InvalidInput(
            [
                Problem(
                    "unknown_bidder",
                    f"no bid from {bidder}{' in lot ' + lot if lot else ''} in this evaluation",
                    Location(file=str(result_path), path="$.bids"),
                )
            ]
        )
    if len(bids) > 1:
        lots = ", ".join(str(b.get("lot")) for b in bids)
        raise InvalidInput(
            [
                Problem(
                    "lot_needed",
                    f"{bidder} bid for several lots ({lots}); say which with --lot",
                    Location(file=str(result_path)),
                )
            ]
        )
    bid = bids[0]
    what = f"lot {bid['lot']}" if bid.get("lot") else "this contract"
    awarded = any(
        a["bidder_id"] == bidder and a.get("lot") == bid.get("lot")
        for a in result.get("awards") or []
    )
    if not awarded:
        raise InvalidInput(
            [
                Problem(
                    "not_awarded",
                    f"{bidder} was not awarded {what} in this evaluation",
                    Location(file=str(result_path), path="$.awards"),
                )
            ]
        )

    inputs = {entry["path"]: entry for entry in run["inputs"]}
    tender_key = next((k for k in inputs if "/" not in k and k.split(".")[0] == "tender"), None)
    if tender_key is None:
        raise InvalidInput(
            [
                Problem(
                    "missing_file",
                    "run.json names no tender file",
                    Location(file=str(evaluation / "run.json")),
                )
            ]
        )
    tender_bytes = Path(inputs[tender_key]["read_from"]).read_bytes()
    if hashlib.sha256(tender_bytes).hexdigest() != result["audit"]["inputs"].get(tender_key):
        raise InvalidInput(
            [
                Problem(
                    "input_changed",
                    "the tender has changed since the evaluation; re-run the evaluation or restore it",
                    Location(file=inputs[tender_key]["read_from"]),
                )
            ]
        )
    tender, problems = parse_yaml(tender_bytes.decode("utf-8-sig"), tender_key)
    raise_if_any(problems)
    block = tender.get("social_value") or {}
    library_ref = block.get("library") if isinstance(block, dict) else None
    if not isinstance(library_ref, str):
        raise InvalidInput(
            [
                Problem(
                    "no_library",
                    "the tender names no measure library file: there is nothing to carry into a contract",
                    Location(file=tender_key, path="$.social_value.library"),
                )
            ]
        )
    library_key = posixpath.normpath(posixpath.join(posixpath.dirname(tender_key), library_ref))
    if library_key not in inputs:
        raise InvalidInput(
            [
                Problem(
                    "missing_file",
                    f"run.json does not say where {library_key} was read from",
                    Location(file=str(evaluation / "run.json")),
                )
            ]
        )
    library_from = Path(inputs[library_key]["read_from"])
    library_bytes = library_from.read_bytes() if library_from.is_file() else b""
    library_sha = hashlib.sha256(library_bytes).hexdigest()
    if library_sha != result["audit"]["inputs"][library_key]:
        raise InvalidInput(
            [
                Problem(
                    "library_changed",
                    f"the measure library has changed since the award (SHA-256 {library_sha[:12]}…, the evaluation "
                    f"read {result['audit']['inputs'][library_key][:12]}…): the contract must carry the proxies of the "
                    "award; restore the library as it was, or copy it from the evaluation bundle",
                    Location(file=str(library_from)),
                )
            ]
        )
    term = years if years is not None else tender.get("duration_years")
    if not isinstance(term, int) or term < 1:
        raise InvalidInput(
            [
                Problem(
                    "no_term",
                    "the tender has no duration_years; give the term with --years N",
                    Location(file=tender_key, path="$.duration_years"),
                )
            ]
        )

    targets = [out / "contract.yaml", out / "library.yaml", out / "award" / "result.json"]
    refuse_existing(targets, force)
    suffix = f"-{bid['lot']}" if bid.get("lot") else ""
    price = bid["price"]["evaluated"] or bid["price"]["amount"]
    if (
        "/" in price
    ):  # an exact whole-life price that never ends: a contract value is money, to the penny
        price = format(round_fraction(Fraction(price), 2, "half_up"), "f")
    estimated = result["tender"].get("contract_value")
    lines = [
        "# A contract after award (svengine contract start; docs/contracts.md). Plain YAML: edit the",
        "# KPIs, the kind, received dates and closed periods as the contract goes on.",
        f"id: {_q(result['tender']['id'] + suffix + '-' + bidder)}",
        f"title: {_q(result['tender']['title'])}",
        f"tender: {_q(result['tender']['id'])}",
        f"lot: {_q(bid['lot']) if bid.get('lot') else 'null'}",
        "kind: public_contract  # framework, concession, light_touch or private_utility: no KPIs needed (s.52)",
        "supplier:",
        f"  id: {_q(bidder)}",
        f"  name: {_q(bid['bidder_name'])}",
        f"  size: {bid.get('size') or 'unknown'}",
        f"  vcse: {'true' if bid.get('vcse') else 'false'}",
        f"start: {_q(start.isoformat())}",
        f"years: {term}",
        f"reporting: {reporting}",
        f"contract_value: {_q(price)}  # the awarded bid's evaluated price",
        f"estimated_value: {_q(estimated) if estimated is not None else 'null'}  # the tender's, for s.52",
        f"currency: {_q(result['tender']['currency'])}",
        "library:",
        '  file: "library.yaml"',
        f"  sha256: {_q(library_sha)}",
        f"  source: {_q(library_key)}",
        "award:",
        '  result: "award/result.json"',
        f"  result_sha256: {_q(recorded)}",
        f"  method_sha256: {_q(result['audit']['method_sha256'])}",
        "commitments:  # as awarded (after moderation); quantity per year unless the measure is whole-term",
    ]
    for c in bid["social_value"]["commitments"]:
        if not c["counted"]:
            continue
        lines += [
            f"  - measure: {_q(c['measure'])}",
            f"    quantity: {_q(c['quantity'])}",
            f"    years: {c['years']}",
            f"    title: {_q(c['title'])}",
            f"    unit: {_q(c['unit'])}",
            f"    proxy_value: {_q(c['proxy_value'])}",
        ]
    value = Decimal(estimated) if estimated is not None else Decimal(price)
    warnings: list[str] = []
    lines += [
        "# KPIs (PA 2023 s.52): at least three for a public contract over 5,000,000, the three most",
        "# material marked material: true. Rating: docs/contracts.md.",
        "kpis: []",
        "#  - {id: K1, title: Repairs completed on time, unit: '%', target: '95', direction: higher,",
        "#     approaching_pct: '5', inadequate_pct: '20', material: true}",
        "no_kpis_reason: null",
        "carry_forward: false",
        "return_due_days: 30",
        "received: {}  # period: date the return was received, for example 2026-Q2: 2026-07-21",
        "closed: {}  # period: SHA-256 of its return when the period was closed",
    ]
    if value > KPI_THRESHOLD:
        warnings.append(
            f"the estimated value is over 5,000,000: set at least {KPI_MINIMUM} KPIs in contract.yaml "
            "(PA 2023 s.52), or state no_kpis_reason, before the first report"
        )
    text = "\n".join(lines) + "\n"
    write_atomic(out / "library.yaml", library_bytes, force)
    write_atomic(out / "award" / "result.json", result_bytes, force)
    write_atomic(out / "contract.yaml", text, force)
    return Started(out, text, tuple(warnings))
