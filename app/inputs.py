"""Plain input records that services take (from the UI, the CLI, the counter, sync or the demo seeder)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ReporterInput:
    name: str = ""
    nik: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    assistance_needs: str | None = None
    consent_given: bool = False


@dataclass(frozen=True)
class IntakeInput:
    """A new complaint as typed at the counter or transcribed from a letter, call, e-mail or post."""

    classification: str
    channel: str
    title: str
    description: str
    category_id: str | None = None
    incident_date: date | None = None
    region_code: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    is_anonymous: bool = False
    is_confidential: bool = False
    is_supervisory: bool = False
    reporter: ReporterInput | None = None


@dataclass(frozen=True)
class ComplaintEdit:
    """Editable fields; ``None`` leaves a field as it is. ``clear`` names optional fields to empty
    (app.rules.records.CLEARABLE; latitude and longitude go together)."""

    title: str | None = None
    description: str | None = None
    classification: str | None = None
    category_id: str | None = None
    incident_date: date | None = None
    region_code: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    is_supervisory: bool | None = None
    is_confidential: bool | None = None
    clear: frozenset[str] = frozenset()
