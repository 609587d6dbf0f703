"""Benchmarks of LAPOR Desk (``python -m bench``); never collected as tests. Results go to docs/BENCHMARKS.md,
seeded databases are cached in bench/out/ (git-ignored)."""
