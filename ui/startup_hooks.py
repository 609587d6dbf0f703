"""What start-up calls that tests replace: how its modal steps are shown (:class:`Dialogs`), and the background
steps after the first screen (the automatic closing, the whole-file check), imported only when they run."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QMessageBox

from ui.style import style_form

if TYPE_CHECKING:
    from app.services.context import ServiceContext
    from app.store.db import Store


class Dialogs:
    """How start-up shows its modal steps. The program exec()s them; tests drive them instead."""

    def run(self, dialog: QDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def error(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok)
        style_form(box)
        box.exec()


def apply_auto_closures(ctx: ServiceContext) -> list[str]:
    from app.services.autoclose import apply_auto_closures as apply

    return apply(ctx)


def check_integrity(store: Store, backups: Path) -> None:
    from app.store.db import check_integrity as check

    check(store, backups)
