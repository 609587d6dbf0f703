"""Backups and restore for IT: the backups in the backup folder (when, why, how big), "Back up now", and restoring
one — the selected backup or a file from elsewhere (a USB drive). A restore is checked and copied into the data
folder now and done when LAPOR Desk starts again (app.store.restore), which it does by itself once the person
agrees; changes not yet sent to the server are counted first, and losing them must be ticked as understood (without
the tick app.store.restore refuses). The backups LAPOR Desk makes by itself each day (app.store.rotation) are listed
with the others."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLocale, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from app.store.restore import BackupFile, cancel_pending, list_backups, pending_restore, stage_restore, unsent_changes
from app.store.rotation import DAILY
from app.store.store_messages import REPLACED_BY_RESTORE
from ui.admin.common import confirm, error_text, fill, lead, local_time, page_title, table
from ui.style import style_form
from ui.window_features import backup_folder, write_backup
from ui.workspace import Workspace


@dataclass(frozen=True)
class BackupState:
    folder: Path
    backups: list[BackupFile]
    pending: str | None  # the backup waiting to be restored at the next start


def read_backups(ws: Workspace) -> BackupState:
    """Off the GUI thread (a folder on a network drive can be slow)."""
    folder = backup_folder(ws)
    return BackupState(folder, list_backups(folder), pending_restore(ws.paths))


def stage(ws: Workspace, source: Path, lose_unsent: bool) -> None:
    """``lose_unsent``: the person ticked that the unsent changes are lost; without it a restore that would lose
    any (made meanwhile) is refused."""
    stage_restore(ws.paths, source, requested_by=ws.user.id, store=ws.store, force=lose_unsent)


class BackupsPage(QWidget):
    """``restart_requested``: a restore is staged and the person agreed to restart now."""

    restart_requested = Signal()
    loaded = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        style_form(self)
        self._ws = ws
        self._state: BackupState | None = None
        self._dirty = True
        self.message_box: QMessageBox | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(page_title(self.tr("Backups and restore"), self))
        layout.addWidget(lead(self.tr(
            "A backup is a complete copy of this PC's database and its attached files, safe to make while everyone "
            "works. LAPOR Desk also makes one by itself every day, keeping those of the last days and weeks, and "
            "one before every update. Restoring takes the office on this PC back to the moment of "
            "the backup; the next sync then brings back from the server what was sent since."), self))
        folder_row = QHBoxLayout()
        self.folder = QLabel(self)
        self.folder.setWordWrap(True)
        self.open_folder_button = QPushButton(self.tr("Open the &folder"), self)
        self.open_folder_button.clicked.connect(self.open_folder)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.open_folder_button)
        layout.addLayout(folder_row)
        self.pending = QLabel(self)
        self.pending.setObjectName("error")
        self.pending.setWordWrap(True)
        self.cancel_button = QPushButton(self.tr("&Cancel the restore"), self)
        self.cancel_button.clicked.connect(self.cancel_restore)
        pending_row = QHBoxLayout()
        pending_row.addWidget(self.pending, 1)
        pending_row.addWidget(self.cancel_button)
        layout.addLayout(pending_row)
        self.view = table([self.tr("Made"), self.tr("Why"), self.tr("Size"), self.tr("File")], self,
                          accessible_name=self.tr("Backups"))
        self.view.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.backup_button = QPushButton(self.tr("&Back up now"), self)
        self.restore_button = QPushButton(self.tr("&Restore the selected backup…"), self)
        self.restore_file_button = QPushButton(self.tr("Restore from a &file…"), self)
        self.backup_button.clicked.connect(self.back_up)
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button.clicked.connect(self.restore_from_file)
        for button in (self.backup_button, self.restore_button, self.restore_file_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self._update_buttons()

    def refresh(self) -> None:
        self._dirty = False
        self._ws.tasks.db(read_backups, self._ws, on_success=self._show, owner=self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def _show(self, state: BackupState) -> None:
        self._state = state
        self.folder.setText(self.tr("Backup folder: %1").replace("%1", str(state.folder)))
        fill(self.view, [(local_time(b.made_at), self.reason_text(b.reason), self.size_text(b.size), b.path.name)
                         for b in state.backups])
        self.pending.setVisible(state.pending is not None)
        self.cancel_button.setVisible(state.pending is not None)
        if state.pending is not None:
            self.pending.setText(self.tr("The backup %1 will be restored when LAPOR Desk starts again.")
                                 .replace("%1", state.pending))
        self._update_buttons()
        self.loaded.emit()

    def reason_text(self, reason: str) -> str:
        if reason == "manual":
            return self.tr("made by hand")
        if reason == DAILY:
            return self.tr("made by itself (daily)")
        if reason.startswith("pre-migrate"):
            return self.tr("before an update")
        if reason == REPLACED_BY_RESTORE:
            return self.tr("the database a restore replaced")
        return reason or "—"

    @staticmethod
    def size_text(size: int) -> str:
        return QLocale().formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeSIFormat)

    def selected(self) -> BackupFile | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows or self._state is None:
            return None
        return self._state.backups[rows[0].row()]

    @Slot()
    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    # ---- actions ------------------------------------------------------------------------------------------------

    def open_folder(self) -> None:
        if self._state is not None:
            self._state.folder.mkdir(parents=True, exist_ok=True)
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._state.folder)))

    def back_up(self) -> None:
        self.backup_button.setEnabled(False)
        self._ws.tasks.db(write_backup, self._ws.store, backup_folder(self._ws), on_success=self._backed_up,
                          on_failure=self._failed, on_done=lambda: self.backup_button.setEnabled(True), owner=self)

    def _backed_up(self, _path: str) -> None:
        self.refresh()

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is not None:
            self.ask_restore(backup.path)

    def restore_from_file(self) -> None:
        start = str(self._state.folder) if self._state else ""
        dialog = QFileDialog(self, self.tr("Choose a LAPOR Desk backup"), start,
                             self.tr("LAPOR Desk backups (*.sqlite3);;All files (*)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda name: self.ask_restore(Path(name)))
        self.file_dialog = dialog
        dialog.open()

    def ask_restore(self, source: Path) -> None:
        """Count what would be lost, then ask (off the GUI thread first: the count reads the database)."""
        self._ws.tasks.db(unsent_changes, self._ws.store, on_success=lambda n: self._confirm(source, n),
                          on_failure=self._failed, owner=self)

    def _confirm(self, source: Path, unsent: int) -> None:
        text = self.tr("The office's data on this PC goes back to the backup %1. LAPOR Desk closes, restores it and "
                       "starts again; everyone working on this PC must log in again.").replace("%1", source.name)
        understood = ""
        if unsent:
            text += "\n\n" + self.tr("Changes made on this PC and not yet sent to the server will be lost: "
                                     "%Ln change(s). Sync first if you can.", "", unsent)
            understood = self.tr("I understand that these changes will be lost")
        self.message_box = confirm(self, self.tr("Restore this backup?"), text, self.tr("&Restore and restart"),
                                   lambda: self._stage(source, bool(unsent)), understood=understood)

    def _stage(self, source: Path, lose_unsent: bool) -> None:
        self._ws.tasks.db(stage, self._ws, source, lose_unsent,
                          on_success=lambda _none: self.restart_requested.emit(),
                          on_failure=self._failed, owner=self)

    def cancel_restore(self) -> None:
        self._ws.tasks.db(cancel_pending, self._ws.paths, on_success=lambda _none: self.refresh(), owner=self)

    def _failed(self, exc: BaseException) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Backups"), error_text(exc, self._ws.lang),
                          QMessageBox.StandardButton.Ok, self)
        style_form(box)
        box.open()
        self.message_box = box
