"""Field validation of LAPOR Desk: every validator, FieldErrors, and the check of a new complaint's intake.

The single-field validators live in app.field_validators and are re-exported here, so callers import
everything from ``app.validation``.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from app.domain import Channel, Classification
from app.errors import Message
from app.field_validators import (
    FieldErrors,
    FieldInvalid,
    coordinates,
    email,
    incident_date,
    nik,
    phone,
    region_code,
    required_text,
)
from app.inputs import IntakeInput, ReporterInput
from app.reference.labels import label

__all__ = [
    "CONTACT_BY_CHANNEL",
    "FieldErrors",
    "FieldInvalid",
    "coordinates",
    "email",
    "incident_date",
    "nik",
    "phone",
    "region_code",
    "required_text",
    "validate_intake",
]

# How each channel lets the office reach a named reporter: at least one of these fields must be filled.
CONTACT_BY_CHANNEL: dict[Channel, tuple[str, ...]] = {
    Channel.WALK_IN: ("phone", "email", "address"),
    Channel.PHONE: ("phone",),
    Channel.EMAIL: ("email",),
    Channel.LETTER: ("address",),
    Channel.LAPOR_ONLINE: ("email", "phone"),
    Channel.SOCIAL_MEDIA: ("phone", "email"),
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
      LETTER address; LAPOR_ONLINE e-mail or phone; SOCIAL_MEDIA phone or e-mail. A missing contact is
      reported under the first field of that list.
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
