"""Import directions (DESIGN.md, Layout): ``ui → sync → app``, ``server → sync.protocol, app`` and the demo generator
beside them: ``demo → app``, used by ``ui``, ``server`` and ``bench`` (never by ``app`` or ``sync``).

``app``, ``sync`` and ``server`` never load PySide6 or ``ui`` (checked by importing every module in a fresh
interpreter); ``app`` never imports ``sync``, ``server`` or ``ui`` and ``sync`` never imports ``ui`` or ``server``
(checked statically, so that an import inside a function that no test happens to run is caught too).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE_PACKAGES = ("app", "sync", "server", "demo")
QT_OR_UI = ("PySide6", "shiboken6", "ui")

# package -> top-level packages its code must never import
FORBIDDEN: dict[str, set[str]] = {
    "app": {"sync", "server", "ui", "demo", "PySide6", "shiboken6"},
    "sync": {"ui", "server", "demo", "PySide6", "shiboken6"},
    "demo": {"sync", "server", "ui", "PySide6", "shiboken6"},
    "server": {"ui", "PySide6", "shiboken6"},
}
# server may use only the wire protocol of sync (the client engine is not the server's business)
ONLY_THESE_OF: dict[str, dict[str, set[str]]] = {"server": {"sync": {"sync", "sync.protocol"}}}

# Known, deliberate exceptions as {(file, module): reason}. A stale entry fails the test, so the list stays honest.
# (app.cli used to import ui.main for the GUI hand-off; that now goes through the lapor_desk.plugins entry point.)
ALLOWED: dict[tuple[str, str], str] = {}

_CHILD = r"""
import importlib, json, pkgutil, sys
from pathlib import Path

root = Path(sys.argv[1])
imported, failed = [], {}
for pkg_name in sys.argv[2:]:
    if not (root / pkg_name / "__init__.py").is_file():
        continue
    pkg = importlib.import_module(pkg_name)
    imported.append(pkg_name)
    def onerror(name):
        failed[name] = repr(sys.exc_info()[1])
    for info in pkgutil.walk_packages(pkg.__path__, pkg_name + ".", onerror=onerror):
        try:
            importlib.import_module(info.name)
            imported.append(info.name)
        except Exception as exc:
            failed[info.name] = repr(exc)
print(json.dumps({"imported": imported, "failed": failed, "loaded": sorted(sys.modules)}))
"""


def _is_qt_or_ui(module: str) -> bool:
    return any(module == top or module.startswith(top + ".") for top in QT_OR_UI)


def test_core_packages_import_without_qt_or_ui() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ROOT), *CORE_PACKAGES],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["failed"] == {}, "modules that do not even import: " + json.dumps(report["failed"], indent=1)
    imported = set(report["imported"])
    # not vacuous: the walk really reached the store, the services and the CLI
    assert {"app.store.db", "app.cli", "app.cli.store_cmds", "app.services.intake", "app.read.search"} <= imported
    offenders = [m for m in report["loaded"] if _is_qt_or_ui(m)]
    assert offenders == [], f"importing {sorted(CORE_PACKAGES)} loaded {offenders}"


@dataclass(frozen=True)
class ImportSite:
    file: str  # relative to the repository root
    line: int
    module: str  # absolute dotted name


def _imports_of(source: str, rel_file: str) -> list[ImportSite]:
    """Every absolute module a file imports: import statements at any depth (inside functions too) and
    importlib.import_module / __import__ calls with a literal name. Relative imports stay inside the package."""
    sites: list[ImportSite] = []
    for node in ast.walk(ast.parse(source, rel_file)):
        if isinstance(node, ast.Import):
            sites += [ImportSite(rel_file, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            sites.append(ImportSite(rel_file, node.lineno, node.module))
            # ``from sync import engine`` imports sync.engine when that is a module
            sites += [ImportSite(rel_file, node.lineno, f"{node.module}.{a.name}") for a in node.names
                      if a.name != "*"]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                sites.append(ImportSite(rel_file, node.lineno, node.args[0].value))
    return sites


def _violations(package: str, sites: list[ImportSite]) -> list[ImportSite]:
    bad = []
    for site in sites:
        top = site.module.split(".")[0]
        if top in FORBIDDEN[package]:
            bad.append(site)
        elif top in ONLY_THESE_OF.get(package, {}):
            allowed = ONLY_THESE_OF[package][top]
            # ``from sync.protocol import X`` also yields sync.protocol.X: fine when its parent is allowed
            if site.module not in allowed and ".".join(site.module.split(".")[:-1]) not in allowed - {top}:
                bad.append(site)
    return bad


def _covers(allowed: tuple[str, str], site: ImportSite) -> bool:
    file, module = allowed
    return site.file == file and (site.module == module or site.module.startswith(module + "."))


def _package_sites(package: str) -> list[ImportSite]:
    sites: list[ImportSite] = []
    for path in sorted((ROOT / package).rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        sites += _imports_of(path.read_text(encoding="utf-8"), rel)
    return sites


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_import_directions(package: str) -> None:
    if not (ROOT / package).is_dir():
        pytest.skip(f"{package}/ does not exist yet")
    sites = _package_sites(package)
    bad = _violations(package, sites)
    unexplained = [s for s in bad if not any(_covers(key, s) for key in ALLOWED)]
    assert unexplained == [], "imports against DESIGN.md's directions:\n" + "\n".join(
        f"  {s.file}:{s.line} imports {s.module}" for s in unexplained)
    stale = [key for key in ALLOWED if key[0].startswith(package + "/") and not any(_covers(key, s) for s in bad)]
    assert stale == [], f"allowed exceptions that no longer occur (remove them from ALLOWED): {stale}"


def test_the_server_checks_rules_not_desktop_services() -> None:
    """The server repeats the desktop's rules from app.rules (and reads app's models, reference data, errors); the
    desktop's services (app.services: its transactions, outbox, audit) are not the server's business."""
    bad = [s for s in _package_sites("server") if s.module == "app.services" or s.module.startswith("app.services.")]
    assert bad == [], "\n".join(f"  {s.file}:{s.line} imports {s.module}" for s in bad)


def test_app_really_is_scanned() -> None:
    modules = {s.module for s in _package_sites("app")}
    assert {"sqlalchemy", "alembic", "app.store.db"} <= modules


@pytest.mark.parametrize(
    ("package", "source", "offending"),
    [
        ("app", "import ui.main_window\n", "ui.main_window"),
        ("app", "def f():\n    from sync.engine import push\n", "sync.engine"),
        ("app", "from server import models\n", "server"),
        ("app", "import importlib\nimportlib.import_module('PySide6.QtCore')\n", "PySide6.QtCore"),
        ("sync", "from ui import widgets\n", "ui"),
        ("sync", "import server.apply as apply\n", "server.apply"),
        ("server", "from sync.engine import SyncEngine\n", "sync.engine"),
    ],
)
def test_checker_catches_a_planted_violation(package: str, source: str, offending: str) -> None:
    """The static check must be able to fail."""
    bad = _violations(package, _imports_of(source, f"{package}/planted.py"))
    assert offending in {s.module for s in bad}


@pytest.mark.parametrize(
    ("package", "source"),
    [
        ("app", "from app.store.db import open_store\nfrom . import meta\nimport sqlalchemy\n"),
        ("sync", "from app.services import intake\n"),
        ("server", "from sync.protocol import PushRequest\nfrom sync import protocol\n"
                   "from app.rules import workflow\n"),
    ],
)
def test_checker_accepts_allowed_directions(package: str, source: str) -> None:
    assert _violations(package, _imports_of(source, f"{package}/planted.py")) == []
