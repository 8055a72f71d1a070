"""Fuzzing (issue 8): valid and nearly-valid tenders, bids and scores, generated with hypothesis.

hypothesis-jsonschema is tested on drafts 4, 6 and 7 only, and a schema-valid document is rarely a
tender that can be evaluated (weights add up, scores name real bids), so the strategies are written
by hand: the enums, field names and required lists come from the published JSON Schemas, the rules
between fields from the README. Properties:

- a valid document always evaluates, and its result serialises;
- a nearly-valid one (one schema-guided mutation, or its text damaged) evaluates or raises
  InvalidInput whose every problem is located; nothing else is ever raised.

The default profile is quick; `SVENGINE_FUZZ=long` runs the campaign recorded in docs/reliability.md.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import svengine
from svengine.io import schemas
from svengine.io.documents import parse_json, parse_yaml
from svengine.io.scores_csv import parse_scores_csv

LONG = os.environ.get("SVENGINE_FUZZ") == "long"
fuzz = settings(
    max_examples=5000 if LONG else 60, deadline=None, suppress_health_check=list(HealthCheck)
)

TENDER_SCHEMA = schemas.schema("tender")
PROPERTIES = TENDER_SCHEMA["properties"]


def enum(*path: str) -> list[Any]:
    node: Any = PROPERTIES
    for part in path:
        node = node[part] if part in node else node["properties"][part]
    return list(node["enum"])


PRICE_METHODS = enum("price", "method")
ROUNDING_MODES = list(TENDER_SCHEMA["$defs"]["rounding"]["properties"]["mode"]["enum"])
QUALITY_METHODS = enum("quality", "method")
SV_METHODS = enum("social_value", "method")
SIZE_RULES = enum("supplier_size", "rule")

LIBRARY: dict[str, Any] = {
    "id": "fuzz-lib",
    "version": "1",
    "currency": "GBP",
    "licence": "CC0 - invented",
    "measures": [
        {
            "id": "JOB",
            "theme": "Jobs",
            "outcome": "o",
            "title": "Local FTE",
            "unit": "FTE-year",
            "proxy_value": "30000",
            "exclusive_with": ["JOB2"],
        },
        {
            "id": "JOB2",
            "theme": "Jobs",
            "outcome": "o",
            "title": "Local FTE (alt)",
            "unit": "FTE-year",
            "proxy_value": "28000",
            "exclusive_with": ["JOB"],
        },
        {
            "id": "SPEND",
            "theme": "Growth",
            "outcome": "o",
            "title": "Local spend",
            "unit": "£",
            "proxy_value": "0.25",
            "basis": "total",
        },
        {
            "id": "HIRE",
            "theme": "Jobs",
            "outcome": "o",
            "title": "Hires",
            "unit": "people",
            "proxy_value": "20000",
            "first_year_only": True,
        },
        {
            "id": "RLW",
            "theme": "Jobs",
            "outcome": "o",
            "title": "Living wage",
            "unit": "%",
            "record_only": True,
        },
    ],
}
MEASURE_IDS = [m["id"] for m in LIBRARY["measures"]]


# Any printable text, formula-like text included; control characters (other than tab) are refused by design.
NAMES = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(["\t", "=", "+", "-", "@"]),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() != "")


def decimal_text(low: int, high: int, places: int = 2) -> st.SearchStrategy[str]:
    scale = 10**places
    return st.integers(low * scale, high * scale).map(lambda n: str(Decimal(n) / scale))


def split(total: int, parts: int, draw: st.DrawFn) -> list[int]:
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def positive(high: int) -> st.SearchStrategy[str]:
    """A decimal from 0.01 to `high`, two places at most."""
    return st.integers(1, high * 100).map(lambda n: str(Decimal(n) / 100))


@st.composite
def evaluations(draw: st.DrawFn) -> dict[str, Any]:
    """A valid library, tender, bids and scores, as the documents a tender system would send."""
    quality, price = draw(st.integers(10, 80)), 0
    price = draw(st.integers(5, 95 - quality))
    social = 100 - quality - price
    q_weights = [w for w in split(quality, draw(st.integers(1, 3)), draw)]
    if 0 in q_weights:
        q_weights = [quality]
    scale = draw(st.sampled_from([5, 10, 100]))
    criteria = [
        {"id": f"Q{i + 1}", "title": f"Question {i + 1}", "weight": w}
        for i, w in enumerate(q_weights)
    ]
    if draw(st.booleans()):
        criteria[0]["min_score"] = draw(st.integers(0, 2))
    tender: dict[str, Any] = {
        "id": "FUZZ-1",
        "title": "Fuzzed tender",
        "currency": "GBP",
        "contract_value": draw(decimal_text(100_000, 50_000_000, 0)),
        "duration_years": draw(st.integers(1, 5)),
        "weights": {"quality": quality, "price": price, "social_value": social},
        "quality": {
            "method": draw(st.sampled_from(QUALITY_METHODS)),
            "scale_max": scale,
            "criteria": criteria,
        },
        "price": {"method": draw(st.sampled_from(PRICE_METHODS))},
        "social_value": {"library": "lib.yaml", "method": draw(st.sampled_from(SV_METHODS))},
        "rounding": {
            "places": draw(st.integers(0, 4)),
            "mode": draw(st.sampled_from(ROUNDING_MODES)),
        },
    }
    if draw(st.booleans()):
        tender["quality"]["min_total_pct"] = draw(st.integers(0, 60))
    if tender["price"]["method"] == "reference_linear":
        tender["price"].update(ceiling="900000", floor="100000")
    sv = tender["social_value"]
    if sv["method"] == "target":
        sv["target_pct"] = draw(st.integers(1, 40))
    sv_criteria = []
    if social >= 2 and draw(st.booleans()):
        sv_criteria = [
            {"id": "SV1", "title": "Delivery plan", "weight": draw(st.integers(1, social - 1))}
        ]
        sv["criteria"] = sv_criteria
        sv["quantitative_weight"] = social - sv_criteria[0]["weight"]
    if draw(st.booleans()):
        sv["measures"] = draw(
            st.lists(st.sampled_from(MEASURE_IDS), min_size=1, max_size=4, unique=True)
        )
    if draw(st.booleans()):
        tender["tie_break"] = draw(
            st.lists(
                st.sampled_from(["quality", "price", "social_value", "lowest_price"]),
                unique=True,
                max_size=3,
            )
        )
    if draw(st.booleans()):
        tender["checks"] = {
            "abnormally_low_pct": draw(st.integers(0, 90)),
            "cost_per_fte_year": draw(decimal_text(1000, 90000, 0)),
        }
    if draw(st.booleans()):
        tender["supplier_size"] = {
            "rule": draw(st.sampled_from(SIZE_RULES)),
            "report_micro": draw(st.booleans()),
        }
    bids, scores = [], []
    for index in range(draw(st.integers(1, 6))):
        bidder: dict[str, Any] = {"id": f"B{index}", "name": draw(NAMES)}
        if draw(st.booleans()):
            bidder["employees"] = draw(st.integers(0, 5000))
            bidder["turnover"] = draw(decimal_text(0, 10**9, 2))
        commitments = []
        for _ in range(draw(st.integers(0, 4))):
            measure = draw(st.sampled_from(MEASURE_IDS))
            commitment: dict[str, Any] = {"measure": measure, "quantity": draw(positive(500))}
            if measure != "SPEND" and draw(
                st.booleans()
            ):  # a whole-term measure (basis: total) takes no years
                commitment["years"] = draw(st.integers(1, 6))
            commitments.append(commitment)
        bids.append(
            {"bidder": bidder, "price": draw(positive(2_000_000)), "social_value": commitments}
        )
        for criterion in [*criteria, *sv_criteria]:
            scores.append(
                {
                    "bidder": f"B{index}",
                    "criterion": criterion["id"],
                    "score": str(draw(st.integers(0, scale))),
                }
            )
    return {"library": copy.deepcopy(LIBRARY), "tender": tender, "bids": bids, "scores": scores}


def run(documents: dict[str, Any]) -> svengine.Result:
    library = svengine.parse_library(documents["library"], "lib.yaml")
    tender = svengine.parse_tender(documents["tender"], "tender.yaml", library=library)
    bids = svengine.parse_bids(documents["bids"], "bids.json")
    scores = svengine.parse_scores(documents["scores"], "scores.json")
    return svengine.evaluate(tender, bids, scores)


def located(problem: svengine.Problem) -> bool:
    """A place in a file, or (for a score nobody gave, when no file is known) the bid and the criterion."""
    return str(problem.location) != "(input)" or (
        problem.code == "missing_score" and bool(problem.bidder and problem.criterion)
    )


def evaluates_or_refuses(documents: dict[str, Any]) -> None:
    """The property of a nearly-valid input: a result, or InvalidInput with every problem located."""
    try:
        run(documents).to_json()
    except svengine.InvalidInput as error:
        assert error.problems
        for problem in error.problems:
            assert located(problem), problem
            assert problem.code and problem.message, problem


@fuzz
@given(evaluations())
def test_a_valid_evaluation_always_evaluates(documents: dict[str, Any]) -> None:
    result = run(documents)
    assert len(result.bids) == len(documents["bids"])
    assert json.loads(result.to_json())["tender"]["id"] == "FUZZ-1"


# -- nearly valid: one mutation guided by the schemas -------------------------------------------------------

NASTY: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    10**30,
    0.1,
    float("nan"),
    float("inf"),
    "",
    " ",
    "NaN",
    "Infinity",
    "1e999999",
    "9" * 400,
    "-0",
    "£5",
    "5,000",
    "0x1F",
    "\ud800",
    "\x00",
    "=1+1",
    [],
    {},
    [None],
    {"$ref": "https://example.invalid/x"},
    "x" * 5000,
]


def nasty(draw: st.DrawFn) -> Any:
    # A copy: the same list object inserted twice would make examples share (and grow) state.
    return copy.deepcopy(draw(st.sampled_from(NASTY)))


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


def schema_words(node: Any) -> set[str]:
    """Every property name the published schemas know: the likeliest misspellings start from these."""
    words: set[str] = set()
    if isinstance(node, dict):
        words |= set(node.get("properties", {}))
        for value in node.values():
            words |= schema_words(value)
    elif isinstance(node, list):
        for value in node:
            words |= schema_words(value)
    return words


WORDS = sorted(set().union(*(schema_words(schemas.schema(n)) for n in schemas.SCHEMA_NAMES)))


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    documents = draw(evaluations())
    for _ in range(draw(st.integers(1, 3))):
        part = draw(st.sampled_from(["library", "tender", "bids", "scores"]))
        where = draw(st.sampled_from(paths(documents[part])))
        parent: Any = documents
        for step in (part, *where[:-1]):
            parent = parent[step]
        kind = draw(st.sampled_from(["replace", "delete", "unknown_key", "misspell", "duplicate"]))
        key = where[-1] if where else None
        if not where:
            documents[part] = nasty(draw)
        elif kind == "replace":
            parent[key] = draw(
                st.sampled_from([nasty(draw)]) | st.text(max_size=20) | st.integers() | st.floats()
            )
        elif kind == "delete":
            del parent[key]
        elif kind in ("unknown_key", "misspell") and isinstance(parent[key], dict):
            word = draw(st.sampled_from(WORDS))
            if kind == "misspell" and len(word) > 2:
                cut = draw(st.integers(0, len(word) - 1))
                word = word[:cut] + word[cut + 1 :]
            parent[key][word] = nasty(draw)
        elif kind == "duplicate" and isinstance(parent[key], list) and parent[key]:
            parent[key].append(copy.deepcopy(parent[key][0]))
        else:
            parent[key] = nasty(draw)
    return documents


@fuzz
@given(mutated())
def test_a_nearly_valid_evaluation_evaluates_or_gives_located_problems(
    documents: dict[str, Any],
) -> None:
    evaluates_or_refuses(documents)


# -- damaged text: the readers' turn -------------------------------------------------------------------------


@st.composite
def damaged(draw: st.DrawFn, text: str) -> str:
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "truncate", "token"]))
        if action == "insert":
            text = text[:at] + draw(st.text(max_size=8)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        elif action == "truncate":
            text = text[:at]
        else:
            token = draw(
                st.sampled_from(
                    [
                        '"',
                        ",",
                        "{",
                        "]",
                        ":",
                        "NaN",
                        "1e999",
                        "&a",
                        "*a",
                        "!!python/name:os.system",
                        "\t",
                        "---",
                        "\\ud800",
                        "\\u0000",
                        "<<: *a",
                    ]
                )
            )
            text = text[:at] + token + text[at:]
    return text


def read_then_evaluate(
    text: str, parse: Callable[[str, str], Any], part: str, documents: dict[str, Any], file: str
) -> None:
    document, problems = parse(text, file)
    for problem in problems:
        assert problem.location.file == file and (
            problem.location.line is not None or problem.location.path is not None
        ), problem
    if problems:
        return
    evaluates_or_refuses({**documents, part: document})


@fuzz
@given(st.data())
def test_damaged_json_bids_are_read_or_refused_with_their_place(data: st.DataObject) -> None:
    documents = data.draw(evaluations())
    text = data.draw(damaged(json.dumps(documents["bids"], indent=1, ensure_ascii=False)))
    read_then_evaluate(text, parse_json, "bids", documents, "bids.json")


@fuzz
@given(st.data())
def test_damaged_yaml_tenders_are_read_or_refused_with_their_place(data: st.DataObject) -> None:
    documents = data.draw(evaluations())
    text = data.draw(
        damaged(yaml.safe_dump(documents["tender"], sort_keys=False, allow_unicode=True))
    )
    read_then_evaluate(text, parse_yaml, "tender", documents, "tender.yaml")


@fuzz
@given(st.data())
def test_damaged_csv_scores_are_read_or_refused_with_their_place(data: st.DataObject) -> None:
    documents = data.draw(evaluations())
    lines = [
        "bidder,criterion,score,comment",
        *(f"{s['bidder']},{s['criterion']},{s['score']},ok" for s in documents["scores"]),
    ]
    text = data.draw(damaged("\n".join(lines) + "\n"))
    scores, problems = parse_scores_csv(text, "scores.csv")
    for problem in problems:
        assert problem.location.file == "scores.csv" and problem.location.line is not None, problem
    if not problems:
        library = svengine.parse_library(documents["library"], "lib.yaml")
        tender = svengine.parse_tender(documents["tender"], "tender.yaml", library=library)
        try:
            svengine.evaluate(tender, svengine.parse_bids(documents["bids"], "bids.json"), scores)
        except svengine.InvalidInput as error:
            assert all(located(p) for p in error.problems), error
