"""Bugs end in the crash dialog (copy details, log path); known errors in a plain message; logs keep no SQL data."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import Message
from ui.crash import CrashDialog, CrashReporter, ExceptionHook, known_error_box
from ui.logs import close_logging, redact, setup_logging
from ui.tasks import BugReport, bug_report


def _report() -> BugReport:
    try:
        {}["missing"]  # noqa: B018
    except KeyError as exc:
        return bug_report(exc)
    raise AssertionError


def test_copy_details_puts_the_whole_report_on_the_clipboard(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    log_path = tmp_path / "lapor-desk.log"
    dialog = CrashDialog(_report(), log_path)
    qtbot.add_widget(dialog)
    dialog.show()
    assert not dialog.details.isVisible()
    dialog.toggle_button.click()
    assert dialog.details.isVisible() and "Traceback" in dialog.details.toPlainText()
    QGuiApplication.clipboard().clear()
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert "KeyError" in copied and "Traceback" in copied and str(log_path) in copied
    assert str(log_path) in dialog.log_label.text()
    dialog.close_button.click()
    assert not dialog.isVisible()


def test_known_error_is_a_plain_message_in_the_chosen_language(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.add_widget(parent)
    parent.show()
    box = known_error_box(parent, Message("Disk penuh.", "The disk is full."), "id")
    assert box.isVisible() and box.text() == "Disk penuh." and box.icon() == QMessageBox.Icon.Warning
    assert box.detailedText() == ""  # no traceback
    box.close()
    english = known_error_box(parent, Message("Disk penuh.", "The disk is full."), "en")
    assert english.text() == "The disk is full."
    english.close()


def test_a_crash_in_a_worker_thread_reaches_the_dialog_on_the_gui_thread(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hook = ExceptionHook()
    reporter = CrashReporter(tmp_path / "x.log")
    hook.bug.connect(reporter.show_bug)
    try:
        def boom() -> None:
            raise ValueError("kaput")

        with qtbot.wait_signal(hook.bug, timeout=5000) as blocker:
            thread = threading.Thread(target=boom)
            thread.start()
            thread.join()
        assert "ValueError: kaput" in blocker.args[0].summary
        qtbot.wait_until(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
        assert reporter.dialog is not None
        first = reporter.dialog
        reporter.show_bug(_report())  # a second report while one is open does not stack dialogs
        assert reporter.dialog is first
        first.close()
    finally:
        hook.uninstall()
    assert threading.excepthook is not hook._thread_hook


def test_sql_parameters_never_reach_the_log_or_the_report(tmp_path: Path) -> None:
    text = ("(sqlite3.IntegrityError) UNIQUE constraint failed: reporters.id\n[SQL: INSERT INTO reporters "
            "(id, name) VALUES (?, ?)]\n[parameters: ('r1', 'Budi Santoso')]\n(Background on this error at: x)")
    assert "Budi" not in redact(text) and "[SQL: INSERT INTO reporters" in redact(text)
    path = setup_logging(tmp_path)
    try:
        logging.getLogger("test").error("failed: %s", text)
        for handler in logging.getLogger().handlers:
            handler.flush()
        logged = path.read_text(encoding="utf-8")
    finally:
        close_logging()
    assert "failed:" in logged and "Budi" not in logged
