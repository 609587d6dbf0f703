"""Field validators and the intake check, on synthetic data only (NIKs are built here, never real ones)."""

from __future__ import annotations

import dataclasses
import math
import re
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import Channel
from app.errors import Message, ValidationError
from app.inputs import IntakeInput, ReporterInput
from app.rules.validation import (
    CONTACT_BY_CHANNEL,
    FieldErrors,
    FieldInvalid,
    coordinates,
    email,
    incident_date,
    nik,
    phone,
    region_code,
    required_text,
    validate_intake,
)

TODAY = date(2025, 6, 2)


def make_nik(
    district: str = "340401",
    *,
    day: int = 17,
    month: int = 8,
    year: int = 1985,
    female: bool = False,
    serial: int = 1,
) -> str:
    """A synthetic NIK: district code + DDMMYY (day + 40 for women) + 4-digit serial."""
    return f"{district}{day + 40 * female:02d}{month:02d}{year % 100:02d}{serial:04d}"


def failure(fn, *args, **kwargs) -> Message:  # type: ignore[no-untyped-def]
    with pytest.raises(FieldInvalid) as info:
        fn(*args, **kwargs)
    message = info.value.message
    assert message.id.strip() and message.en.strip() and message.id != message.en
    return message


# --- NIK ---


@pytest.mark.parametrize(
    "value",
    [
        make_nik(),
        make_nik(female=True),
        make_nik("650101", day=1, month=1, year=2001),  # Kalimantan Utara: python-stdnum's table lacks it
        make_nik("930101", day=31, month=12, year=1999, serial=9999),  # Papua Selatan (2022)
        make_nik(day=29, month=2, year=2000),
        make_nik(day=29, month=2, year=2000, female=True),
    ],
)
def test_nik_accepts_valid_numbers(value: str) -> None:
    assert nik(value) == value


def test_nik_strips_separators() -> None:
    value = make_nik()
    spaced = f" {value[:6]} {value[6:12]}-{value[12:]} "
    assert nik(spaced) == value
    assert nik(f"{value[:2]}.{value[2:4]}.{value[4:]}") == value


FULL_WIDTH = str.maketrans({str(n): chr(0xFF10 + n) for n in range(10)} | {"-": "\uff0d", " ": "\u3000"})
ARABIC_INDIC = str.maketrans({str(n): chr(0x0660 + n) for n in range(10)})
DEVANAGARI = str.maketrans({str(n): chr(0x0966 + n) for n in range(10)})


@pytest.mark.parametrize("script", [FULL_WIDTH, ARABIC_INDIC, DEVANAGARI], ids=["full-width", "arabic-indic",
                                                                               "devanagari"])
def test_nik_and_phone_typed_in_other_digits_are_stored_in_ascii(script: dict[int, str]) -> None:
    """An IME or a phone keyboard set to Arabic gives '０８１２…' or '٠٨١٢…': the same number, kept as ASCII."""
    value = make_nik()
    assert nik(value.translate(script)) == value
    assert nik(f"{value[:6]} {value[6:]}".translate(script)) == value
    assert phone("0812-3456-7890".translate(script)) == "+6281234567890"
    assert phone("+62 812 3456 7890".translate(script)) == "+6281234567890"
    assert phone("08" + "123456789".translate(script)) == "+628123456789"  # mixed, as a paste can be
    assert region_code("3404".translate(script)) == "34.04"


def test_signs_that_are_digits_but_not_decimal_digits_are_refused() -> None:
    """Kharosthi numerals pass str.isdigit() but are no decimal digits (int() fails on them)."""
    kharosthi_one = "\U00010a40"
    assert "hanya boleh" in failure(phone, "0812-3456-789" + kharosthi_one).id
    assert "angka" in failure(nik, make_nik()[:6] + kharosthi_one * 2 + make_nik()[8:]).id


def test_nik_wrong_length_says_how_many_digits() -> None:
    message = failure(nik, make_nik()[:15])
    assert message == Message("NIK harus 16 digit angka (tertulis 15).", "NIK must be 16 digits (15 given).")
    assert "17" in failure(nik, make_nik() + "1").id


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [(32, 8, 1985), (0, 8, 1985), (17, 13, 1985), (17, 0, 1985), (30, 2, 1990), (29, 2, 2001), (81, 8, 1985)],
)
def test_nik_invalid_birth_date(day: int, month: int, year: int) -> None:
    value = f"340401{day:02d}{month:02d}{year % 100:02d}0001"
    assert "Tanggal lahir" in failure(nik, value).id


def test_nik_female_day_over_71_is_invalid() -> None:
    assert "Tanggal lahir" in failure(nik, make_nik(day=32, female=True)).id


def test_nik_distinct_messages_for_each_fault() -> None:
    faults = {
        "length": make_nik()[:14],
        "digits": make_nik()[:15] + "X",
        "first digit": "0" + make_nik()[1:],
        "birth date": make_nik(month=13),
        "serial": make_nik(serial=0),
        "district": make_nik("349999"),
    }
    messages = {name: failure(nik, value) for name, value in faults.items()}
    assert len({m.id for m in messages.values()}) == len(faults)
    assert len({m.en for m in messages.values()}) == len(faults)
    assert "0000" in messages["serial"].id
    assert "349999" in messages["district"].id
    assert "angka" in messages["digits"].id
    assert "0" in messages["first digit"].en


def test_nik_empty() -> None:
    assert failure(nik, "  ").id == "NIK belum diisi."


# --- phone ---


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("081234567890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("812.3456.7890", "+6281234567890"),
        ("0062 812 3456 7890", "+6281234567890"),
        ("+62 (0) 812-3456-7890", "+6281234567890"),
        ("0812-345-678", "+62812345678"),  # 10 digits: the shortest mobile
        ("0812-3456-78901", "+62812345678901"),  # 13 digits: the longest mobile
        ("(0274) 123456", "+62274123456"),  # Yogyakarta landline
        ("0274-5123456", "+622745123456"),
        ("021-12345678", "+622112345678"),  # Jakarta
        ("(021) 2345 6789", "+622123456789"),
        ("0967-531234", "+62967531234"),  # Jayapura
        ("0627-21234", "+6262721234"),  # a short small-town number
        ("021-1234567", "+62211234567"),  # an old 7-digit Jakarta number
        ("+6221 12345678", "+622112345678"),
    ],
)
def test_phone_normalises_to_e164(raw: str, e164: str) -> None:
    assert phone(raw) == e164


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("", "belum diisi"),
        ("0812-3456-789a", "hanya boleh"),
        ("0812 3456 7890 ext 12", "hanya boleh"),
        ("+65 9123 4567", "Indonesia"),
        ("+1 202 555 0147", "Indonesia"),
        ("0065 9123 4567", "Indonesia"),
        ("081234567", "10–13 digit"),
        ("0812345678901234", "10–13 digit"),
        ("021-123456", "kode area 021 harus 10–11 digit"),
        ("021-123456789", "kode area 021 harus 10–11 digit"),
        ("0274-1234", "kode area 0274 harus 9–11 digit"),
        ("0274-12345678", "kode area 0274 harus 9–11 digit"),
        ("0141234567", "layanan khusus"),
        ("1234567890", "diawali 0, 8, 62"),
        ("08111111111", "bukan nomor sungguhan"),
        ("0812 0000 0000", "bukan nomor sungguhan"),
        ("0812+3456", "hanya boleh"),
    ],
)
def test_phone_rejects_with_a_clear_message(raw: str, hint: str) -> None:
    assert hint in failure(phone, raw).id


def test_phone_length_message_counts_digits() -> None:
    message = failure(phone, "0812-345")
    assert "(tertulis 7)" in message.id and "(7 given)" in message.en


_separators = st.sampled_from(["", " ", "-", ".", " - "])


@st.composite
def mobile_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(formatted as a person might type it, the national significant number)."""
    body = draw(st.text("0123456789", min_size=7, max_size=10))
    national = "8" + draw(st.sampled_from("1235789")) + body
    prefix = draw(st.sampled_from(["0", "+62 ", "62", "", "+62 (0)", "0062 "]))
    groups = [national[i : i + 4] for i in range(0, len(national), 4)]
    return prefix + draw(_separators).join(groups), national


@given(mobile_numbers())
def test_phone_is_idempotent_and_format_independent(case: tuple[str, str]) -> None:
    raw, national = case
    if len(set(national[3:])) == 1:
        return  # a deliberately refused junk number
    normalised = phone(raw)
    assert normalised == "+62" + national
    assert re.fullmatch(r"\+62[2-9]\d{7,11}", normalised)
    assert phone(normalised) == normalised


@given(st.text(max_size=20))
def test_phone_never_crashes_on_arbitrary_text(raw: str) -> None:
    try:
        result = phone(raw)
    except FieldInvalid:
        return
    assert result.startswith("+62") and phone(result) == result


# --- e-mail ---


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("Budi.Santoso@Contoh.GO.ID", "Budi.Santoso@contoh.go.id"),
        ("  warga@desa.example.id ", "warga@desa.example.id"),
        ("nama+lapor@mail.example.com", "nama+lapor@mail.example.com"),
        ("a_b-c@sub-domain.example.co.id", "a_b-c@sub-domain.example.co.id"),
        ("x@xn--caf-dma.example", "x@xn--caf-dma.example"),
    ],
)
def test_email_accepts_and_lowercases_the_domain(raw: str, normalised: str) -> None:
    assert email(raw) == normalised


@pytest.mark.parametrize(
    "raw",
    [
        "budi",
        "budi@",
        "@contoh.id",
        "budi@@contoh.id",
        "bu di@contoh.id",
        "a..b@contoh.id",
        ".a@contoh.id",
        "a@contoh",
        "a@-contoh.id",
        "a@contoh.i",
        "a@contoh,id",
        "a@contoh.id.",
        "a" * 65 + "@contoh.id",
    ],
)
def test_email_rejects_malformed(raw: str) -> None:
    assert "e-mail" in failure(email, raw).id


def test_email_length_limit() -> None:
    long = "a@" + ".".join(["b" * 60] * 5) + ".id"
    assert len(long) > 254
    assert "254" in failure(email, long).id
    assert "belum diisi" in failure(email, " ").id


# --- text, dates, places ---


def test_required_text_single_line_collapses_whitespace() -> None:
    assert required_text("  Jalan   rusak\tdi  desa \n", min_len=3, max_len=50) == "Jalan rusak di desa"


def test_required_text_multiline_keeps_lines() -> None:
    text = required_text("  Baris satu\r\n\r\n  Baris   dua  ", min_len=3, max_len=50, multiline=True)
    assert text == "Baris satu\n\n  Baris   dua"


def test_required_text_bounds() -> None:
    assert failure(required_text, "   ", min_len=1, max_len=5).id == "Wajib diisi."
    assert failure(required_text, None, min_len=1, max_len=5).en == "Required."
    short = failure(required_text, "abc", min_len=10, max_len=20)
    assert short == Message(
        "Terlalu pendek: minimal 10 karakter (tertulis 3).", "Too short: at least 10 characters (3 given)."
    )
    assert "maksimal 5 karakter (tertulis 6)" in failure(required_text, "abcdef", min_len=1, max_len=5).id
    assert required_text("abcde", min_len=5, max_len=5) == "abcde"


def test_incident_date_range() -> None:
    assert incident_date(TODAY, today=TODAY) == TODAY
    assert incident_date(date(2015, 6, 2), today=TODAY) == date(2015, 6, 2)
    assert incident_date("2024-12-31", today=TODAY) == date(2024, 12, 31)
    assert incident_date(datetime(2025, 1, 5, 13, 0), today=TODAY) == date(2025, 1, 5)
    assert "setelah hari ini" in failure(incident_date, date(2025, 6, 3), today=TODAY).id
    too_old = failure(incident_date, date(2015, 6, 1), today=TODAY)
    assert "02-06-2015" in too_old.id and "2015-06-02" in too_old.en
    assert "TTTT-BB-HH" in failure(incident_date, "2/6/2025", today=TODAY).id


def test_incident_date_lower_bound_on_a_leap_day() -> None:
    leap = date(2024, 2, 29)
    assert incident_date(date(2014, 2, 28), today=leap) == date(2014, 2, 28)
    failure(incident_date, date(2014, 2, 27), today=leap)


def test_coordinates() -> None:
    assert coordinates(-7.797, 110.37) == (-7.797, 110.37)  # Yogyakarta
    assert coordinates(5.89, 95.32) == (5.89, 95.32)  # Sabang
    assert coordinates(-2.53, 140.7) == (-2.53, 140.7)  # Jayapura
    assert "luar wilayah Indonesia" in failure(coordinates, 51.5, -0.12).id
    assert "tertukar" in failure(coordinates, 110.37, -7.797).id
    assert "tidak valid" in failure(coordinates, math.nan, 110.0).id
    failure(coordinates, -12.0, 110.0)
    failure(coordinates, 0.0, 142.0)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("34", "34"),
        (" 34.04 ", "34.04"),
        ("34.04.01.2001", "34.04.01.2001"),
        ("3404", "34.04"),
        ("340401", "34.04.01"),
        ("3404012001", "34.04.01.2001"),
    ],
)
def test_region_code_accepts_known_codes(raw: str, code: str) -> None:
    assert region_code(raw) == code


def test_region_code_rejects() -> None:
    assert "Format" in failure(region_code, "34-04").id
    assert "Format" in failure(region_code, "3.4").id
    assert "Format" in failure(region_code, "").id
    unknown = failure(region_code, "34.99")
    assert "34.99" in unknown.id and "tidak terdaftar" in unknown.id


# --- FieldErrors ---


def test_field_errors_collects_every_field() -> None:
    errors = FieldErrors()
    assert errors.check("phone", phone, "0812-3456-7890") == "+6281234567890"
    assert not errors
    errors.raise_if_any()  # nothing recorded: no error
    assert errors.check("email", email, "nope") is None
    assert errors.check("title", required_text, "ab", min_len=10, max_len=20) is None
    errors.add("email", Message("kedua", "second"))  # the first message per field is kept
    with pytest.raises(ValidationError) as info:
        errors.raise_if_any()
    assert set(info.value.fields) == {"email", "title"}
    assert "e-mail" in info.value.fields["email"].id
    assert "title" in str(info.value)


# --- intake ---


def named_intake(**changes: object) -> IntakeInput:
    reporter = ReporterInput(
        name="  Siti   Rahayu ",
        nik=make_nik(female=True, day=5, month=3, year=1990),
        phone="0812-3456-7890",
        email="Siti@Contoh.ID",
        address="Jl. Kaliurang km 5, Sleman",
        consent_given=True,
    )
    base = IntakeInput(
        classification="pengaduan",
        channel="WALK_IN",
        title="  Jalan   berlubang di depan pasar ",
        description="Lubang besar di jalan depan pasar sejak dua minggu, membahayakan pengendara motor.",
        category_id="infrastruktur.jalan",
        incident_date=date(2025, 5, 20),
        region_code="3404012001",
        address=" Depan Pasar Gamping ",
        latitude=-7.79,
        longitude=110.32,
        reporter=reporter,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def rejected_fields(inp: IntakeInput) -> dict[str, Message]:
    with pytest.raises(ValidationError) as info:
        validate_intake(inp, today=TODAY)
    return info.value.fields


def test_valid_intake_is_normalised() -> None:
    out = validate_intake(named_intake(), today=TODAY)
    assert out.classification == "PENGADUAN"
    assert out.title == "Jalan berlubang di depan pasar"
    assert out.region_code == "34.04.01.2001"
    assert out.address == "Depan Pasar Gamping"
    assert out.reporter is not None
    assert out.reporter.name == "Siti Rahayu"
    assert out.reporter.phone == "+6281234567890"
    assert out.reporter.email == "Siti@contoh.id"
    assert validate_intake(out, today=TODAY) == out


def test_anonymous_intake_needs_no_identity() -> None:
    out = validate_intake(named_intake(is_anonymous=True, reporter=None, channel="LETTER"), today=TODAY)
    assert out.reporter is None
    blank = ReporterInput(name="  ", phone="", email=None)
    assert validate_intake(named_intake(is_anonymous=True, reporter=blank), today=TODAY).reporter is None


def test_anonymous_reporter_data_is_validated_and_needs_consent() -> None:
    rep = ReporterInput(phone="0812-34", consent_given=False)
    fields = rejected_fields(named_intake(is_anonymous=True, reporter=rep))
    assert set(fields) == {"reporter.phone", "reporter.consent_given"}
    ok = validate_intake(
        named_intake(is_anonymous=True, reporter=ReporterInput(phone="081234567890", consent_given=True)),
        today=TODAY,
    )
    assert ok.reporter is not None and ok.reporter.phone == "+6281234567890"


def test_named_intake_without_reporter_lists_what_is_missing() -> None:
    fields = rejected_fields(named_intake(reporter=None))
    assert set(fields) == {"reporter.name", "reporter.consent_given", "reporter.phone"}
    assert "telepon atau e-mail atau alamat" in fields["reporter.phone"].id


@pytest.mark.parametrize("channel", list(Channel))
@pytest.mark.parametrize("contact", ["phone", "email", "address"])
def test_contact_needed_per_channel(channel: Channel, contact: str) -> None:
    values = {"phone": "0812-3456-7890", "email": "warga@contoh.id", "address": "Jl. Mawar 3, Bantul"}
    rep = ReporterInput(name="Budi", consent_given=True, **{contact: values[contact]})
    inp = named_intake(channel=channel.value, reporter=rep)
    if contact in CONTACT_BY_CHANNEL[channel]:
        assert validate_intake(inp, today=TODAY).reporter is not None
    else:
        fields = rejected_fields(inp)
        assert list(fields) == [f"reporter.{CONTACT_BY_CHANNEL[channel][0]}"]


def test_contact_rules_as_specified() -> None:
    assert {c: set(f) for c, f in CONTACT_BY_CHANNEL.items()} == {
        Channel.WALK_IN: {"phone", "email", "address"},
        Channel.PHONE: {"phone"},
        Channel.EMAIL: {"email"},
        Channel.LETTER: {"address"},
        Channel.LAPOR_ONLINE: {"email", "phone"},
        Channel.SOCIAL_MEDIA: {"phone", "email"},
        Channel.SMS: {"phone"},
    }


def test_every_bad_field_is_reported_at_once() -> None:
    rep = ReporterInput(name="Al", nik=make_nik("349999"), phone="12", email="x@", consent_given=False)
    inp = named_intake(
        classification="KELUHAN",
        channel="FAX",
        title="Jalan",
        description="Rusak.",
        incident_date=date(2025, 7, 1),
        region_code="34.99",
        latitude=51.5,
        longitude=-0.1,
        reporter=rep,
    )
    fields = rejected_fields(inp)
    assert set(fields) == {
        "classification",
        "channel",
        "title",
        "description",
        "incident_date",
        "region_code",
        "latitude",
        "reporter.name",
        "reporter.nik",
        "reporter.phone",
        "reporter.email",
        "reporter.consent_given",
    }
    assert "Pengaduan" in fields["classification"].id and "Complaint" in fields["classification"].en


def test_latitude_without_longitude() -> None:
    assert set(rejected_fields(named_intake(longitude=None))) == {"longitude"}
    assert set(rejected_fields(named_intake(latitude=None))) == {"latitude"}
    out = validate_intake(named_intake(latitude=None, longitude=None), today=TODAY)
    assert out.latitude is None and out.longitude is None


def test_optional_fields_may_be_blank() -> None:
    out = validate_intake(
        named_intake(category_id=" ", incident_date=None, region_code="", address="   "), today=TODAY
    )
    assert (out.category_id, out.incident_date, out.region_code, out.address) == (None, None, None, None)


def test_title_and_description_bounds() -> None:
    assert set(rejected_fields(named_intake(title="x" * 151))) == {"title"}
    assert validate_intake(named_intake(title="x" * 150), today=TODAY).title == "x" * 150
    assert set(rejected_fields(named_intake(description="y" * 4001))) == {"description"}
    assert validate_intake(named_intake(description="y" * 20), today=TODAY).description == "y" * 20
