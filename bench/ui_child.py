"""One measured window process for bench/ui_bench.py: ``bare`` (a bare PySide6 window), ``launch`` (the program's
start-up until the first rows are painted) or ``ops`` (scroll, sort, search, detail, memory). Prints ``READY``
when the first rows are on screen and, for ``ops``, one ``RESULT {json}`` line."""

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
    """Start-up's modal steps driven like a person would: the log-in is filled in with the demo account."""

    def run(self, dialog: Any) -> bool:
        from PySide6.QtCore import QEventLoop, QTimer

        from app.demo import DEMO_PASSWORD

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


STEPS = ("open_store", "run_setup", "start_services", "log_in", "show_main_window")


def _time_steps(application: Any, started: float, times: dict[str, float]) -> None:
    """Wrap start-up's steps to record in ``times`` how long each takes (seconds), and when the imports were
    done."""
    times["imports"] = time.perf_counter() - started
    for name in STEPS:
        original = getattr(application.Startup, name)

        def timed(self: Any, *args: Any, _original: Any = original, _name: str = name, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return _original(self, *args, **kwargs)
            finally:
                times[_name] = time.perf_counter() - t0

        setattr(application.Startup, name, timed)


def launch(data_dir: str) -> int:
    """``lapor-desk --data-dir DIR`` as a person starts it (app.cli → the ui plugin → ui.application.run, whose
    event loop runs until the first rows are painted), with the log-in answered by :class:`_Dialogs`."""
    started = time.perf_counter()
    import ui.plugin  # the entry point's module: light, no Qt

    times: dict[str, float] = {}
    launch_gui = ui.plugin.launch_gui

    def watched_launch(args: Any) -> int:
        from ui import application

        _time_steps(application, started, times)
        application.Dialogs = _Dialogs  # type: ignore[misc]
        show_main_window = application.Startup.show_main_window

        def show_and_watch(self: Any) -> bool:
            shown = bool(show_main_window(self))
            if shown:
                _first_rows_painted(self, lambda: finish(self))
            return shown

        application.Startup.show_main_window = show_and_watch  # type: ignore[method-assign]
        return launch_gui(args)

    def finish(startup: Any) -> None:
        times["first_rows"] = time.perf_counter() - started
        _ready()
        print("RESULT " + json.dumps(times), flush=True)
        startup.qapp.quit()

    ui.plugin.launch_gui = watched_launch  # type: ignore[assignment]
    from app.cli import run

    code = run(["--data-dir", data_dir])
    if "first_rows" not in times:
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
    ids = [lst.model.id_at(r) for r in range(0, min(rows, 4000), 200)]
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
    args = parser.parse_args()
    if args.mode == "bare":
        return bare()
    if args.mode == "launch":
        return launch(args.data_dir)
    return ops(args.data_dir)


if __name__ == "__main__":
    sys.exit(main())
