"""Every problem code, declared once with its meaning (docs/problems.md is generated from this).

A `Problem`'s code is stable: tender systems switch on it. `Problem` refuses a code that is not
declared here, and tests/test_architecture.py fails on a code used in the source but not declared,
or declared but not documented in docs/problems.md (`python -m svengine.problem_codes` writes it).
"""

from __future__ import annotations

from types import MappingProxyType

_FILES = {
    "missing_file": "a file the evaluation needs does not exist",
    "missing_folder": "the evaluation folder does not exist",
    "not_a_file": "an input is not an ordinary file (a folder, a link, a device or a pipe)",
    "outside_bundle": "a bundle's tender names a file outside the bundle",
    "too_large": "a request or document is larger than the service's limit",
    "too_many_bids": "a request has more bids than the service's limit",
    "bad_upload": "an uploaded form is not the workbooks the endpoint takes",
    "encrypted_workbook": "a workbook is protected with a password and cannot be read",
    "too_many_sheets": "a workbook declares more sheets than any svengine workbook needs",
    "empty_file": "the file is empty",
    "file_too_large": "the file is larger than the reader's limit",
    "unreadable_file": "the file cannot be read (permissions, a device error)",
    "both_forms": "the folder holds the same input twice, as a workbook and as a text file",
    "not_utf8": "a text file is not UTF-8",
    "control_character": "a text file holds a control character (often a binary file named as text)",
    "bad_text": "a text value holds a character that cannot be stored",
    "more_problems": "stands for the problems found beyond the first 1,000, which are counted, not listed",
}
_DOCUMENTS = {
    "malformed_json": "the file is not valid JSON",
    "malformed_yaml": "the file is not valid YAML (or uses a YAML feature that is refused)",
    "malformed_csv": "the file is not valid CSV",
    "duplicate_key": "a JSON or YAML object gives the same key twice",
    "nested_too_deeply": "values are nested deeper than any svengine document needs",
    "cyclic_document": "a YAML value contains itself (an alias cycle)",
    "schema": "the document does not have the shape its published JSON Schema requires",
    "bad_number": "a number is not written in the decimal grammar (docs: no exponent, no float noise)",
    "invalid_value": "a value fails the typed model's validation (the message says why)",
    "bad_value": "a value is not one of the choices allowed here",
    "missing_value": "a required value is empty",
}
_TABLES = {
    "missing_header": "a table has no header row",
    "bad_header": "a header cell is not typed text",
    "missing_column": "the header lacks a column the table needs",
    "unknown_column": "the header has a column the table does not know",
    "duplicate_column": "the header names a column twice",
    "extra_cells": "a row has more cells than the header",
    "too_many_rows": "a sheet has data beyond the row limit",
}
_WORKBOOKS = {
    "not_xlsx": "a file of another kind was given where an .xlsx workbook is needed",
    "macro_workbook": "a macro-enabled workbook is refused",
    "unreadable_workbook": "the workbook cannot be opened",
    "unsafe_environment": "workbooks cannot be read safely here (defusedxml not active)",
    "unsafe_xml": "the workbook declares XML entities or a document type (a possible XML bomb)",
    "zip_bomb": "the workbook expands too many times its packed size",
    "zip_too_large": "the workbook expands beyond the size limit",
    "too_many_parts": "the workbook has more parts than the limit",
    "external_links": "the workbook takes values from other workbooks",
    "merged_cells": "cells a reader needs one value in are merged",
    "missing_sheet": "the workbook lacks a sheet it needs",
    "unexpected_sheet": "the workbook has a sheet that does not belong in it",
    "wrong_template": "the workbook is a template of another kind",
    "wrong_tender": "the workbook was made for another tender",
    "nothing_to_price": "a price template was asked for a tender with no priced lines",
}
_CELLS = {
    "formula_without_value": "a cell holds a formula with no saved value",
    "cell_error": "a cell shows a spreadsheet error (#DIV/0!, #N/A, ...)",
    "not_text": "a cell that needs text holds a date or time",
    "id_not_text": "an id cell holds a number or date (ids are text)",
    "not_a_number": "a cell that needs a number holds something else",
    "not_whole_number": "a cell that needs a whole number holds another number",
    "not_true_false": "a cell that needs TRUE or FALSE holds something else",
}
_TENDER = {
    "weights_sum": "the block weights do not add up to 100 points",
    "negative_weight": "a weight is negative",
    "criteria_weights_sum": "the quality criteria weights do not add up to the quality weight",
    "social_value_weights_sum": "the social value parts do not add up to the social value weight",
    "missing_block": "a block has a weight but is not described",
    "missing_criteria": "quality has a weight but no criteria",
    "bad_scale": "the score scale's maximum is not above 0",
    "bad_min_score": "a criterion's minimum score is outside its scale",
    "bad_parameter": "a method's parameter is missing or out of range (ceiling, floor, target)",
    "bad_percentage": "a percentage is outside 0 to 100",
    "duplicate_criterion": "two criteria share an id",
    "duplicate_tie_break": "the tie-break lists a key twice",
    "duplicate_measure": "social_value.measures lists a measure twice",
    "duplicate_price_item": "two priced items (lines, sections, parts) share an id",
    "duplicate_year": "a whole-life part lists a year twice",
    "not_positive": "a value that must be greater than 0 is not",
    "negative_price": "a price is negative",
    "negative_value": "a value that cannot be negative is",
    "currency_mismatch": "the measure library's currency is not the tender's",
    "library": "the measure library named by the tender cannot be used",
    "library_not_loaded": "the tender's measure library was not loaded",
    "award_model_weights": "the award model needs other block weights (fixed price: no price weight)",
    "conflicting_parameters": "two award parameters exclude each other",
    "missing_parameter": "an award parameter needs another that is not given",
    "unused_parameter": "an award parameter has no effect on this tender",
    "missing_lots": "lots is declared empty",
    "duplicate_lot": "two lots share an id",
}
_LIBRARY = {
    "duplicate_measure_id": "two measures in the library share an id",
    "missing_proxy": "a measure has no proxy value and is not record-only",
    "negative_proxy": "a measure's proxy value is negative",
    "record_only_with_proxy": "a record-only measure has a proxy value",
    "missing_licence": "an imported library does not say under which licence its values may be used",
}
_BIDS = {
    "no_bids": "the bids file holds no bids",
    "duplicate_bidder": "two bids share a bidder id",
    "missing_price": "a lump-sum bid gives no price",
    "missing_price_item": "a priced bid leaves a line, section or part unpriced",
    "unexpected_price_field": "a bid gives a price field this price model does not use",
    "unknown_price_item": "a bid prices a line, item or part the tender does not have",
    "unknown_section": "a bid gives an adjustment for a section the tender does not have",
    "duplicate_price_line": "a bid prices the same line twice",
    "missing_adjustment": "a schedule-of-rates bid gives no adjustment",
    "conflicting_adjustments": "a bid gives one adjustment for all and adjustments per section",
    "bad_adjustment": "an adjustment would price the work at nothing or less",
    "arithmetic_error": "a bid's stated price is not what its priced lines add up to",
    "not_fixed_price": "a fixed-price bid is not at the published price",
    "bad_years": "a commitment's years are not a whole number of at least 1 (or not 1 for a total)",
    "unknown_measure": "a measure is not in the library",
    "unexpected_social_value": "a bid offers commitments but the tender does not evaluate social value",
    "missing_lot": "a bid to a tender with lots names no lot",
    "unknown_lot": "a lot is not one of the tender's lots",
    "unexpected_lot": "a lot is named but the tender has no lots",
}
_SCORES = {
    "unknown_bidder": "a row names a bidder who has no bid",
    "unknown_criterion": "a row names a criterion the tender does not have",
    "score_out_of_range": "a score is outside its criterion's scale",
    "not_whole_mark": "a score is not a whole mark and the tender asks for whole marks",
    "score_not_allowed": "a score is not one of the marks the tender allows (allowed_scores)",
    "duplicate_score": "a bid is scored twice on one criterion",
    "missing_score": "a bid has no score on a criterion",
    "pass_fail_expected": "a pass/fail criterion was given a number",
    "not_pass_fail": "a scored criterion was given a pass/fail verdict",
    "gate_evaluator": "a pass/fail verdict names an evaluator (it is decided once)",
}
_PANEL = {
    "no_panel": "moderation was asked for but there is no panel",
    "duplicate_evaluator": "the panel lists an evaluator twice",
    "reserved_evaluator": "an evaluator id is the reserved word consensus",
    "unknown_evaluator": "a score names an evaluator not on the panel",
    "missing_evaluator": "a panel score names no evaluator",
    "conflict_not_declared": "an evaluator has not declared conflicts of interest",
    "too_few_evaluators": "a criterion has fewer evaluators than the tender requires",
    "criterion_not_assigned": "an evaluator scored a criterion not assigned to them",
    "missing_individual_score": "an evaluator has not scored a bid on an assigned criterion",
    "missing_consensus": "a consensus tender lacks the moderated score",
    "missing_rationale": "a consensus score or moderation decision lacks its rationale",
    "consensus_not_used": "a consensus score is given but the tender aggregates otherwise",
    "consensus_without_scores": "a consensus score has no individual scores behind it",
    "unknown_commitment": "a moderation row names a commitment no bid offers",
    "ambiguous_commitment": "a moderation row cannot say which of several commitments it means",
    "duplicate_moderation": "two moderation rows decide the same commitment",
    "bad_accepted_quantity": "a reduced commitment's accepted quantity is missing or out of range",
}
_DECISIONS = {
    "duplicate_decision": "two decisions about the same bid and kind",
    "disregard_without_notice": "an abnormally low tender is disregarded without notice and response",
    "response_before_notice": "a supplier's response is dated before the notice",
}

_CONTRACTS = {
    "not_awarded": "the bidder named for a contract was not awarded it",
    "lot_needed": "the evaluation has lots: say which lot the contract is for",
    "seal_broken": "the recorded evaluation's result.json does not match its seal",
    "input_changed": "a recorded evaluation's input changed since the evaluation",
    "no_library": "the recorded evaluation names no measure library to carry into the contract",
    "no_term": "the contract's term is not known (no duration_years in the tender and no --years)",
    "library_changed": "the contract's copy of the award's library does not match its digest",
    "bad_date": "a date is not written as YYYY-MM-DD",
    "bad_encoding": "a contract file is not UTF-8",
    "duplicate_return": "a period has a return in two forms",
    "not_a_return": "a file in a contract's returns folder is not a CSV, JSON or workbook return",
    "period_outside_term": "a period is outside the contract's term or not of its reporting frequency",
    "period_closed": "a return for a period already closed was changed",
    "too_few_kpis": "a contract over 5 million has fewer than three KPIs and no reason (PA 2023 s.52)",
    "too_many_material": "more than three KPIs are marked as the most material",
    "duplicate_kpi": "two KPIs share an id",
    "bad_thresholds": "a KPI's approaching and inadequate percentages are out of order or range",
    "unknown_kpi": "a result names a KPI the contract does not have",
    "nothing_claimed": "a moderation row decides a measure nobody claimed in that period",
    "bad_reduction": "a reduced claim's accepted quantity is missing or above the claimed quantity",
    "unknown_target": "portfolio.yaml names a target svengine does not know",
    "ocds_release": "the file is not an OCDS release, release package or record package with a tender",
}

PROBLEM_CODES: MappingProxyType[str, str] = MappingProxyType(
    {
        **_FILES,
        **_DOCUMENTS,
        **_TABLES,
        **_WORKBOOKS,
        **_CELLS,
        **_TENDER,
        **_LIBRARY,
        **_BIDS,
        **_SCORES,
        **_PANEL,
        **_DECISIONS,
        **_CONTRACTS,
    }
)
"""Each problem code and what it means."""

_SECTIONS = (
    ("Files", _FILES),
    ("Documents (JSON, YAML, CSV)", _DOCUMENTS),
    ("Tables (CSV and sheets)", _TABLES),
    ("Workbooks", _WORKBOOKS),
    ("Workbook cells", _CELLS),
    ("The tender", _TENDER),
    ("Measure libraries", _LIBRARY),
    ("Bids", _BIDS),
    ("Scores", _SCORES),
    ("Panels and moderation", _PANEL),
    ("Decisions (decisions.yaml)", _DECISIONS),
    ("Contracts, returns and portfolios", _CONTRACTS),
)


def problems_markdown() -> str:
    """docs/problems.md: every code with its meaning, by kind of input."""
    lines = [
        "# Problem codes",
        "",
        "Every problem svengine reports (`svengine.Problem`, raised together as `InvalidInput`) has",
        "one of these stable codes; the message says the rest, located. Generated from",
        "`src/svengine/problem_codes.py` by `python -m svengine.problem_codes > docs/problems.md`;",
        "tests/test_architecture.py checks that the two agree.",
    ]
    for title, codes in _SECTIONS:
        lines += ["", f"## {title}", "", "| code | meaning |", "| --- | --- |"]
        lines += [f"| `{code}` | {meaning} |" for code, meaning in sorted(codes.items())]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(problems_markdown(), end="")
