"""The national admin's CLI against a test server."""

from __future__ import annotations

import subprocess

from tests.sync.serverproc import BIN, ServerProcess


def admin_cli(server: ServerProcess, *args: str) -> str:
    """``lapor-server admin ARGS --db <the server's database>``; its standard output."""
    done = subprocess.run([str(BIN / "lapor-server"), "admin", *args, "--db", server.db_url], capture_output=True,
                          text=True, timeout=300, check=True)
    return done.stdout


def enrolment_code(server: ServerProcess, office: str = "34.04") -> str:
    return admin_cli(server, "enroll", "--office", office).strip().splitlines()[0]
