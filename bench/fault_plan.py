"""The plan of one fault schedule, drawn from its seed: which PCs (two offices, one PC with a skewed clock) and the
sequence of steps (staff work, national routing, syncs through proxy faults, one kill -9 of a sync, one server
restore, one PC restore). A plan is plain JSON: the same seed gives the same plan, and a plan saved from a log can be
run again with steps removed (``python -m bench.fault_schedules --plan FILE``) to find a minimal failing schedule.

Steps name complaints by ``pick``, an index into what the acting PC (or the server) holds at that moment, so a plan
with steps removed still runs."""

from __future__ import annotations

import random
from typing import Any

from tests.sync.faultproxy import FAULTS

Step = dict[str, Any]
Plan = dict[str, Any]

# Where a fault is injected: the first request of the sync that matches the prefix.
FAULT_PATHS = ("/api/v1/sync/push", "/api/v1/sync/pull", "/api/v1/blobs/", "/api/v1/")
# The staff's work, weighted as a day at an office looks: most steps move complaints through the workflow.
WORK = (("intake", 14), ("step", 26), ("note", 8), ("edit", 9), ("attach", 7), ("online", 5), ("reroute", 6),
        ("sync", 28))
KILL_MODES = (("pull", 3), ("push", 3), ("free", 2))
# Cut replies for the truncate fault: inside the status line, inside the headers, at an empty length.
TRUNCATE_AT: tuple[int | str, ...] = (12, 60, 150, "Content-Length: ")


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    names, weights = zip(*table, strict=True)
    return rng.choices(names, weights)[0]


def make_plan(seed: int, *, steps: int | None = None) -> Plan:
    """The schedule of ``seed``: PCs, steps, and where the kill and the restores fall."""
    rng = random.Random(seed)
    a_pcs, b_pcs = 2, rng.choice((1, 2))
    pcs = [{"office": 0} for _ in range(a_pcs)] + [{"office": 1} for _ in range(b_pcs)]
    skewed = rng.randrange(len(pcs))
    pcs[skewed]["skew_hours"] = rng.choice((-1, 1)) * rng.randint(24, 72)
    n = steps or rng.randint(60, 100)

    body = [_work_step(rng, len(pcs)) for _ in range(n)]
    # The one-off events, at random points: a server backup then its restore, a PC's backup then its restore, a
    # kill -9 of a sync somewhere in between. Each leaves a few steps of work before and after it.
    server_backup, server_restore = sorted(rng.sample(range(4, n - 3), 2))
    pc_backup, pc_restore = sorted(rng.sample(range(4, n - 3), 2))
    kill = rng.randrange(6, n - 2)
    restored_pc = rng.randrange(len(pcs))
    marks: list[tuple[int, int, Step]] = [
        (server_backup, 0, {"do": "server_backup"}),
        (server_restore, 1, {"do": "server_restore", "rotate_era": rng.random() < 0.5}),
        (pc_backup, 2, {"do": "pc_backup", "pc": restored_pc}),
        (pc_restore, 3, {"do": "pc_restore", "pc": restored_pc, "whole_folder": rng.random() < 0.3}),
        (kill, 4, {"do": "kill", "pc": rng.randrange(len(pcs)), "mode": _weighted(rng, KILL_MODES),
                   "stop_at": rng.randint(1, 2), "after": round(rng.uniform(0.05, 1.5), 2)}),
    ]
    for at, _order, step in sorted(marks, key=lambda m: (m[0], m[1]), reverse=True):
        body.insert(at, step)
    return {"seed": seed, "pcs": pcs, "steps": body}


def _work_step(rng: random.Random, pcs: int) -> Step:
    kind = _weighted(rng, WORK)
    pc = rng.randrange(pcs)
    pick = rng.randrange(1000)
    if kind == "intake":
        return {"do": "intake", "pc": pc, "variant": rng.randrange(1000)}
    if kind == "step":
        return {"do": "step", "pc": pc, "pick": pick, "choice": rng.randrange(100)}
    if kind == "note":
        return {"do": "note", "pc": pc, "pick": pick}
    if kind == "edit":
        return {"do": "edit", "pc": pc, "pick": pick, "field": rng.randrange(5), "value": rng.randrange(3)}
    if kind == "attach":
        # Mostly new bytes; sometimes bytes attached before (on any PC, either office: dedupe across offices).
        return {"do": "attach", "pc": pc, "pick": pick, "size": rng.randint(200, 12_000),
                "bytes": rng.randrange(1 << 30), "reuse": rng.random() < 0.25}
    if kind == "online":
        return {"do": "online", "office": rng.randrange(2), "n": rng.randint(1, 2)}
    if kind == "reroute":
        return {"do": "reroute", "pick": pick}
    step: Step = {"do": "sync", "pc": pc}
    if rng.random() < 0.35:
        fault = rng.choice(FAULTS)
        step.update(fault=fault, path=rng.choice(FAULT_PATHS), lasting=rng.random() < 0.25,
                    skip=rng.choice((0, 0, 1, 2)))
        if fault == "truncate":
            step["at"] = rng.choice(TRUNCATE_AT)
    return step


def describe(step: Step) -> str:
    """One short line for logs and reports."""
    rest = " ".join(f"{k}={v}" for k, v in step.items() if k != "do")
    return f"{step['do']} {rest}".strip()
