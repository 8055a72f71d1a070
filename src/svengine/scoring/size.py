"""Supplier size: SME, micro, large or unknown, by the rule the tender declares."""

from __future__ import annotations

from decimal import Decimal

from svengine.model.bid import Bidder
from svengine.model.result import Size
from svengine.model.tender import SupplierSize

MILLION = Decimal(1_000_000)


def _all(*tests: bool | None) -> bool | None:
    """Three-valued AND: False if any test fails, None if any is unknown, else True."""
    if any(t is False for t in tests):
        return False
    return None if any(t is None for t in tests) else True


def _any(*tests: bool | None) -> bool | None:
    """Three-valued OR: True if any test passes, None if any is unknown, else False."""
    if any(t is True for t in tests):
        return True
    return None if any(t is None for t in tests) else False


def _below(value: Decimal | int | None, limit: Decimal | int) -> bool | None:
    return None if value is None else value < limit


def _at_most(value: Decimal | int | None, limit: Decimal | int) -> bool | None:
    return None if value is None else value <= limit


def supplier_size(bidder: Bidder, rule: SupplierSize) -> Size:
    """Classify a bidder; missing data that the rule needs gives `unknown`, never a guess.

    pa2023 (Procurement Act 2023): fewer than 250 staff, and turnover at most 44m or balance
    sheet total at most 38m. lga2018 (LGA National Procurement Strategy 2018): fewer than 250 staff
    and turnover under 50m. Micro (0-9 staff and turnover under 2m) only when the tender asks.
    """
    staff = _below(bidder.employees, 250)
    if rule.rule == "pa2023":
        money = _any(
            _at_most(bidder.turnover, 44 * MILLION),
            _at_most(bidder.balance_sheet_total, 38 * MILLION),
        )
    else:
        money = _below(bidder.turnover, 50 * MILLION)
    sme = _all(staff, money)
    if sme is None:
        return "unknown"
    if not sme:
        return "large"
    if rule.report_micro and _all(
        _below(bidder.employees, 10), _below(bidder.turnover, 2 * MILLION)
    ):
        return "micro"
    return "sme"
