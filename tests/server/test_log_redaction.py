"""The server's logs never carry secrets from URLs: API keys, tokens, enrolment codes, the status page's PIN."""

from __future__ import annotations

import logging

import pytest

from server.logs import RedactSecrets


@pytest.mark.parametrize("url, hidden", [
    ("GET /cek/34040010000017?pin=ABC123 HTTP/1.1", "ABC123"),
    ("GET /api/v1/public/status/34040010000017?lang=id&PIN=x9y8z7 HTTP/1.1", "x9y8z7"),
    ("GET /open311/v2/requests.json?api_key=s3cr3t&status=open HTTP/1.1", "s3cr3t"),
])
def test_secret_query_parameters_are_masked_in_access_log_lines(url: str, hidden: str) -> None:
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s" %d', ("127.0.0.1", url, 200),
                               None)
    assert RedactSecrets().filter(record)
    line = record.getMessage()
    assert hidden not in line and "=***" in line and url.split("?")[0] in line
