"""The status letter (surat keterangan status) on paper: the office's letterhead, the code, the status in large type
with its explanation, the steps a citizen may see with the answers meant for them, and the officer who printed it.
It draws what app.read.status_letter assembled and decides nothing about what may be shown."""

from __future__ import annotations

from app.read.letterhead import Line
from app.read.status_letter import StatusLetterContent
from ui.printing import parts
from ui.printing.blocks import Box, Pair, Stack
from ui.printing.layout import Align, Block, Style, Surface, Text
from ui.printing.papers import Build, PaperSpec


def status_letter_paper(content: StatusLetterContent) -> Build:
    def build(s: Surface, spec: PaperSpec, width: float) -> list[Block]:
        blocks: list[Block] = parts.letterhead(content.office, spec)
        blocks += parts.title("SURAT KETERANGAN STATUS LAPORAN", "Keterangan tentang penanganan laporan Anda", spec)
        code = parts.pairs([Line("Kode pelacakan", content.tracking_code)], spec)[0]
        assert isinstance(code, Pair)
        code.value.style = s.fitting(content.tracking_code, Style(spec.heading + 2, bold=True, mono=True),
                                     width - s.mm(spec.label_mm))
        facts = [Line("Diterima", content.received)] if content.received else []
        facts.append(Line("Keadaan per", content.printed))
        blocks += [code, *parts.pairs(facts, spec)]
        caption = Style(spec.small, bold=True, color=spec.muted, spacing=112)
        status_style = s.fitting(content.status_label, Style(spec.title, bold=True, color=spec.accent),
                                 width - 2 * s.mm(3.4))
        blocks.append(Box(Stack([
            Text("STATUS SAAT INI", caption),
            Text(content.status_label, status_style, before_mm=0.5, after_mm=1.2),
            Text(content.explanation, Style(spec.body)),
        ]), padding_mm=3.0, border_mm=0.4, color=spec.accent, fill=spec.fill, after_mm=1.0))
        if content.entries:
            blocks += parts.heading("Riwayat penanganan", spec)
            blocks += _entries(content, spec)
        blocks.append(Text("", Style(spec.small), after_mm=1.0))
        blocks += parts.notes(content.notes, spec)
        blocks += parts.signature("Petugas", content.officer, "", spec)
        return blocks

    return build


def _entries(content: StatusLetterContent, spec: PaperSpec) -> list[Block]:
    """Each step: its date and what happened; an answer meant for the reporter below it, indented (it may run over
    pages)."""
    blocks: list[Block] = []
    indent = spec.label_mm
    answer = Style(spec.body, italic=False)
    for entry in content.entries:
        blocks += parts.pairs([Line(entry.when, entry.label)], spec)
        if entry.text:
            blocks.append(Text(f"“{entry.text}”", answer, indent_mm=indent if indent else 3.0, after_mm=2.0))
    if not blocks:
        blocks.append(Text("Belum ada langkah yang dapat diterangkan.", Style(spec.body, align=Align.LEFT)))
    return blocks
