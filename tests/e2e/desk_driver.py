"""One workflow step done in the real LAPOR Desk window, in a process of its own (tests/e2e/test_two_pcs.py).

    python -m tests.e2e.desk_driver --data-dir DIR --user NAME STEP [--code CODE] [--unit NAME] < password

The real start-up (:class:`ui.application.Startup`: logging into ``DIR/logs``, the store opened on the database
thread, the log-in form run with ``exec()`` and filled in as a person does, the main window), then STEP as a person
does it in the window, waiting on Qt signals (never on sleeps), then the window closed and start-up shut down:

- ``intake`` (the counter officer, in counter mode): the walk-in complaint through the counter's steps, typed and
  "Next" step by step, the review, "Submit", the receipt page with the tracking code; (an account with the main
  window) through the real service on the window's database thread, then found by its code in the search box;
- ``dispose``, ``follow-up``: the tracking code typed into the search box, the action's button of the detail panel
  clicked, its form filled in and sent; then the detail panel shows the new status;
- ``respond`` (the counter officer): the code typed into counter mode's status look-up, the reporter's response
  recorded from there.

Prints one JSON line on stdout (complaint id, tracking code, status, the new timeline event's id) and exits 0; on
any failure, a message on stderr and exit 1. Automatic sync is switched off in this PC's settings (the test syncs
with ``lapor-desk sync``, so what the window did is all that went on). Synthetic data only.
"""

from __future__ import annotations

import argparse
import json
import sys
from argparse import Namespace
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QTimer, SignalInstance
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QToolButton

from ui.application import Dialogs, Startup
from ui.settings import AUTO_SYNC_MINUTES, Settings

WAIT_MS = 30_000  # only ever reached when something is wrong: every wait ends on a signal

# The complaint the counter takes in: synthetic; the NIK and the phone number are the obviously fake ones of
# tests/app/test_intake_rows.py (valid for the validators: a Sleman region code, 1 January 1990, serial 0001).
REPORTER = {"name": "Warga Uji Coba", "nik": "3404010101900001", "phone": "081200000001"}
TITLE = "Jalan berlubang di depan Pasar Uji Coba"
DESCRIPTION = ("Jalan di depan Pasar Uji Coba berlubang besar sejak hujan deras minggu lalu dan membahayakan "
               "pengendara sepeda motor pada malam hari.")
INSTRUCTION = "Mohon dicek ke lapangan dan ditambal minggu ini."
FOLLOW_UP = "Lubang jalan sudah ditambal oleh tim pemeliharaan Dinas Pekerjaan Umum pada hari Selasa."
RESPONSE = "Pelapor datang ke loket dan menyatakan puas, jalan sudah rata kembali."

# step -> (the action's key in ui.actions.controller, the status it leads to)
STEPS = {"dispose": ("dispose", "DIDISPOSISIKAN"), "follow-up": ("follow_up", "DITINDAKLANJUTI"),
         "respond": ("respond", "SELESAI")}


class DriverError(Exception):
    pass


@dataclass
class Watcher:
    """Runs the event loop until a condition holds, checking it whenever one of the given signals fires; a bug the
    window reports (its task runner's or its exception hook's ``bug``) ends any wait with an error."""

    problems: list[str] = field(default_factory=list)
    _loop: QEventLoop | None = None

    def bug(self, report: Any) -> None:
        self.problems.append(f"the window reported a bug: {getattr(report, 'details', report)}")
        if self._loop is not None:
            self._loop.quit()

    def known_error(self, message: Any) -> None:
        self.problems.append(f"the window showed an error: {message.text('en')}")
        if self._loop is not None:
            self._loop.quit()

    def until(self, what: str, condition: Callable[[], bool], *signals: SignalInstance, timeout_ms: int = WAIT_MS,
              explain: Callable[[], str] = lambda: "") -> None:
        loop = QEventLoop()

        def check(*_args: object) -> None:
            if self.problems or condition():
                loop.quit()

        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        for signal in signals:
            signal.connect(check)
        self._loop = loop
        try:
            if not (self.problems or condition()):
                timer.start(timeout_ms)
                loop.exec()
        finally:
            self._loop = None
            timer.stop()
            for signal in signals:
                signal.disconnect(check)
        self.raise_problems()
        if not condition():
            detail = explain()
            raise DriverError(f"no {what} within {timeout_ms / 1000:.0f} s" + (f": {detail}" if detail else ""))

    def raise_problems(self) -> None:
        if self.problems:
            raise DriverError("\n".join(self.problems))


class LogIn(Dialogs):
    """Start-up's modal steps as a person does them: the log-in form, shown with ``exec()``, filled in and sent;
    any other dialog (the set-up wizard, an error box) is a failure on an enrolled PC."""

    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self.password = password
        self.problems: list[str] = []

    def run(self, dialog: QDialog) -> bool:
        from ui.login import LoginDialog

        if not isinstance(dialog, LoginDialog):
            self.problems.append(f"unexpected dialog at start-up: {type(dialog).__name__}")
            return False

        def fill_in() -> None:
            QTest.keyClicks(dialog.username, self.username)
            QTest.keyClicks(dialog.password, self.password)
            dialog.login_button.click()

        def refused(text: str) -> None:  # the form clears the password after showing why it refused it
            if not text and dialog.error.text():
                QTimer.singleShot(0, dialog, dialog.reject)

        dialog.username.clear()
        dialog.password.textChanged.connect(refused)
        QTimer.singleShot(0, dialog, fill_in)
        give_up = QTimer(dialog)  # a log-in that never finishes ends here, not in the test's time-out
        give_up.setSingleShot(True)
        give_up.timeout.connect(dialog.reject)
        give_up.start(WAIT_MS)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        give_up.stop()
        if not accepted:
            self.problems.append(f"log-in as {self.username} failed: {dialog.error.text() or 'no answer'}")
        return accepted

    def error(self, title: str, text: str) -> None:
        self.problems.append(f"{title}: {text}")


@dataclass
class Done:
    complaint_id: str
    tracking_code: str
    status: str
    event_id: str | None


class Desk:
    """The main window after log-in, as a person uses it."""

    def __init__(self, startup: Startup, watcher: Watcher) -> None:
        assert startup.window is not None and startup.workspace is not None
        self.startup = startup
        self.window: Any = startup.window
        self.ws = startup.workspace
        self.watch = watcher

    @property
    def shown(self) -> Any:
        """The complaint the detail panel shows (its ComplaintDetail), or None."""
        snapshot = self.window.detail.snapshot
        return snapshot.detail if snapshot is not None else None

    def open_by_code(self, code: str, *, offering: str | None = None) -> str:
        """Type the tracking code into the search box and press Enter: the list finds the complaint, selects it,
        and the detail panel shows it (with ``offering`` among its actions). Returns the complaint id."""
        lst = self.window.complaint_list
        lst.focus_search()
        QTest.keyClicks(lst.search, code)
        QTest.keyClick(lst.search, Qt.Key.Key_Return)
        detail = self.window.detail

        def shown() -> bool:
            d = self.shown
            return d is not None and d.tracking_code == code and detail.complaint_id == d.id

        self.watch.until(f"complaint {code} in the detail panel", shown, detail.loaded,
                         explain=lambda: f"shows {self.shown and self.shown.tracking_code}")
        if offering is not None and offering not in detail.complaint_actions.available:
            raise DriverError(f"{code} ({self.shown.status}) does not offer {offering} to {self.ws.user.username}: "
                              f"only {detail.complaint_actions.available}")
        return str(self.shown.id)

    def intake(self) -> Done:
        from app.domain import Channel, Classification
        from app.inputs import IntakeInput, ReporterInput
        from app.services.intake import IntakeResult, intake
        from ui import operations

        inp = IntakeInput(
            classification=Classification.PENGADUAN, channel=Channel.WALK_IN, title=TITLE, description=DESCRIPTION,
            region_code="34.04.01", address="Jl. Uji Coba No. 1, RT 01/RW 02",
            reporter=ReporterInput(**REPORTER, consent_given=True))
        results: list[IntakeResult] = []
        failures: list[str] = []
        operations.change_complaints(self.ws.tasks, self.ws.hub, intake, self.startup.services, self.ws.user.id, inp,
                                     changed=lambda result: [result.complaint_id], on_success=results.append,
                                     on_failure=lambda exc: failures.append(f"intake refused: {exc!r}"))
        self.watch.until("intake result", lambda: bool(results or failures), self.ws.tasks.busy_changed,
                         self.ws.hub.complaints_changed)
        if failures:
            raise DriverError(failures[0])
        result = results[0]
        cid = self.open_by_code(result.tracking_code)
        if cid != result.complaint_id or self.shown.status != "BELUM_TERVERIFIKASI":
            raise DriverError(f"the window shows {cid} ({self.shown.status}) for {result.tracking_code}")
        received = [e for e in self.shown.events if e.kind == "RECEIVED"]
        return Done(cid, result.tracking_code, self.shown.status, received[0].id if received else None)

    def act(self, step: str, code: str, unit: str | None) -> Done:
        key, target = STEPS[step]
        cid = self.open_by_code(code, offering=key)
        detail = self.window.detail
        opened: list[Any] = []
        detail.complaint_actions.form_opened.connect(opened.append)
        try:
            button = detail.findChild(QToolButton, f"action-button-{key}")
            if button is None or not button.isEnabled():
                raise DriverError(f"the detail panel has no enabled button for {key}")
            button.click()
        finally:
            detail.complaint_actions.form_opened.disconnect(opened.append)
        if len(opened) != 1:
            raise DriverError(f"clicking {key} opened {len(opened)} forms")
        form = opened[0]
        self.fill(form, key, unit)

        outcome: list[Any] = []
        results: list[Any] = []
        form.succeeded.connect(results.append)
        form.finished.connect(outcome.append)

        def why() -> str:
            fields = [f"{name}: {form.field_error(name)}" for name in ("unit_id", "instruction", "text", "satisfied")
                      if form.field_error(name)]
            return "; ".join(filter(None, [form.message(), *fields]))

        form.ok_button.click()
        self.watch.until(f"{key} form closing", lambda: bool(outcome), form.finished, explain=why)
        if outcome[0] != QDialog.DialogCode.Accepted or not results:
            raise DriverError(f"the {key} form was not accepted")
        result = getattr(results[0], "result", results[0])  # a files form wraps the service's result
        event_id = getattr(result, "event_id", None)
        self.watch.until(f"status {target} in the detail panel",
                         lambda: self.shown is not None and self.shown.id == cid and self.shown.status == target
                         and any(e.id == event_id for e in self.shown.events),
                         detail.loaded, explain=lambda: f"shows {self.shown and self.shown.status}")
        return Done(cid, code, self.shown.status, event_id)

    def fill(self, form: Any, key: str, unit: str | None) -> None:
        if key == "dispose":
            if not unit:
                raise DriverError("dispose needs --unit")
            combo = form.unit
            self.watch.until(f"unit {unit} in the dispose form", lambda: combo.findText(unit) >= 0,
                             combo.model().rowsInserted,
                             explain=lambda: str([combo.itemText(i) for i in range(combo.count())]))
            combo.setCurrentIndex(combo.findText(unit))
            QTest.keyClicks(form.instruction, INSTRUCTION)
        elif key == "follow_up":
            QTest.keyClicks(form.text, FOLLOW_UP)
        elif key == "respond":
            form.satisfied.click()
            QTest.keyClicks(form.text, RESPONSE)


class CounterDesk(Desk):
    """The counter officer's window (ui.counter): no list and no detail panel; a returning citizen's business is
    done from the status look-up."""

    def open_by_code(self, code: str, *, offering: str | None = None) -> str:
        """The look-up page: the code typed and Enter pressed; the citizen's view shows (offering ``offering``)."""
        self.window.start_lookup()
        page = self.window.lookup
        QTest.keyClicks(page.code, code)
        QTest.keyClick(page.code, Qt.Key.Key_Return)
        self.watch.until(f"complaint {code} on the look-up page", lambda: page.complaint_id is not None
                         and page.status.text().startswith(code), self.ws.tasks.busy_changed,
                         explain=lambda: page.problem.text())
        if offering is not None and offering not in page.actions.available:
            raise DriverError(f"{code} does not offer {offering} at the counter: only {page.actions.available}")
        return str(page.complaint_id)

    def intake(self) -> Done:
        """The walk-in citizen's complaint through counter mode's steps: each step filled in (the title and the
        description typed key by key), "Next", the review, "Submit", the receipt page."""
        from PySide6.QtWidgets import QPlainTextEdit

        from app.models import TimelineEvent

        draft = {"classification": "PENGADUAN", "channel": "WALK_IN", "title": TITLE, "description": DESCRIPTION,
                 "region_code": "34.04.01", "address": "Jl. Uji Coba No. 1, RT 01/RW 02",
                 "reporter": {**REPORTER, "consent_given": True}}
        self.window.new_button.click()
        steps = self.window.intake
        for section in steps.sections:
            keys = tuple(section.keys())
            if "title" in keys:
                section.restore({**draft, "title": "", "description": ""})
                QTest.keyClicks(section.field_widget("title"), TITLE)
                description = section.field_widget("description")
                if isinstance(description, QPlainTextEdit):
                    description.setFocus()
                QTest.keyClicks(description, DESCRIPTION)
            else:
                section.restore(draft)
            steps.next_button.click()
            problems = {k: section.problem_text(k) for k in keys if section.problem_text(k)}
            if problems:
                raise DriverError(f"the step {section.title()!r} refused: {problems}")
        if not steps.on_review():
            raise DriverError("the steps did not end on the review page")
        steps.submit_button.click()
        self.watch.until("the receipt page", lambda: steps.on_receipt() or steps.stack.currentWidget()
                         is steps.duplicates, self.ws.tasks.busy_changed, self.ws.hub.complaints_changed,
                         explain=lambda: steps.review_problems.text())
        if not steps.on_receipt() or steps.result is None:
            raise DriverError("a likely duplicate was found for a first complaint")
        outcome = steps.result
        if steps.code_label.text() != outcome.tracking_code:
            raise DriverError(f"the receipt page shows {steps.code_label.text()}, not {outcome.tracking_code}")
        with self.ws.store.read() as session:
            received = session.query(TimelineEvent.id).filter_by(complaint_id=outcome.complaint_id,
                                                                 kind="RECEIVED").scalar()
        done = Done(outcome.complaint_id, outcome.tracking_code, self.status_of(outcome.complaint_id), received)
        steps.finish_button.click()
        return done

    def act(self, step: str, code: str, unit: str | None) -> Done:
        from app.read.detail import detail as read_detail

        key, target = STEPS[step]
        cid = self.open_by_code(code, offering=key)
        page = self.window.lookup
        opened: list[Any] = []
        page.actions.form_opened.connect(opened.append)
        try:
            page.action_buttons[key].click()
        finally:
            page.actions.form_opened.disconnect(opened.append)
        if len(opened) != 1:
            raise DriverError(f"clicking {key} opened {len(opened)} forms")
        form = opened[0]
        self.fill(form, key, unit)
        outcome: list[Any] = []
        results: list[Any] = []
        form.succeeded.connect(results.append)
        form.finished.connect(outcome.append)
        form.ok_button.click()
        self.watch.until(f"{key} form closing", lambda: bool(outcome), form.finished, explain=form.message)
        if outcome[0] != QDialog.DialogCode.Accepted or not results:
            raise DriverError(f"the {key} form was not accepted")
        event_id = getattr(getattr(results[0], "result", results[0]), "event_id", None)
        self.watch.until(f"status {target} on the look-up page", lambda: page.complaint_id == cid
                         and self.status_of(cid) == target, self.ws.tasks.busy_changed)
        with self.ws.store.read() as session:
            shown = read_detail(session, cid, viewer_role=self.ws.user.role, office_id=self.ws.office_id)
        return Done(cid, code, shown.status, event_id)

    def status_of(self, cid: str) -> str:
        from app.models import Complaint

        with self.ws.store.read() as session:
            row = session.get(Complaint, cid)
            return row.status if row is not None else ""


def run_step(args: argparse.Namespace, password: str) -> Done:
    data_dir = Path(args.data_dir)
    settings = Settings(data_dir / "settings.ini")  # as the settings dialog does: automatic sync off
    settings.set(AUTO_SYNC_MINUTES, 0)
    settings.sync()
    dialogs = LogIn(args.user, password)
    watcher = Watcher()
    startup = Startup(Namespace(data_dir=str(data_dir)), dialogs=dialogs)
    startup.create_app()
    try:
        ready = startup.prepare()
        if dialogs.problems or not ready:
            raise DriverError("; ".join(dialogs.problems) or "start-up stopped")
        assert startup.tasks is not None and startup.hook is not None
        startup.tasks.bug.connect(watcher.bug)
        startup.tasks.known_error.connect(watcher.known_error)
        startup.hook.bug.connect(watcher.bug)
        from ui.counter import CounterWindow

        desk = (CounterDesk if isinstance(startup.window, CounterWindow) else Desk)(startup, watcher)
        if desk.ws.user.username != args.user:
            raise DriverError(f"logged in as {desk.ws.user.username}, not {args.user}")
        done = desk.intake() if args.step == "intake" else desk.act(args.step, args.code, args.unit)
        window = startup.window
        assert window is not None
        if not window.close():
            raise DriverError("the main window refused to close")
        watcher.raise_problems()
        return done
    finally:
        startup.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.desk_driver")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--user", required=True, help="the account to log in with; its password on stdin")
    parser.add_argument("step", choices=("intake", *STEPS))
    parser.add_argument("--code", help="the complaint's tracking code (all steps but intake)")
    parser.add_argument("--unit", help="the unit's name (dispose)")
    args = parser.parse_args(argv)
    if args.step != "intake" and not args.code:
        parser.error("--code is needed")
    password = sys.stdin.readline().rstrip("\n")
    try:
        done = run_step(args, password)
    except DriverError as exc:
        print(f"desk_driver {args.step}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(done.__dict__), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
