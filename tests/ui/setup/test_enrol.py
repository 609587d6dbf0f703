"""The enrolment path against a real ``lapor-server`` (subprocess) with codes from its admin CLI: input checks,
a wrong code (the server's message, the wizard stays), an unreachable server, then a good code and the first sync."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.bootstrap import home_office
from app.config import Paths
from app.errors import Message
from app.models import Complaint, User
from app.store.db import open_store
from sync.transport import ServerUnreachable, Transport
from tests.helpers.postgres import free_port
from tests.sync.serverproc import ServerProcess
from tests.ui.setup.support import enrolment_code
from ui.settings import DEMO_MODE, Settings
from ui.setup import jobs, needs_setup
from ui.setup.jobs import read_state
from ui.setup.wizard import PAGE_DONE, PAGE_ENROL, SetupWizard


def _to_enrol_page(wizard: SetupWizard) -> None:
    wizard.choice_page.choose("enrol")
    wizard.next()
    assert wizard.currentId() == PAGE_ENROL


def _enrol(qtbot: QtBot, wizard: SetupWizard, url: str, code: str, *, ok: bool, timeout: int = 120_000) -> None:
    page = wizard.enrol_page
    page.url.setText(url)
    page.code.setText(code)
    with qtbot.wait_signal(page.succeeded if ok else page.failed, timeout=timeout):
        wizard.next()  # the commit button: checks the input, then enrols in the background
        assert page.running
        assert not wizard.button(wizard.WizardButton.CommitButton).isEnabled()


def test_bad_input_is_explained_and_nothing_starts(make_wizard: Callable[..., SetupWizard], paths: Paths) -> None:
    wizard = make_wizard(synchronous=True)
    _to_enrol_page(wizard)
    page = wizard.enrol_page
    page.url.setText("lapor.example.go.id")
    wizard.next()
    assert wizard.currentId() == PAGE_ENROL and not page.running
    assert page.field_errors["url"].isVisibleTo(page)
    assert "https://" in page.field_errors["url"].text()
    assert "Enter the enrolment code" in page.field_errors["code"].text()
    assert page.url.hasFocus() or not wizard.isActiveWindow()
    page.url.setText("https://lapor.example.go.id")
    page.code.setText("K7QM-4TZP")
    page.proxy.setText("proxy:8080")
    wizard.next()
    assert not page.field_errors["url"].isVisibleTo(page)
    assert "12 letters and digits" in page.field_errors["code"].text()
    assert page.advanced.isVisibleTo(page)  # opened to show the proxy's problem
    assert page.field_errors["proxy"].isVisibleTo(page)
    assert set(page.input_problems()) == {"code", "proxy"}
    assert read_state(paths).home_office is None


def test_a_wrong_code_shows_the_servers_message_and_a_good_one_enrols(
        make_wizard: Callable[..., SetupWizard], national_server: ServerProcess, paths: Paths, settings: Settings,
        qtbot: QtBot) -> None:
    wizard = make_wizard()
    _to_enrol_page(wizard)
    page = wizard.enrol_page
    _enrol(qtbot, wizard, national_server.url, "AAAA-BBBB-CCCC", ok=False)
    assert page.error.text() == "Kode pendaftaran tidak dikenal. Periksa kembali kodenya."  # the server's own words
    assert wizard.currentId() == PAGE_ENROL and page.code.isEnabled()
    assert "Try again" in wizard.button(wizard.WizardButton.CommitButton).text()
    assert read_state(paths).home_office is None

    _enrol(qtbot, wizard, national_server.url + "/", enrolment_code(national_server), ok=True)
    qtbot.wait_until(lambda: wizard.currentId() == PAGE_DONE)
    assert wizard.setup_result is not None and wizard.setup_result.mode == "enrol"
    assert "Pemerintah Kabupaten Sleman" in wizard.done_page.summary.text()
    assert "No system keyring" in wizard.done_page.login.text()  # the tests run without an OS keyring
    assert not needs_setup(paths, settings)
    assert settings.get(DEMO_MODE) is False
    store = open_store(paths.database, backup_dir=paths.backups)
    try:
        office = home_office(store)
        assert office is not None and office.region_code == "34.04"
        with store.read() as session:
            users = set(session.execute(select(User.username).where(User.office_id == office.id)).scalars())
            complaints = session.execute(select(func.count()).select_from(Complaint)).scalar_one()
        assert "admin.sleman" in users
        assert complaints == wizard.setup_result.complaints > 0
        assert read_state(paths, store).synced
        assert read_state(paths, store).server_url == national_server.url
    finally:
        store.close()
    wizard.accept()


def test_an_unreachable_server_is_a_plain_message(make_wizard: Callable[..., SetupWizard], paths: Paths,
                                                   qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Transport, "_wait", lambda self, attempt, retry_after: None)  # no back-off pauses
    wizard = make_wizard()
    _to_enrol_page(wizard)
    url = f"http://127.0.0.1:{free_port()}"
    _enrol(qtbot, wizard, url, "K7QM-4TZP-9WXA", ok=False, timeout=60_000)
    text = wizard.enrol_page.error.text()
    assert text.startswith(f"The server at {url} cannot be reached.")
    assert wizard.currentId() == PAGE_ENROL
    assert not read_state(paths).enrolled


def test_a_web_server_that_is_not_lapor_desk(make_wizard: Callable[..., SetupWizard], qtbot: QtBot,
                                             national_server: ServerProcess) -> None:
    wizard = make_wizard()
    _to_enrol_page(wizard)
    _enrol(qtbot, wizard, national_server.url + "/bukan-ini", "K7QM-4TZP-9WXA", ok=False)
    assert "did not answer as a LAPOR Desk server (HTTP 404)" in wizard.enrol_page.error.text()


def test_a_first_sync_that_failed_is_resumed_without_a_new_code(
        make_wizard: Callable[..., SetupWizard], national_server: ServerProcess, paths: Paths, settings: Settings,
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    real_sync = jobs._sync

    def broken(*args: object) -> None:
        raise ServerUnreachable(Message("Server tidak dapat dihubungi.", "The server cannot be reached."))

    monkeypatch.setattr(jobs, "_sync", broken)
    wizard = make_wizard()
    _to_enrol_page(wizard)
    _enrol(qtbot, wizard, national_server.url, enrolment_code(national_server), ok=False)
    assert read_state(paths).resume == "enrol" and needs_setup(paths, settings)
    page = wizard.enrol_page
    assert page.code_column.isHidden() and page.url.text() == national_server.url and page.url.isReadOnly()
    wizard.done(0)

    monkeypatch.setattr(jobs, "_sync", real_sync)
    again = make_wizard()  # the next start of the program
    assert again.currentId() == PAGE_ENROL and not again.enrol_page.resume_note.isHidden()
    with qtbot.wait_signal(again.enrol_page.succeeded, timeout=120_000):
        again.next()
    assert not needs_setup(paths, settings)


def test_an_unexpected_error_is_shown_and_may_be_retried(make_wizard: Callable[..., SetupWizard],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("ui.setup.enrol_page.enrol_and_sync", boom)
    wizard = make_wizard(synchronous=True)
    _to_enrol_page(wizard)
    page = wizard.enrol_page
    page.url.setText("https://lapor.example.go.id")
    page.code.setText("K7QM-4TZP-9WXA")
    wizard.next()
    assert wizard.currentId() == PAGE_ENROL and not page.running
    assert page.error.text().startswith("Something unexpected went wrong: RuntimeError: boom.")
    assert wizard.button(wizard.WizardButton.CommitButton).isEnabled()
