"""The set-up wizard on a PC IT prepared with lapor-desk.toml: the enrolment fields start from IT's server, CA bundle
and proxy; what came from the machine file is not copied into the store (it keeps coming from the file); a code
of another office than IT's ``office`` is refused before anything is kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.config import Paths
from app.config_layers import user_settings
from app.machine_config import MACHINE_FILE_ENV
from tests.sync.serverproc import ServerProcess
from tests.ui.setup.support import enrolment_code
from ui.setup.jobs import read_state
from ui.setup.wizard import PAGE_DONE, PAGE_ENROL, SetupWizard


def machine_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    (tmp_path / "pemda-ca.pem").write_text("-----BEGIN CERTIFICATE-----\n")
    path = tmp_path / "lapor-desk.toml"
    path.write_text("".join(f'{k} = "{v}"\n' for k, v in values.items()), encoding="utf-8")
    monkeypatch.setenv(MACHINE_FILE_ENV, str(path))


def to_enrol_page(make_wizard: Callable[..., SetupWizard]) -> SetupWizard:
    wizard = make_wizard()
    wizard.choice_page.choose("enrol")
    wizard.next()
    assert wizard.currentId() == PAGE_ENROL
    return wizard


def enrol(qtbot: QtBot, wizard: SetupWizard, code: str, *, ok: bool) -> None:
    page = wizard.enrol_page
    page.code.setText(code)
    with qtbot.wait_signal(page.succeeded if ok else page.failed, timeout=120_000):
        wizard.next()


def test_the_fields_start_from_the_machine_file(make_wizard: Callable[..., SetupWizard], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    machine_file(tmp_path, monkeypatch, server_url="https://lapor.example.go.id", ca_bundle="pemda-ca.pem",
                 proxy="http://proxy.pemda:8080")
    page = to_enrol_page(make_wizard).enrol_page
    assert page.url.text() == "https://lapor.example.go.id"
    assert page.ca_bundle.text() == str(tmp_path / "pemda-ca.pem")
    assert page.proxy.text() == "http://proxy.pemda:8080"


def test_enrolled_with_it_s_settings_which_stay_in_the_machine_file(
        make_wizard: Callable[..., SetupWizard], national_server: ServerProcess, paths: Paths, tmp_path: Path,
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    machine_file(tmp_path, monkeypatch, server_url=national_server.url, office="34.04", ca_bundle="pemda-ca.pem")
    wizard = to_enrol_page(make_wizard)
    enrol(qtbot, wizard, enrolment_code(national_server), ok=True)
    qtbot.wait_until(lambda: wizard.currentId() == PAGE_DONE)
    stored = user_settings(paths)
    assert stored["server_url"] == national_server.url
    assert stored["ca_bundle"] is None  # not copied: a later change of lapor-desk.toml reaches this PC
    wizard.accept()


def test_a_code_of_another_office_is_refused(make_wizard: Callable[..., SetupWizard], national_server: ServerProcess,
                                             paths: Paths, tmp_path: Path, qtbot: QtBot,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    machine_file(tmp_path, monkeypatch, server_url=national_server.url, office="51.03")
    wizard = to_enrol_page(make_wizard)
    enrol(qtbot, wizard, enrolment_code(national_server, "34.04"), ok=False)
    assert "lapor-desk.toml" in wizard.enrol_page.error.text() and "51.03" in wizard.enrol_page.error.text()
    assert read_state(paths).home_office is None
