"""Pictures of the real program under a real X server (Xvfb), as a person sees it: the demo set up as the wizard
does it (its local national server, the first sync), then for each screen size a fresh X server and, for each demo
account, the real start-up with the log-in typed in, the window as it opens, and its other screens.

    python -m tools.screenshots --out docs/screenshots                      # every role, 1366x768 and 1024x768
    python -m tools.screenshots --out DIR --sizes 1024x768 --roles it --no-first-minute

Files are ``<scene>-<width>x<height>.png``: ``main-<role>`` (each role's window as it opens), ``admin-<page>`` (IT's
administration area), ``guide`` (the user guide, F1), ``demo-first-minute`` (the office admin's window after the
demo's first minute: new online complaints arrived by sync). Needs ``Xvfb`` (Debian: xvfb) and the Qt xcb libraries
(README.md). Each picture is the whole X screen, taken through Qt from the X server (no window manager runs: the
window is where the program put it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from argparse import Namespace
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROLES = {"admin": "admin.sleman", "pimpinan": "pimpinan.sleman", "penghubung": "penghubung.pu.sleman",
         "it": "it.sleman", "loket": "loket.sleman"}
SIZES = ("1366x768", "1024x768")
FIRST_MINUTE_S = 75  # the demo PC syncs every minute: by then the first new online complaints are usually in
WAIT_S = 60


# ---- one account, in its own process (``shoot``) ------------------------------------------------------------------


def shoot(data_dir: Path, username: str, out: Path, size: str, scenes: list[str]) -> None:
    """Log in as ``username`` through the real start-up and save each scene's picture."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QDialog

    from demo import DEMO_PASSWORD
    from ui.application import Dialogs, Startup
    from ui.login import LoginDialog

    class TypedLogIn(Dialogs):
        def run(self, dialog: QDialog) -> bool:
            if not isinstance(dialog, LoginDialog):
                raise SystemExit(f"unexpected dialog at start-up: {type(dialog).__name__}")

            def type_in() -> None:
                QTest.keyClicks(dialog.username, username)
                QTest.keyClicks(dialog.password, DEMO_PASSWORD)
                dialog.login_button.click()

            dialog.username.clear()
            QTimer.singleShot(300, dialog, type_in)
            return dialog.exec() == QDialog.DialogCode.Accepted

        def error(self, title: str, text: str) -> None:
            raise SystemExit(f"{title}: {text}")

    def wait(seconds: float, until: Callable[[], bool] = lambda: False) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end and not until():
            loop = QEventLoop()
            QTimer.singleShot(100, loop.quit)
            loop.exec()

    def save(scene: str) -> None:
        wait(0.8)  # painted, and the X server has it
        picture = QGuiApplication.primaryScreen().grabWindow(0)
        target = out / f"{scene}-{size}.png"
        if not picture.save(str(target)):
            raise SystemExit(f"could not write {target}")
        print(target, flush=True)

    startup = Startup(Namespace(data_dir=str(data_dir)), dialogs=TypedLogIn())
    startup.create_app()
    try:
        if not startup.prepare():
            raise SystemExit("start-up stopped")
        window: Any = startup.window
        if not window.isFullScreen():  # what the window manager does with a maximized window (none runs here)
            window.setGeometry(window.screen().availableGeometry())
        model = getattr(getattr(window, "complaint_list", None), "model", None)
        wait(WAIT_S, lambda: model is None or bool(getattr(model, "has_data", True)))
        if not window.isFullScreen():  # again: once shown, it made room for a frame that no window manager draws
            window.setGeometry(window.screen().availableGeometry())
        role = startup.workspace.user.role.lower() if startup.workspace else "unknown"
        for scene in scenes:
            if scene == "main":
                save(f"main-{role}")
            elif scene == "admin":
                from ui.admin import PAGES

                for key in PAGES:
                    window.show_page(key)
                    save(f"admin-{key.removeprefix('admin_')}")
            elif scene == "guide":
                window.open_guide()
                wait(1)
                save("guide")
            elif scene == "first-minute":  # until a sync brings the feed's first new complaints (and says so)
                told: list[object] = []
                window.notifier.notify.connect(lambda *args, told=told: told.append(args))
                wait(FIRST_MINUTE_S + 60, lambda told=told: bool(told))
                if not told:
                    raise SystemExit("no new complaint arrived from the demo server")
                save("demo-first-minute")
        if window is not None:
            window.close()
    finally:
        startup.shutdown()


# ---- the whole set (the default command) --------------------------------------------------------------------------


def set_up_demo(data_dir: Path) -> object:
    """The demo as the set-up wizard makes it; returns its result (holding the running demo server)."""
    from app.config import Paths
    from ui.settings import Settings
    from ui.setup.jobs import setup_demo
    from ui.setup.wizard import remember_setup

    result = setup_demo(Paths(data_dir), report=lambda step, fraction: print(f"  demo: {step} {fraction:.0%}",
                                                                             end="\r", flush=True))
    print()
    remember_setup(Settings(data_dir / "settings.ini"), result)
    return result


def start_x(size: str) -> tuple[subprocess.Popen[bytes], str]:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise SystemExit("Xvfb is not installed (Debian: apt-get install xvfb)")
    for number in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            break
    process = subprocess.Popen([xvfb, f":{number}", "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    socket = Path(f"/tmp/.X11-unix/X{number}")
    for _ in range(100):
        if socket.exists():
            return process, f":{number}"
        time.sleep(0.05)
    process.kill()
    raise SystemExit("Xvfb did not start")


def run_all(out: Path, sizes: list[str], roles: list[str], first_minute: bool, data_dir: Path | None) -> int:
    out.mkdir(parents=True, exist_ok=True)
    made_here = data_dir is None
    folder = data_dir or Path(tempfile.mkdtemp(prefix="lapor-shots-"))
    demo = set_up_demo(folder) if made_here or not (folder / "lapor-desk.sqlite3").exists() else None
    failures = 0
    try:
        for size in sizes:
            shutil.rmtree(folder / "window-state", ignore_errors=True)  # each size opens as on a new PC
            xserver, display = start_x(size)
            try:
                for role in roles:
                    scenes = ["main"] + {"it": ["admin", "guide"]}.get(role, [])
                    if role == "admin" and first_minute:
                        scenes.append("first-minute")
                    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
                    done = subprocess.run([sys.executable, "-m", "tools.screenshots", "shoot", "--data-dir",
                                           str(folder), "--user", ROLES[role], "--out", str(out), "--size", size,
                                           *scenes], env=env, timeout=600)
                    failures += done.returncode != 0
            finally:
                xserver.terminate()
                xserver.wait(10)
    finally:
        server = getattr(demo, "demo_server", None)
        if server is not None:
            server.stop()
        if made_here:
            shutil.rmtree(folder, ignore_errors=True)
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.screenshots", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    one = sub.add_parser("shoot", help="one account's pictures (run by the whole set, under its X server)")
    one.add_argument("--data-dir", type=Path, required=True)
    one.add_argument("--user", required=True)
    one.add_argument("--out", type=Path, required=True)
    one.add_argument("--size", required=True)
    one.add_argument("scenes", nargs="+", choices=("main", "admin", "guide", "first-minute"))
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--no-first-minute", action="store_true")
    parser.add_argument("--data-dir", type=Path, help="a demo data folder to reuse (default: a new one)")
    args = parser.parse_args(argv)
    if args.command == "shoot":
        shoot(args.data_dir, args.user, args.out, args.size, args.scenes)
        return 0
    return run_all(args.out, args.sizes.split(","), args.roles.split(","), not args.no_first_minute, args.data_dir)


if __name__ == "__main__":
    sys.exit(main())
