"""Bad input is refused with every problem listed, each located, and nothing evaluated (issue 2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import svengine
from builders import LIBRARY, bid, tender, tender_doc


def problems_of(folder: Path) -> list[svengine.Problem]:
    with pytest.raises(svengine.InvalidInput) as caught:
        svengine.load_folder(folder)
    return list(caught.value.problems)


def edit_json(path: Path, change: Any) -> None:
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


def test_every_problem_is_reported_at_once_with_its_place(housing: Path) -> None:
    edit_json(housing / "bids" / "B1.json", lambda d: d.update(price="-5"))
    edit_json(housing / "bids" / "B2.json", lambda d: d["social_value"][0].update(quantity="0"))
    edit_json(
        housing / "bids" / "B4.json", lambda d: d["social_value"][1].update(measure="EX-NOPE-9")
    )
    scores = (housing / "scores.csv").read_text().splitlines()
    scores = [line for line in scores if not line.startswith("B5,Q2,")]  # a missing score
    scores.append("B9,Q1,3,unknown bidder")
    scores.append("B6,Q7,3,unknown criterion")
    scores.append("B6,Q3,11,out of range")
    (housing / "scores.csv").write_text("\n".join(scores) + "\n")
    problems = problems_of(housing)
    found = {(p.code, p.bidder, p.criterion) for p in problems}
    assert ("not_positive", "B1", None) in found
    assert ("not_positive", "B2", None) in found
    assert ("unknown_measure", "B4", None) in found
    assert ("missing_score", "B5", "Q2") in found
    assert ("unknown_bidder", "B9", "Q1") in found
    assert ("unknown_criterion", "B6", "Q7") in found
    assert ("score_out_of_range", "B6", "Q3") in found
    price = next(p for p in problems if p.bidder == "B1")
    assert price.location.file is not None and price.location.file.endswith("B1.json")
    assert price.location.path == "$.price"
    quantity = next(p for p in problems if p.bidder == "B2")
    assert quantity.location.path == "$.social_value[0].quantity"
    unknown = next(p for p in problems if p.code == "unknown_bidder")
    assert unknown.location.line == len(scores) - 2  # header is line 1; two rows follow it
    assert str(unknown).startswith(str(housing / "scores.csv") + ":")


def test_duplicate_bidder_ids_are_refused(housing: Path) -> None:
    edit_json(housing / "bids" / "B2.json", lambda d: d["bidder"].update(id="B1"))
    assert "duplicate_bidder" in {p.code for p in problems_of(housing)}


def test_malformed_json_yaml_and_csv_are_located(housing: Path) -> None:
    (housing / "bids" / "B1.json").write_text(
        '{"bidder": {"id": "B1",\n "name": "x"},\n "price": }'
    )
    (housing / "tender.yaml").write_text("id: [unclosed\n")
    (housing / "scores.csv").write_text('bidder,criterion,score\nB1,Q1,"3\n')
    problems = problems_of(housing)
    codes = {p.code: p for p in problems}
    assert codes["malformed_json"].location.line == 3
    assert codes["malformed_yaml"].location.line is not None
    assert "malformed_csv" in codes


def test_unknown_fields_are_errors_with_a_suggestion() -> None:
    doc = tender_doc()
    doc["quality"]["criteria"][0]["min_scor"] = 2
    with pytest.raises(svengine.InvalidInput) as caught:
        svengine.parse_tender(doc, library=svengine.parse_library(LIBRARY))
    (problem,) = caught.value.problems
    assert problem.location.path == "$.quality.criteria[0]"
    assert 'unknown field "min_scor" (did you mean "min_score"?)' in problem.message


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("1e5", 'not "1e5"'),
        ("4,395,000.00", 'not "4,395,000.00"'),
        ("12.1234567", "6 after it"),
        ("NaN", 'not "NaN"'),
    ],
)
def test_prices_outside_the_decimal_grammar_are_refused(value: str, fragment: str) -> None:
    with pytest.raises(svengine.InvalidInput) as caught:
        svengine.parse_bids([bid("A", value)])
    (problem,) = caught.value.problems
    assert problem.code == "bad_number"
    assert problem.location.path == "$[0].price"
    assert "must be a number with at most 15 digits before the decimal point" in problem.message
    assert fragment in problem.message


def test_json_numbers_are_checked_as_written(tmp_path: Path) -> None:
    path = tmp_path / "bid.json"
    path.write_text(
        '{"bidder": {"id": "A", "name": "A", "turnover": 1e7}, "price": 100.1234567, "description": "x", "price": 5}'
    )
    with pytest.raises(svengine.InvalidInput) as caught:
        svengine.load_bids(path)
    found = {(p.code, p.location.path) for p in caught.value.problems}
    assert ("bad_number", "$.bidder.turnover") in found
    assert ("duplicate_key", "$.price") in found


def test_yaml_numbers_are_read_exactly_and_checked() -> None:
    from svengine.io.documents import parse_yaml

    document, problems = parse_yaml("a: 0.1\nb: 1.0e+3\nc: .inf\nd: 0x1F\ne: 12\n")
    assert format(document["a"], "f") == "0.1" and not isinstance(document["a"], float)
    assert {p.location.path for p in problems} == {"$.b", "$.c", "$.d"}


def test_yaml_refuses_python_tags_duplicate_keys_and_alias_bombs() -> None:
    from svengine.io.documents import parse_yaml

    assert (
        parse_yaml("a: !!python/object/apply:os.system ['true']\n")[1][0].code == "malformed_yaml"
    )
    duplicate = parse_yaml("a: 1\nb: 2\na: 3\n")[1]
    assert duplicate[0].location.line == 3 and "appears twice" in duplicate[0].message
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    assert "alias bomb" in parse_yaml(bomb)[1][0].message
    assert parse_yaml("a: &x [1, 2]\nb: *x\n")[0] == {
        "a": [1, 2],
        "b": [1, 2],
    }  # ordinary aliases still work


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"weights": {"quality": 60, "price": 30, "social_value": 20}}, "weights_sum"),
        ({"price": {"method": "reference_linear", "ceiling": "100"}}, "missing_parameter"),
        (
            {"price": {"method": "reference_linear", "ceiling": "100", "floor": "200"}},
            "bad_parameter",
        ),
        ({"price": {"method": "lowest_relative", "floor": "200"}}, "unused_parameter"),
        ({"social_value": {"library": "x", "method": "target"}}, "missing_parameter"),
        (
            {
                "social_value": {
                    "library": "x",
                    "method": "relative_to_highest",
                    "criteria": [{"id": "S", "title": "S", "weight": 4}],
                }
            },
            "missing_parameter",
        ),
        (
            {
                "social_value": {
                    "library": "x",
                    "method": "relative_to_highest",
                    "quantitative_weight": 5,
                }
            },
            "social_value_weights_sum",
        ),
        (
            {
                "social_value": {
                    "library": "x",
                    "method": "relative_to_highest",
                    "measures": ["NOPE"],
                }
            },
            "unknown_measure",
        ),
        ({"social_value": None}, "missing_block"),
        ({"contract_value": "0"}, "not_positive"),
        ({"currency": "gbp"}, "schema"),
        ({"tie_break": ["quality", "quality"]}, "duplicate_tie_break"),
        (
            {
                "quality": {
                    "method": "absolute",
                    "scale_max": 5,
                    "criteria": [{"id": "Q1", "title": "M", "weight": 50}],
                }
            },
            "criteria_weights_sum",
        ),
        (
            {
                "quality": {
                    "method": "absolute",
                    "scale_max": 5,
                    "criteria": [{"id": "Q1", "title": "M", "weight": 60, "min_score": 6}],
                }
            },
            "bad_min_score",
        ),
        (
            {
                "quality": {
                    "method": "absolute",
                    "scale_max": 5,
                    "weights_basis": "percent_of_block",
                    "criteria": [{"id": "Q1", "title": "M", "weight": 60}],
                }
            },
            "criteria_weights_sum",
        ),
        (
            {
                "quality": {
                    "method": "absolute",
                    "scale_max": 5,
                    "criteria": [
                        {"id": "Q1", "title": "M", "weight": 30},
                        {"id": "Q1", "title": "N", "weight": 30},
                    ],
                }
            },
            "duplicate_criterion",
        ),
        ({"rounding": None}, "schema"),
    ],
)
def test_tender_rules(change: dict[str, Any], code: str) -> None:
    with pytest.raises(svengine.InvalidInput) as caught:
        tender(**change)
    assert code in {p.code for p in caught.value.problems}


def test_library_rules() -> None:
    measures = [
        {"id": "A", "theme": "t", "outcome": "o", "title": "x", "unit": "u", "proxy_value": "1"},
        {"id": "A", "theme": "t", "outcome": "o", "title": "x", "unit": "u", "proxy_value": "-1"},
        {"id": "B", "theme": "t", "outcome": "o", "title": "x", "unit": "u"},
        {
            "id": "C",
            "theme": "t",
            "outcome": "o",
            "title": "x",
            "unit": "u",
            "record_only": True,
            "proxy_value": "2",
        },
    ]
    with pytest.raises(svengine.InvalidInput) as caught:
        svengine.parse_library({**LIBRARY, "measures": measures}, file="lib.yaml")
    found = {(p.code, p.location.path) for p in caught.value.problems}
    assert found == {
        ("duplicate_measure_id", "$.measures[1].id"),
        ("negative_proxy", "$.measures[1].proxy_value"),
        ("missing_proxy", "$.measures[2]"),
        ("record_only_with_proxy", "$.measures[3].proxy_value"),
    }


def test_whole_term_measures_need_one_year() -> None:
    with pytest.raises(svengine.InvalidInput) as caught:
        svengine.evaluate(
            tender(),
            svengine.parse_bids(
                [bid("A", "1", [{"measure": "SPEND", "quantity": "5", "years": 3}])]
            ),
            [],
        )
    assert "bad_years" in {p.code for p in caught.value.problems}


def test_whole_marks_only() -> None:
    quality = {
        "method": "absolute",
        "scale_max": 5,
        "whole_marks_only": True,
        "criteria": [{"id": "Q1", "title": "M", "weight": 60}],
    }
    with pytest.raises(svengine.InvalidInput) as caught:
        svengine.evaluate(
            tender(quality=quality),
            svengine.parse_bids([bid("A", "1")]),
            svengine.parse_scores([{"bidder": "A", "criterion": "Q1", "score": "2.5"}]),
        )
    assert [p.code for p in caught.value.problems] == ["not_whole_mark"]


def test_duplicate_score_rows_are_refused() -> None:
    rows = [
        {"bidder": "A", "criterion": "Q1", "score": "2"},
        {"bidder": "A", "criterion": "Q1", "score": "3"},
        {"bidder": "A", "criterion": "Q2", "score": "3"},
    ]
    with pytest.raises(svengine.InvalidInput) as caught:
        svengine.evaluate(
            tender(), svengine.parse_bids([bid("A", "1")]), svengine.parse_scores(rows)
        )
    assert [p.code for p in caught.value.problems] == ["duplicate_score"]


def test_scores_csv_header_and_cells(tmp_path: Path) -> None:
    from svengine.io.scores_csv import parse_scores_csv, read_scores_csv

    _, problems = parse_scores_csv("bidder,criterion,score,note\n", "s.csv")
    assert [p.code for p in problems] == ["unknown_column"]
    path = tmp_path / "scores.csv"
    # Saved by Excel: a byte-order mark, a blank row, a quoted comma, a stray space, a word for a number
    path.write_bytes(
        '\ufeffbidder,criterion,score,comment\r\nA,Q1,3,"fine, really"\r\n\r\nA,Q2,3.5 ,\r\nA,Q3,three,\r\n'.encode()
    )
    scores, problems = read_scores_csv(path)
    assert [(s.criterion, format(s.score, "f"), s.comment) for s in scores] == [
        ("Q1", "3", "fine, really"),
        ("Q2", "3.5", None),
    ]
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [
        ("bad_number", 5, "score")
    ]


def test_csv_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    path.write_bytes("bidder,criterion,score,comment\nA,Q1,3,caf\xe9\n".encode("latin-1"))
    with pytest.raises(svengine.InvalidInput) as caught:
        svengine.load_scores(path)
    assert [p.code for p in caught.value.problems] == ["not_utf8"]


def test_floats_are_refused_in_the_python_api() -> None:
    with pytest.raises(ValueError, match="binary floating-point"):
        svengine.Bid(bidder=svengine.Bidder(id="A", name="A"), price=0.1)  # type: ignore[arg-type]


def test_inputs_are_never_modified(housing: Path) -> None:
    before = {p: p.read_bytes() for p in housing.rglob("*") if p.is_file()}
    inputs = svengine.load_folder(housing)
    svengine.evaluate(inputs.tender, inputs.bids, inputs.scores)
    assert {p: p.read_bytes() for p in housing.rglob("*") if p.is_file()} == before
