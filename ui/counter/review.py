"""The review page's text: the complaint as the citizen told it, in plain words and large type, to be read before
it is sent — on the officer's screen or, turned towards the citizen, on a second screen."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from app.domain import Classification
from app.reference.labels import label
from ui.intake.draft_keys import ATTACHMENTS, get_value
from ui.style import scaled_font

translate = QCoreApplication.translate  # the name pyside6-lupdate looks for


class Review(QObject):
    """The review's counts, through ``self.tr`` in a QObject of the same context: pyside6-lupdate marks only tr()
    calls as plural (English "1 file", "2 files"), and it missed a second translate() on one line altogether."""

    def files(self, n: int) -> str:
        return self.tr("%Ln file(s)", "", n)


def _yes_no(value: Any) -> str:
    return translate("Review", "Yes") if value else translate("Review", "No")


def review_rows(draft: dict[str, Any], lang: str, region_text: str | None = None) -> str:
    """Rich text (escaped) of what the citizen checks; ``region_text``: the place's names, when known."""
    not_given = translate("Review", "(not given)")
    rows: list[tuple[str, str]] = []
    kind = draft.get("classification")
    try:
        kind_text = label(Classification(kind), lang) if kind else ""
    except ValueError:
        kind_text = str(kind)
    rows.append((translate("Review", "Kind of report"), kind_text))
    rows.append((translate("Review", "Title"), draft.get("title") or ""))
    rows.append((translate("Review", "What happened"), draft.get("description") or ""))
    rows.append((translate("Review", "When"), draft.get("incident_date") or not_given))
    rows.append((translate("Review", "Where"), region_text or draft.get("region_code") or not_given))
    if draft.get("address"):
        rows.append((translate("Review", "Address of the place"), draft["address"]))
    if draft.get("is_anonymous"):
        rows.append((translate("Review", "Identity"), translate(
            "Review", "Anonymous: your name is not shown to the staff handling the complaint")))
    if draft.get("is_confidential"):
        rows.append((translate("Review", "Confidential"), translate(
            "Review", "Yes: the complaint never appears in any public list")))
    personal = (("reporter.name", translate("Review", "Name")), ("reporter.nik", translate("Review", "NIK")),
                ("reporter.phone", translate("Review", "Phone")), ("reporter.email", translate("Review", "E-mail")),
                ("reporter.address", translate("Review", "Your address")),
                ("reporter.assistance_needs", translate("Review", "Assistance needed")))
    for key, title in personal:
        value = get_value(draft, key)
        if value:
            rows.append((title, str(value)))
    files = draft.get(ATTACHMENTS) or []
    if files:
        rows.append((translate("Review", "Attachments"), Review().files(len(files))))
    rows.append((translate("Review", "Consent to the use of personal data"),
                 _yes_no(get_value(draft, "reporter.consent_given"))))
    body = "".join(
        f"<tr><td style='padding:4px 16px 4px 0; color:#5b6775; vertical-align:top'>{html.escape(k)}</td>"
        f"<td style='padding:4px 0; vertical-align:top'>{html.escape(v).replace(chr(10), '<br>')}</td></tr>"
        for k, v in rows)
    return f"<table>{body}</table>"


class ReviewMirror(QWidget):
    """The review page on a second screen, turned towards the citizen (read only, full screen there)."""

    def __init__(self, screen: QScreen | None) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setWindowTitle(translate("Review", "Please check your complaint"))
        self.setFont(scaled_font(self.font(), 1.5))
        title = QLabel(translate("Review", "Please check your complaint"), self)
        title.setFont(scaled_font(self.font(), 1.3, bold=True))
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.addWidget(title)
        layout.addWidget(scroll, 1)
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:  # one screen: a window the officer can turn the monitor with
            self.resize(900, 700)
            self.show()

    def show_review(self, draft: dict[str, Any], lang: str, region_text: str | None = None) -> None:
        self.text.setText(review_rows(draft, lang, region_text))
