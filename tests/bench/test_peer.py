"""bench/peer.py's pure parts: a generated document as our server's rows, the TCP byte count, and the table with
its ratios and met/MISSED marks."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.peer_load import Loaded, TargetOffice, load, map_document, read_documents
from bench.peer_ours import WireCount, _CountedSocket
from bench.peer_report import SizeResult, growth, missed, render, size_table

# One line as ../shared/peer-bench/gen.js writes it (shortened texts).
LINE = json.dumps({
    "id": "8c5e4f0a-1b2c-4d3e-8f40-5a6b7c8d9e0f", "tracking_code": "3578-C3-000001-8",
    "title": "Keluhan jalan rusak berlubang", "description": "Jalan rusak parah sejak bulan lalu.",
    "classification": "permintaan_informasi", "category_id": 5, "region_code": "35.78.17.2008", "channel": "whatsapp",
    "is_anonymous": True, "is_confidential": False, "status": "ditolak",
    "created_at": "2024-03-01T08:00:00.000Z", "updated_at": "2024-03-05T10:30:00.000Z",
    "reporter": {"name": "Sri Wibowo", "nik": "3578170000000001", "phone": "+6281212345678",
                 "email": "sri.wibowo12@gmail.com"},
    "timeline": [
        {"id": "e0000000-0000-4000-8000-000000000001", "kind": "created", "at": "2024-03-01T08:00:00.000Z",
         "by": "reporter", "text": "Mohon segera diperbaiki."},
        {"id": "e0000000-0000-4000-8000-000000000002", "kind": "verified", "at": "2024-03-02T09:00:00.000Z",
         "by": "officer:3578001", "text": "Sudah diverifikasi."},
        {"id": "e0000000-0000-4000-8000-000000000003", "kind": "comment", "at": "2024-03-03T09:00:00.000Z",
         "by": "reporter", "text": "Belum ada tindakan."},
        {"id": "e0000000-0000-4000-8000-000000000004", "kind": "closed", "at": "2024-03-05T10:30:00.000Z",
         "by": "officer:3578002", "text": "Ditutup."},
    ]})
OFFICE = TargetOffice(office_id="office-1", villages=("34.04.01.2001", "34.04.01.2002", "34.04.02.2001"),
                      categories=("CAT-A", "CAT-B", "CAT-C"), unit_of={"CAT-B": "unit-b"}, default_unit="unit-1",
                      counter="loket", officers=("admin", "liaison-1", "liaison-2"))


def test_a_document_keeps_its_ids_texts_reporter_and_times() -> None:
    doc = json.loads(LINE)
    mapped = map_document(doc, OFFICE)
    c = mapped.complaint
    assert (c["id"], c["tracking_code"], c["title"], c["description"]) == (
        doc["id"], doc["tracking_code"], doc["title"], doc["description"])
    assert (c["office_id"], c["classification"], c["channel"]) == ("office-1", "PERMINTAAN_INFORMASI", "SMS")
    assert (c["is_anonymous"], c["is_confidential"]) == (True, False)
    assert c["received_at"] == datetime(2024, 3, 1, 8, tzinfo=UTC)
    assert c["updated_at"] == c["closed_at"] == datetime(2024, 3, 5, 10, 30, tzinfo=UTC)
    # refused: archived, never dispositioned to a unit
    assert (c["status"], c["archive_reason"], c["unit_id"], c["disposed_at"]) == (
        "DIARSIPKAN", "TIDAK_RELEVAN", None, None)
    assert c["reporter_id"] == mapped.reporter["id"]
    assert {k: mapped.reporter[k] for k in ("name", "nik", "phone", "email")} == doc["reporter"]


def test_the_timeline_becomes_events_of_a_fitting_kind_with_their_text_and_time() -> None:
    events = map_document(json.loads(LINE), OFFICE).events
    assert [e["id"] for e in events] == [e["id"] for e in json.loads(LINE)["timeline"]]
    assert [e["kind"] for e in events] == ["RECEIVED", "DISPOSED", "REPORTER_RESPONSE", "ARCHIVED"]
    assert [e["text"] for e in events] == [e["text"] for e in json.loads(LINE)["timeline"]]
    assert events[1]["at"] == datetime(2024, 3, 2, 9, tzinfo=UTC)
    assert events[0]["actor_user_id"] == "loket" and events[2]["actor_user_id"] is None
    assert events[1]["actor_user_id"] in OFFICE.officers and events[3]["actor_user_id"] in OFFICE.officers
    assert json.loads(events[0]["data_json"]) == {"channel": "SMS"}


def test_category_region_and_status_go_onto_our_reference_data_by_a_fixed_rule() -> None:
    doc = {**json.loads(LINE), "status": "diproses", "category_id": 5}
    first, again = map_document(doc, OFFICE).complaint, map_document(doc, OFFICE).complaint
    assert first == again
    assert first["category_id"] == "CAT-B"  # 5th of 48 onto 3 categories: (5 - 1) % 3
    assert first["region_code"] in OFFICE.villages
    assert (first["status"], first["unit_id"]) == ("DIDISPOSISIKAN", "unit-b")
    assert first["disposed_at"] == datetime(2024, 3, 2, 9, tzinfo=UTC)
    other = map_document({**doc, "region_code": "11.01.01.1001"}, OFFICE).complaint["region_code"]
    assert other in OFFICE.villages


def test_loaded_documents_are_in_the_server_database_with_their_change_log(tmp_path: Path) -> None:
    from sqlalchemy import func, select

    from server.db import Database, make_engine
    from server.models import ChangeLogEntry, Complaint, TimelineEvent

    second = {**json.loads(LINE), "id": "9c5e4f0a-1b2c-4d3e-8f40-5a6b7c8d9e0f", "tracking_code": "3578-C3-000002-6",
              "status": "baru", "timeline": [
                  {**e, "id": e["id"].replace("e000", "f000")} for e in json.loads(LINE)["timeline"][:2]]}
    path = tmp_path / "docs.jsonl"
    path.write_text(LINE + "\n" + json.dumps(second) + "\n")
    loaded = load(f"sqlite:///{tmp_path / 'server.sqlite3'}", read_documents(path))
    assert (loaded.complaints, loaded.events) == (2, 6)
    assert Loaded.from_json(loaded.to_json()) == loaded
    db = Database(make_engine(f"sqlite:///{tmp_path / 'server.sqlite3'}"))
    try:
        with db.transaction() as s:
            versions = dict(s.execute(select(Complaint.tracking_code, Complaint.version)).all())
            assert versions == {"3578-C3-000001-8": 4, "3578-C3-000002-6": 2}  # one change per timeline event
            assert s.execute(select(func.count()).select_from(TimelineEvent)).scalar_one() == 6
            # the receipt and each later event: the event and its complaint (units and accounts have their own)
            assert s.execute(select(func.count()).select_from(ChangeLogEntry).where(
                ChangeLogEntry.office_id == loaded.office_id,
                ChangeLogEntry.entity_type.in_(("complaint", "event")))).scalar_one() == 12
    finally:
        db.dispose()


def test_the_counted_socket_counts_both_directions_by_the_exchange_in_flight() -> None:
    count = WireCount()
    a, b = socket.socketpair()
    counted = _CountedSocket(a.family, a.type, a.proto, fileno=a.detach())
    counted.count = count
    try:
        count.kind.name = "push"
        counted.sendall(b"0123456789")
        b.sendall(b"abc")
        assert counted.recv(10) == b"abc"
        count.kind.name = "pull"
        b.sendall(b"defg")
        assert len(counted.makefile("rb").read(4)) == 4  # http.client reads answers through makefile
    finally:
        counted.close()
        b.close()
    assert count.take() == ({"push": 10}, {"push": 3, "pull": 4})
    assert count.take() == ({}, {})


def _step(seconds: float, requests: int, nbytes: int, **more: Any) -> dict[str, Any]:
    return {"seconds": seconds, "requests": requests, "bytes": nbytes, **more}


def _size(n: int, ours_first: float, ours_bytes: int, ours_push: float, server_ms: float,
          after_ms: float = 2.5) -> SizeResult:
    pouch = [{"a": _step(t, 504, 8_000_000), "b": _step(0.024, 6, 4_000), "c": _step(0.5, 43, 2_200_000)}
             for t in (4.0, 4.4, 4.1)]
    noop = _step(0.01, 1, 750, server_ms=server_ms, server_ms_after=after_ms)
    ours = [{"a": _step(ours_first, 21, ours_bytes), "b": noop,
             "c": _step(ours_push, 1, 230_000, sync_seconds=0.3, sync_requests=2, sync_bytes=231_000)}] * 3
    return SizeResult(n, min(1_000, n // 10), pouch, ours, "1.00 / 1.00 / 1.00", "2.00 / 1.50 / 1.00")


def test_the_table_shows_medians_ratios_and_each_target_met_or_missed() -> None:
    rows = size_table(_size(10_000, ours_first=1.5, ours_bytes=7_000_000, ours_push=0.4, server_ms=3.0))
    table = {r.split("|")[1].strip(): [c.strip() for c in r.split("|")[2:-1]] for r in rows if r.startswith("| ")}
    assert table["first sync: time"] == ["1.50 s", "4.10 s", "0.37×", "≤ 0.5× PouchDB", "met"]
    assert table["first sync: bytes"] == ["7.00 MB", "8.00 MB", "0.88×", "≤ 0.75× PouchDB", "MISSED"]
    assert table["no-op sync: requests"] == ["1", "6", "0.17×", "–", "–"]
    assert table["no-op sync: server time (the first after the first sync)"] == ["3.0 ms", "–", "–", "≤ 5 ms", "met"]
    assert table["… the 5 no-op syncs after it, back to back (median)"] == ["2.5 ms", "–", "–", "≤ 5 ms", "met"]
    assert table["push of 1,000 two-field edits: time"] == ["400.0 ms", "500.0 ms", "0.80×", "≤ 0.26 s", "MISSED"]


def test_targets_of_the_other_sizes_and_growth() -> None:
    small = _size(1_000, ours_first=0.2, ours_bytes=700_000, ours_push=0.05, server_ms=3.0)
    table = "\n".join(size_table(small))
    assert "push of 100 two-field edits: time | 50.0 ms | 500.0 ms | 0.10× | – | – |" in table  # no target at 100
    sizes = [small, _size(10_000, 1.5, 7_000_000, 0.2, 3.2), _size(50_000, 12.0, 30_000_000, 0.2, 9.0)]
    _lines, checks = growth(sizes)
    assert checks == {"linear": False, "flat": False}  # 0.24 s per 1,000 at 50,000 against 0.15; 9 ms against 3
    assert missed(sizes) == ["10,000: first sync: bytes", "50,000: first sync: time",
                             "50,000: no-op sync: server time (the first after the first sync)",
                             "growth: linear", "growth: flat"]
    text = render(sizes, command="python -m bench peer", when="now", facts=[("CPUs", "2")], setup=["- setup"],
                  notes=["a note"])
    assert "Targets missed: 10,000: first sync: bytes; 50,000: first sync: time" in text
    assert text.count("#### ") == 4 and "- a note" in text


def test_no_size_renders_without_verdicts() -> None:
    assert growth([])[1] == {"linear": None, "flat": None}
    assert "Targets missed: none" in render([], command="c", when="w", facts=[], setup=[], notes=[])
