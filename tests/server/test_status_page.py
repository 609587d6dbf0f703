"""The citizen's status page (``/cek/{code}?pin=``, the form at ``/cek``) and its JSON twin
(``/api/v1/public/status/{code}?pin=``), on SQLite and PostgreSQL: complaints pushed by a PC as a PC pushes them.

What a citizen sees is app.rules.citizen_view's decision; these tests check the server shows exactly that, only with
the right PIN, tells the five states apart, and never tells a wrong PIN from a complaint that does not exist."""

from __future__ import annotations

import http.client
import re
import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain import Role, Status
from app.reference.regions import regency_code4
from app.rules import tracking
from app.rules.citizen_view import status_pin
from server.app import create_app
from server.db import Database, make_engine
from server.settings import Settings
from tests.helpers.live_server import serve_in_thread
from tests.server.support import Backend, Device, SeededOffice

FOLLOW_UP = "Jalan di depan pasar sudah ditambal oleh Dinas PU pada hari Senin."
NOTE = "Catatan internal: pelapor adalah tetangga kepala dinas."
INSTRUCTION = "Mohon ditindaklanjuti."  # the disposition's instruction to the unit (support.Device.dispose)
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
# Nothing of these may ever be on the page: the complaint's own text, the reporter, the staff.
PRIVATE = ("Jalan berlubang di depan pasar", "membahayakan pengendara", "Budi Santoso", "081234567890",
           "+6281234567890", "Petugas", NOTE, INSTRUCTION)


@dataclass
class Pushed:
    id: str
    code: str  # display form, as the PC made it

    @property
    def pin(self) -> str:
        return status_pin(self.id)

    @property
    def compact(self) -> str:
        return tracking.compact(self.code)


def push_intake(device: Device, **kw: Any) -> tuple[Pushed, int]:
    intake = device.intake(**kw)
    result = device.push_one(intake)
    assert result["status"] == "applied", result
    return Pushed(intake.entity_id, intake.args["complaint"]["tracking_code"]), int(result["server_version"])


def followed_up(device: Device, **kw: Any) -> Pushed:
    """A complaint taken in, dispositioned, followed up for the reporter, with an internal note on it."""
    complaint, version = push_intake(device, **kw)
    office = device.office
    for m in (device.dispose(complaint.id, version),
              device.transition(complaint.id, "follow_up", Status.DIDISPOSISIKAN, Status.DITINDAKLANJUTI,
                                user_id=office.users[Role.PENGHUBUNG], base_version=version + 1, text=FOLLOW_UP)):
        result = device.push_one(m)
        assert result["status"] == "applied", result
        version = int(result["server_version"])
    assert device.push_one(device.note(complaint.id, NOTE, base_version=version))["status"] == "applied"
    return complaint


def page(backend: Backend, code: str, pin: str | None = None, url: str | None = None) -> requests.Response:
    params = {"pin": pin} if pin is not None else None
    return requests.get(f"{url or backend.url}/cek/{quote(code, safe='')}", params=params, timeout=30)


def api(backend: Backend, code: str, pin: str | None = None, url: str | None = None) -> requests.Response:
    params = {"pin": pin} if pin is not None else None
    return requests.get(f"{url or backend.url}/api/v1/public/status/{quote(code, safe='')}", params=params,
                        timeout=30)


def text_of(response: requests.Response) -> str:
    """The page's visible words (tags dropped, whitespace folded), to assert on like a reader would."""
    body = re.sub(r"(?s)<(style|head)\b.*?</\1>", " ", response.text)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()


def other_code(code: str, *, seq: int | None = None, device: int | None = None, region: str | None = None) -> str:
    parsed = tracking.parse(code)
    return tracking.make_code(region or parsed.region, parsed.device if device is None else device,
                              parsed.seq if seq is None else seq)


def wib(at: datetime) -> str:
    local = at.astimezone(ZoneInfo("Asia/Jakarta"))
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}, pukul {local:%H.%M} WIB"


def assert_safe_headers(response: requests.Response) -> None:
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp and "unsafe" not in csp, csp


# ---- found -----------------------------------------------------------------------------------------------------

def test_the_receipt_address_shows_the_status_and_the_follow_up(backend: Backend, device_a: Device) -> None:
    start = backend.clock().replace(second=0) + timedelta(days=1)
    backend.clock.now = start
    complaint = followed_up(device_a)

    # Exactly the receipt's QR address: {base}/cek/{compact code}?pin={PIN}
    response = requests.get(f"{backend.url}/cek/{complaint.compact}?pin={complaint.pin}", timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert_safe_headers(response)
    seen = text_of(response)
    assert "Status laporan" in seen and complaint.code in seen
    assert "Sudah ditindaklanjuti" in seen
    assert FOLLOW_UP in seen
    assert f"Diterima: {wib(start)}" in seen
    assert "Waktu ditampilkan dalam WIB (Waktu Indonesia Barat)" in seen
    for private in PRIVATE:
        assert private not in response.text, private
    assert "<script" not in response.text.lower()
    assert '<html lang="id">' in response.text
    assert '<meta name="robots" content="noindex">' in response.text
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in response.text

    # The same through the JSON route, with the code as printed and the PIN typed carelessly.
    body = api(backend, complaint.code, f" {complaint.pin[:3].lower()}-{complaint.pin[3:]} ").json()
    assert body["state"] == "found"
    assert body["code"] == complaint.code
    found = body["complaint"]
    assert (found["status"], found["status_label"], found["time_zone"]) == (
        Status.DITINDAKLANJUTI, "Sudah ditindaklanjuti", "WIB")
    assert found["received_at"] == (start + timedelta(hours=7)).replace(tzinfo=None).isoformat() + "+07:00"
    assert [e["label"] for e in found["entries"]] == [
        "Laporan diterima", "Diverifikasi dan diteruskan ke unit kerja", "Tindak lanjut"]
    assert [e["text"] for e in found["entries"]] == [None, None, FOLLOW_UP]
    for private in PRIVATE:
        assert private not in str(body), private


def test_the_form_takes_a_code_and_a_pin(backend: Backend, device_a: Device) -> None:
    complaint = followed_up(device_a)
    form = requests.get(backend.url + "/cek", timeout=30)
    assert form.status_code == 200
    assert_safe_headers(form)
    assert 'method="get"' in form.text and 'name="kode"' in form.text and 'name="pin"' in form.text
    assert "<script" not in form.text.lower()
    assert requests.get(backend.url + "/cek/", timeout=30).text == form.text
    answer = requests.get(backend.url + "/cek", params={"kode": complaint.code, "pin": complaint.pin}, timeout=30)
    assert answer.status_code == 200
    assert FOLLOW_UP in text_of(answer)


def test_a_confidential_complaint_shows_its_status_only(backend: Backend, device_a: Device) -> None:
    complaint = followed_up(device_a, confidential=True)
    response = page(backend, complaint.code, complaint.pin)
    seen = text_of(response)
    assert response.status_code == 200
    assert "Sudah ditindaklanjuti" in seen and "rahasia" in seen
    assert FOLLOW_UP not in response.text and "Diterima:" not in seen and "Riwayat" not in seen
    body = api(backend, complaint.code, complaint.pin).json()
    assert body["complaint"]["confidential"] is True
    assert body["complaint"]["received_at"] is None and body["complaint"]["entries"] == []
    assert FOLLOW_UP not in str(body)


def test_a_complaint_routed_to_another_office_is_found_there_in_its_zone(
        backend: Backend, device_a: Device, office_a: SeededOffice, office_b: SeededOffice) -> None:
    complaint, version = push_intake(device_a)
    redirect = device_a.transition(complaint.id, "redirect", Status.BELUM_TERVERIFIKASI, Status.BUKAN_WEWENANG,
                                   user_id=office_a.admin, base_version=version,
                                   text="Lokasi kejadian di Kabupaten Badung, bukan wewenang Sleman.")
    assert device_a.push_one(redirect)["status"] == "applied"
    routed = backend.post(f"/api/v1/national/complaints/{complaint.id}/route",
                          json={"office_id": office_b.id, "note": "Dialihkan ke Badung oleh admin nasional."},
                          headers=backend.admin_headers())
    assert routed.status_code == 200, routed.text

    body = api(backend, complaint.code, complaint.pin).json()
    assert body["state"] == "found"
    assert body["complaint"]["time_zone"] == "WITA"  # Badung's office
    assert body["complaint"]["received_at"].endswith("+08:00")
    assert "Dialihkan ke instansi yang berwenang" in [e["label"] for e in body["complaint"]["entries"]]
    assert "bukan wewenang Sleman" not in str(body) and "admin nasional" not in str(body)
    assert "WITA (Waktu Indonesia Tengah)" in text_of(page(backend, complaint.compact, complaint.pin))


# ---- not found: nothing of the complaint -----------------------------------------------------------------------

def test_without_the_pin_nothing_of_the_complaint_shows(backend: Backend, device_a: Device) -> None:
    complaint = followed_up(device_a)
    response = page(backend, complaint.compact)
    assert response.status_code == 200
    assert_safe_headers(response)
    seen = text_of(response)
    assert "Masukkan PIN" in seen and "tanda terima" in seen
    assert 'name="pin"' in response.text and "<script" not in response.text.lower()
    assert "ditindaklanjuti" not in seen.lower() and FOLLOW_UP not in seen
    body = api(backend, complaint.code).json()
    assert (body["state"], body["complaint"]) == ("pin_required", None)

    for odd in ("12345", "1234567", "ABC!@#", "x" * 5000):  # not the shape of a PIN at all
        shaped = api(backend, complaint.code, odd)
        assert (shaped.status_code, shaped.json()["state"]) == (400, "pin_required"), odd
        assert "6 huruf/angka" in text_of(page(backend, complaint.code, odd))


def test_a_wrong_pin_reads_exactly_like_a_code_that_does_not_exist(backend: Backend, device_a: Device) -> None:
    skipped = device_a.next_tracking_code()  # made, never pushed: below what the PC has sent since
    complaint = followed_up(device_a)
    wrong = "ZZZZZZ" if complaint.pin != "ZZZZZZ" else "000000"

    with_wrong_pin = api(backend, complaint.code, wrong)
    missing = api(backend, skipped, wrong)
    assert with_wrong_pin.status_code == missing.status_code == 404
    assert with_wrong_pin.json()["state"] == "unknown"
    assert with_wrong_pin.json() == {**missing.json(), "code": complaint.code}
    assert with_wrong_pin.text.replace(complaint.code, "CODE") == missing.text.replace(skipped, "CODE")

    html_wrong = page(backend, complaint.code, wrong)
    html_missing = page(backend, skipped, wrong)
    assert html_wrong.status_code == html_missing.status_code == 404
    assert html_wrong.text.replace(complaint.code, "CODE") == html_missing.text.replace(skipped, "CODE")
    seen = text_of(html_wrong)
    assert "Kode dan PIN tidak cocok dengan laporan mana pun; periksa keduanya" in seen
    for private in (*PRIVATE, FOLLOW_UP, "ditindaklanjuti"):
        assert private not in html_wrong.text and private not in with_wrong_pin.text, private


def test_a_mistyped_code_is_told_apart(backend: Backend, device_a: Device) -> None:
    complaint = followed_up(device_a)
    digits = complaint.compact
    changed = digits[:9] + str((int(digits[9]) + 1) % 10) + digits[10:]  # one digit wrong
    i = next(i for i in range(len(digits) - 1) if digits[i] != digits[i + 1])
    swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]  # two neighbours swapped
    for typo in (changed, swapped, tracking.format_code(swapped), digits[:-2]):
        html = page(backend, typo, complaint.pin)
        assert html.status_code == 400, typo
        seen = text_of(html)
        assert "Periksa kembali kode" in seen
        assert ("14 angka atau lebih" if typo == digits[:-2] else "salah ketik atau tertukar") in seen, typo
        assert FOLLOW_UP not in html.text
        body = api(backend, typo, complaint.pin).json()
        assert (body["state"], body["code"], body["complaint"]) == ("mistyped", None, None), typo


def test_a_code_its_pc_has_not_sent_yet_says_so(backend: Backend, device_a: Device, office_a: SeededOffice) -> None:
    complaint = followed_up(device_a)
    later = other_code(complaint.code, seq=tracking.parse(complaint.code).seq + 1)  # made offline, not synced
    for pin in ("ABCDEF", None):
        body = api(backend, later, pin).json()
        assert body["state"] == ("not_received_yet" if pin else "pin_required")
    response = page(backend, later, "ABCDEF")
    assert response.status_code == 404
    seen = text_of(response)
    assert "belum masuk ke sistem pusat" in seen and "coba lagi besok" in seen and "kantor terhubung" in seen

    # Codes no enrolled PC made: another device number, a region without an office, the server's own numbers.
    region = regency_code4(office_a.region_code)
    for never in (other_code(complaint.code, device=device_a.device_no + 5), other_code(complaint.code,
                  region="9171"), tracking.make_code(region, tracking.NATIONAL_DEVICE, 999)):
        assert api(backend, never, "ABCDEF").json()["state"] == "unknown", never


# ---- the limit, the headers, the junk --------------------------------------------------------------------------

def test_look_ups_are_rate_limited_per_address(backend: Backend, device_a: Device) -> None:
    complaint = followed_up(device_a)
    with backend.serve(rate_limit_per_minute=1) as url:  # a burst of 10, then one a minute
        answers = [page(backend, complaint.code, complaint.pin, url=url) for _ in range(10)]
        assert {a.status_code for a in answers} == {200}
        limited = page(backend, complaint.code, complaint.pin, url=url)
        assert limited.status_code == 429
        assert int(limited.headers["Retry-After"]) >= 1
        assert_safe_headers(limited)
        assert "Terlalu banyak" in text_of(limited) and FOLLOW_UP not in limited.text
        as_json = api(backend, complaint.code, complaint.pin, url=url)
        assert as_json.status_code == 429 and as_json.json()["state"] == "rate_limited"
        assert as_json.json()["complaint"] is None and int(as_json.headers["Retry-After"]) >= 1
        # The PCs' own limit is per device, not per address: sync goes on.
        assert device_a.pull_raw(url=url).status_code == 200


VALID = tracking.compact(tracking.make_code("3404", 1, 1))
JUNK = ["", " ", "0", "../../etc/passwd", "..%2F..%2F", "%00", "%ff%fe", "%E2%80%AE", "3404-012-000001-" + "9" * 60,
        "٣٤٠٤٠١٢٠٠٠٠٠١٧", "３４０４０１２０００００１", "<script>alert(1)</script>", "' OR 1=1 --", "\u202e1234",
        "3404\x00012000001", "9" * 5000, "ⅷ" * 40, "﷽" * 64]


def raw_get(backend: Backend, path: str) -> tuple[int, str, str]:
    """A request sent byte for byte as written (no client-side normalising of ``..`` or escapes)."""
    parts = urlsplit(backend.url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read().decode("utf-8", "replace")
    finally:
        conn.close()


@pytest.mark.parametrize("junk", JUNK)
def test_junk_in_the_address_gets_a_clear_answer(backend: Backend, junk: str) -> None:
    for code, pin in ((junk, None), (junk, "ABCDEF"), (VALID, junk)):
        html = page(backend, code, pin)
        assert html.status_code < 500, (code, pin)
        assert html.headers["Content-Type"].startswith("text/html"), (code, pin)
        assert "<h1>" in html.text and "<script>alert" not in html.text
        body = api(backend, code, pin)
        assert body.status_code < 500 and body.json()["state"] in ("form", "mistyped", "pin_required", "unknown")
    for path in (f"/cek/{junk}", f"/cek/{junk}?pin={junk}", f"/cek?kode={junk}&pin={junk}",
                 f"/api/v1/public/status/{junk}?pin={junk}"):
        safe_path = "".join(ch if 0x20 < ord(ch) < 0x7F else quote(ch) for ch in path)
        status, content_type, text = raw_get(backend, safe_path)
        assert status < 500, (path, status, text[:300])
        if path.startswith("/cek"):
            assert content_type.startswith("text/html") and "<h1>" in text, (path, text[:300])


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.text(max_size=80), pin=st.none() | st.text(max_size=40))
def test_no_string_gets_a_server_error(backend: Backend, code: str, pin: str | None) -> None:
    html = page(backend, code, pin)
    assert html.status_code < 500, (code, pin, html.text[:300])
    assert "<h1>" in html.text
    body = api(backend, code, pin)
    assert body.status_code < 500, (code, pin, body.text[:300])
    assert body.json()["state"] in ("form", "mistyped", "pin_required", "not_received_yet", "unknown")


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.text(alphabet=string.digits + "- ", min_size=14, max_size=24), pin=st.text(
    alphabet=string.ascii_uppercase + string.digits, min_size=6, max_size=6))
def test_code_shaped_guesses_never_find_anything(backend: Backend, code: str, pin: str) -> None:
    """Well-formed codes with a PIN reach the database; with no complaint there none is found, none fails."""
    body = api(backend, code, pin)
    assert body.status_code < 500
    assert body.json()["state"] in ("mistyped", "unknown")


def test_a_database_that_is_down_gets_a_page_saying_try_again(tmp_path: Path) -> None:
    """Not the server's generic JSON 503: the citizen gets a page (and the JSON its state)."""
    url = f"sqlite:///{tmp_path / 'missing' / 'server.sqlite3'}"  # a folder that does not exist: cannot open
    db = Database(make_engine(url))
    app = create_app(Settings(db_url=url, blob_dir=tmp_path / "blobs"), db)
    try:
        with serve_in_thread(app) as base:
            response = requests.get(f"{base}/cek/{VALID}", params={"pin": "ABCDEF"}, timeout=30)
            assert response.status_code == 503 and int(response.headers["Retry-After"]) >= 1
            assert_safe_headers(response)
            assert "Layanan sedang sibuk" in text_of(response)
            as_json = requests.get(f"{base}/api/v1/public/status/{VALID}", params={"pin": "ABCDEF"}, timeout=30)
            assert (as_json.status_code, as_json.json()["state"]) == (503, "busy")
    finally:
        db.dispose()
