"""Fault schedules (issue 10, "Must show"): many seeded random schedules, each against a fresh ``lapor-server`` with two
offices and three or four PCs (one with its clock skewed by 1-3 days): staff work, national routing and re-routing,
random syncs through proxy faults, one kill -9 of a ``lapor-desk sync`` child, one server restore (with
``rotate-era`` or quietly), one PC restore, then quiet syncs; each schedule then checks 0 lost, 0 duplicated, equal
office digests, no cross-office row or file on any PC (bench/fault_checks.py). Not a test and not in CI: a run of
200 schedules takes hours.

    python -m bench.fault_schedules --schedules 200 [--first-seed 1] [--hours 8] [--backend sqlite|postgresql]
    python -m bench.fault_schedules --seed 17            # one schedule, in this process, with its steps printed
    python -m bench.fault_schedules --plan FILE.json     # a saved (for instance shortened) plan
    python -m bench.fault_schedules --summary [--write]  # the log's totals; --write puts them in docs/BENCHMARKS.md

Each schedule runs in a process of its own (bounded by ``--timeout``) and adds one JSON line to the log
(bench/out/fault_schedules/schedules.jsonl by default): seed, result, seconds, the checks' findings, the steps with
their outcomes; a failed schedule also keeps its plan and its folder (server log, stores). A run resumes: seeds
already in the log are skipped.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "fault_schedules"
LOG = OUT / "schedules.jsonl"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---- one schedule, in this process ----------------------------------------------------------------------------------


def run_plan(plan: dict[str, Any], folder: Path, template: Path, *, backend: str = "sqlite", pg: Any = None,
             verbose: bool = False) -> dict[str, Any]:
    """Run one plan and check it; returns the log line (without the timing of the process around it)."""
    import keyring
    from keyring.backends import fail

    from app.security import use_fast_hashing_for_tests
    from bench.fault_checks import check
    from bench.fault_plan import describe
    from bench.fault_world import World

    keyring.set_keyring(fail.Keyring())  # device tokens go to files in the schedule's folder, never a real keyring
    use_fast_hashing_for_tests()  # the offices' accounts are made here; nobody logs in
    started = time.monotonic()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    line: dict[str, Any] = {"seed": plan["seed"], "backend": backend, "pcs": plan["pcs"], "steps": []}
    world = None
    try:
        world = World(plan, folder, template, backend=backend, pg=pg)
        line["setup_seconds"] = round(time.monotonic() - started, 1)
        for i, step in enumerate(plan["steps"]):
            outcome = world.run_step(i, step)
            line["steps"].append([i, describe(step), outcome])
            if verbose:
                log(f"  {i:3d} {describe(step):60s} {outcome}")
        line["settle_rounds"] = world.settle()
        findings = check(world)
        line.update(findings.as_json())
        line["events"] = dict(sorted(world.events.items()))
        line["result"] = "clean" if findings.clean else "failed"
    except Exception:  # noqa: BLE001 - the harness itself broke: recorded, the run goes on with the next seed
        line["result"] = "error"
        line["error"] = traceback.format_exc()[-6000:]
        if world is not None:
            line["server_log_tail"] = world.server.log_tail(60)
    finally:
        if world is not None:
            try:
                world.close()
            except Exception:  # noqa: BLE001
                line.setdefault("close_error", traceback.format_exc()[-2000:])
    line["seconds"] = round(time.monotonic() - started, 1)
    if line["result"] != "clean":
        line["plan"] = plan
    return line


def _pg_from_env() -> Any:
    spec = os.environ.get("LAPOR_BENCH_PG")
    if not spec:
        return None
    from tests.helpers.postgres import PostgresServer

    data = json.loads(spec)
    return PostgresServer(Path(data["data_dir"]), data["port"], data["run_as"], data["pg_ctl"])


def one(args: argparse.Namespace) -> int:
    from bench.fault_plan import make_plan

    if args.plan:
        saved = json.loads(Path(args.plan).read_text())
        plan = saved.get("plan", saved)  # a log line, or a plan
    else:
        plan = make_plan(args.seed)
    folder = Path(args.folder or OUT / "work" / f"seed-{plan['seed']}")
    template = Path(args.template) if args.template else _template()
    pg = _pg_from_env()
    if args.backend == "postgresql" and pg is None:
        from tests.helpers.postgres import start_postgres

        pg = start_postgres()
    try:
        line = run_plan(plan, folder, template, backend=args.backend, pg=pg, verbose=args.result is None)
    finally:
        if pg is not None and not os.environ.get("LAPOR_BENCH_PG"):
            pg.stop()
    if line["result"] == "clean" and not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    text = json.dumps(line, ensure_ascii=False, default=str)
    if args.result:
        Path(args.result).write_text(text)
    else:
        print(json.dumps({k: v for k, v in line.items() if k not in ("steps", "plan")}, indent=1, default=str))
        log(f"seed {plan['seed']}: {line['result']} in {line['seconds']} s (folder {folder})")
    return 0 if line["result"] == "clean" else 1


def _template() -> Path:
    from bench.sync_runs import make_template

    path = OUT / "template" / "template.sqlite3"
    if not path.exists():
        make_template(path.parent)
    return path


# ---- many schedules, each in a process of its own ---------------------------------------------------------------


def _done_seeds(path: Path) -> set[int]:
    if not path.exists():
        return set()
    return {json.loads(line)["seed"] for line in path.read_text().splitlines() if line.strip()}


def _revision() -> str:
    if os.environ.get("LAPOR_BENCH_REVISION"):  # a copy of the tree without .git says what it is
        return os.environ["LAPOR_BENCH_REVISION"]
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                           text=True)
    return head.stdout.strip() + ("+uncommitted" if dirty.stdout.strip() else "")


def many(args: argparse.Namespace) -> int:
    out = Path(args.log)
    out.parent.mkdir(parents=True, exist_ok=True)
    template = _template()
    done = _done_seeds(out)
    if args.seeds:  # run these again (the summary counts a seed's last run)
        seeds = [int(s) for s in args.seeds.split(",")]
    else:
        seeds = [s for s in range(args.first_seed, args.first_seed + args.schedules) if s not in done]
    deadline = time.monotonic() + args.hours * 3600
    env = dict(os.environ)
    pg = None
    if args.backend == "postgresql":
        from tests.helpers.postgres import start_postgres

        pg = start_postgres()
        env["LAPOR_BENCH_PG"] = json.dumps({"data_dir": str(pg.data_dir), "port": pg.port, "run_as": pg.run_as,
                                            "pg_ctl": pg.pg_ctl})
    revision = _revision()
    log(f"{len(seeds)} schedules to run ({len(done)} already in {out}); stop starting new ones after "
        f"{args.hours:g} h")
    failures = 0
    try:
        for n, seed in enumerate(seeds, 1):
            if time.monotonic() > deadline:
                log("time is up; run again to resume")
                break
            line = _run_child(seed, args, template, env)
            line.update(revision=revision, finished=datetime.now(UTC).isoformat(timespec="seconds"))
            with out.open("a") as fh:
                fh.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
            failures += line["result"] != "clean"
            if line["result"] != "clean" and failures > args.keep_failed:  # the log line and seed are evidence enough
                shutil.rmtree(OUT / "work" / f"seed-{seed}", ignore_errors=True)
            found = {k: v["found"] for k, v in line.get("checks", {}).items() if v["found"]}
            log(f"[{n}/{len(seeds)}] seed {seed}: {line['result']} in {line.get('seconds')} s"
                + (f" {found}" if found else "") + (f" {line.get('error', '')[-300:]}" if "error" in line else ""))
    finally:
        if pg is not None:
            pg.stop()
    return 1 if failures else 0


def _run_child(seed: int, args: argparse.Namespace, template: Path, env: dict[str, str]) -> dict[str, Any]:
    folder = OUT / "work" / f"seed-{seed}"
    result = OUT / "work" / f"seed-{seed}.json"
    result.parent.mkdir(parents=True, exist_ok=True)
    result.unlink(missing_ok=True)
    started = time.monotonic()
    cmd = [sys.executable, "-m", "bench.fault_schedules", "--seed", str(seed), "--folder", str(folder),
           "--template", str(template), "--result", str(result), "--backend", args.backend]
    with (OUT / "work" / f"seed-{seed}.stderr").open("wb") as err:
        child = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=err, stderr=subprocess.STDOUT,
                                 start_new_session=True)  # its own group: a timeout ends it and what it started
        try:
            child.wait(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    seconds = round(time.monotonic() - started, 1)
    if result.exists():
        line = json.loads(result.read_text())
        result.unlink()
        if line["result"] == "clean":
            (OUT / "work" / f"seed-{seed}.stderr").unlink(missing_ok=True)
    else:
        tail = (OUT / "work" / f"seed-{seed}.stderr").read_text(errors="replace")[-3000:]
        line = {"seed": seed, "backend": args.backend, "result": "timeout" if child.returncode == -9 else "error",
                "error": f"exit {child.returncode}; stderr tail:\n{tail}"}
    line["process_seconds"] = seconds
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fault_schedules", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schedules", type=int, default=200, help="how many seeds to run (default 200)")
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--seeds", help="comma-separated seeds to run (again), instead of --schedules/--first-seed")
    parser.add_argument("--hours", type=float, default=8.0, help="start no schedule after this (default 8)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds one schedule may take (default 900)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--log", default=str(LOG), help=f"the JSON-lines log (default {LOG.relative_to(ROOT)})")
    parser.add_argument("--seed", type=int, help="run this one schedule here")
    parser.add_argument("--plan", help="run the plan in this file (a log line or {'plan': ...})")
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--template", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep a clean schedule's folder")
    parser.add_argument("--keep-failed", type=int, default=25,
                        help="keep the folders (stores, server log) of the first N failed schedules (default 25)")
    parser.add_argument("--summary", action="store_true", help="summarise the log")
    parser.add_argument("--write", action="store_true", help="with --summary: write docs/BENCHMARKS.md's section")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.summary:
        from bench.fault_report import summarise

        return summarise(Path(args.log), write=args.write)
    if args.seed is not None or args.plan:
        return one(args)
    return many(args)


if __name__ == "__main__":
    sys.exit(main())
