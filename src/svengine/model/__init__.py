"""The typed objects of an evaluation: libraries, tenders, bids, scores and results (no I/O)."""
