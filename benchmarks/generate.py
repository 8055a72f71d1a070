"""A deterministic generator of synthetic evaluations, at any size, for benchmarks and tests.

`write_evaluation(folder, bids=N, commitments=K, criteria=C, evaluators=E, seed=S)` writes a
complete evaluation folder that `svengine evaluate` accepts:

    tender.yaml             C criteria (C-1 quality and, if C >= 2, one qualitative social value
                            criterion), lowest-relative price, social value relative to the highest
    illustrative.yaml       a copy of toms/illustrative.yaml (the folder is self-contained)
    bids/bids-NNNN.json     arrays of at most `chunk` bids (default 1,000 per file)
    scores.csv              the panel's agreed score per bid and criterion
    evaluator-scores.csv    each of the E evaluators' own scores (bidder,criterion,evaluator,score);
                            the agreed score is their median rounded down to a whole mark. svengine
                            does not read this file yet (the panel issue defines how it will).

Every value comes from `random.Random(seed)` and nothing else (no clock, no hash order), so the
same arguments give byte-identical files on every machine. The library codes are the invented
`EX-` ones; nothing here comes from the National TOMs.

Run `python -m benchmarks.generate OUT --bids 20000 --commitments 10 --criteria 8`.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "toms" / "illustrative.yaml"
DURATION_YEARS = 4
SCALE_MAX = 5

_WORDS = (
    "Northgate",
    "Calder",
    "Pennine",
    "Kingsmere",
    "Brightwater",
    "Riverside",
    "Ashford",
    "Meadow",
    "Harbour",
    "Summit",
    "Oakley",
    "Fairfield",
    "Greystone",
    "Moorland",
    "Westbrook",
    "Lindale",
)
_KINDS = (
    "Building Services Ltd",
    "Construction plc",
    "Facilities CIC",
    "Maintenance LLP",
    "Property Care Ltd",
    "Contractors Ltd",
)


@dataclass(frozen=True)
class Measure:
    id: str
    basis: str
    record_only: bool


def library_measures(path: Path = LIBRARY) -> list[Measure]:
    """The measures of the library, read with the plain YAML loader (ids and flags only)."""
    import yaml

    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Measure(m["id"], m.get("basis", "per_year"), bool(m.get("record_only", False)))
        for m in document["measures"]
    ]


def _weights(total: int, parts: int) -> list[int]:
    """`total` split into `parts` whole numbers that add up to it exactly."""
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


def tender_yaml(criteria: int, library_file: str = "illustrative.yaml") -> str:
    """The tender: 60 quality / 30 price / 10 social value, criteria weights adding up exactly."""
    quality_count = max(criteria - 1, 1) if criteria >= 2 else criteria
    social_criteria = criteria - quality_count
    lines = [
        "id: SYN-BENCH",
        "title: Synthetic benchmark tender",
        "currency: GBP",
        'contract_value: "50000000"',
        f"duration_years: {DURATION_YEARS}",
        "weights: {quality: 60, price: 30, social_value: 10}",
        "quality:",
        "  method: absolute",
        f"  scale_max: {SCALE_MAX}",
        "  min_total_pct: 40",
        "  criteria:",
    ]
    for index, weight in enumerate(_weights(60, quality_count), start=1):
        minimum = ", min_score: 1" if index == 1 else ""
        lines.append(
            f"    - {{id: Q{index}, title: Quality question {index}, weight: {weight}{minimum}}}"
        )
    lines += [
        "price:",
        "  method: lowest_relative",
        "social_value:",
        f"  library: {library_file}",
        "  method: relative_to_highest",
    ]
    if social_criteria:
        lines.append("  quantitative_weight: 6")
        lines.append("  criteria:")
        lines.append("    - {id: SV1, title: Delivery plan credibility, weight: 4}")
    lines += [
        "rounding: {places: 2, mode: half_up}",
        "tie_break: [quality, price, social_value]",
        "",
    ]
    return "\n".join(lines)


def criterion_ids(criteria: int) -> list[str]:
    quality_count = max(criteria - 1, 1) if criteria >= 2 else criteria
    return [f"Q{i}" for i in range(1, quality_count + 1)] + (
        ["SV1"] if criteria - quality_count else []
    )


def _bid(
    rng: random.Random, index: int, commitments: int, measures: list[Measure]
) -> dict[str, object]:
    bidder_id = f"S{index:07d}"
    employees = rng.choice((4, 12, 45, 120, 240, 600, 3500))
    bidder: dict[str, object] = {
        "id": bidder_id,
        "name": f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} {rng.choice(_KINDS)}",
        "employees": employees,
        "turnover": f"{employees * rng.randint(60, 180) * 1000}",
        "vcse": rng.random() < 0.1,
    }
    if rng.random() < 0.7:
        bidder["balance_sheet_total"] = f"{employees * rng.randint(20, 90) * 1000}"
    offered = []
    for measure in rng.sample(measures, commitments):
        item: dict[str, object] = {
            "measure": measure.id,
            "quantity": f"{rng.randint(1, 400)}.{rng.randint(0, 99):02d}",
        }
        if measure.basis == "per_year":
            item["years"] = rng.randint(1, DURATION_YEARS)
        if rng.random() < 0.3:
            item["description"] = (
                "Delivered locally through the council's employment and skills partnership."
            )
        offered.append(item)
    # Prices with pence, around £40m: the lowest-relative formula gives non-terminating fractions.
    return {
        "bidder": bidder,
        "price": f"{rng.randint(38_000_000, 52_000_000)}.{rng.randint(0, 99):02d}",
        "social_value": offered,
    }


def write_evaluation(
    folder: Path,
    bids: int,
    commitments: int = 10,
    criteria: int = 8,
    evaluators: int = 3,
    seed: int = 2026,
    chunk: int = 1000,
) -> Path:
    """Write a complete evaluation folder; the same arguments always give the same bytes."""
    measures = [m for m in library_measures() if not m.record_only]
    if not 0 <= commitments <= len(measures):
        raise ValueError(
            f"commitments must be between 0 and {len(measures)} (distinct priced measures)"
        )
    if criteria < 1 or evaluators < 1 or bids < 1:
        raise ValueError("bids, criteria and evaluators must each be at least 1")
    rng = random.Random(seed)
    folder = Path(folder)
    (folder / "bids").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(LIBRARY, folder / "illustrative.yaml")
    (folder / "tender.yaml").write_text(tender_yaml(criteria), encoding="utf-8")
    ids = criterion_ids(criteria)
    with (
        open(folder / "scores.csv", "w", encoding="utf-8", newline="") as agreed_file,
        open(folder / "evaluator-scores.csv", "w", encoding="utf-8", newline="") as own_file,
    ):
        agreed = csv.writer(agreed_file, lineterminator="\n")
        own = csv.writer(own_file, lineterminator="\n")
        agreed.writerow(["bidder", "criterion", "score", "comment"])
        own.writerow(["bidder", "criterion", "evaluator", "score"])
        for start in range(0, bids, chunk):
            batch = [
                _bid(rng, index, commitments, measures)
                for index in range(start, min(start + chunk, bids))
            ]
            path = folder / "bids" / f"bids-{start // chunk + 1:04d}.json"
            path.write_text(
                json.dumps(batch, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            for bid in batch:
                bidder_id = bid["bidder"]["id"]  # type: ignore[index]
                centre = rng.randint(1, SCALE_MAX)
                for criterion in ids:
                    marks = sorted(
                        max(0, min(SCALE_MAX, centre + rng.randint(-1, 1)))
                        for _ in range(evaluators)
                    )
                    for number, mark in enumerate(marks, start=1):
                        own.writerow([bidder_id, criterion, f"E{number}", mark])
                    median = marks[(evaluators - 1) // 2]
                    comment = "Consensus reached at moderation." if rng.random() < 0.2 else ""
                    agreed.writerow([bidder_id, criterion, median, comment])
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("folder", type=Path)
    parser.add_argument("--bids", type=int, default=1000)
    parser.add_argument("--commitments", type=int, default=10)
    parser.add_argument("--criteria", type=int, default=8)
    parser.add_argument("--evaluators", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--chunk", type=int, default=1000, help="bids per JSON file")
    args = parser.parse_args(argv)
    write_evaluation(
        args.folder,
        args.bids,
        args.commitments,
        args.criteria,
        args.evaluators,
        args.seed,
        args.chunk,
    )
    print(f"wrote {args.folder}")


if __name__ == "__main__":
    main()
