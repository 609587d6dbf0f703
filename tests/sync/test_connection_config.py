"""Sync's connection as configured (app.config_layers): the store's server, CA bundle and proxy over the machine
file's, the machine file's where the store holds none or IT locked the key, the environment over both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.config import Paths
from app.config_layers import user_settings
from app.machine_config import MACHINE_FILE_ENV
from app.store import meta
from sync import state
from sync.session import build_engine
from tests.helpers.world import World


def enrolled(world: World, *, ca_bundle: str = "", proxy: str = "") -> None:
    with world.store.transaction() as session:
        meta.put(session, state.CLIENT_ID, "client-1")
        meta.put(session, state.SERVER_URL, "https://lama.example.go.id")
        meta.put(session, state.SETTINGS, json.dumps({"ca_bundle": ca_bundle, "proxy": proxy}))


def connection(world: World, data_dir: Path) -> tuple[str, str | None, str | None]:
    engine = build_engine(world.store, Paths(data_dir), token="token")
    try:
        s = engine.transport.settings
        return s.base_url, s.ca_bundle, s.proxy
    finally:
        engine.transport.close()


def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    (tmp_path / "pemda-ca.pem").write_text("-----BEGIN CERTIFICATE-----\n")
    (tmp_path / "lapor-desk.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv(MACHINE_FILE_ENV, str(tmp_path / "lapor-desk.toml"))


def test_the_machine_files_ca_and_proxy_apply_where_the_store_has_none(
        world: World, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    enrolled(world)
    machine(tmp_path, monkeypatch, 'server_url = "https://baru.example.go.id"\nca_bundle = "pemda-ca.pem"\n'
                                   'proxy = "http://proxy.pemda:8080"\n')
    assert connection(world, data_dir) == ("https://lama.example.go.id", str(tmp_path / "pemda-ca.pem"),
                                           "http://proxy.pemda:8080")


def test_the_stores_choice_wins_unless_it_is_locked_and_the_environment_wins_over_both(
        world: World, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    enrolled(world, proxy="http://pilihan.kantor:3128")
    machine(tmp_path, monkeypatch, 'proxy = "http://proxy.pemda:8080"\n')
    assert connection(world, data_dir)[2] == "http://pilihan.kantor:3128"
    machine(tmp_path, monkeypatch, 'server_url = "https://baru.example.go.id"\nproxy = "http://proxy.pemda:8080"\n'
                                   'locked = ["server_url", "proxy"]\n')
    assert connection(world, data_dir) == ("https://baru.example.go.id", None, "http://proxy.pemda:8080")
    monkeypatch.setenv("LAPOR_DESK_PROXY", "http://darurat:8080")
    assert connection(world, data_dir)[2] == "http://darurat:8080"
    assert user_settings(Paths(data_dir))["proxy"] == "http://pilihan.kantor:3128"  # read without opening the store
