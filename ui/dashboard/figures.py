"""The tiles' texts from an app.kpi KpiReport: the same numbers, written for a reader in the window's language
(``1.514`` and ``85,7 %`` in Indonesian, ``1,514`` and ``85.7%`` in English: ui.locale_format), numerator of
denominator, pending deadlines, the roadmap target and whether it was met."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject

from app.kpi.definitions import ROADMAP_TARGETS, Count, KpiReport, Median, Rate
from ui.dashboard.tiles import MET_MARK, MISSED_MARK, NO_MARK, TileFigure
from ui.locale_format import decimal, integer, percent

TARGETS = {t.kpi: t for t in ROADMAP_TARGETS}
TILE_KEYS = ("received", "verified_on_time", "followed_up_on_time", "completed", "resolved_on_time", "overdue_now",
             "median_days_to_verification", "median_days_to_follow_up", "reporter_responses", "satisfaction")


translate = QCoreApplication.translate  # the name pyside6-lupdate looks for


class DashboardFigures(QObject):
    """The tiles' counts in words, through ``self.tr`` in a QObject of the same context as the words above:
    pyside6-lupdate marks only tr() calls as plural, and only plural messages get their English singular and plural
    ("over 1 complaint", "over 2 complaints", tools/i18n.py)."""

    def pending(self, n: int) -> str:
        return self.tr("%Ln pending", "", n)

    def over_complaints(self, n: int) -> str:
        return self.tr("over %Ln complaint(s)", "", n)

    def left_out(self, n: int) -> str:
        return self.tr("%Ln spam or duplicate(s) left out", "", n)

    def closed_automatically(self, n: int) -> str:
        return self.tr("%Ln closed automatically", "", n)


def titles() -> dict[str, str]:
    return {
        "received": translate("DashboardFigures", "Complaints received"),
        "verified_on_time": translate("DashboardFigures", "Verified within 3 working days"),
        "followed_up_on_time": translate("DashboardFigures", "Followed up within 5 working days"),
        "completed": translate("DashboardFigures", "Completed"),
        "resolved_on_time": translate("DashboardFigures", "Completed within the resolution deadline"),
        "overdue_now": translate("DashboardFigures", "Overdue now"),
        "median_days_to_verification": translate("DashboardFigures", "Median working days to verification"),
        "median_days_to_follow_up": translate("DashboardFigures", "Median working days to follow-up"),
        "reporter_responses": translate("DashboardFigures", "Reporter responses"),
        "satisfaction": translate("DashboardFigures", "Reporters satisfied"),
    }


def _target(key: str, rate: Rate, lang: str) -> tuple[str, bool | None]:
    target = TARGETS.get(key)
    if target is None:
        return "", None
    goal = percent(target.percent, lang, 0 if target.percent == int(target.percent) else 1)
    if rate.no_data:
        text = translate("DashboardFigures", "Target {goal} — {mark} cannot be judged (no data)")
        return text.format(goal=goal, mark=NO_MARK), None
    met = rate.percent >= target.percent
    if met:
        return translate("DashboardFigures", "Target {goal} — {mark} met").format(goal=goal, mark=MET_MARK), True
    return translate("DashboardFigures", "Target {goal} — {mark} not met").format(goal=goal, mark=MISSED_MARK), False


def _rate(key: str, title: str, rate: Rate, lang: str) -> TileFigure:
    detail = translate("DashboardFigures", "{n} of {d}").format(n=integer(rate.numerator, lang),
                                                                d=integer(rate.denominator, lang))
    if rate.no_data:
        detail += " · " + translate("DashboardFigures", "no data")
    if rate.pending_ids:
        pending = len(rate.pending_ids)
        detail += " · " + DashboardFigures().pending(pending)
    target, met = _target(key, rate, lang)
    return TileFigure(key, title, percent(rate.percent, lang), detail, target, met, rate.met_ids + rate.missed_ids)


def _count(key: str, title: str, count: Count, lang: str, detail: str = "", target: str = "",
           met: bool | None = None) -> TileFigure:
    return TileFigure(key, title, integer(count.value, lang), detail, target, met, count.ids)


def _median(key: str, title: str, median: Median, lang: str) -> TileFigure:
    n = median.count
    detail = (translate("DashboardFigures", "no data") if median.no_data
              else DashboardFigures().over_complaints(n))
    value = translate("DashboardFigures", "{days} days").format(days=decimal(median.value, lang))
    return TileFigure(key, title, value, detail, "", None, median.ids)


def tile_figures(report: KpiReport, lang: str) -> tuple[TileFigure, ...]:
    t = titles()
    excluded, auto = report.excluded.value, report.auto_closed.value
    overdue = report.overdue_now
    overdue_met = overdue.value == 0
    overdue_target = (translate("DashboardFigures", "Target 0 — {mark} met").format(mark=MET_MARK) if overdue_met
                      else translate("DashboardFigures", "Target 0 — {mark} not met").format(mark=MISSED_MARK))
    return (
        _count("received", t["received"], report.received, lang,
               DashboardFigures().left_out(excluded)),
        _rate("verified_on_time", t["verified_on_time"], report.verified_on_time, lang),
        _rate("followed_up_on_time", t["followed_up_on_time"], report.followed_up_on_time, lang),
        _count("completed", t["completed"], report.completed, lang,
               DashboardFigures().closed_automatically(auto)),
        _rate("resolved_on_time", t["resolved_on_time"], report.resolved_on_time, lang),
        _count("overdue_now", t["overdue_now"], overdue, lang,
               translate("DashboardFigures", "open complaints past their deadline, today"),
               overdue_target, overdue_met),
        _median("median_days_to_verification", t["median_days_to_verification"],
                report.median_days_to_verification, lang),
        _median("median_days_to_follow_up", t["median_days_to_follow_up"], report.median_days_to_follow_up, lang),
        _count("reporter_responses", t["reporter_responses"], report.reporter_responses, lang),
        _rate("satisfaction", t["satisfaction"], report.satisfaction, lang),
    )
