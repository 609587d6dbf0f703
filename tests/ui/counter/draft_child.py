"""The counter officer typing a citizen's complaint in the real program, until the test kills the process.

    python -m tests.ui.counter.draft_child DATA_DIR USERNAME < password

The real start-up and log-in (tests.e2e.desk_driver.LogIn), counter mode, "Laporan baru", the first steps filled in
(the title typed key by key), then — once the draft is on disk — ``typed <draft file>`` on stdout, and the program
runs on (its event loop, its timers) until it is killed. Synthetic data only.
"""

from __future__ import annotations

import os
import sys
from argparse import Namespace
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest

from tests.e2e.desk_driver import LogIn
from tests.ui.intake.conftest import good_draft
from ui.application import Startup

TITLE = "Jembatan gantung di Dusun Uji rusak parah"


def main() -> int:
    data_dir, username = Path(sys.argv[1]), sys.argv[2]
    password = sys.stdin.readline().strip()
    startup = Startup(Namespace(data_dir=str(data_dir)), dialogs=LogIn(username, password))
    app = startup.create_app()
    if not startup.prepare():
        os.write(2, b"start-up failed\n")
        return 1
    window = startup.window
    window.new_button.click()
    steps = window.intake
    draft = good_draft(channel="WALK_IN")
    for section in steps.sections:
        keys = tuple(section.keys())
        if "title" in keys:
            section.restore({**draft, "title": ""})
            QTest.keyClicks(section.field_widget("title"), TITLE)
            break
        section.restore(draft)
        steps.next_button.click()

    def typed() -> None:
        if steps.drafts.exists() and TITLE in steps.drafts.path.read_text(encoding="utf-8"):
            os.write(1, f"typed {steps.drafts.path}\n".encode())
            poll.stop()

    poll = QTimer()
    poll.timeout.connect(typed)
    poll.start(50)
    return app.exec()  # until killed


if __name__ == "__main__":
    sys.exit(main())
