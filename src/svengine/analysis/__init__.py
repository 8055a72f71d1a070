"""Analyses around an evaluation: pre-publication testing and robustness (information, never the decision)."""
