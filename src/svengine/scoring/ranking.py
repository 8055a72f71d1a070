"""Ranking: by published total, then the published tie-break chain; unbroken ties are shared."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import groupby

from svengine.model.tender import TieBreakKey
from svengine.scoring import rules


@dataclass(frozen=True)
class Standing:
    """The published figures a bid is ranked on."""

    bidder_id: str
    total: Decimal
    quality: Decimal
    price: Decimal
    social_value: Decimal
    price_amount: Decimal | Fraction
    """The evaluated price, exact (a Fraction when a whole-life price declares no rounding)."""
    lead: tuple[Fraction, ...] | None = None
    """What the award model ranks on before the tie-break, smaller first (price ÷ points, or the
    price); None: the total, higher first (docs/award.md)."""

    @property
    def primary(self) -> Decimal | tuple[Fraction, ...]:
        return self.lead if self.lead is not None else self.total

    def key(self, tie_break: Sequence[TieBreakKey]) -> tuple[Decimal | Fraction, ...]:
        """Smaller is better: higher total, then each tie-break (higher scores, lower price amount)."""
        keys: list[Decimal | Fraction] = list(self.lead) if self.lead is not None else [-self.total]
        for step in rules.rank_keys("weighted", tie_break)[1:]:  # the chain after the total
            keys.append(rules.key_value(step, getattr(self, step.figure)))
        return tuple(keys)


def rank(
    standings: Sequence[Standing], tie_break: Sequence[TieBreakKey]
) -> list[tuple[Standing, int, list[str]]]:
    """Standard competition ranking (1, 1, 3): each standing with its rank and whom it ties with.

    Order is by rank, then bidder id, so the input order never matters. A tie that no published
    rule breaks stays a tie: nobody is picked at random.
    """
    keys = [s.key(tie_break) for s in standings]
    ranks = rules.competition_ranks(keys, [s.bidder_id for s in standings])
    order = sorted(range(len(standings)), key=lambda i: (ranks[i], standings[i].bidder_id))
    out: list[tuple[Standing, int, list[str]]] = []
    for _, group in groupby(order, key=lambda i: ranks[i]):
        members = list(group)
        ids = [standings[i].bidder_id for i in members]
        for i in members:
            out.append((standings[i], ranks[i], [b for b in ids if b != standings[i].bidder_id]))
    return out
