"""An answer's body is read and decompressed in large pieces (sync.transport.BODY_CHUNK): each piece read lets go of
the interpreter lock and takes it back, and the thread that fetches the next pull page does that while the PC writes
the page before it. Its content is the same in every coding the server uses."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

try:
    from compression import zstd  # type: ignore[import-not-found,unused-ignore]
except ImportError:
    from backports import zstd  # type: ignore[no-redef,unused-ignore]

from sync import transport as transport_module
from sync.transport import BODY_CHUNK, Transport, TransportSettings

# Some 3 MB of JSON: several pieces of BODY_CHUNK once decompressed, a few hundred of requests' own 10 kB.
DOCUMENT = {"rows": [{"id": f"{i:08d}", "title": f"Jalan rusak di gang {i}", "n": i} for i in range(50_000)]}
RAW = json.dumps(DOCUMENT).encode()
CODINGS = {"zstd": lambda raw: bytes(zstd.compress(raw, level=3)), "gzip": gzip.compress, "identity": lambda raw: raw}


class _Answer(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        coding = self.path.rsplit("/", 1)[-1]
        body = CODINGS[coding](RAW)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if coding != "identity":
            self.send_header("Content-Encoding", coding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server_url() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.mark.parametrize("coding", sorted(CODINGS))
def test_a_body_is_read_in_large_pieces_and_whole(server_url: str, coding: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    if coding == "zstd" and "zstd" not in transport_module.ACCEPT_ENCODING:
        pytest.fail("this urllib3 cannot decode zstd: the PC would ask for gzip only")
    sizes: list[int] = []
    iter_content = requests.Response.iter_content

    def spied(self: requests.Response, chunk_size: int = 1, decode_unicode: bool = False) -> Iterator[Any]:
        sizes.append(chunk_size)
        return iter_content(self, chunk_size, decode_unicode)

    monkeypatch.setattr(requests.Response, "iter_content", spied)
    transport = Transport(TransportSettings(base_url=server_url, retries=0), sleep=lambda seconds: None)
    response = transport.request("POST", f"/answer/{coding}", json_body={"cursor": None})
    assert response.headers.get("Content-Encoding", "identity") == coding
    assert sizes == [BODY_CHUNK]  # read once, in large pieces (requests alone reads 10 kB at a time)
    assert response.content == RAW and response.json() == DOCUMENT
    assert sizes == [BODY_CHUNK]  # and kept: reading it again reads nothing more
    assert transport.stats.received > 0


def test_a_streamed_answer_is_left_unread(server_url: str) -> None:
    """A file download streams its answer to disk itself: the transport must not read it first."""
    transport = Transport(TransportSettings(base_url=server_url, retries=0), sleep=lambda seconds: None)
    response = transport.request("POST", "/answer/identity", json_body={}, stream=True)
    assert response._content_consumed is False  # noqa: SLF001 - requests' own flag: nothing read yet
    assert b"".join(response.iter_content(65536)) == RAW
