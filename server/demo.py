"""``lapor-server admin demo``: the six SP4N-LAPOR! pilot offices with their units and accounts, and a few
hundred synthetic online complaints routed to them, so a demo (and a load test) sees work arrive at offices.

Offices, units, user names and the offices' synthetic contacts are those of the desktop demo (demo), so a PC
enrolled to, say, Sleman finds ``admin.sleman`` with the same demo password and prints Sleman's demo contact. All
people and texts are synthetic.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.domain import Role
from app.inputs import IntakeInput, ReporterInput
from app.reference.regions import iter_regions
from app.security import hash_password
from app.timeutil import utcnow
from demo.content import CLASSIFICATIONS, compose, place_values
from demo.offices import CONTACTS, SPECS, OfficeSpec, Place
from demo.people import home_address, make_person
from demo.rand import DemoRandom
from server import admin, national
from server.db import Database
from server.models import Category, Office

DEMO_PASSWORD = "Demo12345"


@dataclass
class _OfficeShim:
    """What demo.content.place_values needs to know of an office."""

    is_province: bool


@dataclass
class ServerDemoReport:
    offices: int = 0
    users: int = 0
    complaints: int = 0
    seconds: float = 0.0
    codes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"Demo server: {self.offices} instansi, {self.users} pengguna, {self.complaints} laporan daring "
                f"dalam {self.seconds:.1f} detik. Kata sandi semua pengguna demo: {DEMO_PASSWORD}")


def places_of(region_code: str, limit: int = 400) -> list[Place]:
    """Villages under a region (from the bundled region list), with their district and regency names."""
    names: dict[str, str] = {}
    places: list[Place] = []
    prefix = region_code + "."
    for row in iter_regions():
        if not row.code.startswith(prefix):
            continue
        if row.level < 4:
            names[row.code] = row.name
            continue
        district = names.get(row.parent_code or "", "")
        regency = names.get(row.code[:5], "")
        kind = "Kelurahan" if row.code.split(".")[-1].startswith("1") else "Desa"
        places.append(Place(row.code, f"{kind} {row.name}", row.name, district, regency))
        if len(places) >= limit:
            break
    return places


def citizen_complaint(rng: DemoRandom, spec: OfficeSpec, places: list[Place], categories: list[str],
                      now: datetime) -> dict[str, Any]:
    """The JSON body of one realistic online complaint (for the national API)."""
    place = rng.pick(places)
    category = rng.pick(categories)
    classification = CLASSIFICATIONS.pick(rng)
    values = place_values(rng, _OfficeShim(is_province="." not in spec.region_code), place, now.year)  # type: ignore[arg-type]
    title, description = compose(rng, category, classification, values)
    anonymous = rng.chance(0.12)
    body: dict[str, Any] = {
        "classification": classification, "title": title, "description": description, "category_id": category,
        "region_code": place.code.rsplit(".", 1)[0], "address": values["jalan"], "is_anonymous": anonymous,
        "incident_date": (now - timedelta(days=rng.between(0, 30))).date().isoformat(),
    }
    if not anonymous:
        person = make_person(rng, spec.culture, [place.code.rsplit(".", 1)[0].replace(".", "")])
        body["reporter"] = {"name": person.name, "phone": person.phone, "email": person.email,
                            "address": home_address(rng, place.village, place.district), "consent_given": True}
    return body


def seed_server_demo(db: Database, *, complaints: int = 300, seed: int = 1) -> ServerDemoReport:
    started = time.perf_counter()
    rng = DemoRandom(seed)
    now = utcnow()
    report = ServerDemoReport()
    password_hash = hash_password(DEMO_PASSWORD)  # one Argon2 hash shared by every demo account (hashing is slow)
    with db.transaction() as session:
        if session.execute(select(Category.id).limit(1)).first() is None:
            admin.import_reference(session, categories_json=None, policy_json=None,
                                   holiday_years=range(now.year - 1, now.year + 2))
    offices: dict[str, tuple[OfficeSpec, str]] = {}
    with db.transaction() as session:
        for spec in SPECS:
            office = session.execute(select(Office).where(Office.region_code == spec.region_code)).scalar()
            if office is None:
                office = admin.create_office(session, region_code=spec.region_code, name=spec.name, tz=spec.tz)
                admin.set_office_contact(session, office, values=CONTACTS[spec.region_code])
                report.offices += 1
                for prefix, role in (("admin", Role.ADMIN_INSTANSI), ("loket", Role.PETUGAS_LOKET),
                                     ("pimpinan", Role.PIMPINAN), ("it", Role.IT_ADMIN)):
                    admin.create_user(session, office=office, username=f"{prefix}.{spec.slug}",
                                      full_name=f"{prefix.title()} {spec.name.split()[-1]}", role=role, password="",
                                      unit=None, now=now, password_hash=password_hash)
                    report.users += 1
                for unit_spec in spec.units:
                    unit = admin.create_unit(session, office, unit_spec.name, now)
                    admin.create_user(session, office=office, username=f"penghubung.{unit_spec.key}.{spec.slug}",
                                      full_name=f"Penghubung {unit_spec.name}", role=Role.PENGHUBUNG, password="",
                                      unit=unit, now=now, password_hash=password_hash)
                    report.users += 1
            offices[spec.region_code] = (spec, office.id)
    with db.transaction() as session:
        categories = [c for c in session.execute(select(Category.id).where(Category.parent_id.is_not(None)))
                      .scalars()]
    place_cache = {code: places_of(code) for code in offices}
    weights = [(code, spec.share) for code, (spec, _) in offices.items()]
    total = sum(w for _, w in weights)
    for i in range(complaints):
        pick, acc = rng.random() * total, 0.0
        code = weights[-1][0]
        for c, w in weights:
            acc += w
            if pick < acc:
                code = c
                break
        spec, office_id = offices[code]
        at = now - timedelta(minutes=rng.between(0, 60 * 24 * 60)) if i else now
        body = citizen_complaint(rng, spec, place_cache[code], categories, at)
        with db.transaction() as session:
            complaint = national.create_online_complaint(session, to_intake(body), at, office_id=office_id)
            report.codes.append(complaint.tracking_code)
        report.complaints += 1
    report.seconds = time.perf_counter() - started
    return report


def to_intake(body: dict[str, Any]) -> IntakeInput:
    from datetime import date

    rep = body.get("reporter")
    return IntakeInput(
        classification=body["classification"], channel="LAPOR_ONLINE", title=body["title"],
        description=body["description"], category_id=body.get("category_id"),
        incident_date=date.fromisoformat(body["incident_date"]) if body.get("incident_date") else None,
        region_code=body.get("region_code"), address=body.get("address"), is_anonymous=body.get("is_anonymous", False),
        reporter=ReporterInput(**rep) if rep else None,
    )
