"""docs/BENCHMARKS.md is shared by several suites: each owns one marked section and rewrites only that one."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "BENCHMARKS.md"
HEADER = "# Benchmarks\n\nEach suite below rewrites only its own section (`bench/sections.py`).\n"


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- section:{name} -->", f"<!-- /section:{name} -->"


def write_section(name: str, body: str, doc: Path = DOC) -> None:
    """Replace the section ``name`` with ``body`` (appended at the end when the file has none yet)."""
    start, end = _markers(name)
    block = f"{start}\n{body.rstrip()}\n{end}\n"
    text = doc.read_text(encoding="utf-8") if doc.exists() else HEADER
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end) + r"\n?", re.DOTALL)
    text = pattern.sub(lambda _m: block, text, count=1) if pattern.search(text) else text.rstrip() + "\n\n" + block
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text, encoding="utf-8")


def read_section(name: str, doc: Path = DOC) -> str | None:
    start, end = _markers(name)
    if not doc.exists():
        return None
    m = re.search(re.escape(start) + r"\n(.*?)" + re.escape(end), doc.read_text(encoding="utf-8"), re.DOTALL)
    return m.group(1) if m else None
