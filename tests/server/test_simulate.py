"""``lapor-server admin demo`` then ``simulate-citizens`` against the running server: the pilot offices with their
synthetic contacts, new online complaints arrive routed to them, and the national office list is admin-only."""

from __future__ import annotations

from sqlalchemy import func, select

from server.demo import seed_server_demo
from server.models import Complaint, Office
from server.simulate import simulate_citizens
from tests.server.support import ADMIN_TOKEN, Backend


def test_simulated_citizens_reach_the_pilot_offices(backend: Backend) -> None:
    report = seed_server_demo(backend.db, complaints=5, seed=3)
    assert report.offices == 6 and report.complaints == 5
    assert backend.get("/api/v1/national/offices").status_code == 401
    offices = backend.get("/api/v1/national/offices", headers=backend.admin_headers()).json()
    assert {o["region_code"] for o in offices} == {"34", "34.04", "51", "51.03", "36.03", "13"}
    with backend.db.transaction() as session:  # each pilot office has the demo's synthetic contact, as stored
        contacts = {o.region_code: (o.contact_phone, o.contact_email, o.service_hours)
                    for o in session.execute(select(Office)).scalars()}
    assert contacts["34.04"] == ("+62274000101", "pengaduan.sleman@contoh.go.id",
                                 "Senin–Kamis 08.00–15.30, Jumat 08.00–14.30 WIB")
    assert all(phone and email and hours for phone, email, hours in contacts.values())
    sent, failed = simulate_citizens(backend.url, ADMIN_TOKEN, rate=20, duration=1.0, seed=5)
    assert sent >= 3 and failed == 0
    with backend.db.transaction() as session:
        total = session.execute(select(func.count()).select_from(Complaint)).scalar_one()
        unrouted = session.execute(select(func.count()).select_from(Complaint)
                                   .where(Complaint.office_id.is_(None))).scalar_one()
        pilot_ids = set(session.execute(select(Office.id)).scalars())
        routed = set(session.execute(select(Complaint.office_id)).scalars())
    assert total == 5 + sent and unrouted == 0 and routed <= pilot_ids
