"""The local store on real files: pragmas and write locks, migrations (from nothing and from committed revision 0001
and 0004 files), schema against the models, and what happens to newer, damaged, locked and unreadable files."""

from __future__ import annotations

import hashlib
import os
import random
import shlex
import shutil
import sqlite3
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy.exc
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select, text
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateIndex

import app.config
import app.store.db
import app.store.store_messages
from app.domain import Channel, Classification
from app.errors import StoreCorrupt, StoreError, StoreTooNew
from app.inputs import IntakeInput, ReporterInput
from app.models import Base, Complaint, Office, TimelineEvent
from app.read.receipt import Viewer, receipt_content
from app.read.search import search_ids
from app.rules import tracking
from app.services import ServiceContext, intake
from app.services.users import authenticate
from app.store import meta
from app.store.audit import verify_chain
from app.store.db import (
    BUSY_TIMEOUT_MS,
    Store,
    backup_name,
    current_revision,
    head_revision,
    make_engine,
    migrate,
    open_store,
    probe_file,
    sqlite_backup,
)
from tests.data import make_old_store as old

# These tests read the query layer for the whole office on purpose (a bare office id; app.rules.scope).
pytestmark = pytest.mark.filterwarnings("ignore::app.rules.scope.UnscopedRead")

DATA = Path(__file__).resolve().parents[1] / "data"
OLD_STORE = DATA / "store-rev0001.sqlite3"
STORE_0004 = DATA / "store-rev0004.sqlite3"  # what every PC had before offices had contact details (0005)
CONTACT_COLUMNS = ("contact_address", "contact_phone", "contact_email", "contact_website", "service_hours")
FTS_TABLES = {"complaint_fts", "complaint_fts_data", "complaint_fts_idx", "complaint_fts_content",
              "complaint_fts_docsize", "complaint_fts_config"}
EXPRESSION_INDEXES = {"ix_complaints_office_next_due", "ix_complaints_office_status_due"}


def snapshot(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), st.st_size, st.st_mtime_ns


def tables_of(path: Path) -> set[str]:
    conn = sqlite3.connect(app.store.db.readonly_uri(path), uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def scalar(path: Path, sql: str) -> object:
    conn = sqlite3.connect(app.store.db.readonly_uri(path), uri=True)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


# --- pragmas and transactions ---------------------------------------------------------------------------------


def test_pragmas_on_a_real_file(store: Store) -> None:
    assert store.path is not None and store.path.is_file()
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS > 0
    with store.transaction() as session:  # the write engine's connections get them too
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(sqlalchemy.exc.IntegrityError), store.transaction() as session:
        session.add(TimelineEvent(id="e-1", complaint_id="no-such-complaint", kind="NOTE",
                                  at=datetime(2026, 3, 2, tzinfo=UTC)))


def test_write_transaction_takes_the_write_lock_at_begin(store: Store) -> None:
    """BEGIN IMMEDIATE: a read-then-write (tracking number, audit chain) holds the lock from its first read."""
    assert store.path is not None
    other = sqlite3.connect(store.path, timeout=0, isolation_level=None)
    try:
        with store.transaction() as session:
            session.execute(text("SELECT count(*) FROM store_meta")).scalar()  # only a read so far
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released at commit
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_read_transaction_does_not_block_a_writer(store: Store) -> None:
    assert store.path is not None
    other = sqlite3.connect(store.path, timeout=0, isolation_level=None)
    try:
        with store.read() as session:
            before = session.execute(text("SELECT count(*) FROM store_meta")).scalar()
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO store_meta (key, value) VALUES ('t', 'x')")
            other.execute("COMMIT")
            # still the snapshot the read began with
            assert session.execute(text("SELECT count(*) FROM store_meta")).scalar() == before
    finally:
        other.close()


# --- migrations from nothing ----------------------------------------------------------------------------------


def test_migrations_on_a_new_store_reach_head_with_full_text_search(tmp_path: Path) -> None:
    path = tmp_path / "data" / "lapor-desk.sqlite3"
    store = open_store(path, backup_dir=tmp_path / "backups", install_reference=False)
    try:
        assert current_revision(store.engine) == head_revision()
        with store.engine.connect() as conn:
            fts_sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'complaint_fts'").scalar()
        assert fts_sql is not None and "VIRTUAL TABLE" in fts_sql.upper() and "fts5" in fts_sql
    finally:
        store.close()
    assert tables_of(path) >= FTS_TABLES
    assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").iterdir())  # nothing to save


def test_an_empty_file_is_damage_not_a_new_store(tmp_path: Path, template_db: Path) -> None:
    """A 0-byte file where the store should be is a copy cut short or a full disk: refused and left as it is,
    with the command that restores the latest backup."""
    path = tmp_path / "lapor-desk.sqlite3"
    path.touch()
    latest = tmp_path / "backups" / backup_name("manual")
    sqlite_backup(template_db, latest)
    with pytest.raises(StoreCorrupt) as err:
        open_store(path, backup_dir=tmp_path / "backups")
    assert path.stat().st_size == 0 and sorted(tmp_path.iterdir()) == [tmp_path / "backups", path]
    restore = shlex.join(["lapor-desk", "--data-dir", str(tmp_path), "restore", str(latest), "--force"])
    assert "0 bytes" in err.value.message.en and restore in err.value.message.en
    assert "0 bita" in err.value.message.id and restore in err.value.message.id


def test_a_first_start_cut_short_leaves_no_store_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new store is built beside its place and moved there complete, so a start killed while the schema is
    made leaves nothing that the next start would take for damage."""
    path = tmp_path / "lapor-desk.sqlite3"

    def killed(engine: object, revision: str = "head") -> None:
        raise KeyboardInterrupt  # stands for the process dying in the middle of the first migration

    with monkeypatch.context() as patch:
        patch.setattr(app.store.db, "migrate", killed)
        with pytest.raises(KeyboardInterrupt):
            open_store(path, backup_dir=tmp_path / "backups", install_reference=False)
    assert not path.exists()
    store = open_store(path, backup_dir=tmp_path / "backups", install_reference=False)
    try:
        assert current_revision(store.engine) == head_revision()
    finally:
        store.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lapor-desk.sqlite3"]  # the leftover was dropped


def test_the_restore_hint_names_the_data_folder_unless_it_is_the_default(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run as printed, ``lapor-desk restore`` restores into the default folder: the hint adds --data-dir for any
    other one, quoted for the shell."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    backup = Path("/media/usb/cadangan lama.sqlite3")
    default = app.config.platform_data_dir()
    assert app.store.store_messages.restore_command(backup, default / "backups") == (
        "lapor-desk restore '/media/usb/cadangan lama.sqlite3' --force")
    other = tmp_path / "Data LAPOR"
    assert shlex.split(app.store.store_messages.restore_command(backup, other / "backups")) == [
        "lapor-desk", "--data-dir", str(other), "restore", str(backup), "--force"]


def test_schema_from_migrations_matches_the_models(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "schema.sqlite3")
    migrate(engine)

    def include(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
        # The FTS5 table and its shadow tables are made by raw DDL in 0002; no model maps them (search.py uses SQL).
        return not (type_ == "table" and name in FTS_TABLES)

    try:
        with engine.connect() as conn, warnings.catch_warnings():
            # SQLite cannot reflect expression indexes, so autogenerate skips them (and warns); they are compared
            # by their SQL below.
            warnings.filterwarnings("ignore", message=".*expression-based index.*")
            ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include,
                                                         "target_metadata": Base.metadata})
            diff = compare_metadata(ctx, Base.metadata)
            stored = dict(conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'complaints'").all())
    finally:
        engine.dispose()
    assert diff == []
    model_indexes = {ix.name: ix for ix in Base.metadata.tables["complaints"].indexes}
    assert set(model_indexes) >= EXPRESSION_INDEXES
    for name in EXPRESSION_INDEXES:
        expected = str(CreateIndex(model_indexes[name]).compile(dialect=sqlite_dialect.dialect(),
                                                                compile_kwargs={"literal_binds": True}))
        assert " ".join(stored[name].split()) == " ".join(expected.split())


# --- a real old file ------------------------------------------------------------------------------------------


@pytest.fixture
def old_store_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "lapor-desk.sqlite3"
    shutil.copyfile(OLD_STORE, path)
    return path


def test_committed_old_store_is_a_single_file_at_revision_0001() -> None:
    assert OLD_STORE.is_file() and OLD_STORE.stat().st_size < 512 * 1024
    assert not Path(f"{OLD_STORE}-wal").exists()
    assert probe_file(OLD_STORE, DATA / "no-backups") == "0001"
    assert "complaint_fts" not in tables_of(OLD_STORE)
    assert scalar(OLD_STORE, "SELECT count(*) FROM complaints") == len(old.COMPLAINTS)


def test_committed_rev0004_store_is_a_single_file_without_office_contact() -> None:
    assert STORE_0004.is_file() and STORE_0004.stat().st_size < 512 * 1024
    assert not Path(f"{STORE_0004}-wal").exists()
    assert probe_file(STORE_0004, DATA / "no-backups") == "0004"
    assert "complaint_fts" in tables_of(STORE_0004)
    columns = {row[1] for row in sqlite3.connect(app.store.db.readonly_uri(STORE_0004), uri=True).execute(
        "PRAGMA table_info(offices)")}
    assert columns == {"id", "region_code", "name", "tz", "server_version"}


@pytest.mark.parametrize("revision", old.REVISIONS)
def test_generator_reproduces_the_committed_file(tmp_path: Path, revision: str) -> None:
    """A shipped revision must never change: the generator, run today, gives the committed schema and rows."""
    fresh = old.make_old_store(tmp_path / "fresh.sqlite3", revision)
    for sql in ("SELECT type, name, sql FROM sqlite_master ORDER BY name",
                "SELECT * FROM complaints ORDER BY id", "SELECT * FROM timeline_events ORDER BY id",
                "SELECT * FROM audit_log ORDER BY id", "SELECT * FROM store_meta ORDER BY key",
                "SELECT * FROM offices ORDER BY id"):
        conns = [sqlite3.connect(app.store.db.readonly_uri(p), uri=True) for p in (fresh, old.committed_file(revision))]
        try:
            assert conns[0].execute(sql).fetchall() == conns[1].execute(sql).fetchall(), sql
        finally:
            for c in conns:
                c.close()


def test_opening_an_old_store_backs_it_up_then_migrates(old_store_copy: Path, tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    store = open_store(old_store_copy, backup_dir=backups)
    try:
        assert current_revision(store.engine) == head_revision() != "0001"
        with store.read() as session:
            assert session.execute(select(func.count()).select_from(Complaint)).scalar() == len(old.COMPLAINTS)
            assert verify_chain(session).ok  # the old audit chain survives the migration
            assert meta.get(session, meta.TRACKING_SEQ) == str(len(old.COMPLAINTS))
            office = session.get(Office, old.OFFICE_ID)
            assert office is not None and office.name == "Pemerintah Kabupaten Sleman"
            assert [getattr(office, column) for column in CONTACT_COLUMNS] == [None] * 5  # 0005: none known yet
        ctx = ServiceContext(store=store, device_label="test-pc")
        assert authenticate(ctx, old.USERNAME, old.PASSWORD).id == old.USER_ID  # old accounts still log in
    finally:
        store.close()
    saved = list(backups.iterdir())
    assert len(saved) == 1 and "pre-migrate-0001" in saved[0].name
    assert probe_file(saved[0], backups) == "0001"  # the backup is the store as it was, before migrating
    assert "complaint_fts" not in tables_of(saved[0])
    assert scalar(saved[0], "SELECT group_concat(title, '|') FROM (SELECT title FROM complaints ORDER BY id)") \
        == "|".join(c[1] for c in old.COMPLAINTS)


def test_a_rev0004_store_gains_the_office_contact_and_prints_it(tmp_path: Path) -> None:
    """The file PCs have today: backed up as it was, migrated to 0005 with the office's contact empty, its old
    complaints' receipts printed as before (the counter and the office's phone in general) until the contact is
    known, then with the office's number."""
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "lapor-desk.sqlite3"
    shutil.copyfile(STORE_0004, path)
    backups = tmp_path / "backups"
    store = open_store(path, backup_dir=backups)
    viewer = Viewer(old.OFFICE_ID)
    lamp = old.COMPLAINTS[0][0]
    now = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    try:
        assert current_revision(store.engine) == head_revision()
        with store.read() as session:
            office = session.get(Office, old.OFFICE_ID)
            assert office is not None
            assert [getattr(office, column) for column in CONTACT_COLUMNS] == [None] * 5
            assert verify_chain(session).ok
        before = receipt_content(store, lamp, viewer, status_base_url=None, now=now)
        assert before.office.contact == () and "telepon kantor" in before.access.how_to[0]
        with store.transaction() as session:
            office = session.get(Office, old.OFFICE_ID)
            assert office is not None
            office.contact_phone, office.service_hours = "+62274868405", "Senin–Jumat 08.00–15.00 WIB"
        after = receipt_content(store, lamp, viewer, status_base_url=None, now=now)
        assert after.office.phone == "(0274) 868405"
        assert "telepon (0274)\u00a0868405" in after.access.how_to[0]
        assert after.access.how_to[1] == "Loket pengaduan buka Senin–Jumat 08.00–15.00 WIB."
    finally:
        store.close()
    [saved] = list(backups.iterdir())
    assert "pre-migrate-0004" in saved.name and probe_file(saved, backups) == "0004"


@pytest.fixture(scope="module")
def migrated_old_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The old store opened (so migrated) once per module; tests get copies (the migration itself costs ~2 s)."""
    folder = tmp_path_factory.mktemp("migrated-old")
    path = folder / "lapor-desk.sqlite3"
    shutil.copyfile(OLD_STORE, path)
    store = open_store(path, backup_dir=folder / "backups")
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


@pytest.fixture
def migrated_old(tmp_path: Path, migrated_old_template: Path) -> Path:
    path = tmp_path / "lapor-desk.sqlite3"
    shutil.copyfile(migrated_old_template, path)
    return path


def test_old_complaints_are_searchable_after_migration(migrated_old: Path, tmp_path: Path) -> None:
    lamp, rubbish, queue = (c[0] for c in old.COMPLAINTS)
    store = open_store(migrated_old, backup_dir=tmp_path / "backups")
    try:
        with store.read() as session:
            def find(words: str, anon: bool = False) -> list[str]:
                return search_ids(session, words, office_id=old.OFFICE_ID, can_see_anonymous=anon)

            assert find("Kaliurang") == [lamp]  # title
            assert find("kaliu") == [lamp]  # prefix, any case
            assert find("menyengat") == [rubbish]  # description
            assert find("diperpanjang") == [queue]  # follow-up text of the old timeline
            assert find("Siti") == [lamp]  # named reporter
            assert find("Bambang") == [] and find("Bambang", anon=True) == [rubbish]  # anonymous reporter
            assert find(tracking.make_code(old.REGION4, old.DEVICE_NO, 3).replace("-", " ")) == [queue]
            fts_sql = session.execute(text("SELECT sql FROM sqlite_master WHERE name = 'complaint_fts'")).scalar()
            assert "prefix" not in fts_sql  # 0006 rebuilt the index built by 0002 without its prefix indexes
    finally:
        store.close()


def test_new_intake_on_a_migrated_store_continues_the_sequence(migrated_old: Path, tmp_path: Path) -> None:
    store = open_store(migrated_old, backup_dir=tmp_path / "backups")
    try:
        ctx = ServiceContext(store=store, device_label="test-pc")
        inp = IntakeInput(classification=Classification.PENGADUAN, channel=Channel.WALK_IN,
                          title="Saluran air tersumbat di Jalan Magelang",
                          description="Saluran air di tepi Jalan Magelang tersumbat dan meluap setiap hujan deras.",
                          reporter=ReporterInput(name="Dewi Lestari", phone="081298765432", consent_given=True))
        result = intake(ctx, old.USER_ID, inp)
        assert result.tracking_code == tracking.make_code(old.REGION4, old.DEVICE_NO, len(old.COMPLAINTS) + 1)
        with store.read() as session:
            found = search_ids(session, "tersumbat Magelang", office_id=old.OFFICE_ID, can_see_anonymous=False)
            assert found == [result.complaint_id]
            assert verify_chain(session).ok
    finally:
        store.close()


def test_no_migration_when_the_backup_cannot_be_written(old_store_copy: Path, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "backups"
    not_a_folder.write_text("a file where the backup folder should be")
    before = snapshot(old_store_copy)
    with pytest.raises(StoreError) as err:
        open_store(old_store_copy, backup_dir=not_a_folder)
    assert not isinstance(err.value, StoreCorrupt)
    assert str(not_a_folder) in err.value.message.en
    assert snapshot(old_store_copy) == before
    assert probe_file(old_store_copy, not_a_folder) == "0001"


# --- newer, damaged, busy and unreadable files ----------------------------------------------------------------


@pytest.fixture
def head_copy(tmp_path: Path, template_db: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    path = folder / "lapor-desk.sqlite3"
    shutil.copyfile(template_db, path)
    return path


def test_newer_schema_raises_too_new_and_is_not_modified(head_copy: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(head_copy)
    conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    conn.commit()
    conn.close()
    before = snapshot(head_copy)
    backups = tmp_path / "backups"
    with pytest.raises(StoreTooNew) as err:
        open_store(head_copy, backup_dir=backups)
    assert "0099_from_the_future" in err.value.message.en
    assert snapshot(head_copy) == before
    assert not backups.exists()


def _random_bytes(path: Path, rng: random.Random) -> None:
    path.write_bytes(rng.randbytes(64 * 1024))


def _sqlite_header_then_garbage(path: Path, rng: random.Random) -> None:
    path.write_bytes(app.store.db.SQLITE_MAGIC + rng.randbytes(64 * 1024))


def _truncated(path: Path, rng: random.Random) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _garbage_over_middle_pages(path: Path, rng: random.Random) -> None:
    conn = sqlite3.connect(path)
    page_size, pages, free = (conn.execute(f"PRAGMA {p}").fetchone()[0]
                              for p in ("page_size", "page_count", "freelist_count"))
    conn.close()
    assert free == 0 and pages > 100  # every page is in use, so the garbage lands on live b-tree pages
    with path.open("r+b") as fh:
        fh.seek((pages // 2) * page_size)
        fh.write(rng.randbytes(4 * page_size))


CORRUPTIONS = [_random_bytes, _sqlite_header_then_garbage, _truncated, _garbage_over_middle_pages]


@pytest.mark.parametrize("damage", CORRUPTIONS, ids=lambda f: f.__name__.strip("_"))
def test_corrupt_file_raises_store_corrupt_naming_the_file_and_latest_backup(
        head_copy: Path, tmp_path: Path, template_db: Path, damage: object) -> None:
    backups = tmp_path / "backups"
    latest = backups / backup_name("manual")
    sqlite_backup(template_db, latest)
    damage(head_copy, random.Random(20261128))  # type: ignore[operator]
    before = snapshot(head_copy)
    with pytest.raises(StoreCorrupt) as err:
        open_store(head_copy, backup_dir=backups)
    restore = shlex.join(["lapor-desk", "--data-dir", str(tmp_path), "restore", str(latest), "--force"])
    for text_ in (err.value.message.id, err.value.message.en):
        assert str(head_copy) in text_
        assert restore in text_
    assert snapshot(head_copy) == before  # never written to
    assert sorted(backups.iterdir()) == [latest]  # and the damage was not copied into the backups


def test_corrupt_file_without_backups_says_so(head_copy: Path, tmp_path: Path) -> None:
    _truncated(head_copy, random.Random(1))
    with pytest.raises(StoreCorrupt) as err:
        open_store(head_copy, backup_dir=tmp_path / "backups")
    assert "no backup" in err.value.message.en and "Restore the latest backup" not in err.value.message.en
    assert f"lapor-desk --data-dir {tmp_path} restore FILE --force" in err.value.message.en  # one from elsewhere
    assert f"lapor-desk --data-dir {tmp_path} restore BERKAS --force" in err.value.message.id


def test_locked_file_is_busy_not_corrupt(head_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database another process holds exclusively must not be reported as damaged (the advice would be to
    restore a backup over it)."""
    monkeypatch.setattr(app.store.db, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(head_copy, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StoreError) as err:
            open_store(head_copy, backup_dir=tmp_path / "backups")
    finally:
        holder.close()
    assert not isinstance(err.value, StoreCorrupt)
    assert "locked" in err.value.message.en and "restore" not in err.value.message.en


def test_failure_during_migration_is_a_typed_error(old_store_copy: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLAlchemy wraps SQLite's errors; a full disk during migration is a StoreError, not a crash, and not
    "corrupt"."""
    probe = sqlite3.connect(":memory:")
    probe.execute("CREATE TABLE t (x)")
    probe.execute("PRAGMA max_page_count = 2")
    with pytest.raises(sqlite3.OperationalError) as full:
        probe.executemany("INSERT INTO t VALUES (?)", [("x" * 1000,)] * 100)
    probe.close()

    def migrate_on_a_full_disk(engine: object, revision: str = "head") -> None:
        raise sqlalchemy.exc.OperationalError("INSERT INTO complaint_search_docs ...", {}, full.value)

    monkeypatch.setattr(app.store.db, "migrate", migrate_on_a_full_disk)
    with pytest.raises(StoreError) as err:
        open_store(old_store_copy, backup_dir=tmp_path / "backups")
    assert not isinstance(err.value, StoreCorrupt)
    assert "full" in err.value.message.en


def test_unreadable_file_gives_store_error(head_copy: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    head_copy.chmod(0)
    try:
        with pytest.raises(StoreError) as err:
            open_store(head_copy, backup_dir=tmp_path / "backups")
    finally:
        head_copy.chmod(0o600)
    assert not isinstance(err.value, StoreCorrupt)
    assert str(head_copy) in err.value.message.en


def test_a_folder_in_place_of_the_file_gives_store_error(tmp_path: Path) -> None:
    path = tmp_path / "lapor-desk.sqlite3"
    (path / "inside").mkdir(parents=True)
    with pytest.raises(StoreError) as err:
        open_store(path, backup_dir=tmp_path / "backups")
    assert not isinstance(err.value, StoreCorrupt)
    assert str(path) in err.value.message.en


def test_a_failed_backup_leaves_no_partial_file(tmp_path: Path) -> None:
    source = tmp_path / "damaged.sqlite3"
    _sqlite_header_then_garbage(source, random.Random(3))
    dest = tmp_path / "backups" / "copy.sqlite3"
    with pytest.raises(sqlite3.DatabaseError):
        sqlite_backup(source, dest)
    assert list(dest.parent.iterdir()) == []


def test_data_folder_with_uri_characters_in_its_name(tmp_path: Path, template_db: Path) -> None:
    """'#', '?' and '%' in a folder name (a Windows user called "Budi#2") must not make SQLite open another file."""
    folder = tmp_path / "Budi#2 ?50%"
    folder.mkdir()
    path = folder / "lapor-desk.sqlite3"
    shutil.copyfile(template_db, path)
    assert probe_file(path, folder / "backups") == head_revision()
    store = open_store(path, backup_dir=folder / "backups")
    store.close()
    sqlite_backup(path, folder / "backups" / "copy.sqlite3")
    assert probe_file(folder / "backups" / "copy.sqlite3", folder / "backups") == head_revision()
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.name]  # no stray file opened by mistake


def test_head_revision_constant_matches_alembic() -> None:
    """app.store.db.HEAD_REVISION spares start-up the Alembic import; it must name the newest migration."""
    assert app.store.db.alembic_head() == app.store.db.HEAD_REVISION


def test_deferred_check_opens_quickly_and_check_integrity_finds_the_damage_later(
        head_copy: Path, tmp_path: Path) -> None:
    """The window opens without reading every page, then checks in the background: damage in the middle of the
    file is still found, with the same message."""
    _garbage_over_middle_pages(head_copy, random.Random(7))
    backups = tmp_path / "backups"
    store = open_store(head_copy, backup_dir=backups, quick_check=False, install_reference=False)
    try:
        with pytest.raises(StoreCorrupt) as err:
            app.store.db.check_integrity(store, backups)
        assert str(head_copy) in err.value.message.id
    finally:
        store.close()


def test_deferred_check_still_checks_every_page_before_a_migration(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    shutil.copyfile(OLD_STORE, old)
    conn = sqlite3.connect(old)
    page_size, pages = (conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_size", "page_count"))
    conn.close()
    with old.open("r+b") as fh:  # garbage over live pages in the middle, far from sqlite_master
        fh.seek((pages // 2) * page_size)
        fh.write(random.Random(3).randbytes(4 * page_size))
    before = snapshot(old)
    with pytest.raises(StoreCorrupt):
        open_store(old, backup_dir=tmp_path / "backups", quick_check=False)
    assert snapshot(old) == before
