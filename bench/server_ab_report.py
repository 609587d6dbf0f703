"""The "server" section of docs/BENCHMARKS.md for ``bench.server_load --baseline``: before and after side by side."""

from __future__ import annotations

import argparse
import os
import statistics
from typing import Any

from bench.server_load import PHASES

PULL_TARGET = 0.5  # issue 14: no-op pulls at least half the rate of GET /health
FIGURES = (("health", "requests_per_s"), ("pull", "requests_per_s"), ("push", "items_per_s"))


def _paired(pair: dict[str, dict[str, Any]], phase: str, key: str) -> float:
    """Median over rounds of after ÷ before, each round's "after" against the "before" loaded next to it."""
    before, after = (pair[label]["report"]["rounds"] for label in ("before", "after"))
    return statistics.median(a[phase][key] / b[phase][key] for a, b in zip(after, before, strict=True))


def _served_by(result: dict[str, Any]) -> str:
    parts = result["parts"]
    found = [f"{lib} in {parts[lib]} of {parts['processes']}" for lib in ("uvloop", "httptools") if parts[lib]]
    return ", ".join(found) if found else f"neither uvloop nor httptools in its {parts['processes']} process(es)"


def _header(pairs: list[dict[str, dict[str, Any]]], opts: argparse.Namespace, facts: dict[str, Any]) -> list[str]:
    base = facts["base"]
    (b1, b5, _), (a1, a5, _) = facts["load"]
    edited = (f" plus uncommitted edits to {', '.join(facts['edited'])} in the working tree"
              if facts["edited"] else "")
    served = "; ".join(f"{pair['after']['config'].backend}×{pair['after']['config'].workers}: before "
                       f"{_served_by(pair['before'])}, after {_served_by(pair['after'])}" for pair in pairs)
    return [
        "## National server under load (`bench/server_load.py`)",
        "",
        f"`{facts['command']}` · {facts['when']} · **before** = `{opts.baseline}` = `{base.sha}` "
        f"({base.subject[:80]}…), served "
        + ("as shipped too" if getattr(opts, "as_shipped", False)
           else "with uvicorn's `loop=\"asyncio\"`, `http=\"h11\"` forced") + " · **after** = "
        f"`{facts['after_rev']}`{edited}, its `lapor-server serve` as shipped (uvicorn's `auto`: uvloop and "
        "httptools when installed) · both servers run at once, each on its own database seeded by its own code, "
        f"and are loaded in turns (rounds in ABBA order) · {opts.clients} concurrent clients, each an enrolled PC "
        f"of its own office on one keep-alive connection, in a closed loop · {opts.rounds} round(s) per server of "
        f"three phases (GET /health, no-op pull, push of {opts.batch} intake mutations), each {opts.warmup:g} s + "
        f"{opts.seconds:g} s of sending, then waiting for the answers still in flight · a rate is the phase's "
        "answers ÷ the time from its first request to its last answer; figures are medians over rounds, "
        "after ÷ before is the median of each round's ratio to the \"before\" round loaded next to it.",
        "",
        *[f"- {fact}" for fact in facts["machine"]],
        f"- Event loop and HTTP parser, read from the server processes' memory maps: {served}.",
        f"- Load average (1 / 5 min) {b1:.2f} / {b5:.2f} at the start, {a1:.2f} / {a5:.2f} at the end, on "
        f"{os.cpu_count()} cores shared with other work; the load generator shares them too (CPU table below).",
        f"- The difference is everything between the two revisions, not §7 alone: {facts['between']}.",
        "",
    ]


def render(pairs: list[dict[str, dict[str, Any]]], opts: argparse.Namespace, facts: dict[str, Any]) -> str:
    lines = _header(pairs, opts, facts)
    lines += [f"| Backend | Workers | Server | GET /health req/s | No-op pulls/s | Pulls ÷ /health (target ≥ "
              f"{PULL_TARGET}) | Mutations applied/s | /health · pull · push p50 ms | Exactly once · 5xx |",
              "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for pair in pairs:
        cfg = pair["after"]["config"]
        for label in ("before", "after"):
            s, c = pair[label]["summary"], pair[label]["checks"]
            verdict = "met" if s["pull_ratio"] >= PULL_TARGET else "**MISSED**"
            p50 = " · ".join(f"{s['lat'][p][0]:.0f}" for p in PHASES)
            once = "yes" if c["exactly_once"] else "**NO**"
            lines.append(f"| {cfg.backend} | {cfg.workers} | {label} | {s['health']:,.0f} | {s['pull']:,.0f} "
                         f"| {s['pull_ratio']:.2f} {verdict} | {s['mutations']:,.0f} | {p50} "
                         f"| {once} ({c['complaints']:,} complaints) · {s['server_errors']} |")
        ratios = [f"{_paired(pair, phase, key):.2f}×" for phase, key in FIGURES]
        lines.append(f"| {cfg.backend} | {cfg.workers} | after ÷ before | {ratios[0]} | {ratios[1]} | | {ratios[2]} "
                     "| | |")
    lines += ["", "Per round, in the order they ran:", "",
              "| Backend | Workers | Round | Server | /health req/s | pulls/s | mutations/s | push phase s "
              "| HTTP statuses |", "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |"]
    for pair in pairs:
        cfg = pair["after"]["config"]
        for i in range(opts.rounds):
            for label in ("before", "after") if i % 2 == 0 else ("after", "before"):
                r = pair[label]["report"]["rounds"][i]
                statuses: dict[str, int] = {}
                for phase in PHASES:
                    for code, n in r[phase]["statuses"].items():
                        statuses[code] = statuses.get(code, 0) + n
                lines.append(f"| {cfg.backend} | {cfg.workers} | {i + 1} | {label} "
                             f"| {r['health']['requests_per_s']:,.0f} | {r['pull']['requests_per_s']:,.0f} "
                             f"| {r['push']['items_per_s']:,.0f} | {r['push']['span_s']:.1f} "
                             f"| {', '.join(f'{k}: {v:,}' for k, v in sorted(statuses.items()))} |")
    keys = ["machine", "server", "postgres", "loadgen", "other"]
    lines += ["", f"CPU in the measured window, in cores (of {os.cpu_count()}), median over rounds: the loaded "
              "server's processes, PostgreSQL's, the load generator's, and everything else (the idle server "
              "included).", "", "| Backend | Workers | Server | Phase | " + " | ".join(keys) + " |",
              "| --- | ---: | --- | --- | " + " | ".join("---:" for _ in keys) + " |"]
    for pair in pairs:
        for label in ("before", "after"):
            cfg, cpu = pair[label]["config"], pair[label]["summary"]["cpu"]
            for phase in PHASES:
                cells = " | ".join(f"{cpu[phase][k]:.2f}" if k in cpu[phase] else "–" for k in keys)
                lines.append(f"| {cfg.backend} | {cfg.workers} | {label} | {phase} | {cells} |")
    lines += ["", "Checks after each run: complaints = RECEIVED events = stored push results = acknowledged seqs, "
              "every device's last_seq as its client saw it, every result `applied`, no push stopped, every "
              "no-op pull empty."]
    for pair in pairs:
        for label in ("before", "after"):
            res = pair[label]
            cfg, c, rep, s = res["config"], res["checks"], res["report"], res["summary"]
            lines.append(f"- {cfg.backend}×{cfg.workers} {label}: {c['expected']:,} acknowledged, "
                         f"{c['complaints']:,} complaints, {c['received_events']:,} RECEIVED events, "
                         f"{c['mutation_records']:,} stored results, {c['devices_mismatched']} devices mismatched; "
                         f"non-applied {rep['non_applied'] or 0}, push stops {rep['push_stops'] or 0}, non-empty "
                         f"no-op pulls {rep['nonempty_pulls']}, connection errors {s['client_errors']}, "
                         f"connections opened {rep['connections_opened']}, server log errors "
                         f"{c['server_log_errors']}.")
    return "\n".join(lines) + "\n"
