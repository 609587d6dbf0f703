"""The desktop window (PySide6) over the services of app/ and the sync engine of sync/."""
