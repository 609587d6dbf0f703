"""One measured window process for bench/ui_bench.py: ``bare`` (a bare PySide6 window), ``launch`` (the program's
start-up until the first rows are painted) or ``ops`` (scroll, sort, search, detail, memory). Prints ``READY``
when the first rows are on screen and one ``RESULT {json}`` line; ``launch`` also prints ``FORM`` when the log-in
form is painted and ``ENTER`` when the person presses Enter, so the parent can time what the person waits for."""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

DEMO_USER = "admin.sleman"


def _ready() -> None:
    print("READY", flush=True)


def bare() -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication([])
    window = QMainWindow()
    model = QStandardItemModel(50, 7)
    for r in range(50):
        for c in range(7):
            model.setItem(r, c, QStandardItem(f"r{r} c{c}"))
    view = QTableView()
    view.setModel(model)
    window.setCentralWidget(view)
    window.resize(1366, 768)

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, finish)
            return False

    def finish() -> None:
        _ready()
        app.quit()

    watcher = FirstPaint()
    view.viewport().installEventFilter(watcher)
    window.show()
    return app.exec()


class _Dialogs:
    """Start-up's modal steps driven like a person would: the log-in form appears, the person types for
    ``typing`` seconds (0: Enter the moment it is painted), then the demo account's name and password are in and
    Enter is pressed. While the person types, a 10 ms timer notes how late the event loop answers it (``stalls``):
    a form that does not take keys while the program loads would show here."""

    typing = 0.0
    stalls: list[float] = []

    def run(self, dialog: Any) -> bool:
        from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

        painted = QEventLoop()

        class FirstPaint(QObject):
            def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
                if event.type() == QEvent.Type.Paint:
                    QTimer.singleShot(0, painted.quit)  # once this paint is done
                return False

        watcher = FirstPaint()
        dialog.installEventFilter(watcher)
        dialog.show()
        painted.exec()
        dialog.removeEventFilter(watcher)
        _at("form")
        print("FORM", flush=True)
        if self.typing > 0:
            _Dialogs.stalls = _type_for(self.typing)
        from demo import DEMO_PASSWORD  # the person knows it; importing it is not the program's start-up

        _at("enter")
        print("ENTER", flush=True)
        dialog.username.setText(DEMO_USER)
        dialog.password.setText(DEMO_PASSWORD)
        dialog.submit()
        # Wait in an event loop, as the program's dialog.exec() does (a polling loop would take a core from the
        # password check).
        loop = QEventLoop()
        dialog.finished.connect(loop.quit)
        QTimer.singleShot(30_000, loop.quit)
        if dialog.user is None:
            loop.exec()
        if dialog.user is None:
            raise SystemExit("log-in did not succeed")
        return True

    def error(self, title: str, text: str) -> None:
        raise SystemExit(f"{title}: {text}")


def _type_for(seconds: float) -> list[float]:
    """Run the event loop for ``seconds`` as the person types; returns how late (ms) each 10 ms tick came."""
    from PySide6.QtCore import QEventLoop, QTimer

    late: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        late.append(max(0.0, (now - last[0]) * 1000 - 10))
        last[0] = now

    loop = QEventLoop()
    ticker = QTimer()
    ticker.setTimerType(ticker.timerType().PreciseTimer)
    ticker.timeout.connect(tick)
    ticker.start(10)
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    ticker.stop()
    return late


def _wait_until(cond: Callable[[], bool], timeout: float) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    end = time.perf_counter() + timeout
    while not cond():
        if time.perf_counter() > end:
            raise SystemExit("timed out")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def _start(data_dir: str) -> Any:
    from ui.application import Startup

    startup = Startup(argparse.Namespace(data_dir=data_dir), dialogs=_Dialogs())  # type: ignore[arg-type]
    startup.create_app()
    if not startup.prepare():
        raise SystemExit("start-up did not reach the main window")
    return startup


def _first_rows_painted(startup: Any, then: Callable[[], None]) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer

    window = startup.window
    table = window.complaint_list.table
    model = window.complaint_list.model

    class FirstRows(QObject):
        done = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            # The filter runs before the paint; look once it is done (the paint itself may fill the row cache).
            if event.type() == QEvent.Type.Paint and not self.done:
                QTimer.singleShot(0, self.check)
            return False

        def check(self) -> None:
            if self.done or model.rowCount() == 0:
                return
            first = model.id_at(table.rowAt(0)) if table.rowAt(0) >= 0 else None
            if first is not None and model.cached_row(first) is not None:
                self.done = True
                then()

    watcher = FirstRows(window)
    table.viewport().installEventFilter(watcher)
    window._bench_watcher = watcher  # keep it alive


_STARTED = [0.0]
MOMENTS: dict[str, float] = {}  # point of start-up → seconds since the process's start


def _at(name: str) -> None:
    MOMENTS.setdefault(name, time.perf_counter() - _STARTED[0])


def _watch_moments(application: Any) -> None:
    """Note when start-up reaches its points: ``imports`` (the window's module loaded), ``store_open`` (the
    database thread has the data layer and the store), ``password_checked``, ``window_built``; ``form`` and
    ``enter`` come from :class:`_Dialogs`, ``first_rows`` from the paint."""
    _at("imports")
    open_for_log_in = application.open_for_log_in

    def opened(*args: Any, **kwargs: Any) -> Any:
        try:
            return open_for_log_in(*args, **kwargs)
        finally:
            _at("store_open")

    application.open_for_log_in = opened
    import ui.login  # light (no data layer), and imported by start-up anyway

    logged_in = ui.login.LoginDialog._logged_in

    def password_checked(self: Any, user: Any) -> None:
        _at("password_checked")
        logged_in(self, user)

    ui.login.LoginDialog._logged_in = password_checked  # type: ignore[method-assign]


def launch(data_dir: str, typing: float) -> int:
    """``lapor-desk --data-dir DIR`` as a person starts it (ui.plugin.main → app.cli → ui.application.run, whose
    event loop runs until the first rows are painted), with the log-in answered by :class:`_Dialogs` after
    ``typing`` seconds."""
    _STARTED[0] = time.perf_counter()
    _Dialogs.typing = typing
    import ui.plugin  # the entry point's module: light, no Qt

    launch_gui = ui.plugin.launch_gui

    def watched_launch(args: Any) -> int:
        from ui import application

        _watch_moments(application)
        application.Dialogs = _Dialogs  # type: ignore[misc]
        show_main_window = application.Startup.show_main_window

        def show_and_watch(self: Any) -> bool:
            shown = bool(show_main_window(self))
            _at("window_built")
            if shown:
                _first_rows_painted(self, lambda: finish(self))
            return shown

        application.Startup.show_main_window = show_and_watch  # type: ignore[method-assign]
        return launch_gui(args)

    def finish(startup: Any) -> None:
        _at("first_rows")
        result = dict(MOMENTS, worst_stall_ms=max(_Dialogs.stalls, default=0.0))
        _ready()
        print("RESULT " + json.dumps(result), flush=True)
        startup.qapp.quit()

    ui.plugin.launch_gui = watched_launch  # type: ignore[assignment]
    code = ui.plugin.run_program(["--data-dir", data_dir])  # what the lapor-desk command calls
    if "first_rows" not in MOMENTS:
        raise SystemExit(f"start-up ended (exit {code}) before the first rows were painted")
    return code


def _wait_signal(signal: Any, action: Callable[[], None], timeout: float = 60) -> float:
    """Milliseconds from ``action()`` until ``signal`` fires, waiting in an event loop as the program does (a
    polling loop would hold the GIL against the database thread doing the work being measured)."""
    from PySide6.QtCore import QEventLoop, QTimer

    fired: list[float] = []
    loop = QEventLoop()

    def on_fire(*_args: Any) -> None:
        if not fired:
            fired.append(time.perf_counter())
        loop.quit()

    signal.connect(on_fire)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(int(timeout * 1000))
    started = time.perf_counter()
    action()
    if not fired:
        loop.exec()
    timer.stop()
    signal.disconnect(on_fire)
    if not fired:
        raise SystemExit("timed out")
    return (fired[0] - started) * 1000


def ops(data_dir: str) -> int:
    from PySide6.QtCore import QCoreApplication, Qt

    from bench.store import SEARCH_TEXT
    from ui.complaints.model import COL_DEADLINE

    startup = _start(data_dir)
    window = startup.window
    window.resize(1366, 768)
    lst = window.complaint_list
    _wait_until(lambda: lst.model.rowCount() > 0, 60)
    _ready()
    _wait_signal(lst.model.loaded, lambda: lst.set_view("all"))
    rows = lst.model.rowCount()
    table = lst.table

    bar = table.verticalScrollBar()
    steps: list[float] = []
    started = time.perf_counter()
    bar.setValue(0)
    QCoreApplication.processEvents()
    while bar.value() < bar.maximum():
        t0 = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        table.viewport().repaint()
        QCoreApplication.processEvents()
        steps.append((time.perf_counter() - t0) * 1000)
    scroll_s = time.perf_counter() - started

    sort_ms = []
    for i in range(10):
        order = Qt.SortOrder.AscendingOrder if i % 2 == 0 else Qt.SortOrder.DescendingOrder
        sort_ms.append(_wait_signal(lst.model.loaded, lambda order=order: lst.model.sort(COL_DEADLINE, order)))

    search_ms = []
    for _ in range(10):
        lst.search.blockSignals(True)
        lst.search.setText(SEARCH_TEXT)
        lst.search.blockSignals(False)
        search_ms.append(_wait_signal(lst.model.loaded, lst._run_search))
    hits = lst.model.rowCount()
    lst.search.clear()
    _wait_signal(lst.model.loaded, lst._run_search)

    detail = window.detail
    ids = [lst.model.id_at(r) for r in range(0, min(rows, 12000), 200)]
    detail_ms = [_wait_signal(detail.loaded, lambda cid=cid: detail.show_complaint(cid)) for cid in ids if cid]

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print("RESULT " + json.dumps({
        "rows": rows, "scroll_s": scroll_s, "scroll_steps_ms": steps, "sort_ms": sort_ms, "search_ms": search_ms,
        "search_text": SEARCH_TEXT, "search_hits": hits, "detail_ms": detail_ms, "peak_rss_mb": peak,
    }), flush=True)
    startup.shutdown()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("bare", "launch", "ops"))
    parser.add_argument("--data-dir")
    parser.add_argument("--typing", type=float, default=0.0, help="launch: seconds the person types the password")
    args = parser.parse_args()
    if args.mode == "bare":
        return bare()
    if args.mode == "launch":
        return launch(args.data_dir, args.typing)
    return ops(args.data_dir)


if __name__ == "__main__":
    sys.exit(main())
