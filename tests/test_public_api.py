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
