"""The monthly report laid out on A4 portrait: the cover, the KPI table, the charts, the top categories and
locations, the overdue complaints per unit and the notes page. Each part starts on a new page; every page carries the
month, the office and its number in the footer. The words are Indonesian, as the report is for the office's leadership;
they come with the content (app.report, whose numbers app.report.formats writes the Indonesian way) or are written
here as the paper's fixed headings, and the numbers drawn here are written the same way (:data:`LANG`), whatever the
window's language: a reader of Indonesian takes "1,514" for a decimal."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QPagedPaintDevice, QPainter

from app.errors import Message
from app.report.content import MonthlyReport, RankedGroup
from ui.locale_format import integer
from ui.printing.blocks import Box, Pair, Stack
from ui.printing.layout import Align, Block, Placed, Rule, Spacer, Style, Surface, Text, paginate, paint_page
from ui.printing.papers import SPECS, PaintFailed, Paper, page_layout
from ui.report.charts import BarList, ColumnChart, Series
from ui.report.table import Column, Table

LANG = "id"  # the report's language, for its numbers (ui.locale_format)
SPEC = replace(SPECS[Paper.A4], margins_mm=(18, 16, 18, 14))
BODY = Style(9.5)
SMALL = Style(8.0)
HEADING = Style(13.5, bold=True, color=SPEC.accent)
SUB = Style(11, bold=True)
CHART_LABEL = Style(8.5)
MUTED = "#404040"
_FAILED = Message("Laporan bulanan tidak dapat dikirim ke printer atau berkas.",
                  "The monthly report could not be sent to the printer or file.")


def heading(text: str) -> Text:
    return Text(text, HEADING, after_mm=3.0, keep_with_next=True)


def cover(c: MonthlyReport) -> list[Block]:
    label = Style(10.5, color=MUTED)
    value = Style(10.5, bold=True)
    facts = [("Instansi", c.office),
             ("Bulan", c.month_label + (" (bulan berjalan, angka sementara)" if c.partial else "")),
             ("Cakupan", c.scope_text), ("Dibuat", c.generated_at_text + " (angka per saat ini)"),
             ("Dibuat oleh", c.generated_by or "—")]
    contents = ["1. Indikator kinerja dibanding bulan lalu dan target peta jalan",
                "2. Grafik: tren 12 bulan, kategori, keterlambatan per unit",
                "3. Kategori dan lokasi teratas", "4. Laporan terlambat per unit kerja",
                "5. Catatan: cara menghitung dan catatan pimpinan"]
    return [
        Text("SP4N-LAPOR! · LAPOR Desk", Style(10, color=MUTED, spacing=110)),
        Rule(0.8, color=SPEC.accent, double=True, space_mm=3),
        Spacer(22),
        Text("LAPORAN BULANAN", Style(13, bold=True, color=MUTED, spacing=115)),
        Text("Pengelolaan Pengaduan Pelayanan Publik", Style(20, bold=True, color=SPEC.accent), after_mm=2),
        Text(c.month_label, Style(26, bold=True), after_mm=2),
        Text(c.office, Style(14)),
        Text(c.scope_text, Style(12, color=MUTED), after_mm=14),
        Stack([Pair(k, v, label, value, label_mm=36) for k, v in facts]),
        Spacer(8),
        Box(Text(c.summary, Style(11)), padding_mm=4, fill="#eef3f8", color=SPEC.accent, after_mm=10),
        Text("Isi laporan", SUB, after_mm=1.5),
        *[Text(line, BODY, indent_mm=2, after_mm=0.6) for line in contents],
        Spacer(6),
        Text("Tanpa data pribadi pelapor dan tanpa isi laporan rahasia. Dibuat luring oleh LAPOR Desk dari basis "
             "data PC ini.", Style(8.5, italic=True, color=MUTED)),
    ]


def kpis_and_charts(c: MonthlyReport) -> list[Block]:
    columns = [Column("Indikator", 3.0), Column(c.month_label, 1.15, Align.RIGHT),
               Column("Bulan lalu", 1.15, Align.RIGHT), Column("Perubahan", 1.35, Align.RIGHT),
               Column("Target", 1.1, Align.RIGHT), Column("Tercapai", 1.05, Align.CENTER), Column("Keterangan", 2.5)]
    met = {True: "Ya", False: "Tidak", None: "—"}
    rows = [[k.label, k.value_text, k.previous_text, k.change_text, k.target_text, met[k.met], k.detail]
            for k in c.kpis]
    labels = [p.label for p in c.trend]
    empty = "Tidak ada data pada 12 bulan ini"
    blocks: list[Block] = [heading(f"1. Indikator kinerja — {c.month_label}")]
    if c.no_data:
        blocks.append(Box(Text(c.summary, BODY), padding_mm=3, after_mm=3))
    blocks += [
        Table(columns, rows, SMALL, after_mm=2),
        Text("Perubahan persentase dalam poin. Target: 100 % untuk ketiga tenggat (asumsi, lihat Catatan); "
             "terlambat saat ini: 0. HK: hari kerja. t/d: tidak ada data. \"Menunggu\": tenggat yang hasilnya belum "
             "diketahui pada akhir bulan.",
             Style(7.5, italic=True, color=MUTED), after_mm=6),
        heading("2. Grafik"),
        ColumnChart("Laporan diterima dan selesai per bulan", labels,
                    [Series("Diterima", tuple(float(p.received) for p in c.trend)),
                     Series("Selesai", tuple(float(p.completed) for p in c.trend))], SMALL, LANG, empty_text=empty),
        ColumnChart("Tenggat terpenuhi per bulan (%)", labels,
                    [Series("Diverifikasi ≤ 3 HK", tuple(p.verified_percent for p in c.trend)),
                     Series("Selesai tepat waktu", tuple(p.resolved_percent for p in c.trend))], SMALL, LANG,
                    percent=True, empty_text=empty),
        BarList(f"Kategori teratas, laporan diterima {c.month_label}",
                [(g.name, float(g.received)) for g in c.top_categories], CHART_LABEL, LANG,
                empty_text="Tidak ada laporan yang diterima bulan ini.", pattern=1),
        BarList("Laporan terlambat saat ini per unit kerja", [(u.unit, float(u.overdue)) for u in c.overdue_by_unit],
                CHART_LABEL, LANG, empty_text="Tidak ada laporan yang terlambat.", pattern=2),
    ]
    return blocks


def _ranked(title: str, groups: tuple[RankedGroup, ...], what: str) -> list[Block]:
    blocks: list[Block] = [Text(title, SUB, after_mm=1.5, keep_with_next=True)]
    if not groups:
        return [*blocks, Text("Tidak ada laporan yang diterima bulan ini.", Style(9.5, italic=True), after_mm=5)]
    columns = [Column("No.", 0.45, Align.RIGHT), Column(what, 4.2), Column("Diterima", 1.1, Align.RIGHT),
               Column("Selesai", 1.1, Align.RIGHT), Column("Terlambat saat ini", 1.8, Align.RIGHT)]
    rows = [[f"{i}.", g.name, _n(g.received), _n(g.completed), _n(g.overdue_now)] for i, g in enumerate(groups, 1)]
    return [*blocks, Table(columns, rows, SMALL, after_mm=6)]


def _together(*blocks: Block) -> Block:
    """A heading and its introduction as one block that stays with what follows (paginate keeps one block with the
    next, not a chain)."""
    stack = Stack(blocks)
    stack.keep_with_next = True
    return stack


def _n(value: int) -> str:
    return integer(value, LANG)


def tops_and_overdue(c: MonthlyReport) -> list[Block]:
    blocks: list[Block] = [heading("3. Kategori dan lokasi teratas"),
                           *_ranked("Sepuluh kategori teratas", c.top_categories, "Kategori"),
                           *_ranked("Sepuluh kecamatan teratas", c.top_districts, "Kecamatan"),
                           *_ranked("Sepuluh desa/kelurahan teratas", c.top_villages, "Desa/kelurahan"),
                           _together(heading("4. Laporan terlambat per unit kerja"),
                                     Text(f"{_n(c.overdue_total)} laporan terlambat saat laporan ini dibuat "
                                          f"({c.as_of_text}). Yang paling lama disebut dengan kode pelacakan dan "
                                          "kategorinya saja.", BODY, after_mm=2))]
    if not c.overdue_by_unit:
        return [*blocks, Text("Tidak ada laporan yang terlambat.", Style(9.5, italic=True))]
    columns = [Column("Unit kerja", 2.5), Column("Terlambat", 1.3, Align.RIGHT),
               Column("Paling lama: kode pelacakan · kategori · hari kerja lewat tenggat", 6.4)]
    rows = [[u.unit, _n(u.overdue), "\n".join(f"{o.tracking_code} · {o.category} · {o.days_overdue}\u00a0HK"
                                             for o in u.oldest)] for u in c.overdue_by_unit]
    return [*blocks, Table(columns, rows, SMALL)]


def notes(c: MonthlyReport) -> list[Block]:
    blocks: list[Block] = [heading("5. Catatan"), Text("Cara menghitung", SUB, after_mm=1.5)]
    for note in c.notes:
        blocks.append(Pair(note.title, note.text, Style(8.5, bold=True), Style(8.5), label_mm=42, after_mm=1.0))
    blocks += [Spacer(6), Text("Catatan pimpinan", SUB, after_mm=4)]
    blocks += [Rule(0.2, color="#808080", space_mm=4.0) for _ in range(12)]
    blocks += [Spacer(8), Text("Mengetahui,", BODY, after_mm=18),
               Text("(.................................................)", BODY)]
    return blocks


def paint_report(device: QPagedPaintDevice, c: MonthlyReport) -> int:
    """Paint the report on ``device`` (a PDF writer or a printer); returns the number of pages."""
    device.setPageLayout(page_layout(SPEC))
    s = Surface(device)
    rect = device.pageLayout().paintRectPixels(round(s.dpi))
    width, height = float(rect.width()), float(rect.height())
    foot = Style(7.5, color=MUTED)
    room = height - s.line_height(foot) - s.mm(4)
    pages: list[list[Placed]] = []
    for part in (cover(c), kpis_and_charts(c), tops_and_overdue(c), notes(c)):
        pages += paginate(part, s, width, room)
    painter = QPainter()
    if not painter.begin(device):
        raise PaintFailed(_FAILED)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        for number, placed in enumerate(pages, start=1):
            if number > 1 and not device.newPage():
                raise PaintFailed(_FAILED)
            paint_page(painter, s, placed, width)
            _footer(painter, s, foot, c, number, len(pages), width, height)
    finally:
        ended = painter.end()
    if not ended:
        raise PaintFailed(_FAILED)
    return len(pages)


def _footer(p: QPainter, s: Surface, style: Style, c: MonthlyReport, number: int, total: int, width: float,
            height: float) -> None:
    metrics = s.metrics(style)
    p.setFont(s.font(style))
    p.setPen(QColor(MUTED))
    p.fillRect(0, round(height - metrics.height() - s.mm(1.5)), round(width), max(1, round(s.mm(0.2))),
               QColor("#b0b0b0"))
    left = f"Laporan bulanan {c.month_label} · {c.office}" + (f" · {c.unit}" if c.unit else "")
    right = f"Halaman {number} dari {total}"
    base = height - metrics.descent()
    p.drawText(QPointF(0, base), left)
    p.drawText(QPointF(width - metrics.horizontalAdvance(right), base), right)
