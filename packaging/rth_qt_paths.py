"""Runtime hook of the frozen build, in place of PyInstaller's ``pyi_rth_pyside6``: the same paths for Qt (its
plugins next to the program; on Windows the bundle's folder on PATH for the DLLs QtNetwork looks up), without
importing PySide6.QtCore at start-up. That hook imports QtCore only to register an embedded qt.conf, which PySide6's
own wheel registers itself when QtCore is first imported; loading Qt there was half of ``lapor-desk --version``'s
time in the frozen build, for a command that never uses Qt (build.spec)."""


def _qt_paths() -> None:
    import os
    import sys

    base = os.path.join(sys._MEIPASS, "PySide6")  # type: ignore[attr-defined]
    qt = base if sys.platform.startswith("win") else os.path.join(base, "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt, "plugins")
    if sys.platform.startswith("win"):
        os.environ["PATH"] = sys._MEIPASS + os.pathsep + os.environ.get("PATH", "")  # type: ignore[attr-defined]


_qt_paths()
del _qt_paths
