"""Build resources/reference/wilayah.csv.gz and its licence file from the Cahya DSN wilayah.sql dump.

Run from the repository root: ``python tools/build_wilayah.py [path/to/wilayah.sql]``. The outputs are
committed; the app never reads the source dump at run time. The gzip output is byte-for-byte deterministic
(mtime 0, no file name), so re-running it on the same dump changes nothing.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = Path("/work/shared/data/wilayah/wilayah.sql")
OUT_DIR = REPO / "resources" / "reference"

# One value tuple of the dump: ('11.01.02.2018','Pasi Kuala Ba''u'); a quote inside a string is doubled.
_ROW = re.compile(r"\(\s*'((?:[^']|'')*)'\s*,\s*'((?:[^']|'')*)'\s*\)")
_CODE = re.compile(r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?")

LICENSE_HEADER = """\
Kemendagri region codes and names (kode wilayah) bundled in wilayah.csv.gz

Source:   Cahya DSN, https://github.com/cahyadsn/wilayah, file db/wilayah.sql
Edition:  Kepmendagri No 300.2.2-2138 Tahun 2025
Licence:  MIT (reproduced below)
Changes:  converted to CSV (code,name), sorted by code, gzip-compressed by tools/build_wilayah.py

--------------------------------------------------------------------------------

"""


def parse_rows(sql_text: str) -> list[tuple[str, str]]:
    """Return (code, name) pairs from the dump, un-escaped, whitespace-trimmed, sorted by code."""
    rows: dict[str, str] = {}
    for match in _ROW.finditer(sql_text):
        code = match.group(1).strip()
        name = " ".join(match.group(2).replace("''", "'").split())
        if not _CODE.fullmatch(code):
            raise ValueError(f"unexpected region code {code!r}")
        if code in rows and rows[code] != name:
            raise ValueError(f"region code {code} appears twice with different names")
        rows[code] = name
    return sorted(rows.items())


def check_tree(rows: list[tuple[str, str]]) -> None:
    """Fail if any region's parent is missing (the app relies on a complete tree)."""
    codes = {code for code, _ in rows}
    orphans = [code for code in codes if "." in code and code.rsplit(".", 1)[0] not in codes]
    if orphans:
        raise ValueError(f"{len(orphans)} regions without a parent, e.g. {sorted(orphans)[:5]}")


def write_csv_gz(rows: list[tuple[str, str]], path: Path) -> None:
    """Write code,name rows as UTF-8 CSV in a gzip stream with mtime 0 and no file name (deterministic)."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["code", "name"])
    writer.writerows(rows)
    data = text.getvalue().encode("utf-8")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    path.write_bytes(buffer.getvalue())


def level_counts(rows: list[tuple[str, str]]) -> Counter[int]:
    return Counter(code.count(".") + 1 for code, _ in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE, help="wilayah.sql dump")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output directory")
    args = parser.parse_args(argv)

    rows = parse_rows(args.source.read_text(encoding="utf-8"))
    check_tree(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    write_csv_gz(rows, args.out / "wilayah.csv.gz")
    licence = (args.source.parent / "LICENSE").read_text(encoding="utf-8")
    (args.out / "WILAYAH-LICENSE.txt").write_text(
        LICENSE_HEADER + licence.replace("\r\n", "\n"), encoding="utf-8"
    )

    counts = level_counts(rows)
    names = {1: "provinces", 2: "regencies/cities", 3: "districts", 4: "villages"}
    summary = ", ".join(f"{counts[level]} {names[level]}" for level in sorted(names))
    print(f"wrote {len(rows)} regions ({summary}) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
