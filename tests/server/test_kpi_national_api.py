"""The national comparison's pages and JSON (server.api.kinerja) on a live server, SQLite and PostgreSQL: only the
national admin gets in (token once, then a signed session cookie), the figures are those of the complaints the
national admin routed, offices are ranked, bad months get a clear message, an empty month says so, and the public
page and JSON carry aggregates only."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from server import kpi_national as kn
from server import kpi_read as kr
from server.models import KpiComplaint
from tests.server.support import ADMIN_TOKEN, Backend, Device, SeededOffice
from tests.server.test_national import create

KPI = "/api/v1/national/kpi"
REPORTER = "Siti Aminah"
TITLE = "Lampu jalan mati sepanjang Jalan Kaliurang"


def _this_month(backend: Backend) -> str:
    day = kr.cutoff_day(backend.clock())
    return f"{day.year:04d}-{day.month:02d}"


def _route_some(backend: Backend, office_a: SeededOffice, office_b: SeededOffice) -> None:
    """Three complaints for office A (WIB) and one for office B (WITA), made at 05:00 UTC: the two offices' dates are
    the same then. (The test clock starts at the real time: from 16:00 UTC office B's today is WIB's tomorrow, and the
    figures count only the days before WIB's today, kpi_read.cutoff_day.)"""
    now = backend.clock()
    same_date = now.replace(hour=5, minute=0, second=0, microsecond=0)
    backend.clock.advance(seconds=(same_date - now).total_seconds() % 86_400)  # (the clock only moves on)
    for _ in range(3):
        create(backend, office_id=office_a.id)
    create(backend, office_id=office_b.id, category_id="kesehatan")


def _sign_in(backend: Backend, token: str = ADMIN_TOKEN) -> Any:
    return backend.post("/nasional/masuk", data={"token": token, "lanjut": "/nasional/kinerja"},
                        allow_redirects=False)


def test_only_the_national_admin_gets_in(backend: Backend, office_a: SeededOffice) -> None:
    page = backend.get("/nasional/kinerja?bulan=2026-10", allow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/nasional/masuk?lanjut=%2Fnasional%2Fkinerja%3Fbulan%3D2026-10")
    assert backend.get(KPI).status_code == 401
    assert backend.get(KPI, headers=backend.admin_headers("salah")).status_code == 401
    wrong = _sign_in(backend, "bukan-token")
    assert wrong.status_code == 401 and "Token admin nasional tidak sah" in wrong.text
    assert "lapor_nasional" not in backend.http.cookies

    signed = _sign_in(backend)
    assert signed.status_code == 303 and signed.headers["location"] == "/nasional/kinerja"
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and ADMIN_TOKEN not in cookie
    page = backend.get("/nasional/kinerja")
    assert page.status_code == 200 and office_a.name in page.text
    assert "script" not in page.text.lower() and "default-src 'none'" in page.headers["content-security-policy"]
    # A forged or expired cookie is no session.
    backend.http.cookies.set("lapor_nasional", "9999999999.00", path="/nasional")
    assert backend.get("/nasional/kinerja", allow_redirects=False).status_code == 303
    _sign_in(backend)
    out = backend.post("/nasional/keluar", allow_redirects=False)
    assert out.status_code == 303
    assert backend.get("/nasional/kinerja", allow_redirects=False).status_code == 303
    # Somewhere else after signing in: never another site.
    away = backend.post("/nasional/masuk", data={"token": ADMIN_TOKEN, "lanjut": "//contoh.id/"},
                        allow_redirects=False)
    assert away.headers["location"] == "/nasional/kinerja"


def test_the_figures_rank_the_offices(backend: Backend, office_a: SeededOffice, office_b: SeededOffice) -> None:
    _route_some(backend, office_a, office_b)
    month = _this_month(backend)
    backend.clock.advance(days=10)  # every verification deadline has passed, none met
    answer = backend.get(f"{KPI}?month={month}&rank_by=diterima", headers=backend.admin_headers())
    assert answer.status_code == 200, answer.text
    body = answer.json()
    by_office = {o["office_id"]: o for o in body["offices"]}
    a, b = by_office[office_a.id], by_office[office_b.id]
    assert a["kpi"]["received"] == 3 and b["kpi"]["received"] == 1
    assert (a["rank"], b["rank"]) == (1, 2)
    assert body["national"]["received"] == 4
    if kr.cutoff_day(backend.clock()).strftime("%Y-%m") == month:
        assert a["kpi"]["verified_on_time"] == {"numerator": 0, "denominator": 3, "percent": 0.0, "no_data": False}
    assert a["kpi"]["overdue_now"] == 3 and body["national"]["overdue_now"] == 4
    assert body["trend"][-1]["month"] == month and len(body["trend"]) == 12

    office = backend.get(f"{KPI}/offices/{office_b.id}?month={month}", headers=backend.admin_headers()).json()
    assert [(c["category_id"], c["kpi"]["received"]) for c in office["categories"]] == [("kesehatan", 1)]
    assert [(u["unit_id"], u["kpi"]["received"]) for u in office["units"]] == [("-", 1)]
    _sign_in(backend)
    page = backend.get(f"/nasional/kinerja/instansi/{office_b.id}?bulan={month}")
    assert page.status_code == 200 and "Belum didisposisikan" in page.text
    assert backend.get("/nasional/kinerja/instansi/tidak-ada").status_code == 404


def test_a_bad_or_future_month_is_explained(backend: Backend) -> None:
    _sign_in(backend)
    for path in ("/nasional/kinerja?bulan=2026-13", "/data/kinerja?bulan=Oktober"):
        page = backend.get(path)
        assert page.status_code == 422 and "Tulis tahun-bulan, misalnya 2026-10" in page.text
    future = backend.get("/nasional/kinerja?bulan=2099-01")
    assert future.status_code == 422 and "belum dimulai" in future.text
    answer = backend.get(f"{KPI}?month=2099-01", headers=backend.admin_headers())
    assert answer.status_code == 422 and answer.json()["code"] == "invalid_period"
    assert backend.get(f"{KPI}?rank_by=apa", headers=backend.admin_headers()).status_code == 422


def test_an_empty_month_says_so(backend: Backend, office_a: SeededOffice) -> None:
    _sign_in(backend)
    page = backend.get("/nasional/kinerja?bulan=2025-01")
    assert page.status_code == 200 and "Belum ada data untuk Januari 2025" in page.text
    body = backend.get(f"{KPI}?month=2025-01", headers=backend.admin_headers()).json()
    assert body["no_data"] and body["national"]["received"] == 0
    assert body["national"]["resolved_on_time"]["no_data"]


def test_the_public_page_carries_aggregates_only(backend: Backend, office_a: SeededOffice,
                                                office_b: SeededOffice) -> None:
    _route_some(backend, office_a, office_b)
    month = _this_month(backend)
    backend.clock.advance(days=1)  # the figures count whole days, up to yesterday
    page = backend.get(f"/data/kinerja?bulan={month}")
    assert page.status_code == 200 and office_a.name in page.text
    assert "/nasional/kinerja/instansi" not in page.text and "Keluar" not in page.text
    body = backend.get(f"/api/v1/public/kpi?month={month}").json()
    text = page.text + str(body)
    for personal in (REPORTER, TITLE, "081298765432", "siti.aminah"):
        assert personal not in text
    assert all(set(o) == {"rank", "office_id", "name", "region_code", "province", "kpi"} for o in body["offices"])
    assert sum(o["kpi"]["received"] for o in body["offices"]) == 4


def test_guessing_the_token_is_slowed(backend: Backend) -> None:
    """Ten wrong tokens from one address, then the eleventh is refused without being checked; the right token
    waits too (it could be the guess that finally fits)."""
    for _ in range(10):
        assert _sign_in(backend, "tebakan").status_code == 401
    slowed = _sign_in(backend, "tebakan")
    assert slowed.status_code == 429 and "Terlalu banyak percobaan yang salah" in slowed.text
    assert _sign_in(backend).status_code == 429


@pytest.fixture
def refreshes(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The complaint ids of each computing again of marks (kpi_national.refresh), in order."""
    calls: list[set[str]] = []
    real = kn.refresh

    def counted(session: Any, ids: Any) -> int:
        calls.append(set(ids))
        return real(session, ids)

    monkeypatch.setattr(kn, "refresh", counted)
    return calls


def test_a_push_refreshes_its_complaints_once(backend: Backend, device_a: Device,
                                              refreshes: list[set[str]]) -> None:
    """The figures move once per push, when its transaction commits, for all of its complaints: not once per
    mutation (SQLAlchemy fires before_commit for every savepoint a push releases, one per mutation)."""
    intakes = [device_a.intake(title=f"Lampu jalan padam di gang nomor {n}") for n in range(5)]
    result = device_a.push(*intakes)
    assert [r["status"] for r in result["results"]] == ["applied"] * 5
    assert refreshes == [{m.entity_id for m in intakes}]


def test_changes_that_cannot_move_the_figures_refresh_nothing(backend: Backend, device_a: Device,
                                                              refreshes: list[set[str]]) -> None:
    """A title edited, a note, an attachment: nothing a complaint's KPI facts are read from changes, so its marks
    are not computed again (a fifth of a push of edits). An edited classification or a status change are, and the
    kept figures stay those a rebuild gives."""
    cid = device_a.push_one(device_a.intake())["entity_id"]
    refreshes.clear()
    quiet = device_a.push(device_a.edit(cid, {"title": "Lampu jalan padam sejak seminggu"}, base_version=1),
                          device_a.note(cid, "Sudah dicek petugas."), device_a.attach(cid, "ef" * 32, 2048))
    assert [r["status"] for r in quiet["results"]] == ["applied"] * 3
    assert refreshes == []
    version = quiet["results"][-1]["server_version"]
    moved = device_a.push(device_a.edit(cid, {"classification": "ASPIRASI"}, base_version=version))
    assert moved["results"][0]["status"] == "applied" and refreshes == [{cid}]
    device_a.push_one(device_a.dispose(cid, moved["results"][0]["server_version"]))
    assert refreshes == [{cid}, {cid}]
    with backend.db.transaction() as session:
        kept = {r.complaint_id: (r.category_id, r.marks) for r in session.execute(select(KpiComplaint)).scalars()}
        assert kn.refresh(session, [cid]) == 0  # computed again from what the complaint is now: nothing moves
    assert cid in kept
