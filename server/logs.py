"""Structured (JSON lines) logs for the server. Never passwords, tokens or personal data: ids and codes only."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
from datetime import UTC, datetime

# The id of the request being answered (server.middleware.RequestIdMiddleware): every line logged while it runs, in
# its task or the thread pool it calls, uvicorn's access line included, names it.
REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("lapor_request_id", default=None)

# Query parameters that carry secrets when a client puts them in a URL (Open311 clients send api_key there).
_SECRET_PARAMS = re.compile(r"(?i)\b(api_key|apikey|token|access_token|password|code|pin)=([^&\s\"']+)")


class RedactSecrets(logging.Filter):
    """Masks secret query parameters in log lines (uvicorn's access log writes whole URLs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _SECRET_PARAMS.sub(r"\1=***", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def install_redaction() -> None:
    """Attach the filter to uvicorn's loggers once (the app calls this; it is harmless to call again)."""
    for name in ("uvicorn.access", "uvicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        body = {"ts": datetime.fromtimestamp(record.created, UTC).isoformat(), "level": record.levelname,
                "logger": record.name, "msg": record.getMessage()}
        request_id = REQUEST_ID.get()
        if request_id is not None:
            body["request_id"] = request_id
        if record.exc_info:
            body["exc"] = self.formatException(record.exc_info)
        return json.dumps(body, ensure_ascii=False)


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        lg = logging.getLogger(name)
        lg.handlers[:] = []
        lg.propagate = True


LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "server.logs.JsonFormatter"}},
    "filters": {"redact": {"()": "server.logs.RedactSecrets"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr",
                            "filters": ["redact"]}},
    "root": {"handlers": ["stderr"], "level": "INFO"},
    "loggers": {"uvicorn": {"level": "INFO"}, "uvicorn.access": {"level": "INFO"}},
}
