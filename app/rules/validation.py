"""Validation of what people type: the single-field validators (NIK, phone, e-mail, text, dates, places),
FieldErrors, which collects their failures so a form shows every problem at once, and the check of a new complaint's
intake. The desktop's forms and services and the server's apply all validate with these."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik as stdnum_nik

from app.domain import Channel, Classification
from app.errors import Message, ValidationError
from app.inputs import IntakeInput, ReporterInput
from app.reference.labels import label
from app.reference.regions import all_region_codes, district_codes, is_region_code_format
from app.rules.typed_text import normalise

T = TypeVar("T")

LAT_RANGE = (-11.5, 6.5)  # Indonesia's bounding box, roughly: Rote island to Weh island
LON_RANGE = (94.5, 141.5)  # Aceh to the Papua New Guinea border
INCIDENT_MAX_AGE_YEARS = 10
# Jakarta, Bandung, Semarang, Surabaya, Medan: subscriber numbers of 7–8 digits; every other area code has
# three digits and subscriber numbers of 5–7 digits.
TWO_DIGIT_AREA_CODES = frozenset({"21", "22", "24", "31", "61"})

_PHONE_ALLOWED = re.compile(r"\+?[0-9\s().\-/]+")
_EMAIL = re.compile(
    r"(?P<local>[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59}))"
)


class FieldInvalid(Exception):
    """One field's value is not acceptable; ``message`` says why and what to do."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
        self.message = message


def _fail(id_text: str, en_text: str) -> FieldInvalid:
    return FieldInvalid(Message(id_text, en_text))


def nik(value: str) -> str:
    """A 16-digit NIK with spaces, dots and dashes removed, full-width and other scripts' digits read as ASCII.

    Checks digits and length, the birth date DDMMYY (day + 40 for women), first digit not 0, serial not 0000
    and the first six digits against the bundled district list. python-stdnum's own region check is not used:
    its table lacks Kalimantan Utara (65) and the Papua provinces made in 2022 (93–96).
    """
    number = stdnum_nik.compact(normalise(value))
    if not number:
        raise _fail("NIK belum diisi.", "NIK is empty.")
    if not (number.isascii() and number.isdigit()):
        raise _fail("NIK hanya boleh berisi angka.", "NIK may contain digits only.")
    if len(number) != 16:
        raise _fail(
            f"NIK harus 16 digit angka (tertulis {len(number)}).",
            f"NIK must be 16 digits ({len(number)} given).",
        )
    if number[0] == "0":
        raise _fail("NIK tidak boleh diawali angka 0.", "NIK cannot start with 0.")
    day = int(number[6:8])
    try:
        if not (1 <= day <= 31 or 41 <= day <= 71):
            raise StdnumError()
        stdnum_nik.get_birth_date(number)
    except StdnumError:
        raise _fail(
            f"Tanggal lahir dalam NIK (digit 7–12: {number[6:12]}) tidak valid; periksa kembali NIK.",
            f"The birth date in the NIK (digits 7–12: {number[6:12]}) is not valid; check the NIK again.",
        ) from None
    if number[12:] == "0000":
        raise _fail(
            "Empat digit terakhir NIK tidak boleh 0000.", "The last four digits of a NIK cannot be 0000."
        )
    if number[:6] not in district_codes():
        raise _fail(
            f"Kode kecamatan dalam NIK ({number[:6]}) tidak dikenal; periksa enam digit pertama.",
            f"The district code in the NIK ({number[:6]}) is unknown; check the first six digits.",
        )
    return number


def phone(value: str) -> str:
    """An Indonesian phone number normalised to E.164 ("+62…").

    Accepted forms: 08…, 8…, 62…, +62…, 0062…, with spaces, dashes, dots, slashes or parentheses. After the
    country code the national number (without its leading 0) must be either a mobile number, 8 + 8–11 digits
    (0812-3456-789 to 0812-3456-78901: 10–13 digits dialled at home), or a landline: an area code starting
    with 2–7 or 9, either one of the two-digit codes 21, 22, 24, 31, 61 with a 7–8 digit subscriber number
    (021-1234567, 021-12345678) or a three-digit code with 5–7 digits (0627-21234, 0274-123456, 0967-5312345).
    Service numbers (1…), numbers without an area code and numbers of other countries are refused. Full-width
    and other scripts' digits ('０８１２…', '٠٨١٢…') are read as the ASCII digits they are.
    """
    text = normalise(value).strip()
    if not text:
        raise _fail("Nomor telepon belum diisi.", "Phone number is empty.")
    if not _PHONE_ALLOWED.fullmatch(text):
        raise _fail(
            "Nomor telepon hanya boleh berisi angka, spasi, tanda +, -, dan tanda kurung.",
            "A phone number may contain only digits, spaces, +, - and parentheses.",
        )
    digits = re.sub(r"[^0-9]", "", text)
    international = text.startswith("+") or digits.startswith("00")
    digits = digits.removeprefix("00") if not text.startswith("+") else digits
    if international and not digits.startswith("62"):
        raise _fail(
            "Hanya nomor telepon Indonesia (+62) yang dapat dicatat.",
            "Only Indonesian phone numbers (+62) can be recorded.",
        )
    if digits.startswith("62"):
        national = digits[2:].removeprefix("0")  # "+62 0812…" is a common way of writing it
    elif digits.startswith("0"):
        national = digits[1:]
    elif digits.startswith("8"):
        national = digits
    else:
        raise _fail(
            "Nomor telepon harus diawali 0, 8, 62, atau +62.",
            "A phone number must start with 0, 8, 62 or +62.",
        )
    _check_national_number(national)
    return "+62" + national


def _check_national_number(national: str) -> None:
    n = len(national)
    if national.startswith("8"):
        if not 9 <= n <= 12:
            raise _fail(
                f"Nomor ponsel harus 10–13 digit termasuk 0 di depan (tertulis {n + 1}).",
                f"A mobile number must have 10–13 digits including the leading 0 ({n + 1} given).",
            )
    elif national[:1] in {"2", "3", "4", "5", "6", "7", "9"}:
        two_digit_area = national[:2] in TWO_DIGIT_AREA_CODES
        area = national[:2] if two_digit_area else national[:3]
        low, high = (9, 10) if two_digit_area else (8, 10)
        if not low <= n <= high:
            raise _fail(
                f"Nomor telepon dengan kode area 0{area} harus {low + 1}–{high + 1} digit termasuk kode area "
                f"(tertulis {n + 1}).",
                f"A landline number with area code 0{area} must have {low + 1}–{high + 1} digits including "
                f"the area code ({n + 1} given).",
            )
    else:
        raise _fail(
            "Nomor layanan khusus atau nomor tanpa kode area tidak dapat dicatat; tulis nomor ponsel atau "
            "nomor telepon dengan kode area.",
            "Service numbers or numbers without an area code cannot be recorded; give a mobile number or a "
            "number with its area code.",
        )
    if len(set(national[3:])) == 1:
        raise _fail(
            "Nomor telepon ini tampaknya bukan nomor sungguhan; periksa kembali.",
            "This does not look like a real phone number; please check it.",
        )


def email(value: str) -> str:
    """An e-mail address, trimmed, with its domain lowercased; at most 254 characters."""
    text = value.strip()
    if not text:
        raise _fail("Alamat e-mail belum diisi.", "E-mail address is empty.")
    if len(text) > 254:
        raise _fail(
            f"Alamat e-mail terlalu panjang (maksimal 254 karakter, tertulis {len(text)}).",
            f"E-mail address is too long (at most 254 characters, {len(text)} given).",
        )
    match = _EMAIL.fullmatch(text)
    if not match or len(match["local"]) > 64:
        raise _fail(
            "Alamat e-mail tidak valid; contoh yang benar: nama@contoh.go.id.",
            "E-mail address is not valid; a valid example: name@example.go.id.",
        )
    return f"{match['local']}@{match['domain'].lower()}"


def required_text(value: str | None, *, min_len: int, max_len: int, multiline: bool = False) -> str:
    """Text trimmed of outer whitespace; inner whitespace runs are collapsed unless ``multiline``."""
    text = (value or "").strip()
    text = text.replace("\r\n", "\n").replace("\r", "\n") if multiline else " ".join(text.split())
    if not text:
        raise _fail("Wajib diisi.", "Required.")
    if len(text) < min_len:
        raise _fail(
            f"Terlalu pendek: minimal {min_len} karakter (tertulis {len(text)}).",
            f"Too short: at least {min_len} characters ({len(text)} given).",
        )
    if len(text) > max_len:
        raise _fail(
            f"Terlalu panjang: maksimal {max_len} karakter (tertulis {len(text)}).",
            f"Too long: at most {max_len} characters ({len(text)} given).",
        )
    return text


def incident_date(value: date | str, *, today: date) -> date:
    """The date the incident happened: an ISO date or date, not after ``today``, at most 10 years back."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise _fail(
                "Tanggal kejadian tidak valid; gunakan format TTTT-BB-HH.",
                "Incident date is not valid; use the format YYYY-MM-DD.",
            ) from None
    day = value.date() if isinstance(value, datetime) else value
    if day > today:
        raise _fail(
            "Tanggal kejadian tidak boleh setelah hari ini.", "The incident date cannot be later than today."
        )
    earliest = _years_before(today, INCIDENT_MAX_AGE_YEARS)
    if day < earliest:
        raise _fail(
            f"Tanggal kejadian terlalu lama; paling awal {earliest:%d-%m-%Y} "
            f"({INCIDENT_MAX_AGE_YEARS} tahun lalu).",
            f"The incident date is too far back; the earliest is {earliest:%Y-%m-%d} "
            f"({INCIDENT_MAX_AGE_YEARS} years ago).",
        )
    return day


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def coordinates(lat: float, lon: float) -> tuple[float, float]:
    """Latitude and longitude in decimal degrees, inside Indonesia's bounding box."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise _fail("Koordinat tidak valid.", "Coordinates are not valid.")

    def inside(la: float, lo: float) -> bool:
        return LAT_RANGE[0] <= la <= LAT_RANGE[1] and LON_RANGE[0] <= lo <= LON_RANGE[1]

    if not inside(lat, lon):
        if inside(lon, lat):
            raise _fail(
                "Lintang dan bujur tampaknya tertukar; lintang Indonesia antara -11,5 dan 6,5.",
                "Latitude and longitude seem swapped; Indonesia's latitude is between -11.5 and 6.5.",
            )
        raise _fail(
            f"Koordinat ({lat}, {lon}) berada di luar wilayah Indonesia.",
            f"The coordinates ({lat}, {lon}) are outside Indonesia.",
        )
    return float(lat), float(lon)


def region_code(value: str) -> str:
    """A known Kemendagri region code, dotted ("34.04.01"); undotted digits of 2/4/6/10 are dotted first."""
    text = normalise(value).strip()
    if text.isascii() and text.isdigit() and len(text) in (2, 4, 6, 10):
        text = ".".join(p for p in (text[:2], text[2:4], text[4:6], text[6:]) if p)
    if not is_region_code_format(text):
        raise _fail(
            "Format kode wilayah tidak valid; contoh: 34, 34.04, 34.04.01, atau 34.04.01.2001.",
            "Region code format is not valid; examples: 34, 34.04, 34.04.01 or 34.04.01.2001.",
        )
    if text not in all_region_codes():
        raise _fail(
            f"Kode wilayah {text} tidak terdaftar dalam data Kemendagri.",
            f"Region code {text} is not in the Kemendagri list.",
        )
    return text


class FieldErrors:
    """Collects per-field failures so a form can show every problem at once."""

    def __init__(self) -> None:
        self.fields: dict[str, Message] = {}

    def check(self, field: str, fn: Callable[..., T], *args: object, **kwargs: object) -> T | None:
        """Run ``fn``; on FieldInvalid record its message under ``field`` and return None."""
        try:
            return fn(*args, **kwargs)
        except FieldInvalid as err:
            self.add(field, err.message)
            return None

    def add(self, field: str, message: Message) -> None:
        """Record a failure (the first one per field is kept)."""
        self.fields.setdefault(field, message)

    def __bool__(self) -> bool:
        return bool(self.fields)

    def raise_if_any(self) -> None:
        """Raise ValidationError listing every recorded field, if there is any."""
        if self.fields:
            raise ValidationError(self.fields)


# How each channel lets the office reach a named reporter: at least one of these fields must be filled.
CONTACT_BY_CHANNEL: dict[Channel, tuple[str, ...]] = {
    Channel.WALK_IN: ("phone", "email", "address"),
    Channel.PHONE: ("phone",),
    Channel.EMAIL: ("email",),
    Channel.LETTER: ("address",),
    Channel.LAPOR_ONLINE: ("email", "phone"),
    Channel.SOCIAL_MEDIA: ("phone", "email"),
    Channel.SMS: ("phone",),
}
_CONTACT_WORDS = {
    "phone": ("telepon", "phone"),
    "email": ("e-mail", "e-mail"),
    "address": ("alamat", "address"),
}


def _enum_value(errors: FieldErrors, field: str, enum: type[Classification] | type[Channel], raw: str) -> str:
    try:
        return enum(raw.strip().upper()).value
    except (ValueError, AttributeError):
        choices_id = ", ".join(label(member) for member in enum)
        choices_en = ", ".join(label(member, "en") for member in enum)
        errors.add(field, Message(f"Pilih salah satu: {choices_id}.", f"Choose one of: {choices_en}."))
        return raw


def _optional(value: str | None) -> str | None:
    return (value.strip() or None) if value is not None else None


def validate_intake(inp: IntakeInput, *, today: date) -> IntakeInput:
    """Check a new complaint and return a normalised copy, or raise ValidationError naming every bad field.

    Rules (field names as in IntakeInput; reporter fields as "reporter.nik" etc.):

    - classification and channel must be values of Classification and Channel (case-insensitive).
    - title 10–150 characters (one line, whitespace collapsed); description 20–4000 characters.
    - category_id optional (its existence is the service's check); incident_date optional, not in the future
      and at most 10 years back; region_code optional, a known Kemendagri code; address optional, ≤ 500.
    - latitude and longitude both or neither, inside Indonesia.
    - Anonymous: no identity needed, reporter may be None. Any reporter data given is still validated, and
      personal data (name, NIK, phone, e-mail, address, assistance needs) needs consent_given (UU PDP).
    - Named (not anonymous): reporter name 3–100 characters and consent_given, plus a way to reach the
      reporter through the channel: WALK_IN phone, e-mail or address; PHONE phone; EMAIL e-mail;
      LETTER address; LAPOR_ONLINE e-mail or phone; SOCIAL_MEDIA phone or e-mail; SMS (or WhatsApp) phone.
      A missing contact is reported under the first field of that list.
    - reporter NIK, phone and e-mail are optional unless the channel needs them, and validated when given.
    """
    errors = FieldErrors()
    classification = _enum_value(errors, "classification", Classification, inp.classification)
    channel = _enum_value(errors, "channel", Channel, inp.channel)
    title = errors.check("title", required_text, inp.title, min_len=10, max_len=150)
    description = errors.check(
        "description", required_text, inp.description, min_len=20, max_len=4000, multiline=True
    )
    when = inp.incident_date
    if when is not None:
        when = errors.check("incident_date", incident_date, when, today=today)
    region = _optional(inp.region_code)
    if region is not None:
        region = errors.check("region_code", region_code, region)
    address = _optional(inp.address)
    if address is not None:
        address = errors.check("address", required_text, address, min_len=1, max_len=500, multiline=True)
    lat, lon = inp.latitude, inp.longitude
    if (lat is None) != (lon is None):
        missing = "longitude" if lon is None else "latitude"
        errors.add(missing, Message("Isi lintang dan bujur sekaligus.", "Give both latitude and longitude."))
    elif lat is not None and lon is not None:
        lat, lon = errors.check("latitude", coordinates, lat, lon) or (lat, lon)
    known_channel = Channel(channel) if channel in Channel.__members__ else None
    reporter = _check_reporter(errors, inp.reporter, inp.is_anonymous, known_channel)
    errors.raise_if_any()
    return dataclasses.replace(
        inp,
        classification=classification,
        channel=channel,
        title=title or "",
        description=description or "",
        category_id=_optional(inp.category_id),
        incident_date=when,
        region_code=region,
        address=address,
        latitude=lat,
        longitude=lon,
        reporter=reporter,
    )


def _check_reporter(
    errors: FieldErrors, rep: ReporterInput | None, anonymous: bool, channel: Channel | None
) -> ReporterInput | None:
    rep = rep or ReporterInput()
    name, nik_, phone_, email_, address = (
        _optional(rep.name),
        _optional(rep.nik),
        _optional(rep.phone),
        _optional(rep.email),
        _optional(rep.address),
    )
    assistance = _optional(rep.assistance_needs)
    # Assistance needs often reveal a disability or illness: personal data too.
    has_personal_data = any((name, nik_, phone_, email_, address, assistance))
    if anonymous and not has_personal_data:
        return None
    if not anonymous or name:
        name = errors.check("reporter.name", required_text, name, min_len=3, max_len=100)
    if nik_:
        nik_ = errors.check("reporter.nik", nik, nik_)
    if phone_:
        phone_ = errors.check("reporter.phone", phone, phone_)
    if email_:
        email_ = errors.check("reporter.email", email, email_)
    if address:
        address = errors.check(
            "reporter.address", required_text, address, min_len=5, max_len=500, multiline=True
        )
    if assistance:
        assistance = errors.check(
            "reporter.assistance_needs", required_text, assistance, min_len=1, max_len=500, multiline=True
        )
    if (not anonymous or has_personal_data) and not rep.consent_given:
        errors.add(
            "reporter.consent_given",
            Message(
                "Persetujuan pelapor atas pencatatan data pribadinya wajib diminta dan dicentang.",
                "The reporter's consent to recording their personal data must be asked for and ticked.",
            ),
        )
    if not anonymous and channel is not None:
        _check_contact(errors, channel, {"phone": rep.phone, "email": rep.email, "address": rep.address})
    return dataclasses.replace(
        rep,
        name=name or "",
        nik=nik_,
        phone=phone_,
        email=email_,
        address=address,
        assistance_needs=assistance,
    )


def _check_contact(errors: FieldErrors, channel: Channel, given: dict[str, str | None]) -> None:
    needed = CONTACT_BY_CHANNEL[channel]
    if any(_optional(given[field]) for field in needed):
        return
    words_id = " atau ".join(_CONTACT_WORDS[f][0] for f in needed)
    words_en = " or ".join(_CONTACT_WORDS[f][1] for f in needed)
    errors.add(
        f"reporter.{needed[0]}",
        Message(
            f"Untuk pelapor yang tidak anonim, isi {words_id} agar pelapor dapat dihubungi.",
            f"For a named reporter, give a {words_en} so the reporter can be reached.",
        ),
    )
