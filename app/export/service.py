"""``export_complaints``: the complaints a list shows, to a file — Excel, CSV or Open311 — for the window's "Export…"
and ``lapor-desk export``.

Order of work, so that no file exists that the audit log does not know of, and no half file exists at all:
1. checks (the account, its office, personal data only for an office administrator, never in Open311) before any
   file is touched;
2. the rows are read in one read transaction (one consistent picture of the store) and written to a temporary file
   beside the destination;
3. the audit record — who, when, which filter, how many rows, with or without personal data, which file name —
   is written in its own write transaction. An export changes nothing, so there is no change for it to share a
   transaction with; it is written *before* the file is released, so a failed audit write releases no file;
4. the temporary file takes the destination's name (os.replace). If that last step fails the audit record stays:
   it may name an export whose file was then not written, never the other way round.

Every export is audited, with or without personal data: a list of complaints leaving the PC is worth a line. The
words of a text search are neither audited nor written in the file (a reporter's name may be what was searched);
only that a search narrowed the list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import Channel, DeadlineState, Role, Status
from app.errors import Message, NotFound, PermissionDenied, ValidationError
from app.export import complaints, open311_file
from app.export.complaints import ListQuery, RowCounts
from app.export.delimited import ENCODING, write_csv
from app.export.files import whole_file
from app.export.table import Table, label_value_table
from app.export.xlsx import write_xlsx
from app.models import Category, Office, Unit, User
from app.open311 import to_xml
from app.read.queries import SORTS, ComplaintFilter
from app.reference.labels import label
from app.rules.scope import Scope
from app.services.context import ServiceContext
from app.store.audit import append_audit
from app.timeutil import server_now, zone

PERSONAL_DATA_ROLES = frozenset({Role.ADMIN_INSTANSI})
AUDIT_ACTION, AUDIT_ACTION_PERSONAL = "export", "export_personal_data"


class ExportFormat(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"
    OPEN311 = "open311"  # GeoReport v2 JSON
    OPEN311_XML = "open311-xml"  # GeoReport v2 XML

    @property
    def suffix(self) -> str:
        return {"xlsx": ".xlsx", "csv": ".csv", "open311": ".json", "open311-xml": ".xml"}[self.value]

    @property
    def is_open311(self) -> bool:
        return self in (ExportFormat.OPEN311, ExportFormat.OPEN311_XML)


@dataclass(frozen=True)
class ExportRequest:
    """What to export: the list's filter and order; ``searched`` says the filter's ids are a text search's results;
    ``view`` names the list's view for the notes sheet (as the window shows it)."""

    filter: ComplaintFilter = ComplaintFilter()
    sort: str = "received_asc"
    reverse: bool = False
    include_personal: bool = False
    searched: bool = False
    view: str = ""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: ExportFormat
    rows: int
    include_personal: bool
    confidential: int  # confidential complaints: their content withheld (lists) or left out (Open311)


@dataclass(frozen=True)
class _Who:
    user_id: str | None
    description: str  # "Name (username), role" or "the command line"
    office_name: str
    tz: str
    scope: Scope  # what the account may see (the command line without one: the whole office)


def export_complaints(ctx: ServiceContext, office_id: str, fmt: ExportFormat, path: Path, request: ExportRequest,
                      *, user_id: str | None = None, lang: str = "id") -> ExportResult:
    """Write the office's complaints that ``request`` selects to ``path`` in ``fmt`` (see the module's docstring
    for the order of work). PermissionDenied: personal data asked by anyone but an office administrator, or an
    account of another office. ValidationError: personal data in Open311, an unknown sort, more rows than Excel
    holds. ExportNotWritten: the file cannot be written; nothing is left behind."""
    fmt = ExportFormat(fmt)
    if request.sort not in SORTS:
        raise ValidationError({"sort": Message(f"Urutan tidak dikenal: {request.sort}.",
                                               f"Unknown order: {request.sort}.")})
    if request.include_personal and fmt.is_open311:
        raise ValidationError({"format": Message(
            "Open311 adalah format data terbuka: tidak pernah memuat data pribadi pelapor. Pilih Excel atau CSV.",
            "Open311 is an open-data format: it never carries reporters' personal data. Choose Excel or CSV.")})
    with ctx.store.read() as session:
        who = _who(session, office_id, user_id, request.include_personal, lang)
        now = server_now(session, ctx.clock())
        policy, _ = ctx.rules(session)
    due_soon = timedelta(hours=policy.due_soon_hours)
    query = ListQuery(office_id, replace(request.filter, tz=who.tz), request.sort, request.reverse, who.scope)
    counts = RowCounts()
    exported_at = ctx.clock()

    def audit() -> None:
        _audit(ctx, who, fmt, path, request, counts, exported_at)

    with whole_file(path, before_release=audit, private=request.include_personal) as temp, ctx.store.read() as session:
        if fmt.is_open311:
            counts.confidential = open311_file.confidential_count(session, query, now=now, due_soon=due_soon)
            found = list(open311_file.requests(session, query, now=now, due_soon=due_soon))
            counts.rows = len(found)
            if fmt is ExportFormat.OPEN311:
                with open(temp, "w", encoding="utf-8") as fh:
                    json.dump(found, fh, ensure_ascii=False, indent=1)
                    fh.write("\n")
            else:
                temp.write_bytes(to_xml("service_requests", found))
        else:
            table = Table(Message("Daftar laporan", "Complaints").text(lang),
                          complaints.columns(lang, who.tz, include_personal=request.include_personal),
                          complaints.complaint_rows(session, query, lang=lang, tz=who.tz, now=now, due_soon=due_soon,
                                                    include_personal=request.include_personal, counts=counts))
            if fmt is ExportFormat.CSV:
                yes, no = Message("Ya", "Yes").text(lang), Message("Tidak", "No").text(lang)
                with open(temp, "w", encoding=ENCODING, newline="") as fh:
                    write_csv(fh, table, yes=yes, no=no)
            else:
                notes = label_value_table(
                    Message("Keterangan", "Notes").text(lang),
                    _notes(session, who, query.filter, request, counts, exported_at, lang),
                    label=Message("Hal", "Item").text(lang), value=Message("Isi", "Value").text(lang))
                with open(temp, "wb") as out:
                    write_xlsx(out, [table, notes])
    return ExportResult(path, fmt, counts.rows, request.include_personal, counts.confidential)


def _who(session: Session, office_id: str, user_id: str | None, personal: bool, lang: str) -> _Who:
    office = session.execute(select(Office.name, Office.tz).where(Office.id == office_id)).first()
    if office is None:
        raise NotFound(Message("Instansi tidak ditemukan di PC ini.", "The office is not on this PC."))
    user = session.get(User, user_id) if user_id else None
    if user_id and (user is None or not user.active or user.office_id != office_id):
        raise PermissionDenied(Message("Akun tidak dikenal, dinonaktifkan, atau bukan akun instansi ini.",
                                       "Unknown or disabled account, or not an account of this office."))
    if personal and (user is None or user.role not in PERSONAL_DATA_ROLES):
        raise PermissionDenied(Message(
            "Ekspor dengan data pribadi pelapor hanya boleh dilakukan oleh admin instansi.",
            "Only the office administrator may export reporters' personal data."))
    if user is None:
        description = Message("baris perintah (tanpa akun)", "the command line (no account)").text(lang)
    else:
        description = f"{user.full_name} ({user.username}), {label(Role(user.role), lang)}"
    scope = Scope.of(user) if user is not None else Scope.whole_office(office_id)
    return _Who(user.id if user else None, description, office.name, office.tz, scope)


def filter_details(f: ComplaintFilter) -> dict[str, Any]:
    """The filter as the audit record keeps it: only the fields that are set, ids as a count."""
    details: dict[str, Any] = {}
    if f.statuses:
        details["statuses"] = list(f.statuses)
    for name in ("category_id", "unit_id", "channel", "deadline_state"):
        if getattr(f, name):
            details[name] = getattr(f, name)
    if f.received_from:
        details["received_from"] = f.received_from.isoformat()
    if f.received_to:
        details["received_to"] = f.received_to.isoformat()
    if f.ids is not None:
        details["selected_complaints"] = len(f.ids)
    return details


def _audit(ctx: ServiceContext, who: _Who, fmt: ExportFormat, path: Path, request: ExportRequest,
           counts: RowCounts, at: datetime) -> None:
    details: dict[str, Any] = {"format": fmt.value, "rows": counts.rows, "personal_data": request.include_personal,
                               "file": path.name, "filter": filter_details(request.filter)}
    if request.include_personal:
        details["rows_with_identity"] = counts.identities
    if request.searched:
        details["text_search"] = True
    if request.view:
        details["view"] = request.view
    with ctx.store.transaction() as session:
        append_audit(session, at=at, user_id=who.user_id, device=ctx.device_code(session),
                     action=AUDIT_ACTION_PERSONAL if request.include_personal else AUDIT_ACTION,
                     entity_type="complaint_list", entity_id=None, details=details)


def _notes(session: Session, who: _Who, f: ComplaintFilter, request: ExportRequest, counts: RowCounts,
           exported_at: datetime, lang: str) -> Any:
    """The notes sheet's (label, value) rows; a generator, read after the list sheet is written (its counts)."""
    t = lambda id_text, en_text: Message(id_text, en_text).text(lang)  # noqa: E731
    every = t("Semua", "All")
    category = session.execute(select(Category.name, Category.name_en).where(Category.id == f.category_id)).first() \
        if f.category_id else None
    unit = session.execute(select(Unit.name).where(Unit.id == f.unit_id)).scalar() if f.unit_id else None
    tz = complaints.zone_label(who.tz)

    def day(value: date | None) -> Any:
        return value if value is not None else "—"

    yield t("Ekspor", "Export"), t(f"Daftar laporan — {who.office_name}", f"Complaints — {who.office_name}")
    yield t(f"Diekspor pada ({tz})", f"Exported at ({tz})"), \
        exported_at.astimezone(zone(who.tz)).replace(tzinfo=None, microsecond=0)
    yield t("Diekspor oleh", "Exported by"), who.description
    if request.view:
        yield t("Tampilan", "View"), request.view
    yield t("Status", "Status"), ", ".join(label(Status(s), lang) for s in f.statuses) if f.statuses else every
    yield t("Kategori", "Category"), ((category[1] or category[0]) if lang.startswith("en") else category[0]) \
        if category else (f.category_id or every)
    yield t("Unit kerja", "Unit"), unit or f.unit_id or every
    yield t("Kanal", "Channel"), label(Channel(f.channel), lang) if f.channel else every
    yield t("Diterima sejak", "Received from"), day(f.received_from)
    yield t("Diterima sampai", "Received until"), day(f.received_to)
    yield t("Keadaan tenggat", "Deadline state"), \
        label(DeadlineState(f.deadline_state), lang) if f.deadline_state else every
    if request.searched:
        yield t("Pencarian teks", "Text search"), t(
            "hanya laporan yang cocok dengan pencarian di daftar (kata yang dicari tidak dicatat di sini)",
            "only the complaints that matched the list's search (the words searched are not recorded here)")
    elif f.ids is not None:
        yield t("Laporan terpilih", "Selected complaints"), len(f.ids)
    yield t("Jumlah laporan", "Complaints"), counts.rows
    if request.include_personal:
        yield t("Data pribadi pelapor", "Reporters' personal data"), t(
            f"DISERTAKAN atas permintaan admin instansi (dicatat di log audit) untuk {counts.identities} laporan. "
            "Identitas pelapor anonim dan pelapor laporan rahasia tidak pernah disertakan. Simpan dan bagikan "
            "berkas ini sesuai aturan pelindungan data pribadi.",
            f"INCLUDED at the office administrator's request (recorded in the audit log) for {counts.identities} "
            "complaints. Anonymous reporters and reporters of confidential complaints are never included. Keep and "
            "share this file as the personal data protection rules require.")
    else:
        yield t("Data pribadi pelapor", "Reporters' personal data"), t(
            "tidak disertakan (nama, NIK, telepon, e-mail, alamat)",
            "not included (name, NIK, phone, e-mail, address)")
    yield t("Laporan rahasia", "Confidential complaints"), t(
        f"{counts.confidential} laporan: judul, uraian, alamat lokasi, koordinat dan desa tidak disertakan",
        f"{counts.confidential} complaints: title, description, location address, coordinates and village withheld")
    yield t("Zona waktu", "Time zone"), f"{tz} ({zone(who.tz).key})"
    yield t("Dibuat dengan", "Made with"), "LAPOR Desk"


def default_file_name(fmt: ExportFormat, today: date | None = None) -> str:
    """``laporan-2026-03-02.xlsx``: a name for the save dialog."""
    return f"laporan-{(today or datetime.now(UTC).date()).isoformat()}{ExportFormat(fmt).suffix}"
