"""Start the frozen build the way IT would, and fail loudly if it cannot: ``python packaging/smoke_test.py
dist/lapor-desk``. Checks the CLI (version, seed, integrity check, look-up) and that the window opens (offscreen)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path


def _run(cmd: list[str], env: dict[str, str], expect: str | None = None) -> str:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    out = done.stdout + done.stderr
    if done.returncode != 0 or (expect is not None and expect not in out):
        raise SystemExit(f"FAILED: {' '.join(cmd)} (exit {done.returncode})\n{out[-2000:]}")
    print(f"ok: {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))}")
    return out


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "dist/lapor-desk").resolve()
    suffix = ".exe" if os.name == "nt" else ""
    cli = str(folder / f"lapor-desk-cli{suffix}")
    window = str(folder / f"lapor-desk{suffix}")
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    with tempfile.TemporaryDirectory() as tmp:
        data = ["--data-dir", tmp]
        _run([cli, "--version"], env, "0.")
        _run([cli, *data, "seed-demo", "--count", "50"], env)
        _run([cli, *data, "check"], env)
        _run([cli, *data, "users", "list"], env, "admin.sleman")
        _run([window, *data], {**env, "LAPOR_DESK_SMOKE_TEST": "5"}, "LoginDialog")
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
