"""An office's contact details for citizens (postal address, phone, e-mail, website, service hours): the rules the
national admin's input is checked against (the phone and e-mail validators intake uses, an https website, lengths)
and the forms the receipt and the status letter print them in. The server checks them when they are set; a PC
stores and prints what its server sent."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields
from urllib.parse import urlsplit, urlunsplit

from app.errors import Message
from app.rules import validation
from app.rules.typed_text import normalise
from app.rules.validation import FieldErrors, FieldInvalid

ADDRESS_MAX = 300
HOURS_MAX = 200
WEBSITE_MAX = 200
PHONE_MAX = 20  # "+62" and at most 13 digits once normalised
EMAIL_MAX = 254

_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})")


@dataclass(frozen=True)
class OfficeContact:
    """What a citizen needs to reach the office; None where the office has not said. ``phone`` is E.164
    (``+62274123456``), ``website`` a full https address."""

    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    service_hours: str | None = None

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


CONTACT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(OfficeContact))


def _one_line(value: str, *, min_len: int, max_len: int) -> str:
    """Text for one printed line: whitespace runs folded to one space, no control characters."""
    if any(unicodedata.category(ch) == "Cc" and not ch.isspace() for ch in value):
        raise FieldInvalid(Message("Teks berisi karakter kendali yang tidak dapat dicetak.",
                                   "The text holds control characters that cannot be printed."))
    return validation.required_text(value, min_len=min_len, max_len=max_len)


def address(value: str) -> str:
    """The office's postal address on one line, 5–300 characters."""
    return _one_line(value, min_len=5, max_len=ADDRESS_MAX)


def service_hours(value: str) -> str:
    """When the complaint counter is open, as the office writes it ("Senin–Jumat 08.00–15.00 WIB"), 3–200."""
    return _one_line(value, min_len=3, max_len=HOURS_MAX)


def website(value: str) -> str:
    """An https address; a bare host ("slemankab.go.id") gets https:// in front. The host is lowercased, a lone
    trailing slash dropped. http, user names and passwords in the address, and hosts that are not domain names
    (an IP address, "localhost") are refused: the address is printed for citizens to type."""
    text = normalise(value).strip()
    if not text:
        raise FieldInvalid(Message("Alamat situs web belum diisi.", "Website address is empty."))
    if "://" not in text:
        text = "https://" + text
    if len(text) > WEBSITE_MAX:
        raise FieldInvalid(Message(
            f"Alamat situs web terlalu panjang (maksimal {WEBSITE_MAX} karakter, tertulis {len(text)}).",
            f"Website address is too long (at most {WEBSITE_MAX} characters, {len(text)} given)."))
    example = Message("Alamat situs web tidak valid; contoh yang benar: https://pengaduan.contoh.go.id.",
                      "Website address is not valid; a valid example: https://pengaduan.contoh.go.id.")
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in text):
        raise FieldInvalid(example)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise FieldInvalid(example) from None
    if parts.scheme.lower() != "https":
        raise FieldInvalid(Message("Alamat situs web harus diawali https://.", "The website address must start "
                                   "with https://."))
    host = (parts.hostname or "").lower()
    if parts.username is not None or parts.password is not None or not _HOST.fullmatch(host):
        raise FieldInvalid(example)
    netloc = host if port is None else f"{host}:{port}"
    path = "" if parts.path == "/" else parts.path
    return urlunsplit(("https", netloc, path, parts.query, parts.fragment))


_CHECKS = {"address": address, "phone": validation.phone, "email": validation.email, "website": website,
           "service_hours": service_hours}


def check_contact(values: Mapping[str, str]) -> dict[str, str]:
    """Each given field checked and normalised (the phone to E.164, the e-mail's domain lowercased); every problem
    at once as a ValidationError keyed by field name. Unknown field names are a programming error."""
    errors = FieldErrors()
    checked: dict[str, str] = {}
    for name, raw in values.items():
        result = errors.check(name, _CHECKS[name], raw)
        if result is not None:
            checked[name] = result
    errors.raise_if_any()
    return checked


# ---- how the paper prints them ---------------------------------------------------------------------------------


def display_phone(e164: str) -> str:
    """The national form people dial: a landline with its area code in brackets, ``(0274) 123456``,
    ``(021) 12345678``; a mobile number in groups, ``0812-3456-7890``. Anything else as stored."""
    if not e164.startswith("+62"):
        return e164
    national = e164[3:]
    if national.startswith("8"):
        return "-".join(part for part in ("0" + national[:3], national[3:7], national[7:]) if part)
    area_len = 2 if national[:2] in validation.TWO_DIGIT_AREA_CODES else 3
    return f"(0{national[:area_len]}) {national[area_len:]}"


def display_website(url: str) -> str:
    """The address as a citizen types it: without ``https://`` (browsers add it)."""
    return url.removeprefix("https://")
