"""``lapor-server simulate-citizens``: post realistic online complaints to a running server at a steady rate,
routed to the pilot offices, so a demo and a load test see new work arrive. Bounded by ``duration``."""

from __future__ import annotations

import time

import requests

from app.timeutil import utcnow
from demo.offices import SPECS
from demo.rand import DemoRandom
from server.demo import citizen_complaint, places_of


def simulate_citizens(url: str, token: str, *, rate: float, duration: float, seed: int = 1,
                      timeout: float = 10.0) -> tuple[int, int]:
    """Returns (sent, failed). Complaints go to the pilot offices that exist on the server."""
    if rate <= 0 or duration <= 0:
        raise ValueError("rate dan duration harus lebih dari 0")
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    offices = session.get(f"{url}/api/v1/national/offices", timeout=timeout)
    offices.raise_for_status()
    by_region = {o["region_code"]: o["id"] for o in offices.json()}
    specs = [s for s in SPECS if s.region_code in by_region]
    if not specs:
        raise ValueError("server belum berisi instansi percontohan: jalankan 'lapor-server admin demo' dulu")
    categories = [c["service_code"] for c in session.get(f"{url}/open311/v2/services.json", timeout=timeout).json()
                  if "." in c["service_code"]]
    places = {s.region_code: places_of(s.region_code) for s in specs}
    rng = DemoRandom(seed)
    sent = failed = 0
    start = time.monotonic()
    interval = 1.0 / rate
    while (elapsed := time.monotonic() - start) < duration:
        spec = rng.pick(specs)
        body = citizen_complaint(rng, spec, places[spec.region_code], categories, utcnow())
        body["office_id"] = by_region[spec.region_code]
        try:
            r = session.post(f"{url}/api/v1/national/complaints", json=body, timeout=timeout)
            if r.status_code == 201:
                sent += 1
            else:
                failed += 1
        except requests.RequestException:
            failed += 1
        next_at = (sent + failed) * interval
        if next_at > elapsed:
            time.sleep(min(next_at - elapsed, max(0.0, duration - elapsed)))
    return sent, failed
