"""A small evaluation folder whose every figure is worked out by hand (used by the audit tests).

tender: quality 60 (Q1 weight 40 with min_score 2, Q2 weight 20, scale 5, absolute), price 30
(lowest relative), social value 10 (relative to highest), rounding 2 places half up.
library (outside the folder, at ../lib/lib.yaml): JOB £30,000 per FTE-year, CO2 £250 per tonne.

  A1: Q1 4, Q2 3 -> 40×4/5 + 20×3/5 = 32 + 12 = 44; price 1,000,000 (lowest valid) -> 30;
      JOB 2 × 3 years × 30,000 = 180,000 (highest) -> 10.            Total 84.00, rank 2.
  A2: Q1 5, Q2 4 -> 40 + 16 = 56; price 1,200,000 -> 30 × 1,000,000 / 1,200,000 = 25;
      JOB 1 × 3 × 30,000 + CO2 100 × 250 = 115,000 -> 10 × 115,000 / 180,000 = 6.3888… -> 6.39.
                                                                     Total 87.39, rank 1.
  A3: Q1 1 (below the minimum 2) -> excluded; its price 900,000 is not the reference.
"""

from __future__ import annotations

import json
from pathlib import Path

TENDER = """\
id: AUD-1
title: Audit test tender
currency: GBP
contract_value: "1000000"
duration_years: 3
weights: {quality: 60, price: 30, social_value: 10}
quality:
  method: absolute
  scale_max: 5
  criteria:
    - {id: Q1, title: Method, weight: 40, min_score: 2}
    - {id: Q2, title: Staffing, weight: 20}
price:
  method: lowest_relative
social_value:
  library: ../lib/lib.yaml
  method: relative_to_highest
rounding: {places: 2, mode: half_up}
tie_break: [quality]
"""

LIBRARY = """\
id: audit-lib
version: "1"
currency: GBP
licence: "CC0 - test values"
measures:
  - {id: JOB, theme: Jobs, outcome: Local jobs, title: Local FTE employed, unit: FTE, proxy_value: "30000"}
  - {id: CO2, theme: Environment, outcome: Carbon, title: Carbon saved, unit: tCO2e, proxy_value: "250", basis: total}
"""

BIDS = {
    "A1": {
        "bidder": {"id": "A1", "name": "Alder Works Ltd", "employees": 40, "turnover": "5000000"},
        "price": "1000000.00",
        "social_value": [{"measure": "JOB", "quantity": "2", "years": 3}],
    },
    "A2": {
        "bidder": {
            "id": "A2",
            "name": "Birch Services plc",
            "employees": 900,
            "turnover": "90000000",
        },
        "price": "1200000.00",
        "social_value": [
            {"measure": "JOB", "quantity": "1", "years": 3},
            {"measure": "CO2", "quantity": "100"},
        ],
    },
    "A3": {
        "bidder": {
            "id": "A3",
            "name": "Cedar Repairs CIC",
            "employees": 12,
            "turnover": "800000",
            "vcse": True,
        },
        "price": "900000.00",
        "social_value": [],
    },
}

SCORES = """\
bidder,criterion,score,comment
A1,Q1,4,Clear method with named depot
A1,Q2,3,Thin mobilisation plan
A2,Q1,5,Excellent method
A2,Q2,4,Strong team
A3,Q1,1,Does not answer the question
A3,Q2,5,Good staffing
"""


def make_evaluation(root: Path, name: str = "evaluation") -> Path:
    """Write the evaluation under root/name and its library under root/lib; return the folder."""
    folder = root / name
    (folder / "bids").mkdir(parents=True)
    (root / "lib").mkdir(exist_ok=True)
    (root / "lib" / "lib.yaml").write_text(LIBRARY, encoding="utf-8")
    (folder / "tender.yaml").write_text(TENDER, encoding="utf-8")
    (folder / "scores.csv").write_text(SCORES, encoding="utf-8")
    for bidder, bid in BIDS.items():
        (folder / "bids" / f"{bidder}.json").write_text(json.dumps(bid, indent=2), encoding="utf-8")
    return folder
