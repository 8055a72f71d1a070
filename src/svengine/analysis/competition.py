"""The competitions an analysis runs on: each lot on its own (or the whole tender), as the evaluation does.

`svengine.evaluate` splits a tender with lots into competitions (`scoring/lots.py`) and merges them
into one result. The analyses (stress, robustness) ask questions of one competition at a time
(who ranks first, what happens without this bid), so they work on a `Competition`: the tender as
the lot sees it (the lot's contract value, no `lots`, the award rule reduced to its model, which
is all that ranks bids inside one lot), the lot's bids and score rows (gate verdicts included) with
their `lot` cleared, and the buyer's decisions about those bids. Evaluating a competition gives
the lot's figures exactly as the full evaluation publishes them (tested).

Re-runs (without a bid, with a probe, at a cut price) keep only the decisions about bids still
present, so a disregarded tender stays out exactly as in the evaluation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from svengine.model.award import AwardRule, Decisions, Lot
from svengine.model.bid import Bid
from svengine.model.result import Result
from svengine.model.scores import Score
from svengine.model.tender import Tender
from svengine.scoring.award import DECIDED_EXCLUSIONS
from svengine.scoring.evaluate import evaluate


@dataclass(frozen=True)
class Competition:
    lot: Lot | None
    tender: Tender
    bids: tuple[Bid, ...]
    scores: tuple[Score, ...]
    decisions: Decisions | None = None

    @property
    def lot_id(self) -> str | None:
        return self.lot.id if self.lot is not None else None

    def evaluate(
        self, bids: Sequence[Bid] | None = None, scores: Sequence[Score] | None = None
    ) -> Result:
        """The competition's evaluation, or a re-run on other bids and scores with the same decisions."""
        bids = self.bids if bids is None else bids
        scores = self.scores if scores is None else scores
        return evaluate(self.tender, bids, scores, decisions=decisions_for(self.decisions, bids))


def decisions_for(decisions: Decisions | None, bids: Sequence[Bid]) -> Decisions | None:
    """The decisions about the bids given (a re-run without a bid must not name it)."""
    if decisions is None:
        return None
    present = {bid.bidder.id for bid in bids}
    return Decisions(
        disregarded=tuple(d for d in decisions.disregarded if d.bidder in present),
        abnormally_low=tuple(d for d in decisions.abnormally_low if d.bidder in present),
    )


def single_tender(tender: Tender, lot: Lot | None) -> Tender:
    """The tender as one competition: a lot's contract value, no lots, the award model alone."""
    if lot is None:
        return tender
    return tender.model_copy(
        update={
            "contract_value": lot.contract_value,
            "lots": None,
            "award": AwardRule(model=tender.award_rule.model),
        }
    )


def competitions(
    tender: Tender, bids: Sequence[Bid], scores: Sequence[Score], decisions: Decisions | None = None
) -> list[Competition]:
    """Each lot in declared order (or the whole tender), with its bids, score rows and decisions."""
    if not tender.lots:
        return [Competition(None, tender, tuple(bids), tuple(scores), decisions)]
    out = []
    for lot in tender.lots:
        lot_decisions = None
        if decisions is not None:
            lot_decisions = Decisions(
                disregarded=tuple(
                    d.model_copy(update={"lot": None})
                    for d in decisions.disregarded
                    if d.lot in (None, lot.id)
                ),
                abnormally_low=tuple(
                    d.model_copy(update={"lot": None})
                    for d in decisions.abnormally_low
                    if d.lot in (None, lot.id)
                ),
            )
        lot_bids = tuple(b.model_copy(update={"lot": None}) for b in bids if b.lot == lot.id)
        out.append(
            Competition(
                lot,
                single_tender(tender, lot),
                lot_bids,
                tuple(s.model_copy(update={"lot": None}) for s in scores if s.lot == lot.id),
                decisions_for(lot_decisions, lot_bids),
            )
        )
    return out


def decided_out(result: Result) -> set[str]:
    """Bids out before anything is scored (a failed gate, a disregarded tender): no score can bring them back."""
    return {
        b.bidder_id for b in result.bids if any(e.code in DECIDED_EXCLUSIONS for e in b.exclusions)
    }
