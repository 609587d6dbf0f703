"""Bundled reference data: regions, categories and labels."""
