"""The fast paths give exactly what the slow ones gave: schema verdicts, number checks, result.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import svengine
from svengine.io import schemas
from svengine.io.documents import is_clean, located_number_problems, parse_json
from svengine.model.result import Flag

REPO = Path(__file__).resolve().parents[1]

# JSON texts shaped like bids, with wrong types, missing and unknown fields mixed in.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.sampled_from(["", "x", "12.5", "1e5", "12.5\n", "-3", "GBP"]),
    st.sampled_from(["1.5", "2.0", "1e400", "NaN", "0.1234567"]).map(lambda t: {"__number__": t}),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["id", "name", "x"]), inner, max_size=2),
    ),
    max_leaves=6,
)
bidders = st.fixed_dictionaries(
    {"id": st.one_of(st.just("B1"), values)},
    optional={
        "name": st.one_of(st.just("n"), values),
        "employees": values,
        "vcse": values,
        "turnover": values,
        "typo": values,
    },
)
commitments = st.fixed_dictionaries(
    {"measure": st.one_of(st.just("EX-JOB-1"), values)},
    optional={"quantity": values, "years": values, "description": values},
)
bids = st.fixed_dictionaries(
    {},
    optional={
        "bidder": st.one_of(bidders, values),
        "price": values,
        "social_value": st.one_of(st.lists(commitments, max_size=3), values),
        "prise": values,
    },
)


def _text(value: object) -> str:
    if isinstance(value, dict) and set(value) == {"__number__"}:
        return str(value["__number__"])
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_text(v) for v in value) + "]"
    return json.dumps(value)


@settings(max_examples=400, deadline=None)
@given(bids)
def test_jsonschema_rs_never_passes_a_bid_that_jsonschema_refuses(bid: dict) -> None:
    document, _ = parse_json(_text(bid))
    if schemas._surely_valid(document, "bid", "bid"):
        assert list(schemas._validator("bid", "bid").iter_errors(document)) == []


def test_problems_are_still_worded_by_jsonschema() -> None:
    document, _ = parse_json('{"bidder": {"id": "B1", "vcse": 1}, "prise": "1"}')
    messages = [p.message for p in schemas.validate(document, "bid", definition="bid")]
    assert 'the field "name" is missing' in messages
    assert any(m.startswith('unknown field "prise" (did you mean "price"?)') for m in messages)
    assert '"vcse" must be true or false, not 1' in messages


@given(
    st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2),
        ),
        max_leaves=8,
    )
)
def test_clean_check_agrees_with_the_located_walk(value: object) -> None:
    document, _ = parse_json(_text(value))
    assert is_clean(document) == (located_number_problems(document) == [])


def test_duplicate_keys_are_never_clean() -> None:
    document, problems = parse_json('{"a": {"b": 1, "b": 2}}')
    assert not is_clean(document) and [p.code for p in problems] == ["duplicate_key"]


def _reference_json(result: svengine.Result) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"


def test_result_json_bytes_equal_the_standard_library_writer() -> None:
    for name in ("housing-repairs", "highways-lot"):
        inputs = svengine.load_folder(REPO / "examples" / name)
        result = svengine.evaluate(inputs.tender, inputs.bids, inputs.scores)
        assert result.to_json() == _reference_json(result)


def test_escapes_equal_the_standard_library_writer() -> None:
    for code in [*range(0, 0x80), 0x2028, 0xFEFF, 0x1F600]:
        flag = Flag(code="x", message=f'a{chr(code)}"\\b')
        assert flag.model_dump_json(indent=2) == json.dumps(
            flag.model_dump(mode="json"), indent=2, ensure_ascii=False
        )


# Raw JSON texts: strings with every kind of escape (some of which make characters that cannot be
# stored), numbers in and out of the grammar, repeated keys and deep nesting.
_strings = st.one_of(
    st.text(max_size=5).map(json.dumps),
    st.sampled_from(
        [
            '"a\\b"',
            '"\\f"',
            '"\\u0000"',
            '"\\u001F"',
            '"\\u007f"',
            '"\\ud800"',
            '"\\uDFFF"',
            '"\\ufffe"',
            '"\\uFFFF"',
            '"\\u000a"',
            '"\\\\b"',
            '"\\ud83d\\ude00"',
            '"\\u00e9"',
            '"\\/"',
            '"\uffff"',
            '"\ufffe"',
        ]
    ),
)
_numbers = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from(
        ["999999999999999", "-999999999999999", "1000000000000000", "-1000000000000000", "1" * 19]
    ),
    st.sampled_from(
        [
            "1.5",
            "-0.000001",
            "0.0000001",
            "1e5",
            "1E-2",
            "123456789012345.123456",
            "1234567890123456.1",
            "-0",
            "NaN",
            "Infinity",
            "-Infinity",
        ]
    ),
)
_texts = st.recursive(
    st.one_of(_strings, _numbers, st.sampled_from(["true", "false", "null"])),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda items: "[" + ",".join(items) + "]"),
        st.lists(
            st.tuples(st.one_of(_strings, st.sampled_from(['"a"', '"b"'])), inner), max_size=3
        ).map(lambda pairs: "{" + ",".join(f"{key}:{value}" for key, value in pairs) + "}"),
    ),
    max_leaves=10,
)


@settings(max_examples=500, deadline=None)
@given(_texts)
def test_the_parse_time_check_finds_what_the_located_walk_finds(text: str) -> None:
    # parse_json clears most documents from what the parser saw (io/documents._quickly_clean) and walks
    # only the others: it must report exactly what the full walk reports on the same document.
    document, problems = parse_json(text)
    assert problems == located_number_problems(document)


@pytest.mark.parametrize("depth", [62, 63, 64, 65])
def test_the_parse_time_check_counts_depth_as_the_walk_does(depth: int) -> None:
    for opening, closing in (("[", "]"), ('{"a":', "}")):
        text = opening * depth + "1" + closing * depth
        document, problems = parse_json(text)
        assert problems == located_number_problems(document)
        assert bool(problems) == (depth > 64)
