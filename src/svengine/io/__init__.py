"""Adapters between files and the typed model: readers, schema validation, loaders, writers."""
