"""The demo's offices: six SP4N-LAPOR! pilot locations, their units (dinas) and the places they serve.

Offices are created with app.bootstrap.create_office (with a synthetic contact for the receipts), or reused when
the store already has an office for the same region code. Kabupaten Sleman becomes the PC's home office unless the
store already has one; a home office outside the six is seeded too, with Sleman's share of the complaints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.bootstrap import create_office
from app.models import Office, Region, Unit
from app.reference.regions import district_codes, fold, regency_code4
from app.rules.office_contact import OfficeContact, check_contact
from app.store import meta
from app.store.db import Store
from demo.rand import DemoRandom

DEMO_HOME_DEVICE = 901  # in the standalone range a PC gives itself before enrolment
DEMO_DEVICE_BASE = 700  # other offices' demo PCs: 701, 702, ... (any free number would do)


@dataclass(frozen=True)
class UnitSpec:
    """A unit the demo creates: its user-name key, official name and the categories it handles."""

    key: str
    name: str
    categories: frozenset[str]


def _unit(key: str, name: str, *categories: str) -> UnitSpec:
    return UnitSpec(key, name, frozenset(categories))


PU = ("infrastruktur", "pertanahan", "ekonomi.pbg_imb")
DINKES = ("kesehatan",)
DISDIK = ("pendidikan",)
DUKCAPIL = ("adminduk",)
DLH = ("lingkungan",)
DISHUB = ("perhubungan", "infrastruktur.penerangan_jalan")
DINSOS = ("sosial",)
SATPOL = ("ketertiban",)


@dataclass(frozen=True)
class OfficeSpec:
    """One demo location: region, name, zone, user-name suffix, share of complaints, names' regional flavour."""

    region_code: str
    name: str
    tz: str
    slug: str
    share: float
    culture: str
    center: tuple[float, float]
    units: tuple[UnitSpec, ...]


SPECS: tuple[OfficeSpec, ...] = (
    OfficeSpec("34.04", "Pemerintah Kabupaten Sleman", "WIB", "sleman", 0.40, "jawa", (-7.716, 110.355), (
        _unit("pu", "Dinas Pekerjaan Umum dan Penataan Ruang", *PU),
        _unit("dinkes", "Dinas Kesehatan", *DINKES),
        _unit("disdik", "Dinas Pendidikan", *DISDIK),
        _unit("dukcapil", "Dinas Kependudukan dan Pencatatan Sipil", *DUKCAPIL),
        _unit("dlh", "Dinas Lingkungan Hidup", *DLH),
        _unit("dishub", "Dinas Perhubungan", *DISHUB),
    )),
    OfficeSpec("34", "Pemerintah Daerah DI Yogyakarta", "WIB", "diy", 0.11, "jawa", (-7.801, 110.365), (
        _unit("pu", "Dinas Pekerjaan Umum, Perumahan dan Energi Sumber Daya Mineral", *PU),
        _unit("dinkes", "Dinas Kesehatan", *DINKES),
        _unit("disdik", "Dinas Pendidikan, Pemuda dan Olahraga", *DISDIK),
        _unit("dlhk", "Dinas Lingkungan Hidup dan Kehutanan", *DLH),
        _unit("dinsos", "Dinas Sosial", *DINSOS),
    )),
    OfficeSpec("51", "Pemerintah Provinsi Bali", "WITA", "bali", 0.09, "bali", (-8.409, 115.189), (
        _unit("pu", "Dinas Pekerjaan Umum, Penataan Ruang, Perumahan dan Kawasan Permukiman", *PU),
        _unit("dinkes", "Dinas Kesehatan", *DINKES),
        _unit("disdik", "Dinas Pendidikan, Kepemudaan dan Olahraga", *DISDIK),
        _unit("dishub", "Dinas Perhubungan", *DISHUB),
        _unit("dklh", "Dinas Kehutanan dan Lingkungan Hidup", *DLH),
    )),
    OfficeSpec("51.03", "Pemerintah Kabupaten Badung", "WITA", "badung", 0.12, "bali", (-8.581, 115.177), (
        _unit("pu", "Dinas Pekerjaan Umum dan Penataan Ruang", *PU),
        _unit("dinkes", "Dinas Kesehatan", *DINKES),
        _unit("disdik", "Dinas Pendidikan, Kepemudaan dan Olahraga", *DISDIK),
        _unit("dukcapil", "Dinas Kependudukan dan Pencatatan Sipil", *DUKCAPIL),
        _unit("dlhk", "Dinas Lingkungan Hidup dan Kebersihan", *DLH),
        _unit("satpolpp", "Satuan Polisi Pamong Praja", *SATPOL),
    )),
    OfficeSpec("36.03", "Pemerintah Kabupaten Tangerang", "WIB", "tangerang", 0.17, "sunda", (-6.187, 106.487), (
        _unit("pu", "Dinas Bina Marga dan Sumber Daya Air", *PU),
        _unit("dinkes", "Dinas Kesehatan", *DINKES),
        _unit("disdik", "Dinas Pendidikan", *DISDIK),
        _unit("dukcapil", "Dinas Kependudukan dan Pencatatan Sipil", *DUKCAPIL),
        _unit("dinsos", "Dinas Sosial", *DINSOS),
        _unit("dlhk", "Dinas Lingkungan Hidup dan Kebersihan", *DLH),
    )),
    OfficeSpec("13", "Pemerintah Provinsi Sumatera Barat", "WIB", "sumbar", 0.11, "minang", (-0.740, 100.800), (
        _unit("pu", "Dinas Bina Marga, Cipta Karya dan Tata Ruang", *PU),
        _unit("dinkes", "Dinas Kesehatan", *DINKES),
        _unit("disdik", "Dinas Pendidikan", *DISDIK),
        _unit("dinsos", "Dinas Sosial", *DINSOS),
        _unit("dishub", "Dinas Perhubungan", *DISHUB),
    )),
)
HOME_SPEC = SPECS[0]

# Each demo office's contact as the national admin would type it (lapor-server admin set-office-contact): synthetic,
# and plainly so: contoh.go.id addresses, subscriber numbers starting 000 (no real line does), "Jl. Contoh". The
# server demo sets them through the admin command's function; the desktop demo stores them checked the same way.
CONTACTS: dict[str, dict[str, str]] = {
    "34.04": {"address": "Jl. Contoh Pelayanan No. 1, Tridadi, Sleman 55511", "phone": "0274-000101",
              "email": "pengaduan.sleman@contoh.go.id", "website": "https://sleman.contoh.go.id",
              "service_hours": "Senin–Kamis 08.00–15.30, Jumat 08.00–14.30 WIB"},
    "34": {"address": "Jl. Contoh Malioboro No. 2, Yogyakarta 55213", "phone": "0274-000102",
           "email": "pengaduan.diy@contoh.go.id", "website": "https://diy.contoh.go.id",
           "service_hours": "Senin–Jumat 08.00–15.00 WIB"},
    "51": {"address": "Jl. Contoh Niti Mandala No. 3, Denpasar 80235", "phone": "0361-000103",
           "email": "pengaduan.bali@contoh.go.id", "website": "https://bali.contoh.go.id",
           "service_hours": "Senin–Jumat 08.00–15.00 WITA"},
    "51.03": {"address": "Jl. Contoh Puspem No. 4, Mangupura, Badung 80351", "phone": "0361-000104",
              "email": "pengaduan.badung@contoh.go.id", "website": "https://badung.contoh.go.id",
              "service_hours": "Senin–Jumat 08.00–15.00 WITA"},
    "36.03": {"address": "Jl. Contoh Pemda No. 5, Tigaraksa, Tangerang 15720", "phone": "021-0000105",
              "email": "pengaduan.tangerang@contoh.go.id", "website": "https://tangerang.contoh.go.id",
              "service_hours": "Senin–Jumat 08.00–16.00 WIB"},
    "13": {"address": "Jl. Contoh Sudirman No. 6, Padang 25121", "phone": "0751-000106",
           "email": "pengaduan.sumbar@contoh.go.id", "website": "https://sumbar.contoh.go.id",
           "service_hours": "Senin–Jumat 07.30–16.00 WIB"},
}


def demo_contact(region_code: str) -> OfficeContact | None:
    """A demo office's contact, checked and normalised as the server stores it."""
    raw = CONTACTS.get(region_code)
    return OfficeContact(**check_contact(raw)) if raw else None
_UNIT_BY_NAME = {u.name: u for spec in SPECS for u in spec.units}


@dataclass(frozen=True)
class Place:
    """A village (desa/kelurahan) with the names of its district and regency, for texts and addresses."""

    code: str
    village: str  # "Desa Balecatur" or "Kelurahan Kuta"
    village_name: str
    district: str
    regency: str


@dataclass
class DemoUnit:
    id: str
    name: str
    key: str
    categories: frozenset[str]


@dataclass
class DemoOffice:
    """An office being seeded, with everything the generator needs about it."""

    id: str
    name: str
    region_code: str
    tz: str
    slug: str
    share: float
    culture: str
    center: tuple[float, float]
    is_home: bool
    region4: str
    device: int
    units: list[DemoUnit] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    district_codes: list[str] = field(default_factory=list)  # undotted, for NIKs
    is_province: bool = False


def prepare_offices(store: Store, id_rng: DemoRandom, now: datetime) -> list[DemoOffice]:
    """Create the six offices that do not exist yet (each in its own small transaction, as create_office
    works) and describe all offices to seed. Units and places are filled by :func:`complete_offices`."""
    with store.read() as session:
        by_region = {code: (oid, name, tz) for oid, code, name, tz in session.execute(
            select(Office.id, Office.region_code, Office.name, Office.tz)).all()}
        home_id = meta.get(session, meta.HOME_OFFICE)
        device_no = meta.get(session, meta.DEVICE_NO)
    if device_no is None:
        # create_office would draw a random device number; a fixed one keeps the demo reproducible (and a home
        # office without one could not take intakes).
        with store.transaction() as session:
            meta.put(session, meta.DEVICE_NO, str(DEMO_HOME_DEVICE))
        device_no = str(DEMO_HOME_DEVICE)
    if home_id is None and HOME_SPEC.region_code in by_region:
        home_id = by_region[HOME_SPEC.region_code][0]
        with store.transaction() as session:
            meta.put(session, meta.HOME_OFFICE, home_id)
    offices: list[DemoOffice] = []
    used_prefixes: set[tuple[str, int]] = set()
    for index, spec in enumerate(SPECS, start=1):
        existing = by_region.get(spec.region_code)
        if existing is None:
            make_home = home_id is None and spec is HOME_SPEC
            info = create_office(store, region_code=spec.region_code, name=spec.name, tz=spec.tz, units=[],
                                 make_home=make_home, office_id=id_rng.uuid7_at(now),
                                 contact=demo_contact(spec.region_code))
            office_id, name, tz = info.id, info.name, info.tz
            home_id = office_id if make_home else home_id
        else:
            office_id, name, tz = existing
        offices.append(_demo_office(office_id, name, spec.region_code, tz, spec, index, home_id, device_no))
    if home_id is not None and all(o.id != home_id for o in offices):
        with store.read() as session:
            row = session.execute(select(Office.region_code, Office.name, Office.tz).where(Office.id == home_id)).one()
        code, name, tz = row
        slug = (fold(name).split() or ["rumah"])[-1]
        extra = OfficeSpec(code, name, tz, slug, HOME_SPEC.share, "jawa", HOME_SPEC.center, ())
        offices.append(_demo_office(home_id, name, code, tz, extra, 0, home_id, device_no))
    for office in sorted(offices, key=lambda o: not o.is_home):  # the home office keeps this PC's number
        while (office.region4, office.device) in used_prefixes:
            office.device += 1
        used_prefixes.add((office.region4, office.device))
    return offices


def _demo_office(office_id: str, name: str, region_code: str, tz: str, spec: OfficeSpec, index: int,
                 home_id: str | None, device_no: str | None) -> DemoOffice:
    is_home = office_id == home_id
    device = int(device_no) if is_home and device_no is not None else DEMO_DEVICE_BASE + index
    return DemoOffice(id=office_id, name=name, region_code=region_code, tz=tz, slug=spec.slug, share=spec.share,
                      culture=spec.culture, center=spec.center, is_home=is_home,
                      region4=regency_code4(region_code), device=device, is_province="." not in region_code)


def complete_offices(session: Session, offices: list[DemoOffice], id_rng: DemoRandom, now: datetime) -> int:
    """Fill each office's units (adding the spec's units to an office that has none) and its places.
    Returns how many units were added."""
    specs = {s.region_code: s for s in SPECS}
    added = 0
    for office in offices:
        rows = session.execute(
            select(Unit.id, Unit.name).where(Unit.office_id == office.id, Unit.active.is_(True)).order_by(Unit.name)
        ).all()
        if rows:
            office.units = [_known_unit(uid, name, office.units) for uid, name in rows]
        else:
            spec = specs.get(office.region_code)
            unit_specs = spec.units if spec else SPECS[0].units
            office.units = [DemoUnit(id_rng.uuid7_at(now), u.name, u.key, u.categories) for u in unit_specs]
            session.execute(insert(Unit), [{"id": u.id, "office_id": office.id, "name": u.name, "active": True,
                                            "server_version": 0} for u in office.units])
            added += len(office.units)
        _load_places(session, office)
    return added


def _known_unit(unit_id: str, name: str, taken: list[DemoUnit]) -> DemoUnit:
    spec = _UNIT_BY_NAME.get(name)
    if spec is not None:
        return DemoUnit(unit_id, name, spec.key, spec.categories)
    words = [w for w in fold(name).split() if w not in {"dinas", "badan", "bagian", "kantor", "dan", "satuan"}]
    key = "".join(w[0] for w in words) if len(words) > 1 else (words[0] if words else "unit")
    return DemoUnit(unit_id, name, key, frozenset())


def _load_places(session: Session, office: DemoOffice) -> None:
    prefix = office.region_code + ".%"
    rows = session.execute(
        select(Region.code, Region.name, Region.level).where(Region.code.like(prefix), Region.level >= 2)
        .order_by(Region.code)
    ).all()
    names = {code: name for code, name, _level in rows}
    own = session.execute(select(Region.name).where(Region.code == office.region_code)).scalar() or ""
    office.district_codes = [code.replace(".", "") for code, _n, level in rows if level == 3]
    places = []
    for code, name, level in rows:
        if level != 4:
            continue
        district_code, regency_code = code.rsplit(".", 1)[0], code.rsplit(".", 2)[0]
        kind = "Kelurahan" if code.rsplit(".", 1)[1].startswith("1") else "Desa"
        places.append(Place(code, f"{kind} {name}", name, names.get(district_code, ""),
                            names.get(regency_code, own)))
    if not places:  # a region without villages in the bundled list: use the office's own name
        places.append(Place(office.region_code, own, own, own, own))
    office.places = places
    if not office.district_codes:  # an office below regency level: its own district
        prefix = office.region_code.replace(".", "")[:6]
        office.district_codes = sorted(c for c in district_codes() if c.startswith(prefix))
        office.district_codes = office.district_codes or sorted(district_codes())[:1]
