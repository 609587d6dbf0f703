"""``lapor-desk-cli.exe`` on Windows: the console twin of the window program ``lapor-desk.exe`` (which Windows starts
without a console), for scripts, Task Scheduler and a technician's command prompt.

It holds no copy of the program: it starts ``lapor-desk.exe`` from its own folder with the same arguments, passes
its input on and the program's output back through pipes (a window program can write to pipes it inherited, not
to a console it is not attached to), and ends with the program's exit code. On Linux the window program has a
console already, so ``lapor-desk-cli`` is a symbolic link to it (build.spec)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from typing import IO


def _pump(source: IO[bytes], target: IO[bytes], close: bool) -> None:
    try:
        while chunk := source.read1(65536) if hasattr(source, "read1") else source.read(65536):
            target.write(chunk)
            target.flush()
    except (OSError, ValueError):
        pass
    finally:
        if close:
            with contextlib.suppress(OSError):
                target.close()


def program_path() -> str:
    folder = os.path.dirname(os.path.abspath(sys.executable if getattr(sys, "frozen", False) else __file__))
    return os.path.join(folder, "lapor-desk.exe" if os.name == "nt" else "lapor-desk")


def run(argv: list[str], program: str | None = None) -> int:
    """Run the window program with ``argv``, relaying stdin, stdout and stderr; its exit code."""
    child = subprocess.Popen([program or program_path(), *argv], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    assert child.stdin is not None and child.stdout is not None and child.stderr is not None
    threading.Thread(target=_pump, args=(sys.stdin.buffer, child.stdin, True), daemon=True).start()
    err = threading.Thread(target=_pump, args=(child.stderr, sys.stderr.buffer, False), daemon=True)
    err.start()
    _pump(child.stdout, sys.stdout.buffer, False)
    try:
        code = child.wait()
    except KeyboardInterrupt:  # Ctrl+C reached both: let the program end its own way
        code = child.wait()
    err.join(5)
    return code


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
