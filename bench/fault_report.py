"""The fault schedules' log summed up: how many ran and came out clean, what each check found, the findings grouped by
cause (with the seeds that show each), and what the schedules did (faults, kills, restores). ``--write`` puts it in
the "faults" section of docs/BENCHMARKS.md (bench/sections.py: that section only)."""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import sections
from bench.fault_checks import CHECKS

# What a finding shows, recognised from its words (a symptom, not a diagnosis: EXPLAINED says what the schedules
# that showed it had in common). The first pattern that matches names it; one schedule may show several.
CAUSES: tuple[tuple[str, str, str], ...] = (
    ("tracking_code_issued_twice", "anomalies", r"UNIQUE constraint failed: complaints\.tracking_code"),
    ("tracking_code_issued_twice", "refusals", r"duplicate_tracking_code"),
    ("tracking_code_issued_twice", "duplicated", r"^tracking code \S+ names"),
    ("pc_blocked_by_a_missing_file", "anomalies", r"FileNotFoundError"),
    ("pc_blocked_by_a_missing_file", "lost", r"says its file is here, but"),
    ("file_lost_from_server", "lost", r"^file \S+ of attachment .*not \(whole\) on the server"),
    ("pc_keeps_complaint_of_other_office", "cross_office_rows", r"server says (?!none)"),
    ("pc_keeps_complaint_of_other_office", "refusals", r"complaint\.restore .*foreign_id"),
    ("pc_keeps_rows_the_server_lacks", "cross_office_rows", r"server says none|complaints \[\] on the server"),
    ("pc_keeps_rows_of_other_office", "cross_office_rows", r"."),
    ("pc_holds_complaint_its_office_lacks", "digests", r"complaints \S+: only left"),
    ("pc_blocked_after_two_restores", "anomalies", r"hanya menyimpan mulai nomor"),
    ("pc_blocked_after_two_restores", "outbox", r"still pending"),
    ("pc_lacks_entries_the_server_keeps", "digests", r"events \S+: only right"),
    ("complaint_lost_from_server", "lost", r"^complaint \S+ .*is not on the server"),
    ("entry_lost_from_server", "lost", r"^\S+ event \S+ of complaint .*is not on the server|^attachment .*not on the"),
    ("file_not_downloaded", "lost", r"never downloaded"),
    ("intake_refused_as_foreign_after_restore", "refusals", r"complaint\.intake .*foreign_id"),
    ("files_of_a_kept_complaint_of_other_office", "cross_office_files", r"."),
    ("missing_on_a_pc", "lost", r"is missing on"),
    ("stray_file_after_pc_restore", "stray_files", r"."),
)
EXPLAINED = {
    "event_time_kept": "Timeline entries whose time differs between a PC and the server for good: the server dates "
                       "an entry by its own clock (keeping the PC's as `recorded_on_pc`), and a PC that already "
                       "holds the entry takes only its `data_json` from the pull (sync/apply_pull.py "
                       "`_insert_event`), never its `at`. Shows on the skewed PC, and on any PC after a server "
                       "restore (re-applied entries are dated anew).",
    "pc_keeps_complaint_of_other_office": "A complaint re-routed to the other office while a PC was out of step "
                                          "after a server restore (rotate-era, or found out quietly) stays on that "
                                          "PC with its reporter and timeline: the download from the beginning adds "
                                          "what the office holds and never removes what left.",
    "pc_holds_complaint_its_office_lacks": "The digest side of `pc_keeps_complaint_of_other_office`, "
                                           "`intake_refused_as_foreign_after_restore` and "
                                           "`pc_keeps_rows_the_server_lacks`: a PC's copy of its office holds a "
                                           "complaint the server's copy of that office does not.",
    "pc_keeps_rows_of_other_office": "The reporters, timeline entries and attachments of the complaints a PC keeps "
                                     "although they are the other office's (reporters: name, NIK, phone, e-mail).",
    "tracking_code_issued_twice": "After a server restore the national tracking sequence (server_meta) is back at "
                                  "the backup's value while the PCs hold (and give back) national complaints issued "
                                  "after it. Either the next online complaint reuses a code the PCs gave back "
                                  "(IntegrityError: the national API answers 500, and keeps doing so), or it is "
                                  "issued first and the PCs' give-back is refused (`duplicate_tracking_code`: the "
                                  "citizen's complaint is lost from the server) and every sync of a PC holding the "
                                  "old one fails in the pull with a UNIQUE constraint traceback, for good.",
    "pc_keeps_rows_the_server_lacks": "A PC keeps a complaint (and its reporter, timeline) the server does not "
                                      "hold.",
    "pc_blocked_after_two_restores": "A PC restored from an older copy of its data, then the server restored from "
                                     "a backup older than what that PC had sent before its own restore: every sync "
                                     "of the PC fails with \"the server needs changes from number N, this PC keeps "
                                     "them only from M … contact IT\" (exit 1), for good; its later changes (and "
                                     "its intakes the server lost) never reach the server.",
    "pc_lacks_entries_the_server_keeps": "After a server restore, a PC gives back (complaint.restore) timeline "
                                         "entries of another PC's status changes, then that PC's re-pushed changes "
                                         "are refused (transition_rejected, re-pushed in another order): every PC "
                                         "drops the entries, the server keeps them next to the TRANSITION_REJECTED "
                                         "entries. The office's timelines differ from the server's for good.",
    "complaint_lost_from_server": "A complaint a PC held is not on the server after the quiet syncs (the national "
                                  "complaints whose give-back was refused, the intakes of a PC blocked after two "
                                  "restores).",
    "intake_refused_as_foreign_after_restore": "After a server restore, a PC re-pushes an intake of a complaint that "
                                               "was re-routed to the other office after the backup and that the "
                                               "other office's PC gave back first: the server refuses it "
                                               "(`foreign_id`), and the PC keeps it as a standing refused intake — "
                                               "the other office's complaint, reporter and files stay on the PC, "
                                               "shown as a citizen's complaint the server refused.",
    "files_of_a_kept_complaint_of_other_office": "The files of a complaint a PC keeps although it is now the other "
                                                 "office's (the findings above).",
    "entry_lost_from_server": "Timeline entries or attachments a PC held that are not on the server.",
    "file_not_downloaded": "A file of an open complaint never downloaded.",
    "digest_differs": "A PC's copy of its office differs from the server's in other ways (versions, fields, "
                      "missing complaints).",
    "pc_blocked_by_a_missing_file": "A PC restored from a database-only backup holds an attachment marked present "
                                    "whose file it deleted after the backup (the attachment was refused, or its "
                                    "complaint left the office); after a server restore the server takes the "
                                    "attachment again and the PC's upload opens the missing file: every sync ends "
                                    "in a FileNotFoundError traceback, for good.",
    "file_lost_from_server": "An attachment's bytes are not on the server although a PC still has them on disk: "
                             "the PC that attached the file was restored from a database-only backup older than the "
                             "file and the server from a backup older than its upload; the attachment's row comes "
                             "back (given back by another PC, which never had the bytes), the PC finds the file in "
                             "its folder and marks it present — and, like every pulled attachment, uploaded — so "
                             "nobody ever uploads it (a download by any other PC answers 404 for good).",
    "anomaly: not_settled": "The quiet syncs did not come to rest in eight rounds.",
    "missing_on_a_pc": "Something the server holds never reached a PC of its office.",
    "stray_file_after_pc_restore": "A PC restored from a database-only backup keeps the file of an attachment made "
                                   "after the backup and never synced: no row refers to it, nothing removes it "
                                   "(not another office's bytes).",
}


BLOCKING = ("tracking_code_issued_twice", "pc_blocked_after_two_restores", "pc_blocked_by_a_missing_file")
# Findings that follow from a PC whose every sync fails: the report counts how often they come with one.
FOLLOW_BLOCKED = {"anomaly: not_settled", "entry_lost_from_server", "file_not_downloaded", "missing_on_a_pc",
                  "complaint_lost_from_server", "pc_keeps_rows_the_server_lacks", "digest_differs",
                  "file_lost_from_server"}


def cause_of(check: str, line: str) -> str:
    if check == "digests":
        diffs = [d.strip() for d in line.splitlines()[1:]]
        if diffs and all(re.match(r"events \S+\.at: left ", d) or d.startswith("... ") for d in diffs):
            return "event_time_kept"
    for name, where, pattern in CAUSES:
        if where == check and re.search(pattern, line, re.DOTALL | re.MULTILINE):
            return name
    if check == "anomalies":
        return "anomaly: " + line.split(" ", 1)[0]
    return "digest_differs" if check == "digests" else "other: " + check


def load(path: Path) -> list[dict[str, Any]]:
    lines = [json.loads(t) for t in path.read_text().splitlines() if t.strip()] if path.exists() else []
    latest: dict[int, dict[str, Any]] = {}
    for line in lines:  # a seed run again (resumed after an error) counts once, its last run
        latest[line["seed"]] = line
    return [latest[s] for s in sorted(latest)]


def summarise(path: Path, *, write: bool = False) -> int:
    runs = load(path)
    if not runs:
        print(f"nothing in {path}")
        return 1
    text = render(runs, path)
    print(text)
    if write:
        sections.write_section("faults", text)
        print(f"wrote the faults section of {sections.DOC}")
    return 0


def render(runs: list[dict[str, Any]], path: Path) -> str:
    results = Counter(r["result"] for r in runs)
    seconds = [r["seconds"] for r in runs if "seconds" in r]
    failing = {c: [r["seed"] for r in runs if not r.get("checks", {}).get(c, {}).get("ok", True)] for c in CHECKS}
    causes: dict[str, set[int]] = defaultdict(set)
    for r in runs:
        for check, found in r.get("checks", {}).items():
            for line in found["first"]:
                causes[cause_of(check, line)].add(r["seed"])
        if r["result"] in ("error", "timeout"):
            causes[r["result"]].add(r["seed"])
    did = _what_happened(runs)
    seeds = sorted(r["seed"] for r in runs)
    backends = sorted({r.get("backend", "sqlite") for r in runs})
    revisions = sorted({re.sub(r"^(\w+)\+(\w+)-worktree-snapshot$",
                               r"commit \1 plus the tree's uncommitted work of that moment (diff hash \2; run "
                               r"from a copy of the tree, so edits in progress did not reach it)",
                               r.get("revision", "?")) for r in runs})
    out = [
        "## Fault schedules (`bench/fault_schedules.py`)",
        "",
        f"Summarised by `python -m bench.fault_schedules --summary --write` on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC from {path.name} ({len(runs)} schedules, seeds "
        f"{seeds[0]}–{seeds[-1]}, {', '.join(backends)}, code {', '.join(revisions)}). Run with "
        "`python -m bench.fault_schedules --schedules 200` (each schedule in its own process, one JSON line each "
        "in bench/out/fault_schedules/schedules.jsonl; a run resumes where it stopped). Not a test, not in CI.",
        "",
        "Each schedule, from its seed: a fresh `lapor-server serve` (its own database), two offices, 2 + 1–2 PCs "
        "(one with its clock 24–72 h fast or slow), 60–100 random steps — intake, workflow steps, notes, edits, "
        "attachments (a quarter of them bytes seen before, in either office), national online complaints, "
        "redirects re-routed to the other office by the national admin, syncs (a third through a proxy fault: "
        "drop before/after, cut, 503, twice, twice in parallel, a reply truncated in its headers; a quarter of "
        "those lasting past the retries) — with one kill -9 of a `lapor-desk sync` child mid-run, one server "
        "restore (database and files from a backup taken at a random step; with `rotate-era` or quietly), one PC "
        "restore (its database, or its whole folder, from a copy taken at a random step), then every PC syncs "
        "until a round changes nothing. Then the checks (bench/fault_checks.py). `--backend postgresql` runs the "
        "same schedules on PostgreSQL (about 13 s each); the run below is SQLite.",
        "",
        "| Schedules | clean | failed | harness error | timeout | seconds per schedule (median / p90 / max) |",
        "|---:|---:|---:|---:|---:|---|",
        f"| {len(runs)} | {results['clean']} | {results['failed']} | {results['error']} | {results['timeout']} | "
        + (f"{statistics.median(seconds):.1f} / {_p90(seconds):.1f} / {max(seconds):.1f} |" if seconds else "– |"),
        "",
        "| Check | what it asks after the quiet syncs | schedules failing |",
        "|---|---|---:|",
    ]
    meaning = {
        "lost": "every complaint, timeline entry and attachment any PC ever held or created (and every national "
                "one) is on the server and on every PC of the office it belongs to now, its file whole on the "
                "server — except what the server refused (outbox results) and what a restore left on no PC and "
                "not on the server",
        "duplicated": "tests/sync/checks.assert_no_duplicates per office; one RECEIVED per complaint and no entry "
                      "twice on each PC; no tracking code naming two complaints anywhere",
        "digests": "every PC's digest of its office (tests/sync/digest.py) equals the server's",
        "cross_office_rows": "no complaint, reporter, timeline entry, attachment, account, unit, review item or "
                             "search text of another office on any PC (by the server's office after the quiet "
                             "syncs)",
        "cross_office_files": "every file in a PC's attachment folder is the bytes of an attachment of its office",
        "stray_files": "(the same, for files of no attachment of any office: a PC restored from an older copy "
                       "of its database lost their rows) none left after the program's daily folder check, run "
                       "at the end of the schedule as the next day's sync would",
        "refusals": "no refusal a correct PC should not meet (expected: transition_rejected, not_found, gone, "
                    "edit_after_close)",
        "outbox": "every PC's outbox settled (assert_outbox_settled; seqs only rise on a restored PC)",
        "anomalies": "no traceback in a step or in the server log, no sync error without a lasting fault, the "
                     "killed sync's store sound, the quiet syncs settle",
    }
    for check in CHECKS:
        out.append(f"| {check} | {meaning[check]} | {len(failing[check])} |")
    out += ["", "### Findings, by cause", ""]
    if not causes:
        out.append("None: every schedule was clean.")
    blocked = set().union(*(causes.get(c, set()) for c in BLOCKING))
    for cause, which in sorted(causes.items(), key=lambda kv: -len(kv[1])):
        example = ", ".join(str(s) for s in sorted(which)[:8]) + (" …" if len(which) > 8 else "")
        note = EXPLAINED.get(cause, "")
        if cause in FOLLOW_BLOCKED:
            note += (f" {len(which & blocked)} of these {len(which)} schedules also have a PC that could not sync any "
                     "more (`" + "`, `".join(BLOCKING) + "`).")
        out.append(f"- **{cause}** — {len(which)} schedules (seeds {example}). {note}".rstrip())
    repro = sorted((Path(__file__).parent / "fault_repro").glob("*.json"))
    if repro:
        out += ["", "Minimal schedules, each a few steps cut down from a failing seed (run one with "
                "`python -m bench.fault_schedules --plan bench/fault_repro/NAME.json`; it prints its steps and "
                "what the checks found):", ""]
        for path in repro:
            saved = json.loads(path.read_text())
            status = f" **{saved['status']}.**" if saved.get("status") else ""
            out.append(f"- `{path.name}`: {saved.get('why', '')}{status}")
    out += ["", "### What the schedules did (totals)", "",
            "| | |", "|---|---:|"]
    out += [f"| {k} | {v:,} |" for k, v in did.items()]
    return "\n".join(out) + "\n"


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def _what_happened(runs: list[dict[str, Any]]) -> dict[str, int]:
    did: Counter[str] = Counter()
    for r in runs:
        did["PCs"] += len(r.get("pcs", []))
        for _i, step, outcome in r.get("steps", []):
            kind = step.split(" ", 1)[0]
            did[f"steps: {kind}"] += 1
            if outcome.startswith("refused locally") or outcome.startswith("skipped"):
                did[f"steps not taken (local rules, nothing to act on): {kind}"] += 1
            if kind == "sync":
                if "fault=" in step:
                    did["syncs with a fault injected"] += 1
                    if m := re.search(r"fired (\d+)\]", outcome):
                        did["faults fired"] += int(m.group(1))
                if outcome.startswith("sync-error"):
                    did["syncs ended by a lasting fault (SyncError)"] += 1
                did["syncs that saw a server restore (era or restart)"] += " ERA" in outcome
                did["syncs that found their PC restored"] += " RESTORED" in outcome
            if kind == "kill":
                did["kill -9 that landed mid-sync"] += "killed" in outcome or "in-p" in outcome
            if kind == "server_restore" and outcome.startswith("ok"):
                did["server restores with rotate-era" if "rotate-era" in outcome else "server restores, quiet"] += 1
            if kind == "pc_restore" and outcome.startswith("ok"):
                did["PC restores (whole folder)" if "files" in outcome else "PC restores (database only)"] += 1
            if kind == "reroute" and outcome.startswith("ok"):
                did["re-routes to the other office"] += 1
        for key, n in r.get("facts", {}).get("refused", {}).items():
            did[f"changes the server refused: {key}"] += n
        for _key, n in r.get("facts", {}).get("written_off", {}).items():
            did["items a restore left nowhere (written off)"] += n
        did["quiet sync rounds"] += r.get("settle_rounds", 0)
    return dict(sorted(did.items()))
