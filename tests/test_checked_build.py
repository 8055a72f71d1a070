"""Input models built without pydantic validation (model/checked.py) equal the validated ones.

`from_checked` is only used on documents the grammar check and the JSON Schema have passed; for
every bid of every example, of a generated folder and of random schema-valid bids it must give the
same object pydantic gives: equal, with the same repr (so the same Decimal exponents, tuples not
lists, ints not Decimals) and the same fields set; and on a value pydantic would coerce or refuse it
must step aside (None), so pydantic words the problem.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from benchmarks.generate import write_evaluation
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from svengine.io import schemas
from svengine.io.documents import number_problems, read_document
from svengine.io.scores_csv import read_scores_csv
from svengine.model.bid import Bid, Bidder, Commitment
from svengine.model.checked import conversion_plan, from_checked
from svengine.model.scores import Score
from svengine.numbers import SourceDecimal
from svengine.problems import Location


def _decimals(model: Any) -> list[Any]:
    found: list[Any] = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        for item in (
            value.values()
            if isinstance(value, dict)
            else value
            if isinstance(value, tuple)
            else [value]
        ):
            if hasattr(type(item), "model_fields"):
                found += _decimals(item)
            elif isinstance(item, Decimal):
                found.append(item)
    return found


def _same(document: dict[str, Any]) -> Bid:
    fast = from_checked(Bid, document)
    assert fast is not None, document
    slow = Bid.model_validate(document)
    assert fast == slow
    assert repr(fast) == repr(slow)
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.bidder.model_fields_set == slow.bidder.model_fields_set
    assert all(type(d) is Decimal for d in _decimals(fast))  # never a SourceDecimal
    assert fast.model_dump_json() == slow.model_dump_json()
    return fast


def _bid_documents(folder: Path) -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = []
    for file in sorted((folder / "bids").glob("*.json")):
        document, problems = read_document(file)
        assert not problems
        for item in document if isinstance(document, list) else [document]:
            assert not number_problems(item, str(file))
            assert not schemas.validate(item, "bid", str(file), definition="bid")
            documents.append({**item, "source": Location(file=str(file), path="$")})
    return documents


def test_the_fast_path_covers_bids_and_scores() -> None:
    # Otherwise every test below passes by falling back to pydantic.
    for model in (Bid, Bidder, Commitment, Score):
        assert conversion_plan(model) is not None, model


@pytest.mark.parametrize(
    "folder",
    sorted(p for p in (REPO / "examples").iterdir() if (p / "bids").is_dir()),
    ids=lambda p: p.name,
)
def test_every_example_bid_is_built_as_pydantic_builds_it(folder: Path) -> None:
    for document in _bid_documents(folder):
        _same(document)


def test_generated_bids_are_built_as_pydantic_builds_them(tmp_path: Path) -> None:
    write_evaluation(tmp_path, bids=50)
    documents = _bid_documents(tmp_path)
    assert len(documents) == 50
    for document in documents:
        _same(document)


_text = st.text(min_size=1, max_size=5)
_decimal_text = st.from_regex(r"\A-?[0-9]{1,15}(\.[0-9]{1,6})?\Z")
_dec = st.one_of(
    st.integers(-(10**15) + 1, 10**15 - 1), _decimal_text, _decimal_text.map(SourceDecimal)
)


@settings(max_examples=200, deadline=None)
@given(
    bidder=st.fixed_dictionaries(
        {"id": _text, "name": _text},
        optional={
            "employees": st.integers(0, 10**6),
            "turnover": _dec,
            "balance_sheet_total": _dec,
            "vcse": st.booleans(),
        },
    ),
    optional=st.fixed_dictionaries(
        {},
        optional={
            "price": _dec,
            "prices": st.dictionaries(_text, _dec, max_size=3),
            "adjustment_pct": _dec,
            "adjustments_pct": st.dictionaries(_text, _dec, max_size=3),
            "social_value": st.lists(
                st.fixed_dictionaries(
                    {"measure": _text, "quantity": _dec},
                    optional={"years": st.integers(1, 50), "description": _text},
                ),
                max_size=4,
            ),
            "description": _text,
            "lot": _text,
        },
    ),
)
def test_random_bids_are_built_as_pydantic_builds_them(
    bidder: dict[str, Any], optional: dict[str, Any]
) -> None:
    _same({"bidder": bidder, **optional})


@pytest.mark.parametrize(
    "document",
    [
        {"bidder": {"id": "A", "name": "A", "employees": True}},  # a bool where an int goes
        {"bidder": {"id": "A", "name": "A", "employees": 5.0}},  # pydantic would coerce
        {"bidder": {"id": "A", "name": "A"}, "price": 1.5},  # a binary float
        {"bidder": {"id": "A", "name": "A"}, "price": "1e5"},  # outside the grammar
        {"bidder": {"id": "A", "name": "A"}, "colour": "red"},  # an unknown key
        {"bidder": {"id": "A"}},  # a required field missing
        {"bidder": {"id": "A", "name": "A"}, "social_value": "EX-1"},  # not a list
        {"bidder": {"id": 7, "name": "A"}},  # not a string
    ],
)
def test_anything_pydantic_would_coerce_or_refuse_goes_to_pydantic(
    document: dict[str, Any],
) -> None:
    assert from_checked(Bid, document) is None


@pytest.mark.parametrize(
    "folder",
    sorted(p for p in (REPO / "examples").iterdir() if (p / "scores.csv").is_file()),
    ids=lambda p: p.name,
)
def test_csv_scores_are_built_as_pydantic_builds_them(folder: Path) -> None:
    # scores_csv builds each Score directly from already-converted values.
    scores, problems = read_scores_csv(folder / "scores.csv")
    assert scores and not problems
    for score in scores:
        validated = Score(**{name: getattr(score, name) for name in score.model_fields_set})
        assert score == validated
        assert repr(score) == repr(validated)
        assert score.model_fields_set == validated.model_fields_set
        assert type(score.score) is Decimal


def test_bids_whose_keys_come_in_any_order_build_the_validated_bid() -> None:
    # Bids written by many tools give the same keys in any order: each builds the validated bid.
    import itertools

    base = {
        "bidder": {"id": "B1", "name": "Acme"},
        "price": "100",
        "description": "d",
        "social_value": [{"measure": "EX-JOB-1", "quantity": "2"}],
    }
    built = [
        from_checked(Bid, {key: base[key] for key in order})
        for order in itertools.permutations(base)
    ]
    assert len(built) == 24 and all(bid is not None for bid in built)
    assert all(
        bid == Bid.model_validate(base) and bid.model_fields_set == set(base)
        for bid in built
        if bid is not None
    )
