"""LAPOR Desk core: domain, local store and services (no Qt)."""

__version__ = "0.1.0"
