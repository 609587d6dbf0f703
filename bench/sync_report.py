"""The Markdown section of bench/sync_bench.py: targets, results, the machine, and what each figure counts."""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.sync_bench import Results

NOOP_MAX_BYTES = 1_000
EDITS_MAX_BYTES = 250_000
RATIO_MAX = 1.1


def _med(rows: list[dict[str, Any]], get: Callable[[dict[str, Any]], float]) -> float:
    return statistics.median(get(r) for r in rows) if rows else float("nan")


def _b(n: float) -> str:
    return f"{n:,.0f} B"


def _kb(n: float) -> str:
    return f"{n / 1000:,.1f} kB" if n < 1_000_000 else f"{n / 1_000_000:,.2f} MB"


def _verdict(ok: bool) -> str:
    return "ok" if ok else "**MISSED**"


def table(results: Results) -> list[str]:
    s = results.seeded
    lines = ["| Figure | Target | Result | |", "|---|---|---|---|"]
    first = results.first
    if first:
        n = len(first)
        ratio = _med(first, lambda r: r["ratio"])
        floor = first[-1]["floor"]
        lines += [
            f"| First sync of {s.complaints:,} complaints into a freshly enrolled PC: wall time (median of {n}) | – "
            f"| {_med(first, lambda r: r['seconds']):.1f} s: records {_med(first, lambda r: r['records_seconds']):.1f}"
            f" s (requests in flight {_med(first, lambda r: r['records']['seconds']):.1f} s, overlapping the PC "
            f"applying pages), then files | |",
            f"| First sync: records on the wire (reference data + pull pages, request + response bodies, compressed) "
            f"| – | {_kb(_med(first, lambda r: r['records']['bytes']))} in "
            f"{_med(first, lambda r: r['records']['requests']):.0f} requests | |",
            f"| First sync: records ÷ floor (floor = gzip -9 of the same records as compact JSON in one stream: "
            f"{_kb(floor['gzip9'])}) | ≤ {RATIO_MAX:g} | {ratio:.2f} | {_verdict(ratio <= RATIO_MAX)} |",
            f"| First sync: attachment files downloaded (GET /api/v1/blobs, not in the ratio) | – | "
            f"{_med(first, lambda r: r['blobs']['requests']):.0f} files, "
            f"{_kb(_med(first, lambda r: r['blobs']['bytes']))} | |",
        ]
    if results.noop:
        trips = _med(results.noop, lambda r: r["all"]["requests"])
        nbytes = _med(results.noop, lambda r: r["all"]["bytes"])
        headers = _med(results.noop, lambda r: r["all"]["headers"])
        lines += [
            f"| No-op sync: HTTP round trips (median of {len(results.noop)}) | 1 | {trips:.0f} | "
            f"{_verdict(trips == 1)} |",
            f"| No-op sync: bytes (bodies + URL; HTTP headers besides) | < 1 kB ({NOOP_MAX_BYTES:,} B) | {_b(nbytes)} "
            f"(+ ~{_b(headers)} of headers) | {_verdict(nbytes < NOOP_MAX_BYTES)} |",
        ]
    if results.edits:
        e = results.edits
        k = len(e)
        edits = e[0]["applied"] + e[0]["merged"]
        push = _med(e, lambda r: r["push"]["bytes"])
        pull = _med(e, lambda r: r["pull"]["bytes"])
        total = _med(e, lambda r: r["push"]["bytes"] + r["pull"]["bytes"])
        lines += [
            f"| {edits:,} local edits (2 fields each), then one sync: sync wall time (median of {k}) | – | "
            f"{_med(e, lambda r: r['seconds']):.1f} s (the edits themselves: "
            f"{_med(e, lambda r: r['edit_seconds']):.1f} s) | |",
            f"| … push: bytes | – | {_kb(push)} in {_med(e, lambda r: r['push']['requests']):.0f} requests | |",
            f"| … the pull that follows: bytes | – | {_kb(pull)} in "
            f"{_requests(_med(e, lambda r: r['pull']['requests']))}, "
            f"{_med(e, lambda r: r['pulled']):,.0f} complaints and "
            f"{_med(e, lambda r: r['pulled_events']):,.0f} events sent back | |",
            f"| … push + pull | ≤ 250 kB ({EDITS_MAX_BYTES:,} B) | {_kb(total)} | "
            f"{_verdict(total <= EDITS_MAX_BYTES)} |",
        ]
    if results.slow is not None:
        r = results.slow
        lines.append(f"| First sync over a slow lossy link ({r['profile']}) | completes, no error | "
                     f"{r['seconds']:.0f} s (records {r['records_seconds']:.0f} s); "
                     f"{_kb(r['link_up'] + r['link_down'])} of IP packets through the link | ok |")
    elif results.slow_skipped:
        lines.append(f"| First sync over a slow lossy link | completes, no error | {results.slow_skipped} | – |")
    return lines


def _requests(n: float) -> str:
    return "1 request" if round(n) == 1 else f"{n:.0f} requests"


def findings(results: Results, opts: argparse.Namespace) -> list[str]:
    """What the figures say, computed from this run."""
    out: list[str] = []
    if results.first:
        r = results.first[-1]
        fl = r["floor"]
        repeats = fl["delivered"] / max(fl["entities"], 1)
        out.append(
            f"- **What the first sync sends**: the pull pages carried {fl['delivered']:,} entity states for "
            f"{fl['entities']:,} distinct entities (×{repeats:.2f}): a download from the beginning is a snapshot of "
            "the office as it is now, each complaint once with its timeline and attachments "
            f"({r['records']['requests']:.0f} requests), then the change log from where the snapshot began. The "
            "pages travel as tables (protocol 6: each column name once) in zstd, the floor is the entity dicts in "
            f"gzip -9 (gzip -6 would be {fl['gzip6'] / fl['gzip9']:.3f}× it): below 1 is what tables and zstd save, "
            "against compression restarting on every page and the page envelopes.")
        http = _med(results.first, lambda x: x["records"]["seconds"])
        total = _med(results.first, lambda x: x["records_seconds"])
        out.append(f"- **Where the first sync's time goes**: {total:.0f} s for the records. The engine fetches the "
                   "next page while it applies one, so waiting for answers and applying overlap: the requests were "
                   f"in flight for {http:.0f} s in all; applying {fl['delivered']:,} entities in "
                   f"{r['records']['requests']:.0f} pages (two to a transaction, the page's lookups read up front, "
                   "search documents rebuilt in one statement per page) takes the rest.")
    if results.slow is not None and results.first:
        r = results.slow
        wire = r["records"]["bytes"] + r["blobs"]["bytes"]
        estimate = wire * 8 / (opts.slow_kbit * 1000)
        out.append(
            f"- **Slow link**: {_kb(wire)} of bodies at {opts.slow_kbit:g} kbit/s is {estimate:.0f} s on the wire "
            f"alone; the sync took {r['seconds']:.0f} s. Each of the "
            f"{r['records']['requests'] + r['blobs']['requests']:.0f} requests waits at least one round trip (the "
            "files are fetched four at a time, the pages one after another with the next fetched while one is "
            "applied). "
            f"The link carried {_kb(r['link_up'] + r['link_down'])} of IP packets (headers and TCP retransmissions "
            f"included); the PC retried {r.get('waits', 0)} requests after connection errors "
            f"({r['slept']:.0f} s of back-off) and finished without an error.")
    if results.edits:
        e = results.edits
        edits = e[0]["applied"] + e[0]["merged"]
        push = _med(e, lambda x: x["push"]["bytes"])
        out.append(
            f"- **Edits**: the push is {push / edits:.0f} B per edit on the wire (request "
            f"{_med(e, lambda x: x['push']['sent']) / edits:.0f} B: the mutation with its EDITED event holding "
            f"old and new values; answer {_med(e, lambda x: x['push']['received']) / edits:.0f} B). " + (
                "The pull after it sends nothing back (the PC's own changes are not echoed; the server reads past "
                f"them) and takes {_requests(_med(e, lambda x: x['pull']['requests']))} to move the cursor past them."
                if _med(e, lambda x: x["pulled"]) == 0 else
                f"The pull after it sends {_med(e, lambda x: x['pulled']):,.0f} complaints back "
                f"({_kb(_med(e, lambda x: x['pull']['bytes']))})."))
    return out


def details(results: Results) -> list[str]:
    lines = ["| Run | wall s | records s (HTTP) | requests (repeats after 429/5xx) | records sent / received "
             "| floor gzip -9 / -6 / raw | ratio -9 / -6 | entities sent (distinct) | files, bytes "
             "| waits before a retry: count, s |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    runs = [(f"local {i + 1}", r) for i, r in enumerate(results.first)]
    if results.slow is not None:
        runs.append(("slow link", results.slow))
    for name, r in runs:
        rec, fl, bl = r["records"], r["floor"], r["blobs"]
        lines.append(
            f"| {name} | {r['seconds']:.1f} | {r['records_seconds']:.1f} ({rec['seconds']:.1f}) "
            f"| {rec['requests'] + bl['requests']:.0f} "
            f"({rec['retries'] + bl['retries']:.0f}) | {_b(rec['sent'])} / {_b(rec['received'])} "
            f"| {_b(fl['gzip9'])} / {_b(fl['gzip6'])} / {_b(fl['raw'])} | {r['ratio']:.2f} / {r['ratio6']:.2f} "
            f"| {fl['delivered']:,} ({fl['entities']:,}) | {bl['requests']:.0f}, {_b(bl['bytes'])} "
            f"| {r.get('waits', 0)}, {r['slept']:.1f} s |")
    return lines


def edit_details(results: Results) -> list[str]:
    lines = ["| Round | edits s | sync s | push requests, bytes (sent / received) | pull requests, bytes (sent / "
             "received) | complaints / events pulled back |", "|---:|---:|---:|---:|---:|---:|"]
    for i, r in enumerate(results.edits, 1):
        p, q = r["push"], r["pull"]
        lines.append(f"| {i} | {r['edit_seconds']:.1f} | {r['seconds']:.1f} | {p['requests']:.0f}, "
                     f"{_b(p['sent'])} / {_b(p['received'])} | {q['requests']:.0f}, {_b(q['sent'])} / "
                     f"{_b(q['received'])} | {r['pulled']:,} / {r['pulled_events']:,} |")
    if results.after_edits:
        a = results.after_edits
        lines.append(f"| next sync | – | {a['seconds']:.2f} | {a['push']['requests']:.0f} | {a['pull']['requests']:.0f}"
                     f", {_b(a['pull']['bytes'])} | {a['pulled']:,} / {a['pulled_events']:,} |")
    return lines


def render(results: Results, opts: argparse.Namespace, *, command: str, facts: list[tuple[str, str]],
           when: str) -> str:
    s = results.seeded
    seeded = (f"{s.complaints:,} complaints ({s.open_complaints:,} still open), {s.events:,} timeline events, "
              f"{s.attachments:,} attachments ({s.blob_bytes / 1e6:.1f} MB of random bytes, 1–16 kB each), "
              f"{s.changelog_rows:,} change-log rows in {s.transactions:,} transactions; seeded in "
              f"{s.seconds:.0f} s" + (" (database cached in bench/out/sync since)" if results.cached_seed else ""))
    env = "\n".join(f"| {k} | {v} |" for k, v in facts)
    failures = "\n".join(f"- **FAILED** {f}" for f in results.failures) or "- none"
    return f"""## Sync on the wire (`bench/sync_bench.py`)

Generated by `{command}` on {when}. A real `lapor-server serve` (SQLite, one worker) on 127.0.0.1 and, for the
slow link, inside a network namespace; the PC side is the program's own enrolment, store and `SyncEngine`, in the
bench's process. The server holds one office (Kabupaten Sleman) with {seeded}.

{chr(10).join(table(results))}

Failed runs:
{failures}

### Findings

{chr(10).join(findings(results, opts))}

### What is counted

- **Bytes** are what `sync.transport.WireStats` counts: each request body as sent (gzip above 1 kB) plus its URL,
  and each response body as received (`Content-Length`: compressed when the server compressed it, zstd or gzip).
  HTTP headers are not in these figures; where shown, "headers" is an estimate from the header blocks of the last
  attempt. kB = 1,000 bytes.
- **Records** are everything a first sync fetches except attachment bytes: `GET /api/v1/reference` (categories,
  SLA policy, holidays, units, accounts) and every `POST /api/v1/sync/pull` page. Enrolment (one small request
  before the sync) is not included.
- **Floor**: the records the PC received, each entity once in its final state (plus the reference document), as
  compact JSON (`separators=(",", ":")`, UTF-8) in one stream, gzip level 9 (level 6 in the details). The ratio is
  records on the wire ÷ that floor.
- **Files**: attachment bytes (`GET /api/v1/blobs/…`, random, so incompressible) are counted apart; the engine
  downloads the files of open complaints eagerly, the rest on demand.
- **Medians** over runs: {len(results.first)} first syncs (each a new PC enrolled to the same server), \
{len(results.noop)} no-op syncs, {len(results.edits)} rounds of edits.
- Edits: `app.services.edit_complaint` by the office admin on {opts.edits:,} open complaints (title and address),
  then one `run_once`; push and the pull that follows are reported apart.
- The PC, the server and the slow-link forwarder share the same {facts[0][1]} CPUs with other work (load average
  below); times are wall times.
- Server log errors during the runs: {results.server_log_errors}.

### First syncs

{chr(10).join(details(results))}

### Edits

{chr(10).join(edit_details(results))}

### Machine

| | |
|---|---|
{env}
"""
