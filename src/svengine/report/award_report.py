"""The award report: the decision for sign-off, from result.json alone.

Method, bids lot by lot, exclusions with their grounds, scores, appointments and why others were
passed over, flags, the buyer's recorded decisions, policy warnings, and the SME and VCSE counts.
"""

from __future__ import annotations

from datetime import date

from svengine.display import amount, readable
from svengine.model.result import BidResult, Result
from svengine.report.document import Document
from svengine.report.words import (
    ALLOCATION,
    AUTHORITIES,
    AWARD_MODELS,
    CUTOFF_TIES,
    METHODS,
    OUTCOMES,
    REASONS,
    REGIMES,
    SIZES,
    word,
)

SIGN_OFF_ROLES = (
    "Evaluation lead",
    "Procurement lead",
    "Budget holder (approves the award)",
)
"""The rows of the sign-off block; names, signatures and dates are left to fill in by hand."""

_BID_COLUMNS = (
    ("rank", True),
    ("bidder", False),
    ("quality", True),
    ("price", True),
    ("social value", True),
    ("total", True),
    ("price offered", True),
    ("social value offered", True),
    ("decision", False),
)


def award_report(result: Result, on: date | None = None) -> Document:
    """The award report of `result`, dated `on` (today when not given)."""
    tender = result.tender
    currency = tender.currency
    doc = Document(f"Award report: {tender.id} {tender.title}")
    doc.para(
        f"Report date: {(on or date.today()).strftime('%d %B %Y').lstrip('0')}."
        f" Contract value {amount(tender.contract_value, currency)}."
    )
    method = result.method
    doc.heading("Method")
    if method is not None:
        w = method.weights
        lines = [
            f"How the winner is chosen: {word(AWARD_MODELS, method.award_model)}.",
            f"Weights (points of 100): quality {w.quality}"
            f" ({word(METHODS, method.quality_method, 'not scored')}),"
            f" price {w.price} ({word(METHODS, method.price_method)}),"
            f" social value {w.social_value}"
            f" ({word(METHODS, method.social_value_method, 'not scored')}).",
            "Suppliers appointed per lot: "
            + (
                str(method.suppliers_per_lot)
                if method.suppliers_per_lot is not None
                else f"every tender with a total of at least {method.min_total_pct} points"
            )
            + ".",
            f"Ties at the last place: {word(CUTOFF_TIES, method.cutoff_ties)}.",
        ]
        if method.max_lots_per_supplier is not None:
            lines.append(
                f"Lot limit: at most {method.max_lots_per_supplier} lots per supplier, lots taken"
                f" {word(ALLOCATION, method.allocation, 'in their published order')}."
            )
        if method.gates:
            lines.append(
                "Pass/fail criteria: " + "; ".join(f"{g.id} {g.title}" for g in method.gates) + "."
            )
        if method.regime is not None:
            lines.append(f"Procurement rules: {word(REGIMES, method.regime)}.")
        if method.authority is not None:
            lines.append(f"Contracting authority: {word(AUTHORITIES, method.authority)}.")
        doc.items(lines)
    lots: list[tuple[str | None, str]] = [
        (lot.id, f"Lot {lot.id}: {lot.title} ({amount(lot.contract_value, currency)})")
        for lot in result.lots or ()
    ]
    for lot_id, heading in lots or [(None, "Tenders")]:
        doc.heading(heading)
        bids = [b for b in result.bids if b.lot == lot_id]
        doc.table(
            [name for name, _ in _BID_COLUMNS],
            [_row(b, currency) for b in bids],
            right=[right for _, right in _BID_COLUMNS],
        )
        excluded = [b for b in bids if b.status == "excluded"]
        if excluded:
            doc.heading("Exclusions and their grounds", 3)
            doc.items(
                [
                    f"{b.bidder_id} {b.bidder_name}: {readable(f.message)}"
                    for b in excluded
                    for f in b.exclusions
                ]
            )
        flagged = [
            f"{b.bidder_id} ({f.code.replace('_', ' ')}): {readable(f.message)}"
            for b in bids
            for f in b.flags
        ]
        if flagged:
            doc.heading("Flags for the panel", 3)
            doc.items(flagged)
        passed = [
            f"{b.bidder_id}: {readable(b.award.message)}"
            for b in bids
            if b.award is not None and b.award.outcome == "not_appointed"
        ]
        if passed:
            doc.heading("Passed over", 3)
            doc.items(passed)
    doc.heading("Awards")
    doc.table(
        ["lot", "bidder", "rank"],
        [
            [a.lot or "-", f"{a.bidder_id} {_name(result, a.bidder_id)}", a.rank]
            for a in result.awards
        ],
        right=[False, False, True],
    )
    if result.decisions is not None:
        doc.heading("Decisions recorded (decisions.yaml)")
        lines = [
            f"{d.bidder}{' lot ' + d.lot if d.lot else ''}: disregarded ({d.ground}), decided by "
            f"{d.decided_by} on {d.date.isoformat()}" + (f"; {d.note}" if d.note else "")
            for d in result.decisions.disregarded
        ]
        lines += [
            f"{d.bidder}{' lot ' + d.lot if d.lot else ''}: abnormally low, {d.decision}"
            + (f"; notice sent {d.notice_sent.isoformat()}" if d.notice_sent else "")
            + (
                f", response received {d.response_received.isoformat()}"
                if d.response_received
                else ""
            )
            + (f"; decided by {d.decided_by}" if d.decided_by else "")
            + f"; {d.reason}"
            for d in result.decisions.abnormally_low
        ]
        doc.items(lines)
    if result.warnings:
        doc.heading("Policy warnings")
        doc.items([f"{w.code.replace('_', ' ')}: {readable(w.message)}" for w in result.warnings])
    s = result.summary
    suppliers = {b.bidder_id: b for b in result.bids}
    doc.heading("Supplier counts")
    doc.items(
        [
            f"Tenders: {s.bids} ({s.ranked} ranked, {s.excluded} excluded); suppliers: {len(suppliers)}",
            f"SME tenders: {s.sme} (micro {s.micro}); VCSE tenders: {s.vcse}; size unknown: {s.size_unknown}",
            f"SME suppliers: {sum(1 for b in suppliers.values() if b.size in ('sme', 'micro'))};"
            f" VCSE suppliers: {sum(1 for b in suppliers.values() if b.vcse)}",
            f"Appointed suppliers: {len({a.bidder_id for a in result.awards})}, of which SME"
            f" {len({a.bidder_id for a in result.awards if suppliers[a.bidder_id].size in ('sme', 'micro')})} and VCSE"
            f" {len({a.bidder_id for a in result.awards if suppliers[a.bidder_id].vcse})}",
        ]
    )
    if result.audit is not None:
        doc.para(
            f"result.json sealed with result_sha256 {result.audit.result_sha256}; method_sha256 "
            f"{result.audit.method_sha256}."
        )
    doc.heading("Sign-off")
    doc.para(
        "I have read this report and agree that the award decision follows the published"
        " evaluation method."
    )
    doc.table(
        ["role", "name", "signature", "date"], [[role, "", "", ""] for role in SIGN_OFF_ROLES]
    )
    return doc


def _name(result: Result, bidder_id: str) -> str:
    return next(b.bidder_name for b in result.bids if b.bidder_id == bidder_id)


def _row(b: BidResult, currency: str) -> list[object]:
    if b.award is None:
        decision = word({}, b.status)
    else:
        decision = word(OUTCOMES, b.award.outcome) + (
            f" ({word(REASONS, b.award.reason)})" if b.award.reason else ""
        )
    size = word(SIZES, b.size)
    vcse = "; VCSE" if b.vcse else ""
    return [
        b.rank,
        f"{b.bidder_id} {b.bidder_name} ({size}{vcse})",
        b.quality.score,
        b.price.score,
        b.social_value.score,
        b.total_score,
        amount(b.price.evaluated, currency),
        amount(b.social_value.total, currency),
        decision,
    ]
