"""The window's log: a rotating file in the platform's log directory, with no personal data in it.

Code logs ids, never names, NIKs, phones or complaint text; as a second line of defence the SQL parameters that
SQLAlchemy puts into its error messages (which can hold a reporter's data) are cut out of every record.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

from app.config import LOG_FILENAME, log_dir

__all__ = ["LOG_FILENAME", "close_logging", "install_qt_message_handler", "log_dir", "redact", "setup_logging"]

MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"

_PARAMETERS = re.compile(r"\[parameters: [^\n]*")  # SQLAlchemy writes them on one line (a repr)
_HANDLER_NAME = "lapor-desk-file"


def redact(text: str) -> str:
    """Remove the bound SQL parameters SQLAlchemy adds to its error text."""
    return _PARAMETERS.sub("[parameters: hidden]", text)


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def setup_logging(folder: Path, *, level: int = logging.INFO) -> Path:
    """Send the root logger to a rotating file in ``folder``; returns the file's path. Calling it again
    replaces the earlier handler (tests start several windows in one process)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILENAME
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
    if root.level == logging.NOTSET or root.level > level:
        for other in root.handlers:  # a console the CLI set up keeps showing only what it showed before
            if other.level == logging.NOTSET:
                other.setLevel(root.level or logging.WARNING)
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                                   encoding="utf-8")
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(RedactingFormatter(FORMAT))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    return path


def close_logging() -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()


def install_qt_message_handler() -> None:
    """Qt's own warnings go to the same log (not to a console nobody sees on an office PC)."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    qt_log = logging.getLogger("qt")
    levels = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        qt_log.log(levels.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)
