"""Attachments in the detail panel: attach a PNG and a PDF, preview both, save a copy, open with the system's
viewer, and say plainly when the bytes have not been downloaded yet."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QPushButton

from app.domain import Status
from app.models import Attachment
from tests.helpers.world import World
from tests.ui.detail.conftest import complaint_in, load
from ui.actions.controller import FORMS
from ui.detail import ComplaintDetailWidget
from ui.detail.attachments import safe_filename
from ui.detail.preview import PREVIEW_BOUND
from ui.workspace import Workspace


@pytest.fixture
def shown(qtbot, world: World, workspace: Workspace, files: dict[str, Path]) -> ComplaintDetailWidget:  # noqa: ANN001
    cid = complaint_in(world, Status.DIDISPOSISIKAN)
    form = FORMS["attach"](workspace, load(world, cid))
    qtbot.addWidget(form)
    form.files.set_files([files["png"], files["pdf"]])
    form.submit()
    assert form.message() == "" and form.field_error("file") == ""
    widget = ComplaintDetailWidget(workspace)
    qtbot.addWidget(widget)
    widget.show_complaint(cid)
    return widget


def by_name(widget: ComplaintDetailWidget, name: str):  # noqa: ANN201
    return next(a for a in widget.snapshot.detail.attachments if a.filename == name)


def test_attachments_are_listed_with_size_and_type(shown: ComplaintDetailWidget, files: dict[str, Path]) -> None:
    section = shown.attachments
    assert [a.filename for a in section.attachments] == ["foto-lokasi.png", "surat-balasan.pdf"]
    texts = [label.text() for label in section.findChildren(type(section.heading))]
    assert "Attachments (2)" in texts
    assert any(t.startswith("Image (PNG) · ") for t in texts)
    assert any(t.startswith("PDF document · ") for t in texts)
    kinds = [e.kind_label for e in shown.timeline.entries]
    assert kinds.count("Lampiran ditambahkan") == 2


def test_image_preview_is_scaled_to_fit(qtbot, shown: ComplaintDetailWidget) -> None:  # noqa: ANN001
    shown.attachments.preview(by_name(shown, "foto-lokasi.png"))
    dialog = shown.attachments.last_preview
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert not dialog.image.isNull()
    assert dialog.image.width() <= PREVIEW_BOUND.width() and dialog.image.height() <= PREVIEW_BOUND.height()
    assert dialog.image.width() / dialog.image.height() == pytest.approx(1600 / 900, rel=0.01)
    assert dialog.image.pixelColor(10, 10).name() == "#4f7cac"


def test_pdf_preview_renders_the_first_page(qtbot, shown: ComplaintDetailWidget) -> None:  # noqa: ANN001
    pytest.importorskip("PySide6.QtPdf")
    shown.attachments.preview(by_name(shown, "surat-balasan.pdf"))
    dialog = shown.attachments.last_preview
    qtbot.addWidget(dialog)
    assert not dialog.image.isNull()
    assert dialog.image.height() > dialog.image.width()  # A4, portrait
    # The black box drawn on the page is there, on a white page.
    colours = {dialog.image.pixelColor(x, y).name() for x in range(0, dialog.image.width(), 7)
               for y in range(0, dialog.image.height() // 3, 7)}
    assert "#ffffff" in colours and "#000000" in colours
    assert any(label.text() == "Page 1 of 2" for label in dialog.findChildren(type(shown.header.title)))


def test_save_as_copies_the_bytes(shown: ComplaintDetailWidget, files: dict[str, Path], tmp_path: Path) -> None:
    dest = tmp_path / "out" / "salinan.pdf"
    shown.attachments.save_to(by_name(shown, "surat-balasan.pdf"), dest)
    assert dest.read_bytes() == files["pdf"].read_bytes()
    assert str(dest) in shown.attachments.status_text()


def test_open_hands_a_temporary_copy_to_the_system(shown: ComplaintDetailWidget, files: dict[str, Path],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    shown.attachments.open_attachment(by_name(shown, "foto-lokasi.png"))
    assert len(opened) == 1
    path = Path(opened[0].toLocalFile())
    assert path.name == "foto-lokasi.png"
    assert path.read_bytes() == files["png"].read_bytes()


def test_not_downloaded_attachment_says_so(qtbot, world: World, workspace: Workspace,  # noqa: ANN001
                                           shown: ComplaintDetailWidget) -> None:
    cid = shown.complaint_id
    with world.store.transaction() as session:  # as after a sync pull that brought only the metadata
        for att in session.query(Attachment).filter_by(complaint_id=cid):
            att.blob_present = False
    shown.refresh()
    section = shown.attachments
    buttons = [b for b in section.findChildren(QPushButton) if b.isVisibleTo(section)]  # not the replaced ones
    assert len(buttons) >= 5 and not any(b.isEnabled() for b in buttons)  # 6 with QtPdf (PDF preview)
    texts = [label.text() for label in section.findChildren(type(shown.header.title)) if label.isVisibleTo(section)]
    assert any("not downloaded yet" in t for t in texts)


def test_missing_blob_file_is_a_plain_message(shown: ComplaintDetailWidget, workspace: Workspace,
                                             tmp_path: Path) -> None:
    att = by_name(shown, "foto-lokasi.png")
    blob = workspace.services.blob_dir / att.sha256[:2] / att.sha256
    blob.unlink()
    shown.attachments.save_to(att, tmp_path / "x.png")
    assert "is not on this PC yet" in shown.attachments.status_text()
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize(("name", "safe"), [
    ("foto.png", "foto.png"), ("../../etc/passwd", "passwd"), ("C:\\Users\\x\\surat.pdf", "surat.pdf"),
    ('a<b>:"c|?*.txt', "a_b___c___.txt"), ("...", "lampiran"),
])
def test_safe_filename(name: str, safe: str) -> None:
    assert safe_filename(name) == safe
