"""Social value moderation: the panel's accept / reduce / reject decisions, applied before totalling.

A commitment the panel finds implausible or unsupported (no description of how it will be
delivered) counts as accepted; the quantity offered and the rationale stay in the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from svengine.model.bid import Bid
from svengine.model.panel import SvModeration
from svengine.model.panel_result import CommitmentModeration
from svengine.model.result import Flag
from svengine.numbers import decimal_text


def accepted_quantity(row: SvModeration, quantity: Decimal) -> Decimal:
    """The quantity counted after moderation: as offered, as reduced, or nothing."""
    if row.decision == "reject":
        return Decimal(0)
    if row.decision == "reduce":
        assert row.accepted_quantity is not None
        return row.accepted_quantity
    return quantity


def moderate(
    bid: Bid, rows: Sequence[SvModeration]
) -> tuple[Bid, dict[str, CommitmentModeration], list[Flag]]:
    """The bid with each moderated commitment's quantity as accepted, the decisions by measure, and flags.

    Rows are checked already (each names exactly one commitment of one bid); a bid is identified by
    its lot and bidder id, so only the rows of this bid's lot apply.
    """
    decisions = {
        row.measure: row for row in rows if row.bidder == bid.bidder.id and row.lot == bid.lot
    }
    if not decisions:
        return bid, {}, []
    commitments = []
    moderation: dict[str, CommitmentModeration] = {}
    flags: list[Flag] = []
    for commitment in bid.social_value:
        row = decisions.get(commitment.measure)
        if row is None:
            commitments.append(commitment)
            continue
        accepted = accepted_quantity(row, commitment.quantity)
        moderation[commitment.measure] = CommitmentModeration(
            decision=row.decision,
            quantity_offered=commitment.quantity,
            quantity_accepted=accepted,
            rationale=(row.rationale or "").strip(),
        )
        commitments.append(commitment.model_copy(update={"quantity": accepted}))
        if row.decision != "accept":
            done = (
                "rejected" if row.decision == "reject" else f"reduced to {decimal_text(accepted)}"
            )
            flags.append(
                Flag(
                    code="sv_moderated",
                    message=(
                        f"{commitment.measure} {decimal_text(commitment.quantity)} offered, "
                        f"{done} at moderation: {moderation[commitment.measure].rationale}"
                    ),
                )
            )
    return bid.model_copy(update={"social_value": tuple(commitments)}), moderation, flags
