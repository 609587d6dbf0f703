"""Rules for the changes that are not status moves: internal notes, attachments, edits of editable fields. Both the
desktop (app.services.records) and the server (server.apply, server.apply_edit) ask these."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import PurePath
from typing import Any

from app.domain import Classification, Role, Status
from app.errors import Message
from app.rules.validation import FieldErrors, coordinates, incident_date, region_code, required_text
from app.rules.workflow import TextInput

NOTE_ROLES = (Role.ADMIN_INSTANSI, Role.PENGHUBUNG, Role.PETUGAS_LOKET, Role.PIMPINAN)
ATTACH_ROLES = (Role.ADMIN_INSTANSI, Role.PENGHUBUNG, Role.PETUGAS_LOKET)
EDIT_ROLES = (Role.ADMIN_INSTANSI,)
NOTE_TEXT = TextInput("text", "text", required=True, min_len=2)

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ALLOWED_EXTENSIONS = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".doc", ".docx", ".xls", ".xlsx",
                                ".odt", ".ods", ".txt", ".mp3", ".m4a", ".mp4"})
# Editable fields, in the order a form shows them (the wire's edit arguments name these).
EDITABLE_FIELDS = ("title", "description", "classification", "category_id", "incident_date", "region_code",
                   "address", "latitude", "longitude", "is_supervisory", "is_confidential")
CLEARABLE = frozenset({"category_id", "incident_date", "region_code", "address", "latitude", "longitude"})
CLOSED_FOR_EDITS = frozenset({Status.SELESAI, Status.DIARSIPKAN, Status.BUKAN_WEWENANG})


def may_note(role: str) -> bool:
    return role in NOTE_ROLES


def may_attach(role: str) -> bool:
    return role in ATTACH_ROLES


def may_edit(role: str) -> bool:
    return role in EDIT_ROLES


def attachment_type_problem(filename: str) -> Message | None:
    if PurePath(filename).suffix.lower() not in ALLOWED_EXTENSIONS:
        return Message("Jenis berkas tidak didukung. Gunakan PDF, gambar, dokumen Office, teks, audio atau video.",
                       "Unsupported file type. Use PDF, images, Office documents, text, audio or video.")
    return None


def attachment_size_problem(size: int) -> Message | None:
    if size > MAX_ATTACHMENT_BYTES:
        mb = MAX_ATTACHMENT_BYTES // (1024 * 1024)
        return Message(f"Berkas terlalu besar (maksimal {mb} MB).", f"The file is too large (at most {mb} MB).")
    return None


def edit_status_problem(status: str) -> Message | None:
    if status in CLOSED_FOR_EDITS:
        return Message("Laporan yang sudah selesai, diarsipkan atau dialihkan tidak dapat diubah.",
                       "A closed, archived or redirected complaint cannot be edited.")
    return None


def check_edit_fields(fields: Mapping[str, Any], today: date, *, latitude: float | None = None,
                      longitude: float | None = None) -> dict[str, Any]:
    """Edited fields (wire form: ISO date text, None to empty a field) by the rules intake uses, every problem at
    once (ValidationError keyed by field). Returns them cleaned, in wire form (trimmed text, dotted region code).
    ``today``: the latest incident date accepted; ``latitude``/``longitude``: the complaint's current ones (a
    coordinate goes with its pair)."""
    errors = FieldErrors()
    out: dict[str, Any] = {}

    def text(name: str, value: Any, min_len: int, max_len: int, multiline: bool = False) -> None:
        if isinstance(value, str):
            out[name] = errors.check(name, required_text, value, min_len=min_len, max_len=max_len,
                                     multiline=multiline)
        else:
            errors.add(name, Message("Wajib diisi.", "Required.") if value is None
                       else Message("Harus berupa teks.", "Must be text."))

    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            errors.add(name, Message("Kolom ini tidak dapat diubah.", "This field cannot be edited."))
        elif value is None and name in CLEARABLE:
            out[name] = None
        elif name == "title":
            text(name, value, 10, 150)
        elif name == "description":
            text(name, value, 20, 4000, multiline=True)
        elif name == "address":
            if value == "":
                out[name] = None
            else:
                text(name, value, 1, 500, multiline=True)
        elif name == "classification":
            if value not in Classification.__members__:
                errors.add(name, Message("Klasifikasi tidak dikenal.", "Unknown classification."))
            out[name] = value
        elif name == "category_id":
            if not (isinstance(value, str) and 0 < len(value) <= 64):
                errors.add(name, Message("Kategori tidak valid.", "Invalid category."))
            out[name] = value
        elif name == "incident_date":
            if isinstance(value, str | date):
                day = errors.check(name, incident_date, value, today=today)
                out[name] = day.isoformat() if day else None
            else:
                errors.add(name, Message("Tanggal harus berformat TTTT-BB-HH.", "Use the format YYYY-MM-DD."))
        elif name == "region_code":
            if isinstance(value, str):
                out[name] = errors.check(name, region_code, value)
            else:
                errors.add(name, Message("Kode wilayah harus berupa teks.", "The region code must be text."))
        elif name in ("latitude", "longitude"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                errors.add(name, Message("Koordinat harus berupa angka.", "Coordinates must be numbers."))
            out[name] = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
        elif name in ("is_supervisory", "is_confidential"):
            if not isinstance(value, bool):
                errors.add(name, Message("Harus benar atau salah.", "Must be true or false."))
            out[name] = value
    if "latitude" not in errors.fields and "longitude" not in errors.fields and (
            "latitude" in out or "longitude" in out):
        lat = out.get("latitude", latitude)
        lon = out.get("longitude", longitude)
        if (lat is None) != (lon is None):
            errors.add("latitude", Message("Isi lintang dan bujur sekaligus.", "Give both latitude and longitude."))
        elif lat is not None:
            errors.check("latitude", coordinates, lat, lon)
    errors.raise_if_any()
    return out
