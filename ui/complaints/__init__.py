"""The complaint list: saved views (Kotak Masuk, ...), a lazy table model over complaint ids, filters and search."""

from ui.complaints.model import ComplaintTableModel
from ui.complaints.views import VIEWS, ViewDef, filter_for, view_counts
from ui.complaints.widget import ComplaintListWidget

__all__ = ["VIEWS", "ComplaintListWidget", "ComplaintTableModel", "ViewDef", "filter_for", "view_counts"]
