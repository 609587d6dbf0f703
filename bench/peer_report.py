"""The side-by-side of bench/peer.py as text: medians of the repetitions, our figure ÷ PouchDB's, each target met or
MISSED, and how the figures grow with the number of complaints. Pure: plain dicts in, markdown out.

A repetition of one side is ``{"a": step, "b": step, "c": step}`` (first sync, no-op sync, push of the edits);
a step is ``{"seconds", "requests", "bytes", ...}``, our no-op also ``server_ms``, our push also ``sync_seconds``,
``sync_requests``, ``sync_bytes`` (the whole sync that pushed, its pull included)."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

PUSH_TARGET_EDITS = 1_000
PUSH_TARGET_SECONDS = 0.26
FIRST_TIME_RATIO = 0.5
FIRST_BYTES_RATIO = 0.75
NOOP_SERVER_MS = 5.0
NOOPS_AFTER = 5  # no-op syncs measured back to back after the first one (bench.peer_ours)
FLAT = 1.5  # "flat": the no-op's server time at the largest size at most this many times that at the smallest
LINEAR = 1.25  # "linear": the first sync's time per complaint at the largest size at most this × the lowest of any size

Rep = dict[str, dict[str, Any]]


@dataclass
class SizeResult:
    complaints: int
    push: int  # documents edited before the push
    pouch: list[Rep]
    ours: list[Rep]
    load_before: str
    load_after: str

    def median(self, side: str, step: str, key: str) -> float | None:
        reps = self.pouch if side == "pouch" else self.ours
        values = [r[step][key] for r in reps if r.get(step, {}).get(key) is not None]
        return statistics.median(values) if values else None


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "MISSED")


def ratio(ours: float | None, theirs: float | None) -> float | None:
    return None if ours is None or not theirs else ours / theirs


def fmt_ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def fmt_seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def fmt_bytes(value: float | None) -> str:
    if value is None:
        return "–"
    if value >= 1_000_000:
        return f"{value / 1_000_000:.2f} MB"
    return f"{value / 1000:.1f} kB" if value >= 10_000 else f"{value:,.0f} B"


def fmt_count(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def _row(label: str, size: SizeResult, step: str, key: str, fmt: Callable[[float | None], str],
         target: str = "–", ok: bool | None = None) -> str:
    ours, theirs = size.median("ours", step, key), size.median("pouch", step, key)
    return (f"| {label} | {fmt(ours)} | {fmt(theirs)} | {fmt_ratio(ratio(ours, theirs))} | {target} "
            f"| {verdict(ok)} |")


def _server_row(label: str, size: SizeResult, step: str) -> str:
    ms = size.median("ours", step, "server_ms")
    return f"| {label} | {fmt_seconds(None if ms is None else ms / 1000)} | – | – | – | – |"


def size_table(size: SizeResult) -> list[str]:
    """One size's rows: what each side measured, the ratio, the target and whether it was met."""
    n = size.complaints
    first_t = ratio(size.median("ours", "a", "seconds"), size.median("pouch", "a", "seconds"))
    first_b = ratio(size.median("ours", "a", "bytes"), size.median("pouch", "a", "bytes"))
    time_target = n in (10_000, 50_000)
    bytes_target = n == 10_000
    push_ours = size.median("ours", "c", "seconds")
    push_target = size.push == PUSH_TARGET_EDITS
    server_ms = size.median("ours", "b", "server_ms")
    after_ms = size.median("ours", "b", "server_ms_after")
    lines = [
        f"#### {n:,} complaints ({len(size.ours)} repetition(s) per side; load average {size.load_before} before, "
        f"{size.load_after} after)",
        "",
        "| step | LAPOR Desk | PouchDB | ours ÷ PouchDB | target | |",
        "|---|---:|---:|---:|---|---|",
        _row("first sync: time", size, "a", "seconds", fmt_seconds,
             f"≤ {FIRST_TIME_RATIO}× PouchDB" if time_target else "–",
             None if not time_target or first_t is None else first_t <= FIRST_TIME_RATIO),
        _row("first sync: requests", size, "a", "requests", fmt_count),
        _server_row("first sync: server time (all its requests)", size, "a"),
        _row("first sync: bytes", size, "a", "bytes", fmt_bytes,
             f"≤ {FIRST_BYTES_RATIO}× PouchDB" if bytes_target else "–",
             None if not bytes_target or first_b is None else first_b <= FIRST_BYTES_RATIO),
        _row("no-op sync: time", size, "b", "seconds", fmt_seconds),
        _row("no-op sync: requests", size, "b", "requests", fmt_count),
        _row("no-op sync: bytes", size, "b", "bytes", fmt_bytes),
        f"| no-op sync: server time (the first after the first sync) "
        f"| {fmt_seconds(None if server_ms is None else server_ms / 1000)} | – | – "
        f"| ≤ {NOOP_SERVER_MS:g} ms | {verdict(None if server_ms is None else server_ms <= NOOP_SERVER_MS)} |",
        f"| … the {NOOPS_AFTER} no-op syncs after it, back to back (median) "
        f"| {fmt_seconds(None if after_ms is None else after_ms / 1000)} | – | – "
        f"| ≤ {NOOP_SERVER_MS:g} ms | {verdict(None if after_ms is None else after_ms <= NOOP_SERVER_MS)} |",
        _row(f"push of {size.push:,} two-field edits: time", size, "c", "seconds", fmt_seconds,
             f"≤ {PUSH_TARGET_SECONDS} s" if push_target else "–",
             None if not push_target or push_ours is None else push_ours <= PUSH_TARGET_SECONDS),
        _row("push: requests", size, "c", "requests", fmt_count),
        _row("push: bytes", size, "c", "bytes", fmt_bytes),
        _server_row("push: server time", size, "c"),
        f"| … the whole sync that pushed (push, then the pull after it) | "
        f"{fmt_seconds(size.median('ours', 'c', 'sync_seconds'))}, "
        f"{fmt_count(size.median('ours', 'c', 'sync_requests'))} requests, "
        f"{fmt_bytes(size.median('ours', 'c', 'sync_bytes'))} | – | – | – | |",
    ]
    return lines


def growth(sizes: Sequence[SizeResult]) -> tuple[list[str], dict[str, bool | None]]:
    """How each figure grows with the office: rows per size, and whether the first sync stayed linear and the
    no-op's server time flat (None with fewer than two sizes)."""
    lines = ["| complaints | first sync, ours: per 1,000 | PouchDB: per 1,000 | no-op, ours: requests, time, "
             "server time | PouchDB: requests, time |",
             "|---:|---:|---:|---:|---:|"]
    per_k: list[float] = []
    noop_ms: list[float] = []
    for s in sizes:
        ours, theirs = s.median("ours", "a", "seconds"), s.median("pouch", "a", "seconds")
        k = s.complaints / 1000
        server_ms = s.median("ours", "b", "server_ms")
        if ours is not None:
            per_k.append(ours / k)
        if server_ms is not None:
            noop_ms.append(server_ms)
        lines.append(
            f"| {s.complaints:,} | {fmt_seconds(None if ours is None else ours / k)} "
            f"| {fmt_seconds(None if theirs is None else theirs / k)} "
            f"| {fmt_count(s.median('ours', 'b', 'requests'))}, {fmt_seconds(s.median('ours', 'b', 'seconds'))}, "
            f"{fmt_seconds(None if server_ms is None else server_ms / 1000)} "
            f"| {fmt_count(s.median('pouch', 'b', 'requests'))}, {fmt_seconds(s.median('pouch', 'b', 'seconds'))} |")
    enough = len(sizes) >= 2
    checks = {
        "linear": per_k[-1] <= LINEAR * min(per_k) if enough and len(per_k) == len(sizes) else None,
        "flat": noop_ms[-1] <= FLAT * noop_ms[0] if enough and len(noop_ms) == len(sizes) else None,
    }
    return lines, checks


def missed(sizes: Sequence[SizeResult]) -> list[str]:
    """Every row marked MISSED, as 'size: step'."""
    out = []
    for s in sizes:
        for line in size_table(s):
            if line.endswith("| MISSED |"):
                out.append(f"{s.complaints:,}: {line.split('|')[1].strip()}")
    _lines, checks = growth(sizes)
    out += [f"growth: {name}" for name, ok in checks.items() if ok is False]
    return out


def render(sizes: Sequence[SizeResult], *, command: str, when: str, facts: Sequence[tuple[str, str]],
           setup: Sequence[str], notes: Sequence[str]) -> str:
    lines = ["## Side by side with PouchDB (`bench/peer.py`)", "",
             f"Generated by `{command}` on {when}. Medians of the repetitions; PouchDB and LAPOR Desk ran in "
             "alternation (PouchDB repetition 1, ours 1, PouchDB 2, …) on the same machine, on the same documents.",
             "", *setup, ""]
    for s in sizes:
        lines += [*size_table(s), ""]
    growth_lines, checks = growth(sizes)
    lines += ["#### How the figures grow", "", *growth_lines, "",
              f"- First sync linear (time per 1,000 complaints at the largest size ≤ {LINEAR}× the lowest of any "
              f"size): {verdict(checks['linear'])}",
              f"- No-op flat (server time at the largest size ≤ {FLAT}× the smallest size's): "
              f"{verdict(checks['flat'])}", ""]
    misses = missed(sizes)
    lines += ["Targets missed: " + ("; ".join(misses) if misses else "none"), ""]
    if notes:
        lines += ["### Notes", "", *(f"- {n}" for n in notes), ""]
    lines += ["### Machine", "", "| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in facts)]
    return "\n".join(lines) + "\n"
