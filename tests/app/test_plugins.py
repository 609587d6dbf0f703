"""The plugins' change capture looked up on first use (app.plugins.PluginCapture), as the window sets it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from app import plugins
from app.capture import Mutation, NoCapture, RecordingCapture
from app.store import meta
from app.store.db import Store
from app.timeutil import utcnow

MUTATION = Mutation(name="complaint.note", entity_type="complaint", entity_id="c-1", base_version=1)


def test_the_capture_is_found_on_first_use_and_only_once(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    found = RecordingCapture()
    lookups: list[Any] = []
    monkeypatch.setattr(plugins, "capture_for", lambda s, clock: lookups.append(s) or found)
    capture = plugins.PluginCapture(store, utcnow)
    assert lookups == []  # making it loads no plugin
    with store.transaction() as session:
        capture.capture(session, MUTATION)
        capture.capture(session, MUTATION)
    assert lookups == [store] and found.mutations == [MUTATION, MUTATION]
    assert capture.resolve() is found and lookups == [store]


def test_an_enrolled_store_gets_the_sync_capture_through_the_entry_points(store: Store) -> None:
    assert isinstance(plugins.PluginCapture(store, utcnow).resolve(), NoCapture)  # not enrolled
    with store.transaction() as session:
        meta.put(session, "sync_client_id", "device-1")  # sync.state.CLIENT_ID
    resolved = plugins.PluginCapture(store, utcnow).resolve()
    assert type(resolved).__name__ == "OutboxCapture"


class _EntryPoint:
    def __init__(self, name: str, plugin: object, loads: list[str]) -> None:
        self.name, self._plugin, self._loads = name, plugin, loads

    def load(self) -> object:
        self._loads.append(self.name)
        return self._plugin


def test_the_window_starts_with_its_own_plugin_only(monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[str] = []
    window = SimpleNamespace(launch_gui=lambda args: 7)
    found = (_EntryPoint("sync", SimpleNamespace(), loads), _EntryPoint(plugins.GUI_PLUGIN, window, loads))
    monkeypatch.setattr(plugins, "_entry_points", lambda: found)
    plugins._plugin.cache_clear()
    try:
        assert plugins.launch_gui(None) == 7 and loads == [plugins.GUI_PLUGIN]
        assert plugins.loaded() == (found[0]._plugin, window) and loads == [plugins.GUI_PLUGIN, "sync"]
    finally:
        plugins._plugin.cache_clear()
