"""The national server: the single authority offices sync with (FastAPI over SQLAlchemy; SQLite or PostgreSQL)."""
