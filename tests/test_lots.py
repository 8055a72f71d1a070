"""Lots: each lot is its own competition; bids are identified by (lot, bidder id)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import svengine
from award_helpers import codes, evaluate, lot_bid, lotted, marks
from builders import tender
from conftest import REPO
from svengine.cli.main import main

FRAMEWORK = REPO / "examples" / "framework-multi-lot"


@pytest.fixture(scope="module")
def framework() -> svengine.Result:
    inputs = svengine.load_folder(FRAMEWORK)
    return svengine.evaluate(inputs.tender, inputs.bids, inputs.scores, decisions=inputs.decisions)


def test_each_lot_is_scored_against_its_own_references(framework: svengine.Result) -> None:
    """Worked by hand from examples/framework-multi-lot (quality 35×s1/5 + 25×s2/5; price 30 ×
    P_min/P; SV 10 × SV/SV_max).

    L1: S5 (1,550,000) failed the gate, so P_min = 1,800,000 (S2). S1: 48 + 30×1.8/1.9 = 28.42 + 10 = 86.42;
    S2: 43 + 30 + 10×93,600/124,800 = 7.50 -> 80.50; S3: 36 + 30×1.8/1.99 = 27.14 + 5 -> 68.14.
    L2: S4 (1,300,000) was disregarded as late, so P_min = 1,400,000 (S1). S1: 53 + 30 + 10 = 93.00;
    S2: 41 + 30×1.4/1.45 = 28.97 + 10×62,400/93,600 = 6.67 -> 76.64.
    L3: P_min = 300,000 (S6). S1: 48 + 18.75 + 10 = 76.75; S6: 41 + 30 + 0 = 71.00;
    S3: 41 + 19.15 + 10 = 70.15; S4: 36 + 20 + 10 = 66.00.
    """
    got = {(b.lot, b.bidder_id): (b.rank, b.total_score) for b in framework.bids}
    assert got == {
        ("L1", "S1"): (1, Decimal("86.42")),
        ("L1", "S2"): (2, Decimal("80.50")),
        ("L1", "S3"): (3, Decimal("68.14")),
        ("L1", "S5"): (None, None),
        ("L2", "S1"): (1, Decimal("93.00")),
        ("L2", "S2"): (2, Decimal("76.64")),
        ("L2", "S4"): (None, None),
        ("L3", "S1"): (1, Decimal("76.75")),
        ("L3", "S6"): (2, Decimal("71.00")),
        ("L3", "S3"): (3, Decimal("70.15")),
        ("L3", "S4"): (4, Decimal("66.00")),
    }
    assert framework.lots is not None
    assert [(lot.id, lot.reference.lowest_price) for lot in framework.lots] == [
        ("L1", Decimal("1800000.00")),
        ("L2", Decimal("1400000.00")),
        ("L3", Decimal("300000.00")),
    ]
    assert [lot.reference.highest_social_value for lot in framework.lots] == [
        Decimal("124800.00"),
        Decimal("93600.00"),
        Decimal("31200.00"),
    ]


def test_additionality_is_against_the_lot_contract_value(framework: svengine.Result) -> None:
    # S1 offers 3 FTE-years in L2: 93,600 / 1,500,000 = 6.24%, not of the tender's 4,000,000 (2.34%).
    assert framework.bid("S1", lot="L2").social_value.additionality_pct == Decimal("6.24")


def test_bids_are_listed_lot_by_lot_in_declared_order_then_by_rank(
    framework: svengine.Result,
) -> None:
    assert [(b.lot, b.bidder_id) for b in framework.bids] == [
        ("L1", "S1"),
        ("L1", "S2"),
        ("L1", "S3"),
        ("L1", "S5"),
        ("L2", "S1"),
        ("L2", "S2"),
        ("L2", "S4"),
        ("L3", "S1"),
        ("L3", "S6"),
        ("L3", "S3"),
        ("L3", "S4"),
    ]
    assert framework.summary.bids == 11 and framework.summary.excluded == 2
    assert framework.reference.lowest_price is None  # per lot only


def test_a_tender_without_lots_gives_lot_null() -> None:
    result = evaluate(
        tender(),
        [lot_bid("A", None, "100000"), lot_bid("B", None, "120000")],
        marks(None, "A", 4, 4) + marks(None, "B", 3, 3),
    )
    assert [b.lot for b in result.bids] == [None, None] and result.lots is None
    assert json.loads(result.to_json())["bids"][0]["lot"] is None


def test_one_bidder_in_two_lots_is_two_bids_but_twice_in_one_lot_is_refused() -> None:
    t = lotted([("A", "100000"), ("B", "200000")])
    ok = evaluate(
        t,
        [lot_bid("X", "A", "90000"), lot_bid("X", "B", "180000")],
        marks("A", "X", 4, 4) + marks("B", "X", 2, 2),
    )
    assert [(b.lot, b.quality.score) for b in ok.bids] == [
        ("A", Decimal("48.00")),
        ("B", Decimal("24.00")),
    ]
    with pytest.raises(svengine.InvalidInput) as error:
        evaluate(t, [lot_bid("X", "A", "90000"), lot_bid("X", "A", "95000")], marks("A", "X", 4, 4))
    assert "duplicate_bidder" in codes(error.value)


@pytest.mark.parametrize(
    ("lots", "bid_lot", "score_lot", "expected"),
    [
        ([("A", "1")], None, "A", "missing_lot"),
        ([("A", "1")], "Z", "A", "unknown_lot"),
        (None, "A", None, "unexpected_lot"),
        ([("A", "1")], "A", None, "missing_lot"),
    ],
)
def test_lots_named_wrongly_are_refused(
    lots: list[tuple[str, str]] | None, bid_lot: str | None, score_lot: str | None, expected: str
) -> None:
    t = lotted(lots) if lots else tender()
    with pytest.raises(svengine.InvalidInput) as error:
        evaluate(t, [lot_bid("X", bid_lot, "90000")], marks(score_lot, "X", 4, 4))
    assert expected in codes(error.value)


def test_duplicate_lot_ids_are_refused() -> None:
    with pytest.raises(svengine.InvalidInput) as error:
        lotted([("A", "1"), ("A", "2")])
    assert codes(error.value) == ["duplicate_lot"]


def test_scores_csv_lot_column(tmp_path: Path) -> None:
    from svengine.io.scores_csv import parse_scores_csv

    rows, problems = parse_scores_csv(
        "lot,bidder,criterion,score,comment\nL1,S1,Q1,4,ok\nL2,S1,PF1,fail,no cover\n"
    )
    assert problems == []
    assert [(r.lot, r.bidder, r.criterion, r.score, r.verdict) for r in rows] == [
        ("L1", "S1", "Q1", Decimal(4), None),
        ("L2", "S1", "PF1", Decimal(0), "fail"),
    ]


def test_the_multi_lot_record_verifies_and_names_decisions_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["evaluate", str(FRAMEWORK), "--out", str(out)]) == 0
    recorded = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert "decisions.yaml" in recorded["audit"]["inputs"]  # read through read_document, so audited
    assert recorded["decisions"]["disregarded"][0] == {
        "bidder": "S4",
        "lot": "L2",
        "ground": "late",
        "decided_by": "Head of Procurement (J. Okafor)",
        "date": "2026-02-13",
        "note": "Lot 2 tender uploaded at 12:07, after the 12:00 deadline; Lot 3 tender was on time.",
    }
    capsys.readouterr()
    assert main(["verify", str(out)]) == 0
    assert capsys.readouterr().out.startswith("verified")
