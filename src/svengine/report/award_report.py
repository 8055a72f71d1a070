"""The award report: the decision for sign-off, from result.json alone.

Method, bids lot by lot, exclusions with their grounds, scores, appointments and why others were
passed over, flags, the buyer's recorded decisions, policy warnings, and the SME and VCSE counts.
"""

from __future__ import annotations

from svengine.model.result import BidResult, Result
from svengine.report.document import Document
from svengine.report.summaries import _MODELS


def award_report(result: Result) -> Document:
    tender = result.tender
    doc = Document(f"Award report: {tender.id} {tender.title}")
    method = result.method
    doc.heading("Method")
    if method is not None:
        w = method.weights
        lines = [
            f"Award model: {method.award_model} ({_MODELS.get(method.award_model, '')})",
            f"Weights (points of 100): quality {w.quality} ({method.quality_method or 'none'}), "
            f"price {w.price} ({method.price_method}),"
            f" social value {w.social_value} ({method.social_value_method or 'none'})",
            "Suppliers appointed per lot: "
            + (
                str(method.suppliers_per_lot)
                if method.suppliers_per_lot is not None
                else f"every tender with a total of at least {method.min_total_pct}"
            ),
            f"Ties at the cut-off: {method.cutoff_ties}",
        ]
        if method.max_lots_per_supplier is not None:
            lines.append(
                f"Lot limit: at most {method.max_lots_per_supplier} lots per supplier, allocated {method.allocation}"
            )
        if method.gates:
            lines.append(
                "Pass/fail criteria: " + "; ".join(f"{g.id} {g.title}" for g in method.gates)
            )
        lines.append(
            f"Regime: {method.regime or 'not stated'}; authority: {method.authority or 'not stated'}"
        )
        doc.items(lines)
    doc.para(f"Contract value {tender.currency} {tender.contract_value:,}.")
    lots: list[tuple[str | None, str]] = [
        (lot.id, f"Lot {lot.id}: {lot.title} ({tender.currency} {lot.contract_value:,})")
        for lot in result.lots or ()
    ]
    for lot_id, heading in lots or [(None, "Bids")]:
        doc.heading(heading)
        bids = [b for b in result.bids if b.lot == lot_id]
        doc.table(
            [
                "rank",
                "bidder",
                "name",
                "quality",
                "price",
                "social value",
                "total",
                "price offered",
                "SV £",
                "size",
                "VCSE",
                "decision",
            ],
            [_row(b) for b in bids],
        )
        excluded = [b for b in bids if b.status == "excluded"]
        if excluded:
            doc.heading("Exclusions and their grounds", 3)
            doc.items(
                [
                    f"{b.bidder_id} {b.bidder_name}: {f.message}"
                    for b in excluded
                    for f in b.exclusions
                ]
            )
        flagged = [f"{b.bidder_id} {f.code}: {f.message}" for b in bids for f in b.flags]
        if flagged:
            doc.heading("Flags", 3)
            doc.items(flagged)
        passed = [
            f"{b.bidder_id}: {b.award.message}"
            for b in bids
            if b.award is not None and b.award.outcome == "not_appointed"
        ]
        if passed:
            doc.heading("Passed over", 3)
            doc.items(passed)
    doc.heading("Awards")
    doc.table(
        ["lot", "bidder", "name", "rank"],
        [[a.lot, a.bidder_id, _name(result, a.bidder_id), a.rank] for a in result.awards],
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
        doc.items([f"{w.code}: {w.message}" for w in result.warnings])
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
    return doc


def _name(result: Result, bidder_id: str) -> str:
    return next(b.bidder_name for b in result.bids if b.bidder_id == bidder_id)


def _row(b: BidResult) -> list[object]:
    decision = (
        b.award.outcome.replace("_", " ") + (f" ({b.award.reason})" if b.award.reason else "")
        if b.award is not None
        else b.status
    )
    return [
        b.rank,
        b.bidder_id,
        b.bidder_name,
        b.quality.score,
        b.price.score,
        b.social_value.score,
        b.total_score,
        f"{b.price.evaluated:,}",
        f"{b.social_value.total:,}",
        b.size,
        {True: "yes", False: "no", None: "unknown"}[b.vcse],
        decision,
    ]
