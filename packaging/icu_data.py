"""A smaller ICU data library for the Linux bundle: the same ``libicudata.so.73`` the PySide6 wheel ships (QtCore
links it: collation, case mapping, time-zone names), holding only the data of the languages the program speaks.

The wheel's library is one 32 MB symbol, ``icudt73_dat``: an ICU common-data package (a table of contents, then
each item 16-byte aligned) of every locale, converter, break dictionary and transliterator ICU has. This keeps
ICU's shared data (root, normalization, properties, time zones, rule-based break iterators) and the locales ``id``
and ``en`` (with their fallbacks); it drops the other ~700 locales, the legacy codepage converters (Qt's and
Python's own codecs read the UTF and Latin-1 files the program handles), the dictionaries for Chinese, Japanese,
Thai, Lao, Khmer and Burmese word breaks, and the transliterators, then links the result as a library of the same
name with ``cc`` (build.spec; Linux only: Windows and macOS Qt use the system's ICU).

    python packaging/icu_data.py LIBICUDATA OUT_DIR   # writes OUT_DIR/libicudata.so.73, prints the sizes
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

LANGUAGES = {"id", "in", "en"}  # "in": ICU's old code for Indonesian, an alias it still resolves
LOCALE = re.compile(r"^(?P<lang>[a-z]{2,3})(_[A-Za-z0-9]*)*$")
DROPPED_TREES = ("translit/",)
SHARED_RES = {"res_index", "pool"}  # each tree's list of its locales and its shared strings: names, not locales


def _symbol(lib: Path) -> tuple[str, int, int]:
    """The data symbol's name, file offset and size, read from the library's tables with ``readelf``."""
    syms = subprocess.run(["readelf", "-sW", "--dyn-syms", str(lib)], check=True, capture_output=True,
                          text=True).stdout
    found = re.search(r"\s([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+\S+\s+\S+\s+(icudt\d+_dat)\b", syms)
    if found is None:
        raise SystemExit(f"{lib}: no icudt*_dat symbol")
    address, size, name = int(found.group(1), 16), int(found.group(2), 0), found.group(3)
    sections = subprocess.run(["readelf", "-SW", str(lib)], check=True, capture_output=True, text=True).stdout
    for line in sections.splitlines():
        cols = line.replace("[ ", "[").split()
        if len(cols) > 5 and cols[1] == ".rodata":
            sec_address, sec_offset = int(cols[3], 16), int(cols[4], 16)
            return name, sec_offset + address - sec_address, size
    raise SystemExit(f"{lib}: no .rodata section")


def _items(package: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The package's header and its items (name without the ``icudt73l/`` prefix, bytes)."""
    header_size = struct.unpack_from("<H", package, 0)[0]
    if package[2:4] != b"\xda\x27":
        raise SystemExit("not an ICU data package")
    toc = header_size
    count = struct.unpack_from("<I", package, toc)[0]
    entries = [struct.unpack_from("<II", package, toc + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_at, data_at) in enumerate(entries):
        name = package[toc + name_at:package.index(b"\0", toc + name_at)].decode("ascii")
        end = entries[i + 1][1] if i + 1 < count else len(package)
        items.append((name, package[toc + data_at:toc + end]))
    return package[:header_size], items


def _pack(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """A common-data package of ``items`` (kept in the sorted order ICU's binary search expects)."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _data in items)
    toc_size = 4 + 8 * len(items)
    data_start = (toc_size + len(names) + 15) // 16 * 16
    table, name_at, blobs, data_at = [], toc_size, [], data_start
    for name, data in items:
        table.append(struct.pack("<II", name_at, data_at))
        name_at += len(name) + 1
        padded = data + b"\0" * (-len(data) % 16)
        blobs.append(padded)
        data_at += len(padded)
    toc = struct.pack("<I", len(items)) + b"".join(table) + names
    return header + toc + b"\0" * (data_start - len(toc)) + b"".join(blobs)


def wanted(name: str) -> bool:
    """Whether the item ``name`` (``icudt73l/coll/id.res``, ``icudt73l/ibm-943_P15A-2003.cnv``) is kept."""
    path = name.split("/", 1)[1] if "/" in name else name
    if path.endswith(".cnv") or path.startswith(DROPPED_TREES) or path.endswith(".dict"):
        return False
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if not path.endswith(".res") or stem in SHARED_RES:
        return True  # locale data is always a .res; the others (nfc.nrm, uprops.icu, ...) are ICU's own tables
    locale = LOCALE.match(stem)
    return locale is None or locale.group("lang") in LANGUAGES


def trim(lib: Path, out_dir: Path) -> Path:
    name, offset, size = _symbol(lib)
    raw = lib.read_bytes()[offset:offset + size]
    header, items = _items(raw)
    kept = [(n, d) for n, d in items if wanted(n)]
    package = _pack(header, kept)
    out_dir.mkdir(parents=True, exist_ok=True)
    dat = out_dir / f"{name.removesuffix('_dat')}l.dat"
    dat.write_bytes(package)
    asm = out_dir / "icudata.S"
    asm.write_text(f'\t.section .rodata\n\t.globl {name}\n\t.type {name}, @object\n\t.balign 16\n{name}:\n'
                   f'\t.incbin "{dat.name}"\n\t.size {name}, . - {name}\n'
                   '\t.section .note.GNU-stack,"",@progbits\n', encoding="ascii")
    target = out_dir / lib.name
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        raise SystemExit("no C compiler (cc) to link the smaller ICU data library")
    subprocess.run([cc, "-shared", "-nostdlib", f"-Wl,-soname,{lib.name}", "-o", str(target), asm.name],
                   check=True, cwd=out_dir)
    print(f"ICU data: {len(items)} items, {size / 1e6:.1f} MB -> {len(kept)} items, "
          f"{target.stat().st_size / 1e6:.1f} MB ({target})")
    return target


if __name__ == "__main__":
    trim(Path(sys.argv[1]), Path(sys.argv[2]))
