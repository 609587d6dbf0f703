"""Rules for staff accounts: user names and passwords. The desktop's account services, the server's admin commands
and the demo's staff all ask these."""

from __future__ import annotations

from app.errors import Message, ValidationError

MIN_PASSWORD = 8


def check_password_rules(password: str, username: str) -> None:
    """At least MIN_PASSWORD characters, letters and digits, not the user name; every problem in one message."""
    problems = []
    if len(password) < MIN_PASSWORD:
        problems.append(Message(f"minimal {MIN_PASSWORD} karakter", f"at least {MIN_PASSWORD} characters"))
    if password.lower() == username.lower():
        problems.append(Message("tidak boleh sama dengan nama pengguna", "must differ from the user name"))
    if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
        problems.append(Message("harus berisi huruf dan angka", "must mix letters and digits"))
    if problems:
        raise ValidationError({"password": Message(
            "Kata sandi " + "; ".join(p.id for p in problems) + ".",
            "The password " + "; ".join(p.en for p in problems) + ".")})


def check_username(username: str) -> str:
    """The user name as stored (trimmed, lower case), or ValidationError."""
    name = username.strip().lower()
    if not (3 <= len(name) <= 64) or not all(c.isalnum() or c in "._-" for c in name):
        raise ValidationError({"username": Message(
            "Nama pengguna 3–64 karakter: huruf, angka, titik, garis bawah atau tanda hubung.",
            "User names have 3–64 characters: letters, digits, dot, underscore or dash.")})
    return name
