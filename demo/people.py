"""Synthetic reporters and staff: names put together from common Indonesian given and family names (with a
regional flavour per office), and NIKs, phone numbers and e-mail addresses that pass the program's validators
but belong to nobody (e-mail domains are reserved example domains).
"""

from __future__ import annotations

from dataclasses import dataclass

from demo.rand import DemoRandom

MALE: dict[str, tuple[str, ...]] = {
    "jawa": ("Agus", "Bambang", "Budi", "Joko", "Slamet", "Sutrisno", "Wahyu", "Dwi", "Eko", "Heru", "Hadi",
             "Sugeng", "Teguh", "Yudi", "Bayu", "Rizky", "Aditya", "Fajar", "Galih", "Arif", "Anton", "Danang",
             "Gunawan", "Haryanto", "Imam", "Sigit", "Tri", "Wisnu"),
    "bali": ("Agus", "Bagus", "Putra", "Ari", "Dharma", "Sudarsana", "Suartana", "Wiratama", "Adi", "Yasa",
             "Arya", "Budiarta", "Darmawan", "Eka", "Gede", "Mahendra", "Suparta", "Widana"),
    "sunda": ("Asep", "Ujang", "Dede", "Cecep", "Iwan", "Ahmad", "Dadang", "Yayan", "Rudi", "Hendra", "Acep",
              "Entis", "Jajang", "Ridwan", "Ade", "Budi", "Maman", "Rizki", "Fauzi", "Herman"),
    "minang": ("Rizal", "Andi", "Fadli", "Yusri", "Zulkifli", "Hendri", "Afrizal", "Irwan", "Syafri", "Refki",
               "Dodi", "Ferdi", "Yuliandri", "Rahmat", "Aldi", "Taufik", "Yosef", "Zainal", "Masrul"),
}
FEMALE: dict[str, tuple[str, ...]] = {
    "jawa": ("Sri", "Siti", "Dewi", "Endang", "Rini", "Wulan", "Ayu", "Sari", "Yuni", "Ratna", "Nur", "Fitri",
             "Indah", "Putri", "Anisa", "Dian", "Retno", "Kartika", "Lestari", "Tutik", "Wahyuni", "Yulia"),
    "bali": ("Ayu", "Sri", "Ratih", "Kartini", "Sukmawati", "Wahyuni", "Dewi", "Sriasih", "Suryani", "Ariani",
             "Eka", "Darmayanti", "Juliantari", "Purnami", "Sudiartini", "Widiastuti"),
    "sunda": ("Euis", "Neneng", "Siti", "Yanti", "Rina", "Lilis", "Nining", "Tuti", "Nurhayati", "Rosita",
              "Imas", "Elis", "Dewi", "Iis", "Cucu", "Fitri", "Wulan", "Yuyun"),
    "minang": ("Yelli", "Rahmi", "Nurhasanah", "Fitria", "Yuliana", "Desi", "Elvi", "Mira", "Rosmaini", "Wirda",
               "Zurni", "Yenti", "Rani", "Silvia", "Nofri", "Dewi", "Mardiyah"),
}
FAMILY: dict[str, tuple[str, ...]] = {
    "jawa": ("Santoso", "Wibowo", "Susanto", "Prasetyo", "Nugroho", "Hidayat", "Saputra", "Kurniawan", "Setiawan",
             "Wijaya", "Purnomo", "Utomo", "Hartono", "Raharjo", "Sulistyo", "Pratama", "Firmansyah", "Suryono",
             "Wicaksono", "Mulyono"),
    "bali": ("Suardana", "Wirawan", "Arsana", "Sudiarta", "Astawa", "Mertayasa", "Sanjaya", "Pradnyana", "Sedana",
             "Wardana", "Antara", "Suwirya"),
    "sunda": ("Hidayat", "Sutisna", "Permana", "Kusnadi", "Suryadi", "Ramdani", "Gunawan", "Setiadi", "Maulana",
              "Nurdin", "Saepudin", "Rohman", "Ruhiyat", "Sopian", "Mulyana"),
    "minang": ("Chaniago", "Piliang", "Tanjung", "Koto", "Sikumbang", "Jambak", "Syahputra", "Rahman", "Hidayat",
               "Saputra", "Putra", "Yusuf", "Amir"),
}
FEMALE_FAMILY = ("Handayani", "Rahayu", "Lestari", "Wulandari", "Astuti", "Suryani", "Purwanti", "Susanti",
                 "Kurniasih", "Anggraini", "Maharani", "Safitri")
BALI_ORDER = ("Wayan", "Putu", "Gede", "Made", "Kadek", "Nengah", "Nyoman", "Komang", "Ketut")
STREETS = ("Merdeka", "Diponegoro", "Sudirman", "Ahmad Yani", "Gajah Mada", "Pahlawan", "Veteran", "Melati",
           "Mawar", "Anggrek", "Kenanga", "Flamboyan", "Cempaka", "Kartini", "Pemuda", "Pramuka", "Sisingamangaraja",
           "Hasanuddin", "Imam Bonjol", "Teuku Umar", "Gatot Subroto", "Cendana", "Nangka", "Mangga", "Kemuning")
# 08xx prefixes of Indonesian mobile operators (without the leading 0).
MOBILE_PREFIXES = ("811", "812", "813", "821", "822", "823", "851", "852", "853", "814", "815", "816", "855",
                   "856", "857", "858", "817", "818", "819", "859", "877", "878", "831", "832", "838", "881",
                   "882", "895", "896", "897", "898")
EMAIL_DOMAINS = ("contoh.id", "contoh.co.id", "example.com", "example.org", "mail.contoh.id")


@dataclass(frozen=True)
class Person:
    """A synthetic person; ``phone`` is already normalised to +62 as intake stores it."""

    name: str
    female: bool
    nik: str
    phone: str
    email: str


def person_name(rng: DemoRandom, culture: str, female: bool) -> str:
    """A plausible full name in the office's regional style."""
    culture = culture if culture in MALE else "jawa"
    if culture == "bali":
        given = rng.pick(FEMALE["bali"] if female else MALE["bali"])
        order = rng.pick(BALI_ORDER)
        family = rng.pick(FAMILY["bali"]) if rng.chance(0.7) else ""
        return " ".join(p for p in ("Ni" if female else "I", order, given, family) if p)
    given = rng.pick(FEMALE[culture] if female else MALE[culture])
    if female and culture != "minang" and rng.chance(0.5):
        family = rng.pick(FEMALE_FAMILY)
    else:
        family = rng.pick(FAMILY[culture])
    if rng.chance(0.15):  # many Indonesians use a single name on the KTP
        return given if len(given) >= 3 else f"{given} {family}"
    return f"{given} {family}"


def make_nik(rng: DemoRandom, district_code: str, female: bool) -> str:
    """A NIK of the right shape: district, birth date (day + 40 for women), a non-zero serial."""
    year = rng.between(1950, 2006)
    month = rng.between(1, 12)
    day = rng.between(1, 28)
    return f"{district_code}{day + 40 if female else day:02d}{month:02d}{year % 100:02d}{rng.between(1, 3999):04d}"


def make_phone(rng: DemoRandom) -> str:
    """A mobile number in the +62 form intake stores (10–12 digits after the 0 is dropped)."""
    while True:
        rest = "".join(rng.pick("0123456789") for _ in range(rng.pick((7, 8))))
        if len(set(rest)) > 1:
            return f"+62{rng.pick(MOBILE_PREFIXES)}{rest}"


def make_email(rng: DemoRandom, name: str) -> str:
    parts = [p.lower() for p in name.replace("'", "").split() if p.isalpha() and p not in {"I", "Ni"}]
    local = ".".join(parts[-2:]) if len(parts) > 1 else (parts[0] if parts else "warga")
    if rng.chance(0.6):
        local += str(rng.between(1, 99))
    return f"{local}@{rng.pick(EMAIL_DOMAINS)}"


def make_person(rng: DemoRandom, culture: str, district_codes: list[str]) -> Person:
    female = rng.chance(0.45)
    name = person_name(rng, culture, female)
    return Person(name, female, make_nik(rng, rng.pick(district_codes), female), make_phone(rng),
                  make_email(rng, name))


def street(rng: DemoRandom, village_name: str) -> str:
    if rng.chance(0.35):
        return f"Jl. Raya {village_name}"
    return f"Jl. {rng.pick(STREETS)}"


def home_address(rng: DemoRandom, village: str, district: str) -> str:
    """An address line as people write it on forms."""
    return (f"{street(rng, village.split(' ', 1)[-1])} No. {rng.between(1, 120)}, RT {rng.between(1, 12):02d}/"
            f"RW {rng.between(1, 9):02d}, {village}, Kec. {district}")
