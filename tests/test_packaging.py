"""The packaged build's helpers (packaging/), without building: the smaller ICU data package keeps what Indonesian
and English need and is a package ICU can read; the Windows console twin passes input, output and the exit code
through; the archive's name and its link."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))

import archive  # noqa: E402
import icu_data  # noqa: E402


@pytest.mark.parametrize("name", ["icudt73l/root.res", "icudt73l/id.res", "icudt73l/en_US.res", "icudt73l/in.res",
                                  "icudt73l/coll/id.res", "icudt73l/coll/root.res", "icudt73l/coll/ucadata.icu",
                                  "icudt73l/zone/id.res", "icudt73l/zoneinfo64.res", "icudt73l/pool.res",
                                  "icudt73l/brkitr/line.brk", "icudt73l/uprops.icu", "icudt73l/nfc.nrm",
                                  "icudt73l/cnvalias.icu", "icudt73l/res_index.res", "icudt73l/supplementalData.res",
                                  "icudt73l/coll/res_index.res", "icudt73l/curr/pool.res"])
def test_icu_keeps_what_indonesian_and_english_need(name: str) -> None:
    assert icu_data.wanted(name)


@pytest.mark.parametrize("name", ["icudt73l/ja.res", "icudt73l/zh_Hant_TW.res", "icudt73l/coll/zh.res",
                                  "icudt73l/coll/de_.res", "icudt73l/curr/fr_CA.res", "icudt73l/brkitr/cjdict.dict",
                                  "icudt73l/ibm-943_P15A-2003.cnv", "icudt73l/translit/Latin_ASCII.res"])
def test_icu_drops_other_languages_converters_and_dictionaries(name: str) -> None:
    assert not icu_data.wanted(name)


def _package(items: list[tuple[str, bytes]]) -> bytes:
    header = struct.pack("<HBB", 32, 0xDA, 0x27) + b"\0" * 28  # header size, the magic, a UDataInfo's room
    return icu_data._pack(header, items)


def test_icu_package_round_trip_keeps_order_alignment_and_bytes() -> None:
    items = [("icudt73l/a.res", b"A" * 5), ("icudt73l/b.icu", b"B" * 17), ("icudt73l/coll/id.res", b"C")]
    package = _package(items)
    header, back = icu_data._items(package)
    assert header == package[:32]
    assert [(n, d[:len(data)]) for (n, d), (_, data) in zip(back, items, strict=True)] == items
    toc = 32
    offsets = [struct.unpack_from("<II", package, toc + 4 + 8 * i)[1] for i in range(len(items))]
    assert all((toc + o) % 16 == 0 for o in offsets)  # ICU reads items in place: 16-byte aligned


def test_icu_package_is_readable_by_icupkg(tmp_path: Path) -> None:
    """The trimmed package of the installed PySide6 wheel, listed by ICU's own tool (when the PC has both)."""
    import shutil

    lib = next(Path(sys.prefix).glob("lib/python3*/site-packages/PySide6/Qt/lib/libicudata.so.*"), None)
    if lib is None or shutil.which("icupkg") is None or shutil.which("cc") is None:
        pytest.skip("needs the Linux PySide6 wheel, icupkg (icu-devtools) and cc")
    built = icu_data.trim(lib, tmp_path)
    # (icupkg exits 2 because the root break rules name the dropped dictionaries: those scripts are not used)
    listed = subprocess.run(["icupkg", "-l", str(next(tmp_path.glob("icudt*l.dat")))], capture_output=True,
                            text=True).stdout.split()
    assert "coll/id.res" in listed and "zoneinfo64.res" in listed and "ja.res" not in listed
    assert built.stat().st_size < lib.stat().st_size / 4


def test_console_twin_relays_input_output_and_exit_code(tmp_path: Path) -> None:
    program = tmp_path / "program"
    program.write_text(f"#!{sys.executable}\nimport sys\nline = sys.stdin.readline().strip()\n"
                       "print('out:', line, sys.argv[1:])\nprint('err: note', file=sys.stderr)\nsys.exit(4)\n")
    program.chmod(0o755)
    twin = [sys.executable, "-c", "import sys, console_twin; sys.exit(console_twin.run(sys.argv[1:], "
            f"{str(program)!r}))", "users", "add", "x y"]
    done = subprocess.run(twin, input="Rahasia123\n", capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "packaging")})
    assert done.returncode == 4
    assert done.stdout == "out: Rahasia123 ['users', 'add', 'x y']\n"
    assert done.stderr == "err: note\n"


def test_archive_names_and_linux_archive_keeps_the_link(tmp_path: Path) -> None:
    from app import __version__

    assert archive.archive_name("linux", "x86_64") == f"lapor-desk-{__version__}-linux-x86_64.tar.gz"
    assert archive.archive_name("win32", "AMD64") == f"lapor-desk-{__version__}-windows-x86_64.zip"
    folder = tmp_path / "lapor-desk"
    folder.mkdir()
    (folder / "lapor-desk").write_text("program")
    (folder / "lapor-desk-cli").symlink_to("lapor-desk")
    made = archive.pack(folder)
    with tarfile.open(made) as tf:
        link = tf.getmember("lapor-desk/lapor-desk-cli")
        assert link.issym() and link.linkname == "lapor-desk"


def test_without_the_secret_service_stack_the_token_goes_to_a_private_file(tmp_path: Path) -> None:
    """build.spec leaves secretstorage, jeepney and cryptography out of the Linux bundle: keyring then has no
    backend, and sync keeps the device token in a file only this user can read (as enrolment then says)."""
    code = ("import sys, pathlib\n"
            "for m in ('secretstorage', 'jeepney', 'cryptography'): sys.modules[m] = None\n"
            "import keyring\n"
            "from sync.credentials import TokenStore\n"
            f"store = TokenStore(pathlib.Path({str(tmp_path)!r}), 'pc-1')\n"
            "print(type(keyring.get_keyring()).__module__, store.save('token-123'), store.load())\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON_KEYRING", "KEYRING"))}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["keyring.backends.fail", str(tmp_path / "device-token"), "token-123"]
    assert (tmp_path / "device-token").stat().st_mode & 0o777 == 0o600
