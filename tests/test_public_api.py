"""The public API only changes on purpose: this list is the contract."""

import svengine


def test_public_api_is_exactly_this() -> None:
    assert sorted(svengine.__all__) == [
        "Bid",
        "BidResult",
        "Bidder",
        "Commitment",
        "Criterion",
        "EvaluationInput",
        "Flag",
        "InvalidInput",
        "Location",
        "Measure",
        "MeasureLibrary",
        "OutputExists",
        "Problem",
        "Result",
        "Score",
        "SvengineError",
        "Tender",
        "__version__",
        "check_all",
        "evaluate",
        "evaluate_documents",
        "evaluate_folder",
        "load_bids",
        "load_folder",
        "load_library",
        "load_scores",
        "load_tender",
        "loads",
        "parse_bids",
        "parse_library",
        "parse_scores",
        "parse_tender",
    ]
    for name in svengine.__all__:
        assert getattr(svengine, name) is not None


def test_invalid_input_is_a_value_error_with_problems() -> None:
    assert issubclass(svengine.InvalidInput, ValueError)
    assert issubclass(svengine.InvalidInput, svengine.SvengineError)
    assert issubclass(svengine.OutputExists, FileExistsError)


# Tests reach svengine through its public names (issue 13): no test imports a private name of
# svengine (an implementation module a test needs gets a public seam instead).


def test_tests_import_no_private_names_from_svengine() -> None:
    import ast
    from pathlib import Path

    found = set()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("svengine"):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.add((path.name, node.module, alias.name))
    assert found == set(), sorted(found)
