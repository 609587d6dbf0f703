"""Qt Linguist translations of the desktop window: one ``.ts`` per area of ui/ (so people working on different
areas never edit the same file), built into ``.qm`` files that ui/i18n.py loads.

    python -m tools.i18n update [AREA]   # pyside6-lupdate: add new source strings to each area's .ts (or one)
    python -m tools.i18n release   # pyside6-lrelease: build the .qm files (the Makefile does this), and the
                                   # English plural forms (below)
    python -m tools.i18n check     # exit 1 and list every unfinished or missing Indonesian string
    python -m tools.i18n fill AREA FILE.json   # set translations from {"source": "terjemahan"} or
                                               # {"Context::source": "terjemahan"} (numerus: one form, %n kept)

Areas: every sub-package ``ui/<name>/`` is the area ``<name>``; modules directly in ``ui/`` are ``shell``.

English is the source text, but a count in it ("%n complaint(s)") needs its singular and plural: ``release`` also
builds ``lapor_desk_<area>_en.qm`` holding only those, made from the source text itself (:func:`english_forms`:
"(s)" dropped for one, "s" for more), so there is nothing to write by hand and nothing to forget.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "ui"
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGE = "id"


def _tool(name: str) -> str:
    local = Path(sys.executable).parent / name
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6-Essentials in this environment")
    return found


def areas() -> dict[str, list[Path]]:
    """Area name → the Python files whose strings it holds."""
    result: dict[str, list[Path]] = {"shell": sorted(p for p in UI.glob("*.py"))}
    for sub in sorted(p for p in UI.iterdir() if p.is_dir() and (p / "__init__.py").exists()):
        result[sub.name] = sorted(sub.rglob("*.py"))
    return {name: files for name, files in result.items() if files}


def ts_path(area: str, folder: Path | None = None) -> Path:
    return (folder or TRANSLATIONS) / f"lapor_desk_{area}_{LANGUAGE}.ts"


def lupdate(area: str, files: Sequence[Path], ts: Path) -> None:
    ts.parent.mkdir(parents=True, exist_ok=True)
    cmd = [_tool("pyside6-lupdate"), *map(str, files), "-ts", str(ts), "-no-obsolete", "-locations", "none",
           "-target-language", LANGUAGE, "-silent"]
    subprocess.run(cmd, check=True, cwd=ROOT)


def update(only: str | None = None) -> None:
    for area, files in areas().items():
        if only is not None and area != only:
            continue
        ts = ts_path(area)
        existed = ts.exists()
        lupdate(area, files, ts)
        if not existed and ET.parse(ts).getroot().find("context") is None:
            ts.unlink()  # an area without strings to translate (ui/widgets) needs no file
            continue
        print(f"updated {ts.relative_to(ROOT)}")


def release() -> None:
    for ts in sorted(TRANSLATIONS.glob("*.ts")):
        lrelease(ts, ts.with_suffix(".qm"))
    english_plurals(TRANSLATIONS)


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def english_forms(source: str) -> tuple[str, str]:
    """The English singular and plural of a count's source text: "%n complaint(s)" gives "%n complaint" and
    "%n complaints"; a text written in the plural ("%n complaints selected") gets its singular where the count
    names complaints."""
    if "(s)" in source:
        return source.replace("(s)", ""), source.replace("(s)", "s")
    singular = source.replace("%n complaints", "%n complaint").replace("%Ln complaints", "%Ln complaint")
    return singular, source


def english_plurals(folder: Path, only: str | None = None) -> list[Path]:
    """``lapor_desk_<area>_en.qm`` in ``folder`` for every area with counts (or ``only`` that one): lupdate's plural
    messages of the area, each given :func:`english_forms`. Returns the files written."""
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for area, files in areas().items():
            if only is not None and area != only:
                continue
            ts = Path(tmp) / f"lapor_desk_{area}_en.ts"
            subprocess.run([_tool("pyside6-lupdate"), *map(str, files), "-ts", str(ts), "-no-obsolete", "-locations",
                            "none", "-target-language", "en", "-pluralonly", "-silent"], check=True, cwd=ROOT)
            tree = ET.parse(ts)
            messages = [m for m in tree.getroot().iter("message") if m.get("numerus") == "yes"]
            if not messages:
                continue
            for message in messages:
                translation = message.find("translation")
                if translation is None:
                    translation = ET.SubElement(message, "translation")
                translation.attrib.pop("type", None)
                for child in list(translation):
                    translation.remove(child)
                translation.text = None
                for form in english_forms(message.findtext("source") or ""):
                    ET.SubElement(translation, "numerusform").text = form
            tree.write(ts, encoding="utf-8", xml_declaration=True)
            qm = folder / f"lapor_desk_{area}_en.qm"
            lrelease(ts, qm)
            written.append(qm)
    return written


def unfinished(ts: Path) -> list[str]:
    """Source strings of ``ts`` that have no finished translation."""
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):
        ctx_name = context.findtext("name") or "?"
        for message in context.iter("message"):
            translation = message.find("translation")
            source = message.findtext("source") or ""
            if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
                missing.append(f"{ctx_name}: {source}")
                continue
            forms = [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""]
            if not all(form.strip() for form in forms):
                missing.append(f"{ctx_name}: {source}")
    return missing


def check() -> list[str]:
    """Run lupdate on a copy of every .ts (so new strings in the code show up) and list what is untranslated."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for area, files in areas().items():
            committed = ts_path(area)
            copy = ts_path(area, Path(tmp))
            if committed.exists():
                shutil.copyfile(committed, copy)
            lupdate(area, files, copy)
            problems += [f"{committed.name}: {item}" for item in unfinished(copy)]
    return problems


def fill(area: str, mapping: dict[str, str]) -> int:
    """Write translations into the area's .ts (after an update); returns how many were set."""
    ts = ts_path(area)
    tree = ET.parse(ts)
    count = 0
    for context in tree.getroot().iter("context"):
        ctx_name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            text = mapping.get(f"{ctx_name}::{source}", mapping.get(source))
            if text is None:
                continue
            translation = message.find("translation")
            if translation is None:
                translation = ET.SubElement(message, "translation")
            translation.attrib.pop("type", None)
            if message.get("numerus") == "yes":
                for child in list(translation):
                    translation.remove(child)
                translation.text = None
                ET.SubElement(translation, "numerusform").text = text
            else:
                translation.text = text
            count += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    lupdate(area, areas()[area], ts)  # back to lupdate's own layout, so diffs show only real changes
    return count


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.i18n", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("update", "release", "check", "fill"))
    parser.add_argument("area", nargs="?", help="fill (and optionally update): the area (shell, complaints, ...)")
    parser.add_argument("file", nargs="?", type=Path, help="fill: a JSON object of source → Indonesian")
    args = parser.parse_args(argv)
    if args.command == "fill":
        if not args.area or not args.file:
            parser.error("fill needs AREA and FILE")
        import json

        print(f"{fill(args.area, json.loads(args.file.read_text(encoding='utf-8')))} translation(s) set")
    elif args.command == "update":
        update(args.area)
    elif args.command == "release":
        release()
    else:
        problems = check()
        for line in problems:
            print(line)
        if problems:
            print(f"{len(problems)} string(s) without an Indonesian translation", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
