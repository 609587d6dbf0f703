"""The self-test's steps, in order, each a method of :class:`SelfTest` (a test replaces one to see the run fail).

The window is the real one: :class:`ui.application.Startup` as ``lapor-desk`` runs it (logging, the store opened on
the database thread behind the log-in form, the log-in typed in, the main window), offscreen. The office admin's
complaint list, a complaint's detail and the dashboard; then a log-out and IT's log-in with its administration
pages; then a receipt and the monthly report written as PDFs as ``lapor-desk receipt`` and ``report`` write them.
A step fails on its own error, on a bug the window reports meanwhile (its task runner's or exception hook's), or on
waiting too long; the steps after a failed log-in are skipped (reported as failed)."""

from __future__ import annotations

import time
import traceback
from argparse import Namespace
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from ui.application import Dialogs, Startup

ADMIN, IT = "admin.sleman", "it.sleman"
COUNT = 60  # demo complaints: enough for every screen to have something to show, seeded in a few seconds
WAIT_S = 60.0  # only reached when something is wrong


class StepFailed(Exception):
    """A step's failure: its reason in Indonesian and in English."""

    def __init__(self, text_id: str, text_en: str) -> None:
        super().__init__(text_id, text_en)


@dataclass(frozen=True)
class Result:
    name: str
    ok: bool
    detail: str = ""


def spin_until(what: tuple[str, str], condition: Callable[[], bool], timeout_s: float = WAIT_S) -> None:
    """Run the event loop until ``condition`` holds (checked every 20 ms); StepFailed after ``timeout_s``."""
    end = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > end:
            raise StepFailed(f"tidak ada {what[0]} dalam {timeout_s:.0f} detik",
                             f"no {what[1]} within {timeout_s:.0f} s")
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec()


class TypedLogIn(Dialogs):
    """Start-up's modal steps as a person does them: each log-in form gets the next account typed in and sent; any
    other dialog (the set-up wizard, an error box) is a problem."""

    def __init__(self, password: str, t: Callable[[str, str], str]) -> None:
        self.t = t
        self.accounts: list[str] = []
        self.password = password
        self.problems: list[str] = []

    def run(self, dialog: QDialog) -> bool:
        from ui.login import LoginDialog

        if not isinstance(dialog, LoginDialog) or not self.accounts:
            self.problems.append(self.t(f"dialog tak terduga: {type(dialog).__name__}",
                                        f"unexpected dialog: {type(dialog).__name__}"))
            return False
        username = self.accounts.pop(0)

        def fill_in() -> None:
            dialog.username.setText(username)
            dialog.password.setText(self.password)
            dialog.login_button.click()

        def refused(text: str) -> None:  # the form clears the password once it has said why it refused it
            if not text and dialog.error.text():
                QTimer.singleShot(0, dialog, dialog.reject)

        dialog.username.clear()
        dialog.password.textChanged.connect(refused)
        QTimer.singleShot(0, dialog, fill_in)
        QTimer.singleShot(int(WAIT_S * 1000), dialog, dialog.reject)  # a log-in that never ends
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if not accepted:
            why = dialog.error.text() or self.t("tidak ada jawaban", "no answer")
            self.problems.append(self.t(f"masuk sebagai {username} ditolak: {why}",
                                        f"log-in as {username} refused: {why}"))
        return accepted

    def error(self, title: str, text: str) -> None:
        self.problems.append(f"{title}: {text}")


class SelfTest:
    """The whole run in ``folder`` (new and empty); ``report`` gets one line per step."""

    def __init__(self, folder: Path, report: Callable[[str], Any] = print,
                 t: Callable[[str, str], str] = lambda _id, en: en) -> None:
        self.folder = folder
        self.report = report
        self.t = t
        self.startup: Startup | None = None
        self.dialogs: TypedLogIn | None = None
        self.bugs: list[str] = []
        self.complaint_id: str | None = None

    # ---- the run -------------------------------------------------------------------------------------------------

    def steps(self) -> list[tuple[str, Callable[[], None], bool]]:
        """(name, step, needs the window open)."""
        t = self.t
        return [(t("data demo", "demo data"), self.seed, False),
                (t("masuk sebagai admin instansi", "log-in as the office admin"), self.log_in, False),
                (t("daftar laporan", "complaint list"), self.complaint_list, True),
                (t("rincian laporan", "complaint detail"), self.complaint_detail, True),
                (t("dasbor", "dashboard"), self.dashboard, True),
                (t("keluar akun, masuk sebagai TI", "log-out, log-in as IT"), self.switch_to_it, True),
                (t("halaman administrasi", "administration pages"), self.admin_pages, True),
                (t("jendela ditutup", "window closed"), self.close_window, True),
                (t("PDF tanda terima", "receipt PDF"), self.receipt_pdf, False),
                (t("PDF laporan bulanan", "monthly report PDF"), self.report_pdf, False)]

    def run(self) -> list[Result]:
        results: list[Result] = []
        window_ok = True
        try:
            for name, step, needs_window in self.steps():
                if needs_window and not window_ok:
                    results.append(self._say(Result(name, False, self.t("dilewati: jendela tidak terbuka",
                                                                        "skipped: the window did not open"))))
                    continue
                result = self._one(name, step)
                results.append(self._say(result))
                if step == self.log_in and not result.ok:
                    window_ok = False
        finally:
            if self.startup is not None:
                self.startup.shutdown()
        return results

    def _one(self, name: str, step: Callable[[], None]) -> Result:
        before = len(self.bugs)
        try:
            step()
        except StepFailed as exc:
            return Result(name, False, self.t(*exc.args))
        except Exception as exc:  # noqa: BLE001 - any error is the step's failure, reported with its place
            where = traceback.extract_tb(exc.__traceback__)[-1]
            return Result(name, False, f"{type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})")
        if len(self.bugs) > before:
            return Result(name, False, "; ".join(self.bugs[before:]))
        return Result(name, True)

    def _say(self, result: Result) -> Result:
        mark = "ok" if result.ok else self.t("GAGAL", "FAILED")
        self.report(f"{mark}: {result.name}" + (f" — {result.detail}" if result.detail else ""))
        return result

    @property
    def window(self) -> Any:
        assert self.startup is not None and self.startup.window is not None
        return self.startup.window

    def _idle(self, what: tuple[str, str]) -> None:
        """Until the window's background work is done (its database thread and network pool)."""
        tasks = self.startup.tasks if self.startup is not None else None
        spin_until(what, lambda: tasks is None or not tasks.busy)

    # ---- the steps -----------------------------------------------------------------------------------------------

    def seed(self) -> None:
        from app.config import Paths
        from app.store.db import open_store
        from demo import seed_demo

        paths = Paths(self.folder)
        store = open_store(paths.database, backup_dir=paths.backups)
        try:
            report = seed_demo(store, count=COUNT, seed=1)
        finally:
            store.close()
        if report.complaints != COUNT:
            raise StepFailed(f"{report.complaints} laporan diisi, bukan {COUNT}",
                             f"{report.complaints} complaints seeded, not {COUNT}")

    def log_in(self) -> None:
        from demo import DEMO_PASSWORD

        self.dialogs = TypedLogIn(DEMO_PASSWORD, self.t)
        self.dialogs.accounts.append(ADMIN)
        startup = self.startup = Startup(Namespace(data_dir=str(self.folder)), dialogs=self.dialogs)
        app = startup.create_app()
        app.setQuitOnLastWindowClosed(False)  # the self-test decides when it ends
        ready = startup.prepare()
        if self.dialogs.problems or not ready:
            problems = "; ".join(self.dialogs.problems)
            raise StepFailed(problems or "permulaan program berhenti", problems or "start-up stopped")
        assert startup.tasks is not None and startup.hook is not None
        for signal in (startup.tasks.bug, startup.hook.bug):
            signal.connect(lambda report: self.bugs.append(f"bug: {getattr(report, 'summary', report)}"))
        startup.tasks.known_error.connect(lambda message: self.bugs.append(f"error shown: {message.text('en')}"))
        self._check_user(ADMIN)

    def _check_user(self, username: str) -> None:
        ws = self.startup.workspace if self.startup is not None else None
        if ws is None or ws.user.username != username or not self.window.isVisible():
            raise StepFailed(f"jendela tidak terbuka untuk {username}", f"the window is not open for {username}")

    def complaint_list(self) -> None:
        self.window.show_page("all")
        model = self.window.complaint_list.model
        spin_until(("baris di daftar", "rows in the list"), lambda: model.has_data and model.rowCount() > 0)
        self.complaint_id = model.ids[0]

    def complaint_detail(self) -> None:
        if self.complaint_id is None:
            raise StepFailed("tidak ada laporan untuk dibuka", "no complaint to open")
        detail = self.window.detail
        detail.show_complaint(self.complaint_id)
        spin_until(("laporan di panel rincian", "complaint in the detail panel"), lambda: detail.snapshot is not None
                   and detail.snapshot.complaint_id == self.complaint_id and detail.snapshot.detail is not None)
        if not detail.snapshot.detail.tracking_code:
            raise StepFailed("panel rincian tidak menampilkan kode lacak", "the detail panel shows no tracking code")

    def dashboard(self) -> None:
        from ui.navigation import DASHBOARD

        computed: list[bool] = []
        page = self.window.page(DASHBOARD)
        page.computed.connect(lambda: computed.append(True))
        self.window.show_page(DASHBOARD)
        spin_until(("angka dasbor", "dashboard figures"), lambda: bool(computed) or getattr(page, "has_figures", False))
        if self.window.current_page() is not page:
            raise StepFailed("dasbor tidak tampil", "the dashboard is not shown")
        self._idle(("akhir pekerjaan latar dasbor", "end of the dashboard's background work"))

    def switch_to_it(self) -> None:
        assert self.startup is not None and self.dialogs is not None
        self.dialogs.accounts.append(IT)
        self.startup.switch_user()
        if self.dialogs.problems:
            problems = "; ".join(self.dialogs.problems)
            raise StepFailed(problems, problems)
        self._check_user(IT)

    def admin_pages(self) -> None:
        from ui.admin import PAGES

        for key in PAGES:
            self.window.show_page(key)
            if self.window.current_page() is not self.window.page(key):
                raise StepFailed(f"halaman {key} tidak tampil", f"the page {key} is not shown")
            self._idle((f"akhir pekerjaan halaman {key}", f"end of the page {key}'s work"))

    def close_window(self) -> None:
        if not self.window.close():
            raise StepFailed("jendela utama menolak ditutup", "the main window refused to close")
        QApplication.processEvents()

    def _office_and_now(self, store: Any) -> tuple[str, Any]:
        from app.store import meta
        from app.timeutil import server_now, utcnow

        with store.read() as session:
            office_id = meta.get(session, meta.HOME_OFFICE)
            if office_id is None:
                raise StepFailed("data demo tidak punya instansi PC ini", "the demo store has no home office")
            return office_id, server_now(session, utcnow())

    def receipt_pdf(self) -> None:
        from app.read.receipt import Viewer, receipt_content
        from app.store.db import open_store
        from ui.printing.documents import printable_of, save_pdf
        from ui.printing.papers import Paper
        from ui.printing.status_page import status_base_url

        store = open_store(self.folder / "lapor-desk.sqlite3", backup_dir=self.folder / "backups")
        try:
            office_id, now = self._office_and_now(store)
            with store.read() as session:
                complaint_id = self.complaint_id or _any_complaint(session, office_id)
                content = receipt_content(session, complaint_id, Viewer(office_id), now=now,
                                          status_base_url=status_base_url(session))
        finally:
            store.close()
        _check_pdf(save_pdf(printable_of(content), self.folder / "receipt.pdf", Paper.A4))

    def report_pdf(self) -> None:
        from app.kpi.period import parse_month
        from app.report import monthly_report_content
        from app.store.db import open_store
        from ui.report.pdf import save_report_pdf

        store = open_store(self.folder / "lapor-desk.sqlite3", backup_dir=self.folder / "backups")
        try:
            office_id, now = self._office_and_now(store)
            last_month = (now.date().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
            with store.read() as session:
                content = monthly_report_content(session, office_id, parse_month(last_month, now.date()), now)
        finally:
            store.close()
        if content.no_data:
            raise StepFailed(f"data demo kosong pada {last_month}", f"the demo has nothing in {last_month}")
        _check_pdf(save_report_pdf(content, self.folder / "report.pdf"))


def _any_complaint(session: Any, office_id: str) -> str:
    """A complaint of the office (when the list step failed and found none)."""
    from sqlalchemy import select

    from app.models import Complaint

    found = session.execute(select(Complaint.id).where(Complaint.office_id == office_id).limit(1)).scalar()
    if found is None:
        raise StepFailed("data demo tidak punya laporan instansi ini", "the demo store has no complaint of its office")
    return str(found)


def _check_pdf(path: Path) -> None:
    data = Path(path).read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-64:] or len(data) < 2000:
        raise StepFailed(f"{path.name} bukan PDF yang utuh ({len(data)} bita)", f"{path.name} is not a whole PDF "
                         f"({len(data)} bytes)")
