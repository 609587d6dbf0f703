"""The citizen's view of a complaint: the status PIN, and what the status page, the counter and the letter show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain import EventKind, Role, Status
from app.errors import MistypedCode, NotFound
from app.models import Complaint
from app.read.citizen import citizen_view_by_code
from app.rules.citizen_view import EventFact, citizen_status, normalise_pin, pin_matches, status_pin
from tests.helpers.world import World

T0 = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)


def test_pin_is_six_unambiguous_characters_and_differs_between_complaints() -> None:
    pins = {status_pin(f"0190a1b2-0000-7000-8000-{n:012d}") for n in range(2000)}
    assert len(pins) >= 1995  # 30 bits: collisions among 2,000 are rare
    for pin in pins:
        assert len(pin) == 6 and not set(pin) & set("ILOU")


def test_pin_as_typed_reads_lookalikes_and_ignores_case_and_dashes() -> None:
    complaint_id = "0190a1b2-0000-7000-8000-000000000001"
    pin = status_pin(complaint_id)
    typed = f"{pin[:3].lower()}-{pin[3:]}".replace("0", "o").replace("1", "l")
    assert normalise_pin(typed) == pin
    assert pin_matches(complaint_id, typed)
    assert not pin_matches(complaint_id, None)
    assert not pin_matches("0190a1b2-0000-7000-8000-000000000002", pin)


def _events() -> list[EventFact]:
    return [
        EventFact(EventKind.RECEIVED, T0),
        EventFact(EventKind.NOTE, T0 + timedelta(hours=1), text="catatan internal: pelapor tetangga kepala dinas"),
        EventFact(EventKind.DISPOSED, T0 + timedelta(days=1), text="Instruksi ke unit: segera cek lokasi"),
        EventFact(EventKind.EDITED, T0 + timedelta(days=1, hours=2), text="judul diubah"),
        EventFact(EventKind.FOLLOW_UP, T0 + timedelta(days=3), text="Saluran sudah dibersihkan."),
    ]


def test_citizen_sees_steps_and_answers_never_notes_or_instructions() -> None:
    view = citizen_status(tracking_code="3404-012-000123-1", status=Status.DITINDAKLANJUTI, received_at=T0,
                          is_confidential=False, events=reversed(_events()))
    assert [e.label.id for e in view.entries] == [
        "Laporan diterima", "Diverifikasi dan diteruskan ke unit kerja", "Tindak lanjut"]
    assert view.entries[-1].text == "Saluran sudah dibersihkan."
    assert view.entries[1].text is None  # the unit's instruction is internal
    shown = " ".join(f"{e.label.id} {e.text}" for e in view.entries)
    assert "internal" not in shown and "judul" not in shown
    assert view.status_label.id == "Sudah ditindaklanjuti"


def test_confidential_complaint_shows_its_status_only() -> None:
    view = citizen_status(tracking_code="3404-012-000123-1", status=Status.DIDISPOSISIKAN, received_at=T0,
                          is_confidential=True, events=_events())
    assert view.entries == () and view.received_at is None
    assert view.status_label.id == "Sedang diproses"


def test_every_status_has_words_for_a_citizen() -> None:
    for status in Status:
        view = citizen_status(tracking_code="x", status=status, received_at=T0, is_confidential=False, events=[])
        assert view.status_label.id and view.explanation.id and view.explanation.en


def test_archive_reason_in_plain_words() -> None:
    view = citizen_status(tracking_code="x", status=Status.DIARSIPKAN, received_at=T0, is_confidential=False,
                          events=[EventFact(EventKind.ARCHIVED, T0, text="internal", archive_reason="DUPLIKAT")])
    assert view.entries[0].label.id == "Diarsipkan: sama dengan laporan lain" and view.entries[0].text is None


def test_counter_look_up_reads_the_store_and_tells_a_mistyped_code(world: World) -> None:
    from app.services.records import add_note
    from app.services.workflow_actions import dispose, follow_up

    complaint_id = world.new_complaint()
    admin = world.users[Role.ADMIN_INSTANSI]
    add_note(world.ctx, admin, complaint_id, text="Catatan internal yang tidak boleh terlihat warga")
    unit = next(iter(world.units.values()))
    dispose(world.ctx, admin, complaint_id, unit_id=unit, instruction="Instruksi rahasia untuk unit")
    follow_up(world.ctx, world.users[Role.PENGHUBUNG], complaint_id, text="Jalan sudah ditambal oleh unit kerja.")
    with world.store.read() as session:
        code = session.get(Complaint, complaint_id).tracking_code  # type: ignore[union-attr]
        found_id, view = citizen_view_by_code(session, code.replace("-", " ").lower(), world.office_id)
        assert found_id == complaint_id
        assert [e.label.id for e in view.entries] == [
            "Laporan diterima", "Diverifikasi dan diteruskan ke unit kerja", "Tindak lanjut"]
        assert "rahasia" not in repr(view) and "internal" not in repr(view) and "Budi" not in repr(view)
        digits = code.replace("-", "")
        wrong = digits[:-2] + str((int(digits[-2]) + 1) % 10) + digits[-1]
        with pytest.raises(MistypedCode):
            citizen_view_by_code(session, wrong, world.office_id)
        with pytest.raises(NotFound):
            citizen_view_by_code(session, code, world.other_office_id)
