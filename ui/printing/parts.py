"""Pieces both papers share: the office's letterhead, the title, section headings, labelled lines, small notes and
the officer's signature."""

from __future__ import annotations

from collections.abc import Iterable

from app.read.letterhead import NO_BREAK, Line, OfficeHeader
from ui.printing.blocks import Columns, Pair, Stack
from ui.printing.layout import Align, Block, Rule, Spacer, Style, Text
from ui.printing.papers import Paper, PaperSpec


def letterhead(office: OfficeHeader, spec: PaperSpec) -> list[Block]:
    """The office's name in capitals, its region and the service's name, then its address and its phone, e-mail
    and website (those it has), over a double rule (a kop surat). A roll gives each its own line."""
    center = Align.CENTER
    blocks: list[Block] = [Text(office.name.upper(), Style(spec.heading + 1.5, bold=True, color=spec.accent,
                                                           align=center))]
    service = "Layanan Pengaduan Masyarakat SP4N-LAPOR!"
    reach = [text for text in (f"Telp.{NO_BREAK}{office.phone.replace(' ', NO_BREAK)}" if office.phone else None,
                               f"E-mail {office.email}" if office.email else None, office.website) if text]
    if spec.roll:
        lines = [office.region, service, office.address, *reach]
    else:
        lines = [f"{office.region} · {service}" if office.region else service, office.address, " · ".join(reach)]
    blocks += [Text(line, Style(spec.small, color=spec.muted, align=center)) for line in lines if line]
    blocks.append(Rule(0.6, color=spec.accent, double=True, space_mm=1.8 if not spec.roll else 1.2))
    return blocks


def title(text: str, subtitle: str, spec: PaperSpec) -> list[Block]:
    return [Text(text, Style(spec.title, bold=True, color=spec.accent, align=Align.CENTER, spacing=104),
                 before_mm=2.5 * spec.space),
            Text(subtitle, Style(spec.small, color=spec.muted, align=Align.CENTER), after_mm=3 * spec.space)]


def heading(text: str, spec: PaperSpec) -> list[Block]:
    """A section heading with a thin rule under it; never left alone at a page's foot."""
    return [Text(text, Style(spec.heading, bold=True, color=spec.accent), before_mm=3.5 * spec.space,
                 keep_with_next=True),
            _KeptRule(0.2, color=spec.accent, space_mm=0.8)]


class _KeptRule(Rule):
    keep_with_next = True


def pairs(lines: Iterable[Line], spec: PaperSpec) -> list[Block]:
    label = Style(spec.small if spec.roll else spec.body, bold=spec.roll, color=spec.muted)
    value = Style(spec.body, bold=False)
    return [Pair(line.label, line.value, label, value, label_mm=spec.label_mm, after_mm=1.4 * spec.space)
            for line in lines]


def notes(texts: Iterable[str], spec: PaperSpec, *, bullet: bool = True) -> list[Block]:
    style = Style(spec.small, color=spec.muted)
    return [Text(("• " if bullet else "") + text, style, after_mm=0.8 * spec.space) for text in texts]


def signature(caption: str, officer: Line | None, printed: str, spec: PaperSpec, width_mm: float = 62) -> list[Block]:
    """A4 and A5: the printing note on the left, the officer's place to sign (and stamp) on the right with their
    name under it. A roll: the officer's name and the note, one under the other."""
    printed_text: list[Block] = [Text(printed, Style(spec.small, color=spec.muted))] if printed else []
    if officer is None:
        return [Spacer(3), *printed_text]
    if not spec.signature:
        return [Spacer(2), *pairs([Line(caption, officer.value)], spec), *printed_text]
    center = Align.CENTER
    right = Stack([Text(caption + ",", Style(spec.body, align=center)), Spacer(18 if spec.paper is Paper.A4 else 10),
                   Text(officer.value, Style(spec.body, bold=True, align=center)),
                   Rule(0.2, space_mm=0.5)])
    return [Spacer(5 * spec.space), Columns(Stack([Spacer(4), *printed_text]), right,
                                                                  right_mm=width_mm)]
