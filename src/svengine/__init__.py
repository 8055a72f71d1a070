"""svengine: social value scoring and tender evaluation, exact, explained and reproducible.

The public API is exactly `__all__` below (tested in tests/test_public_api.py).
"""

from svengine.api_json import evaluate_documents, loads
from svengine.audit.record import evaluate_folder
from svengine.io.loaders import (
    EvaluationInput,
    load_bids,
    load_folder,
    load_library,
    load_scores,
    load_tender,
    parse_bids,
    parse_library,
    parse_scores,
    parse_tender,
)
from svengine.model.bid import Bid, Bidder, Commitment
from svengine.model.library import Measure, MeasureLibrary
from svengine.model.result import BidResult, Flag, Result
from svengine.model.scores import Score
from svengine.model.tender import Criterion, Tender
from svengine.problems import (
    InvalidInput,
    Location,
    OutputExists,
    Problem,
    SvengineError,
)
from svengine.scoring.evaluate import check_all, evaluate
from svengine.version import __version__

__all__ = [
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
