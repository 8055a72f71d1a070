"""Audit: digests in result.json, run metadata, evaluation bundles and verification (docs/audit.md)."""
