"""Attachments at intake: programs and scripts (by name or by content), unsupported types, missing, unreadable,
empty and oversized files are refused with the reason; the scanner's folder is listed newest first."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from app.rules.records import MAX_ATTACHMENT_BYTES
from ui.intake.attachment_checks import attachment_problem
from ui.intake.attachments import AttachmentsSection
from ui.workspace import Workspace


@pytest.fixture
def section(workspace: Workspace, qtbot: Any) -> AttachmentsSection:
    widget = AttachmentsSection(workspace)
    qtbot.add_widget(widget)
    return widget


def _file(folder: Path, name: str, content: bytes = b"%PDF-1.4 isi") -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def test_good_files_are_kept_in_the_draft(section: AttachmentsSection, tmp_path: Path) -> None:
    letter, photo = _file(tmp_path, "surat.pdf"), _file(tmp_path, "foto.JPG", b"\xff\xd8\xff\xe0 jpeg")
    assert section.add_files([letter, photo, letter]) == []
    draft: dict[str, Any] = {}
    section.collect(draft)
    assert draft == {"attachments": [str(letter), str(photo)]}
    assert section.list.count() == 2 and section.refusals() == ""


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("virus.exe", b"MZ\x90\x00", "programs, scripts and macro documents can harm this PC"),
    ("surat.pdf.exe", b"MZ\x90\x00", "programs, scripts and macro documents can harm this PC"),
    ("skrip.ps1", b"Remove-Item", "programs, scripts and macro documents can harm this PC"),
    ("rekap.xlsm", b"PK\x03\x04", "programs, scripts and macro documents can harm this PC"),
    ("surat.pdf", b"MZ\x90\x00\x03", "despite its name it holds a program or script"),
    ("foto.jpg", b"#!/bin/sh\nrm -rf ~", "despite its name it holds a program or script"),
    ("arsip.zip", b"PK\x03\x04", "this type of file is not kept"),
    ("kosong.pdf", b"", "the file is empty"),
])
def test_dangerous_and_unusable_files_are_refused_with_the_reason(section: AttachmentsSection, tmp_path: Path,
                                                                  name: str, content: bytes, reason: str) -> None:
    path = _file(tmp_path, name, content)
    refused = section.add_files([path])
    assert refused == [attachment_problem(path)]
    assert refused[0].startswith(f"{name} is refused: ") and reason in refused[0]
    assert section.refusals() == refused[0] and section.files() == []


def test_a_file_too_large_is_refused_with_its_size(section: AttachmentsSection, tmp_path: Path) -> None:
    big = tmp_path / "video.mp4"
    with big.open("wb") as fh:
        fh.truncate(MAX_ATTACHMENT_BYTES + 1024 * 1024)
    assert section.add_files([big]) == ["video.mp4 is refused: it is too large (21.0 MB; at most 20 MB)."]


def test_missing_and_unreadable_files_are_refused(section: AttachmentsSection, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    locked = _file(tmp_path, "terkunci.pdf")
    real_open = Path.open

    def open_refusing(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_refusing)  # a file this account may not read (the tests run as root)
    assert section.add_files([tmp_path / "hilang.pdf", locked, tmp_path]) == [
        "hilang.pdf is refused: the file is no longer there.",
        "terkunci.pdf is refused: it cannot be read (Permission denied).",
        f"{tmp_path.name} is refused: this type of file is not kept. Use PDF, images (JPG, PNG), Office documents, "
        "text, audio or video.",
    ]
    assert section.refusals().count("\n") == 2


def test_the_scanner_folder_newest_first(section: AttachmentsSection, tmp_path: Path) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    for age, name in enumerate(["scan-003.pdf", "scan-002.pdf", "scan-001.pdf"]):
        path = _file(scans, name)
        os.utime(path, (1_700_000_000 - age * 60, 1_700_000_000 - age * 60))
    _file(scans, "driver-setup.exe", b"MZ")
    (scans / "subfolder").mkdir()
    section.set_scanner_folder(scans)
    section.toggle_scanner()
    assert [Path(p).name for p in section.scanned_files()] == ["scan-003.pdf", "scan-002.pdf", "scan-001.pdf"]
    assert section.attach_scanned() == []  # the newest is selected: Enter attaches the page just scanned
    assert section.files() == [scans / "scan-003.pdf"]


def test_a_scanner_folder_that_cannot_be_read_says_so(section: AttachmentsSection, tmp_path: Path) -> None:
    section.set_scanner_folder(tmp_path / "share-offline")
    section.show_scanner()
    assert section.scanned_files() == []
    assert "cannot be read" in section.scanner_folder_label.text()
    assert not section.attach_scanned_button.isEnabled()
