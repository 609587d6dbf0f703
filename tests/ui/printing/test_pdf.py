"""The papers as PDF, read back the way a person and a phone read them: the text holds the tracking code and the PIN,
the page has the paper's size, the QR code decodes to the status address with code and PIN and is large enough for
a phone's camera, a long history runs over pages without losing a word, the office's contact is printed and still
fits one page, and an anonymous complaint's papers carry no identity. Synthetic data only."""

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
from app.rules.office_contact import ADDRESS_MAX, HOURS_MAX, WEBSITE_MAX
from app.services import workflow_actions as wf
from tests.helpers.world import World
from tests.ui.printing.conftest import BASE, NAME, NIK, PHONE, set_contact, take_in
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


CONTACT = {"contact_address": "Jl. Contoh Pelayanan No. 1, Tridadi, Sleman 55511", "contact_phone": "+62274868405",
           "contact_email": "pengaduan@contoh.go.id", "contact_website": "https://pengaduan.contoh.go.id",
           "service_hours": "Senin–Jumat 08.00–15.00 WIB"}


@pytest.mark.parametrize("paper", list(Paper))
def test_receipt_pdf_prints_the_offices_contact_and_its_phone_where_to_ask(
        qapp: object, world: World, tmp_path: Path, receipt_of: Callable[..., ReceiptContent], paper: Paper) -> None:
    set_contact(world, **CONTACT)
    content = receipt_of(take_in(world))
    pdf = service.save_receipt_pdf(content, tmp_path / "tanda-terima.pdf", paper)
    text = pdf_text(pdf)
    assert "Telp. (0274) 868405" in text  # the letterhead
    assert "melalui telepon (0274) 868405 dengan menyebutkan kode pelacakan dan PIN" in text  # where to ask
    assert "telepon kantor" not in text
    for shown in ("Jl. Contoh Pelayanan No. 1, Tridadi, Sleman 55511", "pengaduan@contoh.go.id",
                  "pengaduan.contoh.go.id", "Loket pengaduan buka Senin–Jumat 08.00–15.00 WIB."):
        assert shown in text, shown
    assert len(page_sizes_mm(pdf)) == 1
    [page] = rendered(pdf, tmp_path / "png")
    [qr] = qr_codes(page)
    assert qr.text == content.access.url and qr.width_mm >= MIN_QR_MM[paper]


def test_the_longest_contact_with_the_longest_title_stays_on_one_page(
        qapp: object, world: World, tmp_path: Path, receipt_of: Callable[..., ReceiptContent]) -> None:
    """Every contact field at the most the server takes (app.rules.office_contact), with the longest title and the
    anonymous note: A4 and A5 still one page, nothing cut at the margin, the QR code still readable."""
    address = ("Kompleks Perkantoran Pemerintah Kabupaten, Gedung Pelayanan Terpadu Satu Pintu lantai dua, ruang "
               "pengaduan masyarakat, Jalan Contoh Pelayanan Publik Nomor 1, Dusun Contoh, Desa Tridadi, Kecamatan "
               "Sleman, Kabupaten Sleman, Daerah Istimewa Yogyakarta 55511, di sebelah barat alun-alun kabupaten "
               "lama, Indonesia")[:ADDRESS_MAX]
    hours = ("Senin sampai Kamis pukul 08.00 sampai 15.30 WIB, Jumat pukul 08.00 sampai 14.30 WIB; istirahat pukul "
             "12.00 sampai 13.00 WIB; Sabtu, Minggu dan hari libur nasional tutup, kecuali layanan pengaduan daring")
    hours = hours[:HOURS_MAX]
    website = ("https://pengaduan-masyarakat.contoh.go.id/layanan/pengaduan/cek-status-laporan/" + "a" * 200)
    website = website[:WEBSITE_MAX]
    email = "layanan.pengaduan.masyarakat.kabupaten@pengaduan-masyarakat.contoh.go.id"
    assert (len(address), len(hours), len(website)) == (ADDRESS_MAX, HOURS_MAX, WEBSITE_MAX)
    set_contact(world, contact_address=address, contact_phone="+622112345678", contact_email=email,
                contact_website=website, service_hours=hours)
    title = ("Jembatan gantung penghubung Dusun Karangasem dan Dusun Ngentak rusak parah setelah banjir, papan "
             "lantainya lepas dan tali bajanya berkarat sehingga membahayakan anak sekolah")[:150]
    content = receipt_of(take_in(world, title=title, anonymous=True))
    for paper in Paper:
        pdf = service.save_receipt_pdf(content, tmp_path / f"{paper.value}.pdf", paper)
        assert len(page_sizes_mm(pdf)) == 1, paper
        text = folded(pdf_text(pdf))
        for shown in (address, hours, website.removeprefix("https://"), email, title, "(021)12345678"):
            assert folded(shown) in text, (paper, shown)
        [page] = rendered(pdf, tmp_path / f"png-{paper.value}")
        [qr] = qr_codes(page)
        assert qr.width_mm >= MIN_QR_MM[paper]


def test_status_letter_pdf_names_the_offices_phone(qapp: object, world: World, tmp_path: Path,
                                                  letter_of: Callable[..., StatusLetterContent]) -> None:
    set_contact(world, **CONTACT)
    content = letter_of(take_in(world), base=None)
    text = pdf_text(service.save_status_letter_pdf(content, tmp_path / "surat.pdf"))
    assert "Telp. (0274) 868405" in text and "melalui telepon (0274) 868405 dengan kode pelacakan" in text
    assert "Loket pengaduan buka Senin–Jumat 08.00–15.00 WIB." in text and "telepon kantor" not in text


def test_a_sheet_that_fits_keeps_its_type_and_one_that_runs_over_is_set_tighter(qapp: object,
                                                                                tmp_path: Path) -> None:
    """render(one_page=True): content that fits is built once, at the paper's own sizes; content a little over the
    page is set tighter (smaller text and spacing) until it fits; content far over it still runs over pages whole
    after the last step (nothing left off). A letter (one_page False) is never set tighter."""
    from PySide6.QtGui import QPdfWriter

    from ui.printing.layout import Block, Style, Surface, Text
    from ui.printing.papers import SPECS, TIGHTER_STEPS, PaperSpec, render

    def paint(lines: int, *, one_page: bool = True) -> tuple[int, list[float]]:
        sizes: list[float] = []

        def build(s: Surface, spec: PaperSpec, width: float) -> list[Block]:
            sizes.append(spec.body)
            return [Text(f"baris {i}", Style(spec.body), after_mm=spec.space) for i in range(lines)]

        writer = QPdfWriter(str(tmp_path / f"{lines}-{one_page}.pdf"))
        pages = render(writer, SPECS[Paper.A5], build, footer="uji", one_page=one_page)
        del writer
        return pages, sizes

    body = SPECS[Paper.A5].body
    assert paint(30) == (1, [body])
    pages, sizes = paint(46)  # about a tenth over an A5 page at 8.5 pt
    assert pages == 1 and 1 < len(sizes) <= TIGHTER_STEPS + 1 and sizes[-1] < body
    pages, sizes = paint(200)
    assert pages > 1 and len(sizes) == TIGHTER_STEPS + 1
    assert paint(46, one_page=False) == (2, [body])
