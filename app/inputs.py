"""Plain input records that services take (from the UI, the CLI, the counter, sync or the demo seeder)."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from app.errors import Message, ValidationError


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


_TEXT_FIELDS = ("classification", "channel", "title", "description", "category_id", "region_code", "address")
_FLAGS = ("is_anonymous", "is_confidential", "is_supervisory")
_REPORTER_TEXTS = ("name", "nik", "phone", "email", "address", "assistance_needs")


def intake_from_mapping(data: Any) -> IntakeInput:
    """An intake record from a JSON-like object (``lapor-desk intake FILE.json``): the fields of :class:`IntakeInput`
    (``reporter`` an object with the fields of :class:`ReporterInput`, ``incident_date`` as ``YYYY-MM-DD``). Only
    the shapes are checked here, every problem at once (ValidationError keyed by field, ``reporter.nik`` for a
    reporter's); the values are the intake service's to check, as for the window's form. An unknown key is an error,
    so a misspelt field is never dropped silently."""
    errors: dict[str, Message] = {}
    if not isinstance(data, Mapping):
        raise ValidationError({"intake": Message("Isi berkas harus berupa satu objek JSON {…}.",
                                                 "The file must hold one JSON object {…}.")})
    known = {f.name for f in fields(IntakeInput)}
    for key in sorted(set(data) - known):
        errors[str(key)] = Message("Kolom tidak dikenal.", "Unknown field.")
    values: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            errors[name] = Message("Harus berupa teks.", "Must be text.")
        values[name] = value
    for name in ("classification", "channel", "title", "description"):
        if not values.get(name):
            errors.setdefault(name, Message("Wajib diisi.", "Required."))
    for name in _FLAGS:
        value = data.get(name, False)
        if not isinstance(value, bool):
            errors[name] = Message("Harus true atau false.", "Must be true or false.")
        values[name] = value is True
    for name in ("latitude", "longitude"):
        value = data.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            errors[name] = Message("Harus berupa angka.", "Must be a number.")
            value = None
        values[name] = float(value) if value is not None else None
    day = data.get("incident_date")
    values["incident_date"] = None
    if day is not None:
        with contextlib.suppress(ValueError):
            values["incident_date"] = date.fromisoformat(day) if isinstance(day, str) else None
        if values["incident_date"] is None:
            errors["incident_date"] = Message("Tanggal harus berformat TTTT-BB-HH.", "Use the format YYYY-MM-DD.")
    values["reporter"] = _reporter(data.get("reporter"), errors)
    if errors:
        raise ValidationError(errors)
    return IntakeInput(**values)


def _reporter(data: Any, errors: dict[str, Message]) -> ReporterInput | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        errors["reporter"] = Message("Pelapor harus berupa objek JSON {…}.", "The reporter must be a JSON object {…}.")
        return None
    known = {f.name for f in fields(ReporterInput)}
    for key in sorted(set(data) - known):
        errors[f"reporter.{key}"] = Message("Kolom tidak dikenal.", "Unknown field.")
    values: dict[str, Any] = {}
    for name in _REPORTER_TEXTS:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            errors[f"reporter.{name}"] = Message("Harus berupa teks.", "Must be text.")
            value = None
        values[name] = value
    values["name"] = values["name"] or ""
    consent = data.get("consent_given", False)
    if not isinstance(consent, bool):
        errors["reporter.consent_given"] = Message("Harus true atau false.", "Must be true or false.")
    values["consent_given"] = consent is True
    return ReporterInput(**values)
