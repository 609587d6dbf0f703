"""Synthetic demo data for LAPOR Desk: six SP4N-LAPOR! pilot offices, their units and staff accounts, and two
years of complaints whose timelines follow the workflow and the SLA policy. Everything is made up (names are
combinations of common Indonesian names, NIKs and phone numbers belong to nobody) and reproducible from a seed.

``lapor-desk seed-demo`` and the benchmarks call :func:`seed_demo`.
"""

from app.demo.seed import DEMO_PASSWORD, DemoReport, seed_demo

__all__ = ["DEMO_PASSWORD", "DemoReport", "seed_demo"]
