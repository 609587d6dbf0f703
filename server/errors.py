"""Errors the API answers with: always JSON with a code and a readable message, never a bare 500."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, message_en: str = "",
                 details: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message_en or message)
        self.status = status
        self.code = code
        self.message = message
        self.message_en = message_en
        self.details = details or {}
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "message_en": self.message_en, "details": self.details}


def unauthorized() -> ApiError:
    return ApiError(401, "unauthorized", "Token perangkat tidak sah atau sudah dicabut. Daftarkan ulang PC ini.",
                    "The device token is invalid or revoked. Enrol this PC again.",
                    headers={"WWW-Authenticate": "Bearer"})


def not_found(what: str = "") -> ApiError:
    return ApiError(404, "not_found", f"Tidak ditemukan{': ' + what if what else ''}.",
                    f"Not found{': ' + what if what else ''}.")
