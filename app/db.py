"""The local SQLite store: opening it safely, migrating it after a backup, and transactions.

SQLite runs with WAL, ``synchronous=FULL``, foreign keys and a busy timeout. Write transactions start with
``BEGIN IMMEDIATE`` so a read-then-write (the next tracking number, the audit chain) cannot interleave with
another writer; reads use a deferred ``BEGIN`` and never block the writer.

Each thread keeps a connection and session for reads and one for writes between blocks, and the hot paths run
prebuilt SQL on them (app.driver_sql).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.driver_sql import HELD_OPTION, HeldConnection, ReadBlock, WriteBlock, driver_of
from app.errors import Message, StoreCorrupt, StoreError, StoreTooNew

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000
SQLITE_MAGIC = b"SQLite format 3\x00"


# The newest migration's id. Alembic is imported only when a store must be migrated (it costs ~0.4 s of start-up);
# tests/app/test_store.py checks that this equals Alembic's head, so a new migration cannot forget it.
HEAD_REVISION = "0004"


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def alembic_head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def head_revision() -> str:
    return HEAD_REVISION


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def make_engine(path: Path | str) -> Engine:
    """An engine with the store's pragmas; ``:memory:`` is allowed for tests."""
    # URL.create, not an f-string: a '?' or '#' in a folder name would otherwise be parsed as URL syntax.
    url = URL.create("sqlite", database=None if str(path) == ":memory:" else str(path))
    kwargs: dict[str, Any] = {}
    if str(path) == ":memory:":
        from sqlalchemy.pool import StaticPool

        kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    else:
        kwargs = {"connect_args": {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}}
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see module docstring)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        if options.get(HELD_OPTION, False) and driver_of(conn).in_transaction:
            return  # sql_cursor began it on a held connection: the session joins (see Store)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("lapor_write", False) else "BEGIN")

    return engine


def readonly_uri(path: Path) -> str:
    """A read-only SQLite URI for ``path``; ``as_uri`` escapes '#', '?' and '%', which a bare ``file:`` URI
    would take as a fragment, a query or an escape (and so open another file)."""
    return Path(path).absolute().as_uri() + "?mode=ro"


def sqlite_backup(src_path: Path, dest_path: Path) -> None:
    """A consistent copy through SQLite's online backup API (safe while the app runs)."""
    dest_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest_path.with_suffix(dest_path.suffix + ".part")
    tmp.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(readonly_uri(src_path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except BaseException:
        tmp.unlink(missing_ok=True)  # never leave a half-written copy in the backup folder
        raise
    tmp.replace(dest_path)


REPLACED_BY_RESTORE = "replaced-by-restore"


def latest_backup(backup_dir: Path) -> Path | None:
    """The newest backup to suggest restoring. Copies that ``restore`` kept of the database it replaced are
    left out: that database was often the damaged one."""
    if not backup_dir.is_dir():
        return None
    files = sorted((p for p in backup_dir.glob("*.sqlite3") if REPLACED_BY_RESTORE not in p.name),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    return files[0] if files else None


def corrupt_message(path: Path, backup_dir: Path, detail: str) -> Message:
    latest = latest_backup(backup_dir)
    if latest:
        hint_id = f'Pulihkan cadangan terbaru dengan: lapor-desk restore "{latest}" --force'
        hint_en = f'Restore the latest backup with: lapor-desk restore "{latest}" --force'
    else:
        hint_id = "Tidak ada cadangan di folder cadangan; hubungi petugas TI untuk memulihkan dari cadangan lain."
        hint_en = "There is no backup in the backup folder; ask IT to restore from another backup."
    return Message(
        f"Basis data tidak dapat dibaca ({detail}): {path}. Berkas ini tidak diubah. {hint_id}",
        f"The database cannot be read ({detail}): {path}. The file was left untouched. {hint_en}",
    )


def unusable_message(path: Path, detail: str) -> Message:
    return Message(
        f"Basis data tidak dapat dipakai saat ini ({detail}): {path}. Berkas ini tidak diubah. "
        "Pastikan LAPOR Desk tidak berjalan dua kali dan disk tidak penuh, lalu coba lagi.",
        f"The database cannot be used right now ({detail}): {path}. The file was left untouched. Make sure "
        "LAPOR Desk is not running twice and the disk is not full, then try again.",
    )


def _is_corruption(exc: BaseException) -> bool:
    """Only a damaged or foreign file is "corrupt"; a lock, a full disk or a permission problem is not
    (telling someone to restore a backup over a healthy but busy database would lose data)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)
    return code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def store_error(path: Path, backup_dir: Path, exc: BaseException) -> StoreError:
    """The typed error for a SQLite failure on the store file (``exc`` may be wrapped by SQLAlchemy)."""
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    detail = str(orig).splitlines()[0] if str(orig) else type(orig).__name__
    if _is_corruption(orig):
        return StoreCorrupt(corrupt_message(path, backup_dir, detail))
    return StoreError(unusable_message(path, detail))


def probe_file(path: Path, backup_dir: Path, *, quick_check: bool = True) -> str | None:
    """Check that an existing file is an intact SQLite database; return its Alembic revision (or None).

    ``PRAGMA quick_check`` reads every page (tens of milliseconds for a store of a few tens of MB), so damage
    in the middle of the file is found here, before a backup copies it or a migration writes to it.
    """
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise StoreError(
            Message(
                f"Berkas basis data tidak dapat dibuka: {path} ({exc.strerror}). Periksa izin akses berkas.",
                f"The database file cannot be opened: {path} ({exc.strerror}). Check the file's permissions.",
            )
        ) from exc
    if header and header != SQLITE_MAGIC:
        raise StoreCorrupt(corrupt_message(path, backup_dir, "bukan berkas SQLite"))
    if not header:
        return None
    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            problems = [r[0] for r in conn.execute("PRAGMA quick_check(3)").fetchall()] if quick_check else ["ok"]
            if problems != ["ok"]:
                detail = "; ".join(" ".join(p.split()) for p in problems)
                raise StoreCorrupt(corrupt_message(path, backup_dir, detail))
            row = conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()
            if row is None:
                return None
            ver = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            return ver[0] if ver else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise store_error(path, backup_dir, exc) from exc


def migrate(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


class Store:
    """One PC's database file. Open with :func:`open_store`."""

    def __init__(self, engine: Engine, path: Path | None) -> None:
        self.engine = engine
        self.path = path
        self._write_engine = engine.execution_options(lapor_write=True)
        self._read_sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(bind=self._write_engine, expire_on_commit=False)
        # Held connections for file stores only: an in-memory store has one connection for everything.
        self._hold = path is not None
        self._local = threading.local()
        self._held: weakref.WeakSet[HeldConnection] = weakref.WeakSet()  # a thread's go with the thread
        self._held_lock = threading.Lock()

    def transaction(self) -> AbstractContextManager[Session]:
        """One write transaction: committed if the block ends normally, rolled back otherwise."""
        return WriteBlock(self._take_writer, self._pooled_transaction)

    def read(self) -> AbstractContextManager[Session]:
        """A read-only snapshot (WAL readers never wait for the writer). Don't keep the session after the
        block: a thread's reads share one."""
        return ReadBlock(self._take_reader, self._pooled_read)

    def _take_reader(self) -> HeldConnection | None:
        return self._take("reader", self.engine, "BEGIN")

    def _take_writer(self) -> HeldConnection | None:
        return self._take("writer", self._write_engine, "BEGIN IMMEDIATE")

    @contextmanager
    def _pooled_transaction(self) -> Iterator[Session]:
        with self._write_sessions() as session, session.begin():
            yield session

    @contextmanager
    def _pooled_read(self) -> Iterator[Session]:
        with self._read_sessions() as session, session.begin():
            yield session
            session.rollback()

    def _take(self, kind: str, engine: Engine, begin_sql: str) -> HeldConnection | None:
        """This thread's held connection of ``kind``, marked active; None for an in-memory store (one
        connection for everything) or while it is in use (a block inside a block of the same kind)."""
        if not self._hold:
            return None
        held: HeldConnection | None = getattr(self._local, kind, None)
        if held is not None and held.active:
            return None
        if held is None or held.conn.invalidated or held.driver.in_transaction:  # (the last: never seen)
            if held is not None:
                held.close()
            held = HeldConnection(engine, begin_sql)
            setattr(self._local, kind, held)
            with self._held_lock:
                self._held.add(held)
        held.active = True
        return held

    def backup(self, dest: Path) -> None:
        if self.path is None:
            raise StoreError(Message("Basis data di memori tidak dapat dicadangkan.", "In-memory store."))
        sqlite_backup(self.path, dest)

    def close(self) -> None:
        with self._held_lock:
            held = list(self._held)
            self._held.clear()
        for h in held:
            h.close()
        self._local = threading.local()
        self.engine.dispose()


def check_integrity(store: Store, backup_dir: Path) -> None:
    """``PRAGMA quick_check`` of an open store; raises :class:`StoreCorrupt` with what to do when it finds damage."""
    if store.path is None:
        return
    try:
        with store.engine.connect() as conn:
            problems = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check(3)").fetchall()]
    except (sqlite3.DatabaseError, DBAPIError) as exc:
        raise store_error(store.path, backup_dir, exc) from exc
    if problems != ["ok"]:
        detail = "; ".join(" ".join(p.split()) for p in problems)
        raise StoreCorrupt(corrupt_message(store.path, backup_dir, detail))


def backup_name(reason: str) -> str:
    return f"lapor-desk-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S-%f')}-{reason}.sqlite3"


def open_store(path: Path, *, backup_dir: Path, install_reference: bool = True, quick_check: bool = True) -> Store:
    """Open (or create) the store at ``path``: probe it, back it up if a migration is due, migrate, load data.

    A damaged file raises :class:`StoreCorrupt` and is never written to. ``quick_check=False`` (the window, which
    checks in the background once it is up: :func:`check_integrity`) skips reading every page unless a migration is
    due — on a store of 100,000 complaints that read takes 1–8 s.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.exists() and path.stat().st_size > 0
    rev = probe_file(path, backup_dir, quick_check=quick_check) if existing else None
    head = head_revision()
    if existing and rev != head and not quick_check:
        probe_file(path, backup_dir)  # a migration writes: check every page first
    if rev is not None and rev != head and rev not in known_revisions():  # the head is known: no Alembic import
        raise StoreTooNew(
            Message(
                f"Basis data ini dibuat oleh LAPOR Desk versi yang lebih baru (skema {rev}). "
                "Pasang versi terbaru LAPOR Desk.",
                f"This database was written by a newer LAPOR Desk (schema {rev}). Install the latest version.",
            )
        )
    if existing and rev != head:
        dest = backup_dir / backup_name(f"pre-migrate-{rev or 'none'}")
        log.info("backing up store before migration %s -> %s to %s", rev, head, dest)
        try:
            sqlite_backup(path, dest)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(
                Message(
                    f"Pembaruan basis data dibatalkan karena cadangan tidak dapat dibuat di {backup_dir} "
                    f"({exc}). Basis data tidak diubah. Periksa ruang disk dan izin folder cadangan.",
                    f"The database update was cancelled: no backup could be written to {backup_dir} ({exc}). "
                    "The database was not changed. Check the disk space and the backup folder's permissions.",
                )
            ) from exc
    engine = make_engine(path)
    try:
        if rev != head:
            migrate(engine)
        store = Store(engine, path)
        if install_reference:
            from app.bootstrap import install_reference_data

            install_reference_data(store)
    except (sqlite3.DatabaseError, DBAPIError) as exc:
        engine.dispose()
        raise store_error(path, backup_dir, exc) from exc
    except Exception:
        engine.dispose()
        raise
    return store


def open_memory_store(*, install_reference: bool = False) -> Store:
    """A migrated in-memory store, for tests."""
    engine = make_engine(":memory:")
    migrate(engine)
    store = Store(engine, None)
    if install_reference:
        from app.bootstrap import install_reference_data

        install_reference_data(store)
    return store
