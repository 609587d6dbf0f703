"""The papers as PDF, read back the way a person and a phone read them: the text holds the tracking code and the PIN,
the page has the paper's size, the QR code decodes to the status address with code and PIN and is large enough for
a phone's camera, a long history runs over pages without losing a word, and an anonymous complaint's papers carry
no identity. Synthetic data only."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from app.domain import Role
from app.errors import LaporError
from app.read.receipt import ReceiptContent
from app.read.status_letter import StatusLetterContent
from app.rules import tracking
from app.services import workflow_actions as wf
from tests.helpers.world import World
from tests.ui.printing.conftest import BASE, NAME, NIK, PHONE, take_in
from tests.ui.printing.pdfcheck import page_sizes_mm, pdf_text, qr_codes, rendered
from ui.printing import service
from ui.printing.papers import Paper

# The least a phone's camera reads comfortably from a hand-held paper (the symbol, quiet zone not counted).
MIN_QR_MM = {Paper.A4: 25.0, Paper.A5: 25.0, Paper.ROLL_80: 30.0}


def folded(text: str) -> str:
    return text.replace(" ", "").replace("“", "").replace("”", "")


@pytest.mark.parametrize("paper", list(Paper))
def test_receipt_pdf_has_the_code_the_pin_and_a_readable_qr_code(qapp: object, world: World, tmp_path: Path,
                                                                  receipt_of: Callable[..., ReceiptContent],
                                                                  paper: Paper) -> None:
    content = receipt_of(take_in(world))
    pdf = service.save_receipt_pdf(content, tmp_path / "tanda-terima.pdf", paper)
    text = pdf_text(pdf)
    assert content.tracking_code in text
    assert content.pin in folded(text)  # printed as "ABC DEF"
    assert "TANDA TERIMA LAPORAN" in text and "Batas verifikasi" in text and "Petugas penerima" in text
    sizes = page_sizes_mm(pdf)
    assert len(sizes) == 1  # a receipt is one page on every paper
    width, height = sizes[0]
    if paper is Paper.ROLL_80:
        assert width == pytest.approx(80, abs=0.5) and 150 < height < 400  # as long as the content, no longer
    else:
        assert (width, height) == pytest.approx((210, 297) if paper is Paper.A4 else (148, 210), abs=0.5)
    [page] = rendered(pdf, tmp_path / "png")
    [qr] = qr_codes(page)
    expected = f"{BASE}/cek/{tracking.compact(content.tracking_code)}?pin={content.pin}"
    assert qr.text == expected == content.access.url
    assert qr.width_mm >= MIN_QR_MM[paper]


def test_status_letter_pdf(qapp: object, world: World, tmp_path: Path,
                           letter_of: Callable[..., StatusLetterContent]) -> None:
    cid = take_in(world)
    admin = world.users[Role.ADMIN_INSTANSI]
    wf.dispose(world.ctx, admin, cid, unit_id=world.units["Dinas Pekerjaan Umum"], instruction="Cek tiang 12.")
    wf.follow_up(world.ctx, admin, cid, text="Lampu sudah diganti oleh tim pemeliharaan pada Rabu malam.")
    content = letter_of(cid)
    pdf = service.save_status_letter_pdf(content, tmp_path / "surat.pdf")
    text = pdf_text(pdf)
    assert "SURAT KETERANGAN STATUS LAPORAN" in text and content.tracking_code in text
    assert "Sudah ditindaklanjuti" in text and "Lampu sudah diganti oleh tim pemeliharaan pada Rabu malam." in text
    assert "Cek tiang 12." not in text and "Dinas Pekerjaan Umum" not in text
    assert content.officer is not None and content.officer.value in text
    assert page_sizes_mm(pdf) == [pytest.approx((210, 297), abs=0.5)]
    [page] = rendered(pdf, tmp_path / "png")
    assert qr_codes(page) == []  # the letter gives no way into the status page


def test_anonymous_papers_carry_no_identity(qapp: object, world: World, tmp_path: Path,
                                            receipt_of: Callable[..., ReceiptContent],
                                            letter_of: Callable[..., StatusLetterContent]) -> None:
    cid = take_in(world, anonymous=True)  # the reporter left name, NIK and phone: stored, never printed
    texts = [pdf_text(service.save_receipt_pdf(receipt_of(cid), tmp_path / f"r-{p.value}.pdf", p)) for p in Paper]
    texts.append(pdf_text(service.save_status_letter_pdf(letter_of(cid), tmp_path / "s.pdf")))
    for text in texts:
        for secret in (NAME, "Wahyuningsih", NIK, PHONE, "81355550123"):
            assert secret not in folded(text) and secret not in text
    assert "Dirahasiakan (laporan anonim)" in texts[0]


def test_without_a_status_page_no_qr_code_and_the_counter_is_named(qapp: object, world: World, tmp_path: Path,
                                                                  receipt_of: Callable[..., ReceiptContent]) -> None:
    content = receipt_of(take_in(world), base=None)
    pdf = service.save_receipt_pdf(content, tmp_path / "r.pdf", Paper.ROLL_80)
    assert "loket pengaduan Pemerintah Kabupaten Sleman" in pdf_text(pdf)
    [page] = rendered(pdf, tmp_path / "png")
    assert qr_codes(page) == []


def test_long_title_wraps_inside_the_page(qapp: object, world: World, tmp_path: Path,
                                         receipt_of: Callable[..., ReceiptContent]) -> None:
    title = ("Jembatan gantung penghubung Dusun Karangasem dan Dusun Ngentak rusak parah setelah banjir, papan "
             "lantainya lepas dan tali bajanya berkarat sehingga membahayakan anak sekolah yang melintas setiap pagi")
    # The longest title intake takes, anonymous (one more line: the note that the identity is withheld).
    content = receipt_of(take_in(world, title=title[:150], anonymous=True))
    for paper in Paper:
        pdf = service.save_receipt_pdf(content, tmp_path / f"{paper.value}.pdf", paper)
        assert len(page_sizes_mm(pdf)) == 1
        assert folded(title[:150]) in folded(pdf_text(pdf))  # every word, none cut at the margin


def test_a_long_history_runs_over_pages_without_losing_a_word(qapp: object, world: World, tmp_path: Path,
                                                               letter_of: Callable[..., StatusLetterContent]) -> None:
    cid = take_in(world)
    admin = world.users[Role.ADMIN_INSTANSI]
    answers = []
    wf.dispose(world.ctx, admin, cid, unit_id=world.units["Dinas Pekerjaan Umum"], instruction="Cek lokasi.")
    for round_ in range(1, 7):
        answer = f"Tanggapan ke-{round_}: " + " ".join(f"kalimat{round_}x{i} pemeriksaan lapangan" for i in range(60))
        answers.append(answer)
        wf.follow_up(world.ctx, admin, cid, text=answer)
        world.clock.advance(hours=1)
        if round_ < 6:  # the reporter is not satisfied: back to the unit
            wf.record_response(world.ctx, admin, cid, satisfied=False, text=f"Belum beres, putaran {round_}.")
            answers.append(f"Belum beres, putaran {round_}.")
    content = letter_of(cid)
    for paper in (Paper.A4, Paper.A5):
        pdf = service.save_status_letter_pdf(content, tmp_path / f"{paper.value}.pdf", paper)
        pages = page_sizes_mm(pdf)
        assert len(pages) > 1
        text = pdf_text(pdf)
        assert f"Halaman 1 dari {len(pages)}" in text and f"Halaman {len(pages)} dari {len(pages)}" in text
        text = re.sub(r"Surat keterangan status [\d-]+ · Halaman \d+ dari \d+", "", text)  # the pages' feet
        for answer in answers:
            assert folded(answer) in folded(text)


def test_a_pdf_that_cannot_be_written_says_so(qapp: object, world: World, tmp_path: Path,
                                             receipt_of: Callable[..., ReceiptContent]) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be")
    with pytest.raises(LaporError) as caught:
        service.save_receipt_pdf(receipt_of(take_in(world)), blocked / "r.pdf")
    assert "PDF tidak dapat disimpan" in caught.value.message.id
    assert not list(tmp_path.glob("**/*.part"))
