"""The load generator of ``bench.server_load --baseline``: ``bench.loadgen``'s clients against two servers in turns,
one round at a time (ABBA order), so a change in the machine's other load falls on both alike.

Run as ``python -m bench.loadgen_ab`` with a JSON spec on stdin: the common ``bench.loadgen`` fields plus
``targets``, a label → {port, clients, watch} per server. Prints one ``bench.loadgen`` report per label.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Any

from bench.loadgen import LoadGenerator


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    common = {k: v for k, v in spec.items() if k != "targets"}
    # One round per run(): a generator keeps its clients' seqs and cursors between calls, and its report's
    # counters (acked, non-applied, connections) are cumulative, so the last call's report holds for all rounds.
    generators = {label: LoadGenerator({**common, **target, "rounds": 1})
                  for label, target in spec["targets"].items()}
    reports: dict[str, dict[str, Any]] = {}
    rounds: dict[str, list[dict[str, Any]]] = {label: [] for label in generators}
    labels = list(generators)
    for i in range(int(spec["rounds"])):
        for label in labels if i % 2 == 0 else labels[::-1]:
            reports[label] = await generators[label].run()
            rounds[label] += reports[label]["rounds"]
            print(f"    round {i + 1} {label}: " + ", ".join(
                f"{p} {r['items_per_s' if p == 'push' else 'requests_per_s']:,.0f}/s"
                for p, r in reports[label]["rounds"][0].items()), file=sys.stderr, flush=True)
    return {label: {**reports[label], "rounds": rounds[label]} for label in generators}


def main() -> None:
    report = asyncio.run(run(json.load(sys.stdin)))
    for each in report.values():
        each["pid"] = os.getpid()
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
