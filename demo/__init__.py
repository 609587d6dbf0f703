"""Synthetic demo data for LAPOR Desk: six SP4N-LAPOR! pilot offices, their units and staff accounts, and two
years of complaints whose timelines follow the workflow and the SLA policy. Everything is made up (names are
combinations of common Indonesian names, NIKs and phone numbers belong to nobody) and reproducible from a seed.

``lapor-desk seed-demo`` and the benchmarks call :func:`seed_demo`. The seeder loads on first use: the log-in
of a demo PC needs only the password below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from demo.seed import DemoReport, seed_demo

DEMO_PASSWORD = "Demo12345"  # every demo account's (the log-in of a demo PC says so)

__all__ = ["DEMO_PASSWORD", "DemoReport", "seed_demo"]


def __getattr__(name: str) -> Any:
    if name in ("DemoReport", "seed_demo"):
        from demo import seed

        return getattr(seed, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
