"""Supplier size by the Procurement Act 2023 (default), the LGA 2018 strategy, and micro."""

from decimal import Decimal

import pytest

from svengine.model.bid import Bidder
from svengine.model.tender import SupplierSize
from svengine.scoring.size import supplier_size

M = 1_000_000


def size(rule: str = "pa2023", micro: bool = False, **bidder: object) -> str:
    return supplier_size(
        Bidder(id="x", name="x", **bidder), SupplierSize(rule=rule, report_micro=micro)
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("bidder", "expected"),
    [
        (
            {"employees": 249, "turnover": Decimal(44 * M), "balance_sheet_total": Decimal(90 * M)},
            "sme",
        ),  # turnover at most 44m
        (
            {"employees": 249, "turnover": Decimal(50 * M), "balance_sheet_total": Decimal(38 * M)},
            "sme",
        ),  # or balance sheet at most 38m
        (
            {"employees": 249, "turnover": Decimal(50 * M), "balance_sheet_total": Decimal(39 * M)},
            "large",
        ),
        ({"employees": 250, "turnover": Decimal(1)}, "large"),
        (
            {"employees": 249, "turnover": Decimal(50 * M)},
            "unknown",
        ),  # balance sheet could still make it an SME
        ({"employees": 10}, "unknown"),
        ({"turnover": Decimal(1 * M)}, "unknown"),
        (
            {"turnover": Decimal(45 * M), "balance_sheet_total": Decimal(39 * M)},
            "large",
        ),  # fails the money test whatever the staff
        ({"employees": 1000}, "large"),
    ],
)
def test_procurement_act_2023(bidder: dict[str, object], expected: str) -> None:
    assert size(**bidder) == expected


def test_lga_2018_rule() -> None:
    assert size("lga2018", employees=100, turnover=Decimal(50 * M - 1)) == "sme"
    assert size("lga2018", employees=100, turnover=Decimal(50 * M)) == "large"
    assert size("lga2018", employees=100) == "unknown"


def test_micro_only_when_asked() -> None:
    assert size(employees=9, turnover=Decimal("1999999")) == "sme"
    assert size(micro=True, employees=9, turnover=Decimal("1999999")) == "micro"
    assert size(micro=True, employees=10, turnover=Decimal(1)) == "sme"
    assert (
        size(micro=True, employees=5, balance_sheet_total=Decimal(1)) == "sme"
    )  # micro needs the turnover
