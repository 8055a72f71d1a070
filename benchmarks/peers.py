"""Baselines run as separate processes, so each includes its own interpreter start-up as svengine does.

python -m benchmarks.peers stdlib FOLDER          parse bids/*.json and scores.csv with json + csv
python -m benchmarks.peers bid-evaluation FOLDER  the `bid-evaluation` package (PyPI) loading the same
                                                  files with pandas and scoring price and quality
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path


def stdlib_parse(folder: Path) -> int:
    bids = [
        bid
        for path in sorted((folder / "bids").glob("*.json"))
        for bid in json.loads(path.read_text(encoding="utf-8"))
    ]
    with open(folder / "scores.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return len(bids) + len(rows)


def bid_evaluation(folder: Path) -> int:
    """What a pandas-based peer does with the same files: a price/quality table, scored in floats."""
    import pandas as pd
    from bid_evaluation import Evaluator

    bids = [
        bid
        for path in sorted((folder / "bids").glob("*.json"))
        for bid in json.loads(path.read_text(encoding="utf-8"))
    ]
    table = pd.DataFrame(
        {"bidder": [b["bidder"]["id"] for b in bids], "price": [float(b["price"]) for b in bids]}
    )
    scores = pd.read_csv(folder / "scores.csv")
    wide = scores.pivot(index="bidder", columns="criterion", values="score").reset_index()
    table = table.merge(wide, on="bidder")
    evaluator = Evaluator().min_ratio("price", weight=30)
    for criterion in (c for c in wide.columns if c != "bidder"):
        evaluator.direct(criterion, weight=60 / (len(wide.columns) - 1), input_scale=5)
    result = evaluator.evaluate(table)
    return len(result)


if __name__ == "__main__":
    kind, target = sys.argv[1], Path(sys.argv[2])
    print({"stdlib": stdlib_parse, "bid-evaluation": bid_evaluation}[kind](target))
