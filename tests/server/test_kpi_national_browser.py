"""The national comparison in a real browser (headless Chromium at 1366×768) against a live server, on SQLite and
PostgreSQL: six offices with three months of complaints worked through (verified, dispositioned to units, followed
up, closed; some late, some still open), the national admin signing in with the token by hand, ranking by another
KPI, opening an office's drill-down, typing a month that does not exist; and the public page.

Every page must carry no script, apply its stylesheet (the browser reports no CSP violation), show every office and
fit 1366 pixels without a horizontal scroll of the page. ``LAPOR_SCREENSHOTS=1`` saves docs/screenshots/national-*.png.
"""

from __future__ import annotations

import base64
import os
import random
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from app.domain import EventKind, Status
from app.ids import new_id
from server import admin, kpi_national, national
from server.models import Complaint, TimelineEvent
from tests.e2e.test_status_page_browser import CHROMEDRIVER, CHROMIUM, SCREENSHOTS, _browser_or_skip
from tests.helpers.browser import gone
from tests.server.support import ADMIN_TOKEN, Backend
from tests.server.test_national import online_complaint

OFFICES = (("34.04", "Pemerintah Kabupaten Sleman", "Asia/Jakarta", 0.9),
           ("34.71", "Pemerintah Kota Yogyakarta", "Asia/Jakarta", 0.7),
           ("33.74", "Pemerintah Kota Semarang", "Asia/Jakarta", 0.5),
           ("51.03", "Pemerintah Kabupaten Badung", "Asia/Makassar", 0.8),
           ("73.71", "Pemerintah Kota Makassar", "Asia/Makassar", 0.35),
           ("91.71", "Pemerintah Kota Jayapura", "Asia/Jayapura", 0.6))
CATEGORIES = ("infrastruktur.penerangan_jalan", "kesehatan", "pendidikan", "adminduk")


@pytest.fixture
def desktop() -> Iterator[webdriver.Chrome]:
    _browser_or_skip()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=id-ID",
                "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--window-size=1366,768", "--hide-scrollbars"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _event(session: object, c: Complaint, kind: EventKind, to: Status, at: datetime) -> None:
    session.add(TimelineEvent(id=new_id(), complaint_id=c.id, kind=kind, at=at, from_status=c.status,  # type: ignore[attr-defined]
                              to_status=to, version=1))
    c.status = to


def seed_offices(backend: Backend, *, per_office: int = 45, seed: int = 7) -> list[str]:
    """Offices with three months of worked complaints (their timelines written as the server holds them), then the
    national figures computed from them (kpi-rebuild)."""
    rng = random.Random(seed)
    now = backend.clock()
    ids: list[str] = []
    with backend.db.transaction() as s:
        admin.import_reference(s, categories_json=None, policy_json=None, holiday_years=range(now.year - 1,
                                                                                                now.year + 2))
        for region, name, tz, diligence in OFFICES:
            office = admin.create_office(s, region_code=region, name=name, tz=tz)
            units = [admin.create_unit(s, office, unit, now) for unit in ("Dinas PUPR", "Dinas Kesehatan",
                                                                          "Dinas Pendidikan")]
            ids.append(office.id)
            for _ in range(per_office):
                at = now - timedelta(days=rng.uniform(1, 95))
                body = online_complaint(category_id=rng.choice(CATEGORIES))
                c = national.create_online_complaint(s, national.online_input(body), at, office_id=office.id)
                s.flush()
                step = at
                fast = rng.random() < diligence
                step += timedelta(days=rng.uniform(0.1, 2.5) if fast else rng.uniform(3, 9))
                if step > now:
                    continue
                c.unit_id = rng.choice(units).id
                _event(s, c, EventKind.DISPOSED, Status.DIDISPOSISIKAN, step)
                step += timedelta(days=rng.uniform(0.5, 4) if fast else rng.uniform(5, 14))
                if step > now:
                    continue
                _event(s, c, EventKind.FOLLOW_UP, Status.DITINDAKLANJUTI, step)
                step += timedelta(days=rng.uniform(0.5, 3))
                if step > now:
                    continue
                satisfied = rng.random() < 0.8
                _event(s, c, EventKind.REPORTER_RESPONSE, Status.SELESAI if satisfied else Status.DIDISPOSISIKAN,
                       step)
        s.flush()
        kpi_national.rebuild(s)
    return ids


def _follow(driver: webdriver.Chrome, by: str, value: str) -> None:
    """Click a link or a submit button and wait for the next page (a click returns before it has loaded). The
    element is found in the document at the moment of the click: Chrome may still swap the document a page load
    left in place ("Node with given id does not belong to the document"), and then it is found again."""
    for attempt in range(3):
        page = driver.find_element(By.TAG_NAME, "html")
        try:
            driver.find_element(by, value).click()
            break
        except (StaleElementReferenceException, WebDriverException) as exc:
            if attempt == 2 or not (isinstance(exc, StaleElementReferenceException)
                                    or "does not belong to the document" in str(exc)):
                raise
    WebDriverWait(driver, 20).until(lambda _d: gone(page))
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")



def _check_page(driver: webdriver.Chrome) -> None:
    assert not driver.find_elements(By.TAG_NAME, "script")
    problems = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert not problems, problems
    # The stylesheet applied (a CSP hash gone wrong leaves the header unstyled).
    header = driver.find_element(By.TAG_NAME, "header")
    assert header.value_of_css_property("background-color") == "rgba(155, 28, 28, 1)"
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 1366


def _shot(driver: webdriver.Chrome, name: str, *, full: bool = False) -> None:
    if os.environ.get("LAPOR_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if full:
        data = driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "format": "png"})
        (SCREENSHOTS / name).write_bytes(base64.b64decode(data["data"]))
    else:
        driver.save_screenshot(str(SCREENSHOTS / name))


def test_the_national_admin_compares_offices_in_a_browser(backend: Backend, desktop: webdriver.Chrome) -> None:
    seed_offices(backend)
    d = desktop
    d.get(backend.url + "/nasional/kinerja")
    assert "/nasional/masuk" in d.current_url  # not signed in yet
    _check_page(d)
    d.find_element(By.ID, "token").send_keys("salah")
    _follow(d, By.CSS_SELECTOR, "form.narrow button")
    assert "Token admin nasional tidak sah" in d.find_element(By.CSS_SELECTOR, "[role=alert]").text
    d.get_log("browser")  # the refused sign-in's 401, as expected
    d.find_element(By.ID, "token").send_keys(ADMIN_TOKEN)
    _follow(d, By.CSS_SELECTOR, "form.narrow button")
    assert d.current_url.endswith("/nasional/kinerja")
    _check_page(d)

    rows = d.find_elements(By.CSS_SELECTOR, "table.ranking tbody tr")
    assert len(rows) == len(OFFICES)
    names = [r.find_element(By.CSS_SELECTOR, "th").text for r in rows]
    assert sorted(names) == sorted(name for _, name, _, _ in OFFICES)
    _shot(d, "national-1366.png")
    _shot(d, "national-full.png", full=True)

    # Ranked by received instead: the first office has the most.
    _follow(d, By.LINK_TEXT, "Diterima")
    _check_page(d)
    received = [int(r.find_elements(By.TAG_NAME, "td")[2].text.replace(".", ""))
                for r in d.find_elements(By.CSS_SELECTOR, "table.ranking tbody tr")]
    assert received == sorted(received, reverse=True) and sum(received) > 0
    assert "Peringkat menurut: Diterima" in d.find_element(By.ID, "peringkat").text

    # An office's drill-down: its units and categories.
    _follow(d, By.LINK_TEXT, "Pemerintah Kota Jayapura")
    _check_page(d)
    assert "Per unit" in d.page_source and "Dinas Kesehatan" in d.page_source and "Per kategori" in d.page_source
    _shot(d, "national-office-full.png", full=True)

    # A month typed wrong: the message says how to write it.
    d.get(backend.url + "/nasional/kinerja?bulan=2026-13")
    assert "Tulis tahun-bulan, misalnya 2026-10" in d.find_element(By.CSS_SELECTOR, "[role=alert]").text
    d.get_log("browser")  # its 422, as expected

    # The public page: the same offices, no drill-down, no sign-out.
    d.get(backend.url + "/data/kinerja")
    _check_page(d)
    assert len(d.find_elements(By.CSS_SELECTOR, "table.ranking tbody tr")) == len(OFFICES)
    assert not d.find_elements(By.CSS_SELECTOR, "table.ranking a") and "Keluar" not in d.page_source
    _shot(d, "national-public-1366.png")

