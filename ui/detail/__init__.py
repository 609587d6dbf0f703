"""The complaint detail panel: all fields, the reporter as the privacy rules allow, attachments, the timeline and
the actions this user may take now."""

from ui.detail.widget import ComplaintDetailWidget

__all__ = ["ComplaintDetailWidget"]
