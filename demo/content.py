"""A demo complaint's words: title and description from the category's templates, filled with a place of the
office, plus the category mix (with the school-admission season) and the unit each category goes to."""

from __future__ import annotations

from app.domain import Classification
from demo import texts
from demo.offices import DemoOffice, Place
from demo.people import street
from demo.rand import DemoRandom, Weighted

# Relative frequency of each sub-category among complaints (roads, waste, ID cards and social aid lead, as in
# published SP4N-LAPOR! statistics of regional governments).
CATEGORY_WEIGHTS: dict[str, float] = {
    "infrastruktur.jalan": 14, "infrastruktur.drainase": 6, "infrastruktur.penerangan_jalan": 4,
    "infrastruktur.air_bersih": 4, "infrastruktur.fasilitas_umum": 3,
    "kesehatan.puskesmas_rs": 5, "kesehatan.jkn_bpjs": 5, "kesehatan.obat_alkes": 2, "kesehatan.gizi_ibu_anak": 2,
    "pendidikan.ppdb": 3, "pendidikan.bantuan_pendidikan": 3, "pendidikan.pungutan_sekolah": 3,
    "pendidikan.sarana_sekolah": 2, "pendidikan.guru_tenaga_pendidik": 2,
    "adminduk.ktp_el": 6, "adminduk.kartu_keluarga": 3, "adminduk.akta_pencatatan_sipil": 3,
    "adminduk.pindah_datang": 1.5,
    "lingkungan.sampah": 7, "lingkungan.pencemaran": 3, "lingkungan.ruang_terbuka_hijau": 2,
    "lingkungan.kerusakan_lingkungan": 1.5,
    "sosial.bansos": 6, "sosial.dtsen": 3, "sosial.disabilitas_lansia": 1.5, "sosial.perlindungan_anak_perempuan": 1,
    "ketertiban.pkl_bangunan_liar": 2, "ketertiban.gangguan_ketenteraman": 2, "ketertiban.penyakit_masyarakat": 1,
    "ketertiban.kebakaran_bencana": 1.5,
    "perhubungan.angkutan_umum": 1.5, "perhubungan.parkir": 2, "perhubungan.lalu_lintas": 2.5,
    "perhubungan.pengujian_kendaraan": 0.5,
    "ekonomi.perizinan_berusaha": 1.5, "ekonomi.pbg_imb": 1.5, "ekonomi.pasar_harga": 1.5,
    "ekonomi.pajak_retribusi_daerah": 2, "ekonomi.umkm": 1,
    "pelayanan_publik.kinerja_asn": 2.5, "pelayanan_publik.pungli": 2.5, "pelayanan_publik.prosedur_layanan": 2,
    "pelayanan_publik.rekrutmen_asn": 1,
    "pertanahan.sertifikat_tanah": 1.5, "pertanahan.tata_ruang": 1,
    "lainnya": 2,
}
PPDB_MONTHS = (5, 6, 7)  # admissions run from May to July: complaints about them peak then
SENSITIVE = frozenset({"sosial.perlindungan_anak_perempuan", "pelayanan_publik.pungli",
                       "ketertiban.penyakit_masyarakat"})
CLASSIFICATIONS = Weighted([(Classification.PENGADUAN, 76), (Classification.ASPIRASI, 13),
                            (Classification.PERMINTAAN_INFORMASI, 11)])


def category_tables(available: set[str]) -> tuple[Weighted[str], Weighted[str]]:
    """(normal months, admission season) tables over the sub-categories the store knows."""
    table = [(c, w) for c, w in CATEGORY_WEIGHTS.items() if c in available] or [("lainnya", 1.0)]
    season = [(c, w * 8 if c == "pendidikan.ppdb" else w) for c, w in table]
    return Weighted(table), Weighted(season)


def top_of(category_id: str) -> str:
    return category_id.split(".", 1)[0]


def unit_for_categories(office: DemoOffice) -> dict[str, str]:
    """Which unit each sub-category is dispositioned to; categories no unit handles are spread over all."""
    mapping: dict[str, str] = {}
    for index, category in enumerate(CATEGORY_WEIGHTS):
        unit = next((u for u in office.units if category in u.categories), None)
        unit = unit or next((u for u in office.units if top_of(category) in u.categories), None)
        mapping[category] = (unit or office.units[index % len(office.units)]).id
    return mapping


def _regency_short(regency: str) -> str:
    return regency.removeprefix("Kabupaten ").removeprefix("Kabupaten Administrasi ")


def place_values(rng: DemoRandom, office: DemoOffice, place: Place, year: int) -> dict[str, object]:
    """The placeholder values for one complaint's texts."""
    lokasi = f"{place.village}, Kecamatan {place.district}"
    if office.is_province:
        lokasi += f", {place.regency}"
        school = f"{rng.pick(('SMA', 'SMK'))} Negeri {rng.between(1, 4)} {place.district}"
    elif rng.chance(0.6):
        school = f"SD Negeri {rng.between(1, 6)} {place.village_name}"
    else:
        school = f"SMP Negeri {rng.between(1, 5)} {place.district}"
    return {
        "lokasi": lokasi, "desa": place.village, "desa_nama": place.village_name,
        "kec": f"Kecamatan {place.district}", "kec_nama": place.district, "kab": place.regency,
        "jalan": street(rng, place.village_name), "sekolah": school,
        "puskesmas": f"Puskesmas {place.district}" + rng.pick(("", "", " I", " II")),
        "rsud": f"RSUD {_regency_short(place.regency)}",
        "pasar": f"Pasar {rng.pick((place.village_name, place.district))}",
        "rt": f"RT {rng.between(1, 12):02d}/RW {rng.between(1, 9):02d}",
        "waktu": rng.pick(texts.SINCE), "durasi": rng.pick(texts.DURATIONS), "n": rng.between(2, 9),
        "cm": rng.between(10, 40), "hari": rng.pick(texts.DAYS), "tahun": year,
    }


def _sentence(template: str, values: dict[str, object]) -> str:
    text = template.format(**values)
    return text[:1].upper() + text[1:]


def compose(rng: DemoRandom, category_id: str, classification: str,
            values: dict[str, object]) -> tuple[str, str]:
    """(title, description) for a complaint of this category and classification."""
    top = top_of(category_id)
    if classification == Classification.PENGADUAN or top == "lainnya":
        titles, openers, details = texts.COMPLAINTS.get(category_id, texts.COMPLAINTS["lainnya"])
        i = int(rng.random() * len(titles))
        title = _sentence(titles[i], values)
        parts = [openers[i]]
        if rng.chance(0.75):
            parts.append(rng.pick(details))
        if rng.chance(0.5):
            parts.append(rng.pick(texts.IMPACTS))
    else:
        table = texts.ASPIRATIONS if classification == Classification.ASPIRASI else texts.INFO_REQUESTS
        titles, bodies = table.get(top, table["_"])
        i = int(rng.random() * len(titles))
        title = _sentence(titles[i], values)
        parts = [bodies[i]]
    parts.append(rng.pick(texts.REQUESTS))
    description = " ".join(_sentence(p, values) for p in parts)
    return title[:150], description[:4000]
