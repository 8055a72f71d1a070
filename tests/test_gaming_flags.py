"""Gaming flags (issue 8): reported for the panel, never changing a score."""

from __future__ import annotations

import copy
from decimal import Decimal

from builders import LIBRARY, bid, run, tender

FULL = {"Q1": 5, "Q2": 5}


def codes(result: object, bidder: str) -> list[str]:
    return [f.code for f in result.bid(bidder).flags]  # type: ignore[attr-defined]


def test_abnormally_low_price_against_the_mean_of_the_other_valid_bids() -> None:
    # A: the others' mean is (100 + 110 + 120)/3 = 110; 80 is 27.27% below: flagged (default 20%)
    # B: others' mean (80 + 110 + 120)/3 = 103.33; 100 is above 80% of it: not flagged
    result = run(
        tender(),
        [bid("A", "80"), bid("B", "100"), bid("C", "110"), bid("D", "120")],
        {b: FULL for b in "ABCD"},
    )
    assert codes(result, "A") == ["abnormally_low"]
    assert (
        "27.272727…% below the mean of the other valid bids (110.00)"
        in result.bid("A").flags[0].message
    )
    assert "s.19(3)(c)" in result.bid("A").flags[0].message
    assert all(codes(result, b) == [] for b in "BCD")
    # the flag changes nothing: A still has the lowest price and full price marks
    assert result.bid("A").price.score == Decimal("30.00")


def test_abnormally_low_threshold_is_declared_and_exact() -> None:
    # 80 is exactly 20% below 100: not "more than" 20%
    result = run(
        tender(checks={"abnormally_low_pct": 20}),
        [bid("A", "80"), bid("B", "100")],
        {b: FULL for b in "AB"},
    )
    assert codes(result, "A") == []
    result = run(
        tender(checks={"abnormally_low_pct": "19.99"}),
        [bid("A", "80"), bid("B", "100")],
        {b: FULL for b in "AB"},
    )
    assert codes(result, "A") == ["abnormally_low"]


def test_social_value_larger_than_the_declared_share_of_price() -> None:
    # 2 FTE × 1 year × 30,000 = 60,000 social value on a 100,000 price: 60%
    offer = [{"measure": "JOB", "quantity": "2"}]
    assert codes(
        run(
            tender(checks={"max_sv_share_of_price_pct": 50}),
            [bid("A", "100000", offer)],
            {"A": FULL},
        ),
        "A",
    ) == ["sv_share_of_price"]
    assert (
        codes(
            run(
                tender(checks={"max_sv_share_of_price_pct": 60}),
                [bid("A", "100000", offer)],
                {"A": FULL},
            ),
            "A",
        )
        == []
    )
    assert codes(run(tender(), [bid("A", "50000", offer)], {"A": FULL}), "A") == [
        "sv_share_of_price"
    ]  # default 100%


def test_implausible_fte_years_for_the_contract_value() -> None:
    # contract value 1,000,000 at 40,000 per FTE-year pays for 25 FTE-years; 9 FTE × 3 years = 27 is implausible
    result = run(
        tender(checks={"cost_per_fte_year": "40000"}),
        [bid("A", "990000", [{"measure": "JOB", "quantity": "9", "years": 3}])],
        {"A": FULL},
    )
    assert "implausible_quantity" in codes(result, "A")
    result = run(
        tender(checks={"cost_per_fte_year": "40000"}),
        [bid("A", "990000", [{"measure": "JOB", "quantity": "8", "years": 3}])],
        {"A": FULL},
    )
    assert "implausible_quantity" not in codes(result, "A")


def test_mutually_exclusive_measures_claimed_together() -> None:
    library = copy.deepcopy(LIBRARY)
    library["measures"][0]["exclusive_with"] = ["HIRE"]
    offer = [{"measure": "JOB", "quantity": "1"}, {"measure": "HIRE", "quantity": "1"}]
    result = run(tender(library=library), [bid("A", "900000", offer)], {"A": FULL})
    assert codes(result, "A") == ["exclusive_measures"]
    assert result.bid("A").social_value.total == Decimal(
        "50000.00"
    )  # still counted: the panel decides
