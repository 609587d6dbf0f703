"""The local SQLite store: opening it safely, migrating it after a backup, and transactions.

SQLite runs with WAL, ``synchronous=FULL``, foreign keys and a busy timeout. Write transactions start with
``BEGIN IMMEDIATE`` so a read-then-write (the next tracking number, the audit chain) cannot interleave with
another writer; reads use a deferred ``BEGIN`` and never block the writer.

Each thread keeps a connection and session for reads and one for writes between blocks, and the hot paths run
prebuilt SQL on them (app.store.transactions).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
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

from app.errors import Message, StoreCorrupt, StoreError, StoreTooNew, reason_of
from app.store.store_messages import (
    corrupt_message,
    empty_file_message,
    folder_not_created_message,
    not_writable_message,
    unusable_message,
)
from app.store.transactions import HELD_OPTION, SYNCHRONOUS, HeldConnection, ReadBlock, WriteBlock, driver_of

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"  # app/migrations
BUSY_TIMEOUT_MS = 10_000
SQLITE_MAGIC = b"SQLite format 3\x00"


# The newest migration's id. Alembic is imported only when a store must be migrated (it costs ~0.4 s of start-up);
# tests/app/test_store.py checks that this equals Alembic's head, so a new migration cannot forget it.
HEAD_REVISION = "0006"


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
        cur.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
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


def write_problem(path: Path) -> Message | None:
    """Why the store at ``path`` cannot be written, or None. Tried rather than read from permission bits, which an
    administrator account, ACLs and read-only disks each answer differently: a file is made (and dropped) in the
    folder, where SQLite makes its -wal and -shm, and the existing files are opened for writing."""
    folder = path.parent
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".lapor-write-check-"):
            pass
    except OSError as exc:
        return not_writable_message(folder, exc, folder=True)
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            fd = os.open(file, os.O_RDWR)
        except FileNotFoundError:
            continue
        except OSError as exc:
            return not_writable_message(file, exc, folder=False)
        os.close(fd)
    return None


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
    code = getattr(orig, "sqlite_errorcode", 0) & 0xFF
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
        problem = write_problem(path)  # the folder or the file: "running twice / disk full" would mislead
        if problem is not None:
            return StoreError(problem)
    return StoreError(unusable_message(path, detail))


def probe_file(path: Path, backup_dir: Path, *, quick_check: bool = True) -> str | None:
    """Check that an existing file is an intact SQLite database; return its Alembic revision (or None).

    ``PRAGMA quick_check`` reads every page (tens of milliseconds for a store of a few tens of MB), so damage
    in the middle of the file is found here, before a backup copies it or a migration writes to it. An empty file
    is damage too (a copy cut short, a full disk): a new store has no file at all.
    """
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        reason = reason_of(exc)
        raise StoreError(
            Message(
                f"Berkas basis data tidak dapat dibuka: {path} ({reason.id}). Periksa izin akses berkas.",
                f"The database file cannot be opened: {path} ({reason.en}). Check the file's permissions.",
            )
        ) from exc
    if not header:
        raise StoreCorrupt(empty_file_message(path, backup_dir))
    if header != SQLITE_MAGIC:
        raise StoreCorrupt(corrupt_message(path, backup_dir, Message("bukan berkas SQLite", "not a SQLite file")))
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

    def transaction(self, *, durable: bool = True) -> AbstractContextManager[Session]:
        """One write transaction: committed if the block ends normally, rolled back otherwise. ``durable=False``
        only for what the PC is told again if a power cut loses it (app.store.transactions.WriteBlock)."""
        return WriteBlock(self._take_writer, self._pooled_transaction, durable=durable)

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


def backup_name(reason: str, at: datetime | None = None) -> str:
    """``lapor-desk-<UTC time>-<reason>.sqlite3``: app.store.restore.list_backups reads when and why back from it
    (``at``: the moment to name, now unless given; the rotation's tests pass a fake clock's)."""
    moment = (at or datetime.now(UTC)).astimezone(UTC)
    return f"lapor-desk-{moment.strftime('%Y%m%d-%H%M%S-%f')}-{reason}.sqlite3"


def new_store_path(path: Path) -> Path:
    """Where a new store is built before it is moved to ``path`` (a leftover of a start cut short is dropped)."""
    building = path.with_name(path.name + ".new")
    for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        leftover.unlink(missing_ok=True)
    return building


def _keep_attachments_of(backup: Path, attachments_dir: Path) -> None:
    """The pre-migration backup's attachment files (app.config.Paths: the folder beside the database). A migration
    never changes them, so one that cannot be kept (a full disk) is logged and the update goes on."""
    from app.store.backup_files import keep_attachments

    try:
        keep_attachments(backup, attachments_dir)
    except (OSError, sqlite3.Error) as exc:
        log.warning("attachment files of the pre-migration backup not kept: %s", type(exc).__name__)


def open_store(path: Path, *, backup_dir: Path, install_reference: bool = True, quick_check: bool = True) -> Store:
    """Open (or create) the store at ``path``: probe it, back it up if a migration is due, migrate, load data.

    A damaged (or empty) file raises :class:`StoreCorrupt` and is never written to; a file or folder that cannot
    be written raises :class:`StoreError` saying how to fix it, before anything is changed. ``quick_check=False``
    (the window, which checks in the background once it is up: :func:`check_integrity`) skips reading every page
    unless a migration is due — on a store of 100,000 complaints that read takes 1–8 s.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(folder_not_created_message(path.parent, exc)) from exc
    existing = path.exists()
    rev = probe_file(path, backup_dir, quick_check=quick_check) if existing else None
    if problem := write_problem(path):
        raise StoreError(problem)
    head = head_revision()
    if existing and rev != head and not quick_check:
        probe_file(path, backup_dir)  # a migration writes: check every page first
    if rev is not None and rev != head and rev not in known_revisions():  # the head is known: no Alembic import
        from app import __version__

        # Said to whoever starts the program (often not IT): who can fix it, and that nothing was changed.
        raise StoreTooNew(
            Message(
                f"Basis data ini dibuat oleh LAPOR Desk versi yang lebih baru (skema {rev}); versi di PC ini "
                f"({__version__}) tidak dapat membukanya. Basis data tidak diubah. Minta TI memasang versi terbaru "
                "LAPOR Desk di PC ini.",
                f"This database was written by a newer LAPOR Desk (schema {rev}); the version on this PC "
                f"({__version__}) cannot open it. The database was not changed. Ask IT to install the latest "
                "version of LAPOR Desk on this PC.",
            )
        )
    if existing and rev != head:
        dest = backup_dir / backup_name(f"pre-migrate-{rev or 'none'}")
        log.info("backing up store before migration %s -> %s to %s", rev, head, dest)
        try:
            sqlite_backup(path, dest)
        except (OSError, sqlite3.Error) as exc:
            reason = reason_of(exc)
            raise StoreError(
                Message(
                    f"Pembaruan basis data dibatalkan karena cadangan tidak dapat dibuat di {backup_dir} "
                    f"({reason.id}). Basis data tidak diubah. Periksa ruang disk dan izin folder cadangan.",
                    f"The database update was cancelled: no backup could be written to {backup_dir} "
                    f"({reason.en}). The database was not changed. Check the disk space and the backup folder's "
                    "permissions.",
                )
            ) from exc
        _keep_attachments_of(dest, path.parent / "attachments")
    building = path if existing else new_store_path(path)
    engine = make_engine(building)
    try:
        if rev != head:
            migrate(engine)
        if building != path:  # complete: moved in place, so an empty or partial file at ``path`` is always damage
            engine.dispose()  # the last connection closes: SQLite folds the WAL into the file and removes it
            os.replace(building, path)
            engine = make_engine(path)
        store = Store(engine, path)
        from app.store.later_indexes import build_later_indexes

        build_later_indexes(store)  # a first sync killed part-way left them out
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
