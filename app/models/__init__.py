"""The local store's tables (SQLAlchemy 2.0 typed ORM)."""

from app.models.audit import AuditRecord
from app.models.base import Base, UTCDateTime
from app.models.complaint import Attachment, Complaint, ComplaintSearchDoc, Reporter, TimelineEvent
from app.models.org import Office, StoreMeta, Unit, User
from app.models.reference import Category, Holiday, Region, SlaPolicyRecord
from app.models.sync_state import ConflictItem, OutboxEntry

__all__ = [
    "Attachment",
    "AuditRecord",
    "Base",
    "Category",
    "Complaint",
    "ComplaintSearchDoc",
    "ConflictItem",
    "Holiday",
    "Office",
    "OutboxEntry",
    "Region",
    "Reporter",
    "SlaPolicyRecord",
    "StoreMeta",
    "TimelineEvent",
    "Unit",
    "User",
    "UTCDateTime",
]
