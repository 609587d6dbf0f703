"""The citizen's status page in a real browser: ``lapor-server serve`` on 127.0.0.1, a complaint pushed to it as a PC
pushes one, and headless Chromium sized like a phone (375 CSS pixels wide, the viewport meta honoured) opening what
the receipt's QR code opens, a code not received yet and a mistyped code, and filling in the form by hand.

Every page must read right, carry no script, apply its stylesheet (its CSP hash is right: the browser reports no
violation) and fit the phone's width. ``LAPOR_SCREENSHOTS=1`` saves them to docs/screenshots/status-*.png.
Chromium and its driver come from Debian (.ci/run installs them): missing, the test skips, or fails when CI=true.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from app.rules import tracking
from app.timeutil import utcnow
from server.settings import Settings
from tests.helpers.browser import gone
from tests.helpers.world import FakeClock
from tests.server.support import Backend, enrol, seed_office
from tests.server.test_status_page import FOLLOW_UP, NOTE, followed_up
from tests.sync.serverproc import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PHONE_WIDTH = 375
SCREENSHOTS = ROOT / "docs" / "screenshots"


def _browser_or_skip() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        message = f"Chromium and its driver are needed for the status page in a browser: missing {', '.join(missing)}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " — CI must install chromium and chromium-driver (.ci/run)", pytrace=False)
        pytest.skip(message)


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    _browser_or_skip()

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=id-ID",
                "--no-first-run", "--disable-extensions", "--disable-background-networking"):
        options.add_argument(arg)
    # A phone: the page is laid out at 375 CSS pixels only if its viewport meta says so (else at 980).
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": PHONE_WIDTH, "height": 740,
                                                                          "pixelRatio": 2.0, "touch": True}})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    folder = tmp_path / "server"
    folder.mkdir()
    proc = ServerProcess("sqlite", f"sqlite:///{folder / 'server.sqlite3'}", folder)
    # As the national admin sets a server up: the schema, then the reference data (holidays), so it starts without
    # a warning.
    for step in (["migrate"], ["admin", "import-reference"]):
        subprocess.run([str(BIN / "lapor-server"), *step, "--db", proc.db_url], check=True, capture_output=True,
                       timeout=120)
    proc.start()
    try:
        yield proc
    finally:
        proc.stop()
        proc.close_db()


def _open(driver: webdriver.Chrome, url: str) -> str:
    """Open ``url`` and check what every status page must be; return its visible text."""
    driver.get(url)
    assert driver.find_elements(By.TAG_NAME, "script") == []
    assert "<script" not in driver.page_source.lower()
    width, inner, lang = driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth, document.documentElement.lang]")
    assert inner == PHONE_WIDTH and lang == "id"
    body_width = driver.execute_script("return document.body.scrollWidth")
    assert width <= inner and body_width <= inner, f"{url}: {width}/{body_width} px wide on a {inner} px phone"
    # The inline stylesheet was applied, so the CSP's hash for it is right.
    header = driver.find_element(By.TAG_NAME, "header")
    assert header.value_of_css_property("background-color") == "rgba(155, 28, 28, 1)"
    refused = [e["message"] for e in driver.get_log("browser")
               if "Content Security Policy" in e["message"]]
    assert not refused, refused
    return str(driver.find_element(By.TAG_NAME, "body").text)


def _screenshot(driver: webdriver.Chrome, name: str, scratch: Path) -> None:
    """The whole page as a phone shows it, scrolled through; kept in docs/ only when asked for."""
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics["cssContentSize"]
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": PHONE_WIDTH, "height": size["height"], "scale": 1}})
    png = base64.b64decode(shot["data"])
    assert png.startswith(b"\x89PNG")
    folder = SCREENSHOTS if os.environ.get("LAPOR_SCREENSHOTS") == "1" else scratch
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"status-{name}.png").write_bytes(png)


def test_the_status_page_on_a_phone(tmp_path: Path, server: ServerProcess, browser: webdriver.Chrome) -> None:
    backend = Backend("sqlite", server.db_url, server.db, Settings(db_url=server.db_url, blob_dir=server.blob_dir),
                      FakeClock(utcnow().replace(microsecond=0)), server.url, requests.Session())
    office = seed_office(backend, "34.04", "Pemerintah Kabupaten Sleman", "WIB")
    device = enrol(backend, office, "PC loket Sleman")
    complaint = followed_up(device)
    scratch = tmp_path / "screenshots"

    # What the receipt's QR code opens.
    found = _open(browser, f"{server.url}/cek/{complaint.compact}?pin={complaint.pin}")
    assert "Status laporan" in found and complaint.code in found
    assert "Sudah ditindaklanjuti" in found and FOLLOW_UP in found
    assert "Riwayat penanganan" in found and "WIB" in found
    assert NOTE not in found and "Budi Santoso" not in found
    _screenshot(browser, "found", scratch)

    # A valid code whose PC has not synced it yet.
    parsed = tracking.parse(complaint.code)
    later = tracking.make_code(parsed.region, parsed.device, parsed.seq + 1)
    not_yet = _open(browser, f"{server.url}/cek/{tracking.compact(later)}?pin=7K3QX9")
    assert "Laporan belum masuk ke sistem pusat" in not_yet and later in not_yet
    assert "coba lagi besok" in not_yet and "kantor terhubung" in not_yet
    _screenshot(browser, "not-yet", scratch)

    # One digit mistyped.
    digits = complaint.compact
    typo = digits[:-3] + str((int(digits[-3]) + 1) % 10) + digits[-2:]
    mistyped = _open(browser, f"{server.url}/cek/{typo}?pin={complaint.pin}")
    assert "Periksa kembali kode" in mistyped and "salah ketik atau tertukar" in mistyped
    assert "Sudah ditindaklanjuti" not in mistyped and FOLLOW_UP not in mistyped
    _screenshot(browser, "mistyped", scratch)

    # By hand: the form, no script, a GET to the server; then the PIN page for a code without one.
    form = _open(browser, f"{server.url}/cek")
    assert "Kode pelacakan" in form and "PIN" in form
    browser.find_element(By.ID, "kode").send_keys(complaint.code)
    browser.find_element(By.ID, "pin").send_keys(complaint.pin.lower())
    before = browser.find_element(By.TAG_NAME, "body")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda _b: gone(before))  # the next page, not a fixed sleep
    assert "kode=" in browser.current_url
    assert FOLLOW_UP in browser.find_element(By.TAG_NAME, "body").text
    asked = _open(browser, f"{server.url}/cek/{complaint.compact}")
    assert "Masukkan PIN" in asked and FOLLOW_UP not in asked
    _screenshot(browser, "pin", scratch)

    problems = []
    for line in server.log_path.read_text(errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            problems.append(line)
            continue
        if record.get("level") in ("WARNING", "ERROR", "CRITICAL") or "exc" in record:
            problems.append(line)
    assert not problems, problems
