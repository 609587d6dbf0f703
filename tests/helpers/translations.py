"""An area's Indonesian translation built from its .ts for a test, as the window loads it.

Built into a file of its own and then renamed over the .qm (one step on every file system): tests on other pytest-xdist
workers load every .qm while this runs, and lrelease writing the .qm in place let one of them load half a file (that
area then stayed in English and its screens came out wider than the window)."""

from __future__ import annotations

import os
import subprocess

from tools import i18n as tools_i18n


def build_qm(area: str) -> None:
    ts = tools_i18n.ts_path(area)
    final = ts.with_suffix(".qm")
    partial = final.with_name(f".{final.name}.{os.getpid()}")
    try:
        subprocess.run([tools_i18n._tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(partial)], check=True)
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
