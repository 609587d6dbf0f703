"""The built-in user guide: Markdown pages shipped in resources/guide/id/ (Indonesian, complete) and
resources/guide/en/ (English, the same file names), shown offline in a window of their own with a search.

For the windows that open it (F1, and Bantuan in the menu):

    open_guide(ws_or_lang, parent, page=None) -> GuideWindow

- ``ws_or_lang``: the logged-in Workspace (the guide takes its language and opens its role's page) or a
  language, ``"id"`` or ``"en"`` (before anyone logged in: the start page);
- ``parent``: the window asking (main window, counter window, or None); the guide stays a window of its own, not
  modal, above it;
- ``page``: a page name, the file name without ``.md`` (``"mulai"``, ``"admin-instansi"``, ``"petugas-loket"``,
  ``"penghubung"``, ``"pimpinan"``, ``"admin-ti"``, ``"tenggat"``, ``"sinkronisasi"``); None opens the role's page
  (:data:`ROLE_PAGES`) when the guide was closed and leaves an open guide where it is.

One window is made and reused; each call shows it and brings it forward.
"""

from ui.guide.pages import ROLE_PAGES, START_PAGE
from ui.guide.window import GuideWindow, open_guide

__all__ = ["ROLE_PAGES", "START_PAGE", "GuideWindow", "open_guide"]
