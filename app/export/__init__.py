"""Exports of the office's complaints (issue 13 §4), without Qt: the list the window shows — its filter, order and
search — to Excel (.xlsx), CSV or Open311 GeoReport v2 (JSON or XML), with no reporter's personal data and no
confidential complaint's content unless the rules in :mod:`app.export.complaints` allow it, every export audited,
every file written whole or not at all (:mod:`app.export.files`).

The writers take a :class:`~app.export.table.Table` of typed columns, so a table of (label, value) rows — the KPI
tables — goes through the same Excel and CSV writers.
"""

from app.export.files import ExportNotWritten
from app.export.service import (
    PERSONAL_DATA_ROLES,
    ExportFormat,
    ExportRequest,
    ExportResult,
    default_file_name,
    export_complaints,
)

__all__ = ["PERSONAL_DATA_ROLES", "ExportFormat", "ExportNotWritten", "ExportRequest", "ExportResult",
           "default_file_name", "export_complaints"]
