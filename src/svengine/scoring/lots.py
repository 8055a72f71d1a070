"""Splitting an evaluation into its lots: each lot is a competition of its own.

A bid is identified by (lot, bidder id): one bidder may bid for several lots, and within a lot
bidder ids are unique. Each lot is evaluated by the ordinary single-competition evaluation against
a copy of the tender whose contract value is the lot's, so reference prices, T_best, SV_max and
additionality are per lot. A tender without lots is one part with lot None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from svengine.model.award import Lot
from svengine.model.bid import Bid
from svengine.model.panel import SvModeration
from svengine.model.scores import Score
from svengine.model.tender import Tender


@dataclass(frozen=True)
class LotPart:
    """One competition: a lot (or the whole tender), its bids and its score rows."""

    lot: Lot | None
    tender: Tender
    bids: tuple[Bid, ...]
    scores: tuple[Score, ...]
    """Scores of weighted criteria (what the single-competition evaluation reads)."""
    gate_scores: tuple[Score, ...]
    """Verdicts of pass/fail criteria."""
    sv_moderation: tuple[SvModeration, ...] = ()

    @property
    def lot_id(self) -> str | None:
        return self.lot.id if self.lot is not None else None


def is_gate_row(tender: Tender, score: Score) -> bool:
    return score.verdict is not None or score.criterion in {gate.id for gate in tender.gates}


def lot_tender(tender: Tender, lot: Lot) -> Tender:
    """The tender as one lot sees it: the lot's contract value is the base for additionality."""
    return tender.model_copy(update={"contract_value": lot.contract_value})


def split_lots(
    tender: Tender,
    bids: Sequence[Bid],
    scores: Sequence[Score],
    sv_moderation: Sequence[SvModeration] = (),
) -> list[LotPart]:
    """The competitions in declared lot order; rows naming an undeclared lot belong to none."""
    if not tender.lots:
        return [_part(None, tender, bids, scores, sv_moderation)]
    return [
        _part(
            lot,
            lot_tender(tender, lot),
            [b for b in bids if b.lot == lot.id],
            [s for s in scores if s.lot == lot.id],
            [m for m in sv_moderation if m.lot == lot.id],
        )
        for lot in tender.lots
    ]


def _part(
    lot: Lot | None,
    tender: Tender,
    bids: Sequence[Bid],
    scores: Sequence[Score],
    sv_moderation: Sequence[SvModeration],
) -> LotPart:
    gate_ids = {
        gate.id for gate in tender.gates
    }  # is_gate_row, with the set built once, not twice a row
    gate_rows = [s.verdict is not None or s.criterion in gate_ids for s in scores]
    return LotPart(
        lot=lot,
        tender=tender,
        bids=tuple(bids),
        scores=tuple(s for s, gate in zip(scores, gate_rows, strict=True) if not gate),
        gate_scores=tuple(s for s, gate in zip(scores, gate_rows, strict=True) if gate),
        sv_moderation=tuple(sv_moderation),
    )
