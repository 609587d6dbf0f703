"""bench/server_hosts.py (``bench.server_load --hosts``): nginx's configuration is one nginx accepts, and the
table's ratio and CPU per request come from the rounds as documented."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bench.server_hosts import NGINX_CONF, paired_ratio, render, summarise


def _round(health: float, pull: float, push: float, cores: dict[str, float]) -> dict[str, Any]:
    def phase(rate: float, items: float) -> dict[str, Any]:
        return {"requests_per_s": rate, "items_per_s": items, "cpu_cores": cores, "statuses": {"200": 100}}

    return {"health": phase(health, health), "pull": phase(pull, pull), "push": phase(push, push * 5)}


def _result(hosts: int, rounds: list[dict[str, Any]]) -> dict[str, Any]:
    checks = {"exactly_once": True, "expected": 10, "complaints": 10, "received_events": 10, "mutation_records": 10,
              "server_log_errors": 0}
    result = {"hosts": hosts, "report": {"rounds": rounds}, "checks": checks}
    result["summary"] = summarise(result)
    return result


def test_the_ratio_pairs_rounds_and_cpu_per_request_sums_the_hosts() -> None:
    one = _result(1, [_round(800, 400, 20, {"host0": 0.8, "nginx": 0.05}),
                      _round(400, 200, 10, {"host0": 0.4, "nginx": 0.05})])
    two = _result(2, [_round(1200, 600, 30, {"host0": 0.6, "host1": 0.6, "nginx": 0.05}),
                      _round(800, 400, 20, {"host0": 0.4, "host1": 0.4, "nginx": 0.05})])
    assert paired_ratio(one, two, "pull") == pytest.approx(1.75)  # median of 1.5 and 2.0, not 500 / 300
    assert one["summary"]["pull"]["ms_per_request"] == pytest.approx(2.0)  # 0.8 cores ÷ 400/s
    assert two["summary"]["pull"]["ms_per_request"] == pytest.approx(2.0)  # (0.6 + 0.6) ÷ 600/s
    assert two["summary"]["push"]["rate"] == pytest.approx(125.0)  # mutations, not pushes
    opts = argparse.Namespace(clients=10, pg_fsync="on", rounds=2, batch=5, warmup=1.0, seconds=5.0)
    text = render([one, two], opts, ["a machine"], "python -m bench.server_load --hosts")
    assert "| No-op pulls/s | 300 | 500 | 1.75× | 2.00 | 2.00 |" in text
    assert "| 2 | 400 → 800 (2.00×) | 200 → 400 (2.00×) | 50 → 100 (2.00×) |" in text


def test_nginx_accepts_the_configuration(tmp_path: Path) -> None:
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is not installed (.ci/run installs nginx-light)")
        pytest.skip("nginx is not installed")
    conf = tmp_path / "nginx.conf"
    conf.write_text(NGINX_CONF.format(root=tmp_path, user="", servers="        server 127.0.0.1:1;", port=2))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    done = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
