"""The whole window driven as staff use it: start-up and log-in, search, verify and dispose, follow-up, close —
then the database and the audit log say what happened, and who did it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from app.domain import Role, Status
from app.models import AuditRecord, Complaint, TimelineEvent
from app.store.audit import verify_chain
from tests.helpers.world import PASSWORD, World
from ui.actions.form import ActionForm
from ui.application import Startup

# The real start-up installs the Indonesian translation: the tests after this one get English back.
pytestmark = pytest.mark.usefixtures("keep_app_as_it_was")


class _LogIn:
    """Start-up's modal steps as a person does them: the log-in filled in, nothing else expected."""

    def __init__(self, username: str) -> None:
        self.username = username
        self.errors: list[str] = []

    def run(self, dialog: QDialog) -> bool:
        dialog.username.setText(self.username)  # type: ignore[attr-defined]
        dialog.password.setText(PASSWORD)  # type: ignore[attr-defined]
        dialog.submit()  # type: ignore[attr-defined]
        return dialog.user is not None  # type: ignore[attr-defined]

    def error(self, title: str, text: str) -> None:
        self.errors.append(f"{title}: {text}")


def _open_form(window: Any, key: str) -> ActionForm:
    opened: list[ActionForm] = []
    actions = window.detail.complaint_actions
    actions.form_opened.connect(opened.append)
    try:
        menu_action = actions.action(key)
        assert menu_action.isEnabled(), f"{key} should be offered"
        menu_action.trigger()
    finally:
        actions.form_opened.disconnect(opened.append)
    assert len(opened) == 1
    return opened[0]


def test_log_in_search_dispose_follow_up_close(qtbot: Any, world: World, data_dir: Path) -> None:
    cid = world.new_complaint(title="Lampu jalan mati di Jalan Kaliurang km 9")
    with world.store.read() as session:
        code = session.get(Complaint, cid).tracking_code  # type: ignore[union-attr]
    admin_name = "user.admin_instansi"

    dialogs = _LogIn(admin_name)
    startup = Startup(argparse.Namespace(data_dir=str(data_dir)), dialogs=dialogs,  # type: ignore[arg-type]
                      synchronous=True)
    startup.create_app()
    try:
        assert startup.prepare(), dialogs.errors
        window = startup.window
        assert window is not None
        qtbot.add_widget(window)
        assert startup.workspace is not None and startup.workspace.user.username == admin_name

        # search: the tracking code typed with spaces and lower case finds the complaint and selects it
        lst = window.complaint_list
        lst.focus_search()
        qtbot.keyClicks(lst.search, code.lower().replace("-", " "))
        qtbot.wait_until(lambda: lst.current_id() == cid, timeout=5000)
        qtbot.wait_until(lambda: window.detail.complaint_actions.available != (), timeout=5000)

        form = _open_form(window, "dispose")
        form.choose_unit(world.units["Dinas Pekerjaan Umum"])  # type: ignore[attr-defined]
        form.instruction.setText("Mohon dicek dan diperbaiki minggu ini.")  # type: ignore[attr-defined]
        form.submit()
        qtbot.wait_until(lambda: "follow_up" in window.detail.complaint_actions.available, timeout=5000)

        form = _open_form(window, "follow_up")
        form.text.setText("Lampu sudah diganti oleh Dinas PU pada hari Selasa.")  # type: ignore[attr-defined]
        form.submit()
        qtbot.wait_until(lambda: "close" in window.detail.complaint_actions.available, timeout=5000)

        form = _open_form(window, "close")
        form.submit()
        qtbot.wait_until(lambda: "close" not in window.detail.complaint_actions.available, timeout=5000)
    finally:
        startup.shutdown()

    with world.store.read() as session:
        complaint = session.get(Complaint, cid)
        assert complaint is not None and complaint.status == Status.SELESAI
        assert complaint.unit_id == world.units["Dinas Pekerjaan Umum"]
        kinds = [e.kind for e in session.execute(select(TimelineEvent).where(TimelineEvent.complaint_id == cid)
                                                 .order_by(TimelineEvent.at, TimelineEvent.id)).scalars()]
        audit = session.execute(select(AuditRecord).where(AuditRecord.entity_id == cid)
                                .order_by(AuditRecord.id)).scalars().all()
        admin_id = world.users[Role.ADMIN_INSTANSI]
        by_admin = [a.action for a in audit if a.user_id == admin_id]
        chain = verify_chain(session)
    assert chain.ok, chain
    assert kinds == ["RECEIVED", "DISPOSED", "FOLLOW_UP", "CLOSED"]
    assert by_admin == ["complaint.dispose", "complaint.follow_up", "complaint.close"]
