"""installer/: the example machine file the Windows installer places (installer/lapor-desk.iss)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_installers_example_machine_file_is_empty_and_right_when_switched_on(tmp_path: Path) -> None:
    """installer/lapor-desk.example.toml: placed as is it sets nothing; with every line switched on (the # removed)
    it is a machine file the program takes whole, so IT's starting point has no wrong key or value."""
    from app.machine_config import load_machine_file

    example = (ROOT / "installer" / "lapor-desk.example.toml").read_text(encoding="utf-8")
    placed = tmp_path / "as-installed.toml"
    placed.write_text(example, encoding="utf-8")
    as_installed = load_machine_file(placed)
    assert as_installed.exists and as_installed.values == {} and as_installed.problems == ()

    switched_on = "\n".join(line.removeprefix("# ") for line in example.splitlines()
                            if line.startswith("# ") and ("=" in line or line.startswith("# [")))
    (tmp_path / "pemda-ca.pem").write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    on = tmp_path / "lapor-desk.toml"
    on.write_text(switched_on + "\n", encoding="utf-8")
    loaded = load_machine_file(on)
    assert [p.text("en") for p in loaded.problems] == []
    assert {"server_url", "office", "ca_bundle", "proxy", "auto_sync_minutes", "language"} <= set(loaded.values)
    assert loaded.locked == {"server_url", "ca_bundle", "proxy"}
