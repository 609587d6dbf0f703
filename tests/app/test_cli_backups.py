"""``lapor-desk backup --rotate`` for a task scheduler, backups with their attachment files, and ``restore``
refusing to drop changes not yet sent to the server unless ``--force``."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.cli import EXIT_OK, EXIT_USAGE, run
from app.config import Paths
from app.models import OutboxEntry
from app.services.records import attach_file
from app.store.backup_files import POOL, blob_path
from app.store.db import Store
from app.store.restore import list_backups
from app.store.rotation import BackupPolicy, daily_backup
from app.store.store_messages import REPLACED_BY_RESTORE
from tests.helpers.world import FakeClock, World


def cli(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: object) -> tuple[int, str, str]:
    code = run(["--data-dir", str(data_dir), *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def photo(world: World, tmp_path: Path) -> str:
    source = tmp_path / "foto.jpg"
    source.write_bytes(b"\xff\xd8 foto lampiran")
    attach_file(world.ctx, world.users["PETUGAS_LOKET"], world.new_complaint(), source)
    return hashlib.sha256(source.read_bytes()).hexdigest()


def test_backup_rotate_makes_the_days_backup_and_keeps_the_manual_ones(capsys: pytest.CaptureFixture[str],
                                                                       world: World, store: Store, data_dir: Path,
                                                                       photo: str) -> None:
    paths = Paths(data_dir)
    store.close()
    assert cli(capsys, data_dir, "backup", f"{paths.backups}/")[0] == EXIT_OK
    [manual] = [b.path for b in list_backups(paths.backups)]
    code, out, _ = cli(capsys, data_dir, "backup", "--rotate")
    assert code == EXIT_OK and "Cadangan dibuat:" in out and "Cadangan lama dihapus: 0." in out
    code, out, _ = cli(capsys, data_dir, "backup", "--rotate")  # the scheduler ran again the same day
    assert code == EXIT_OK and "Cadangan lama dihapus: 1." in out  # the newer one is that day's
    reasons = sorted(b.reason for b in list_backups(paths.backups))
    assert reasons == ["daily", "manual"] and manual.exists()
    assert blob_path(paths.backups / POOL, photo).read_bytes() == b"\xff\xd8 foto lampiran"
    code, out, _ = cli(capsys, data_dir, "backup", "--rotate", "--keep-daily", "0", "--keep-weekly", "0")
    assert code == EXIT_OK and len([b for b in list_backups(paths.backups) if b.reason == "daily"]) == 1  # its own


def test_backup_needs_a_destination_or_rotate(capsys: pytest.CaptureFixture[str], store: Store,
                                              data_dir: Path) -> None:
    store.close()
    code, _, err = cli(capsys, data_dir, "backup")
    assert code == EXIT_USAGE and "--rotate" in err


def test_a_backup_file_brings_its_attachments_to_another_pc(capsys: pytest.CaptureFixture[str], world: World,
                                                            store: Store, data_dir: Path, tmp_path: Path,
                                                            photo: str) -> None:
    store.close()
    saved = tmp_path / "usb" / "kantor.sqlite3"
    assert cli(capsys, data_dir, "backup", saved)[0] == EXIT_OK
    new_pc = tmp_path / "new-pc"
    code, out, _ = cli(capsys, new_pc, "restore", saved)
    assert code == EXIT_OK and "Lampiran dipulihkan: 1" in out
    assert blob_path(new_pc / "attachments", photo).read_bytes() == b"\xff\xd8 foto lampiran"


def test_restore_refuses_to_drop_unsent_changes_without_force(capsys: pytest.CaptureFixture[str], world: World,
                                                              store: Store, data_dir: Path, tmp_path: Path,
                                                              clock: FakeClock) -> None:
    paths = Paths(data_dir)
    saved = tmp_path / "usb" / "pagi.sqlite3"
    store.backup(saved)
    with store.transaction() as s:
        for seq in (1, 2):
            s.add(OutboxEntry(seq=seq, mutation_id=f"m-{seq}", name="complaint.note", entity_type="complaint",
                              entity_id=f"c-{seq}", base_version=1, args_json="{}", payload_hash="0" * 64,
                              created_at=clock(), acked_at=None))
    store.close()
    before = paths.database.read_bytes()
    code, _, err = cli(capsys, data_dir, "restore", saved)
    assert code != EXIT_OK
    assert "2 perubahan" in err and "lapor-desk sync" in err and "--force" in err
    assert paths.database.read_bytes() == before
    code, out, _ = cli(capsys, data_dir, "--lang", "en", "restore", saved, "--force")
    assert code == EXIT_OK and "Changes not yet sent that the restored database lacks: 2" in out
    [kept] = [b.path for b in list_backups(paths.backups) if b.reason == REPLACED_BY_RESTORE]
    assert str(kept) in out


def test_backup_rotate_takes_the_configured_counts_and_its_options_first(capsys: pytest.CaptureFixture[str],
                                                                         store: Store, data_dir: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    paths = Paths(data_dir)
    store.close()
    now = datetime.now(UTC)
    for days_ago in range(6, 0, -1):
        daily_backup(paths.database, paths.backups, paths.attachments, policy=BackupPolicy(30, 0),
                     now=now - timedelta(days=days_ago))
    monkeypatch.setenv("LAPOR_DESK_BACKUP_DAILY", "4")  # as lapor-desk.toml's [backup] daily, one layer up
    monkeypatch.setenv("LAPOR_DESK_BACKUP_WEEKLY", "0")
    assert cli(capsys, data_dir, "backup", "--rotate")[0] == EXIT_OK
    assert len(list_backups(paths.backups)) == 4
    assert cli(capsys, data_dir, "backup", "--rotate", "--keep-daily", "2")[0] == EXIT_OK
    assert len(list_backups(paths.backups)) == 2
