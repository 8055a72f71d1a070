"""benchmarks.analysis `parts_of_evaluation`: its bookkeeping, not its timings (those are measured,
docs/performance.md). It borrows `explain_bid` for one evaluation and must hand it back."""

from __future__ import annotations

from pathlib import Path

from benchmarks.analysis import parts_of_evaluation

from svengine import load_folder
from svengine.audit.record import evaluate_inputs
from svengine.scoring import explain
from svengine.seal.streaming import result_digest


def test_parts_are_listed_and_explain_bid_is_handed_back(tmp_path: Path) -> None:
    from benchmarks.generate import write_evaluation

    folder = write_evaluation(tmp_path / "e", bids=12, commitments=3, criteria=2)
    inputs = load_folder(folder)
    result = evaluate_inputs(inputs)
    before = explain.explain_bid
    lines = parts_of_evaluation(inputs, result, exact=10.0, office=400.0, repeats=1)
    assert explain.explain_bid is before
    rows = [line.strip("| ").split(" | ") for line in lines if line.startswith("| ")][2:]
    labels = [label for label, _, _ in rows]
    assert labels[0].startswith(
        "the collector's pauses (on, as in an embedding host; full collections: "
    )
    assert labels[1].endswith("distinct result models per bid (`model_construct`)")
    assert labels[2:] == [
        "writing the explanations (`explain_bid`)",
        "the seal (`result_digest`: canonical JSON and SHA-256)",
        "scoring, the working and the figures' text",
    ]
    # The parts of 12 bids take milliseconds of the 10 s given as the whole: the rest is most of it.
    assert int(rows[-1][2].rstrip("%")) >= 99
    assert any(line.endswith("× LibreOffice.") for line in lines)
    # The evaluation it re-ran is the same evaluation: the borrowed explain_bid changed nothing.
    assert result_digest(evaluate_inputs(inputs)) == result_digest(result)
