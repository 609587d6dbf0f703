"""bench/dist_bench.py's counting and verdicts (the timing itself is the benchmark's, never a test's)."""

from __future__ import annotations

from pathlib import Path

from bench import dist_bench


def test_bundle_size_counts_files_and_links_apart(tmp_path: Path) -> None:
    (tmp_path / "_internal").mkdir()
    (tmp_path / "lapor-desk").write_bytes(b"x" * 1000)
    (tmp_path / "_internal" / "libQt6Core.so.6").write_bytes(b"y" * 234)
    (tmp_path / "lapor-desk-cli").symlink_to("lapor-desk")
    assert dist_bench.bundle_size(tmp_path) == (1234, 2, 1)


def test_row_gives_the_ratio_of_medians_and_the_verdict() -> None:
    row, ratio = dist_bench._row("x", [100.0, 300.0, 200.0], [100.0, 90.0, 110.0], 2.0)
    assert ratio == 2.0 and row.endswith("| 200 | 100 | 2.00 | ≤ 2 | meets |")
    row, ratio = dist_bench._row("x", [201.0], [100.0], 2.0)
    assert row.endswith("| MISSED |")
