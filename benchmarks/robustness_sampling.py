"""Benchmark: score-uncertainty sampling, 10,000 samples over 1,000 bids (target: seconds).

A three-person panel scores four quality criteria and one social value criterion for 1,000
generated bids; every cell is resampled in every sample. Run:

    .venv/bin/python benchmarks/robustness_sampling.py [--bids 1000] [--samples 10000]
"""

from __future__ import annotations

import argparse
import random
import time
from decimal import Decimal
from pathlib import Path

import svengine
from svengine.analysis.uncertainty import win_probabilities

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bids", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=10_000)
    args = parser.parse_args()
    tender = svengine.load_tender(ROOT / "examples" / "housing-repairs" / "tender.yaml")
    rng = random.Random(1)
    bids, scores = [], []
    for index in range(args.bids):
        bidder = f"B{index:04d}"
        commitments = [{"measure": "EX-JOB-1", "quantity": str(rng.randint(1, 20)), "years": 3}]
        bids += svengine.parse_bids(
            {
                "bidder": {"id": bidder, "name": bidder},
                "price": str(rng.randint(3_800_000, 5_800_000)),
                "social_value": commitments,
            }
        )
        for criterion in (*tender.quality_criteria, *tender.social_value_criteria):
            top = int(tender.max_score(criterion))
            for evaluator in ("ann", "bob", "cy"):
                scores.append(
                    svengine.Score(
                        bidder=bidder,
                        criterion=criterion.id,
                        score=Decimal(rng.randint(2, top)),
                        evaluator=evaluator,
                    )
                )
    start = time.perf_counter()
    probabilities = win_probabilities(tender, bids, scores, samples=args.samples, seed=0)
    elapsed = time.perf_counter() - start
    top = sorted(probabilities.items(), key=lambda item: -item[1]["win"])[:3]
    print(
        f"{args.samples} samples x {args.bids} bids x "
        f"{len(tender.quality_criteria) + len(tender.social_value_criteria)} criteria x 3 "
        f"evaluators: {elapsed:.2f} s"
    )
    print("most likely winners:", ", ".join(f"{b} {p['win']:.4f}" for b, p in top))


if __name__ == "__main__":
    main()
