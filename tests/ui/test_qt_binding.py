"""Guards against a known defect of the Qt binding: PySide6 6.12.0 on Python 3.11 drops a reference to ``True``
on every ``emit()``, so a window that runs long enough aborts with "bool_dealloc". pyproject pins < 6.12; this test
fails if a broken binding comes back."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    plain = Signal()
    with_int = Signal(int)
    with_object = Signal(object)


def test_emitting_signals_does_not_leak_references_to_true(qapp: object) -> None:
    emitter = _Emitter()
    emitter.plain.connect(lambda: None)
    emitter.with_int.connect(lambda _v: None)
    emitter.with_object.connect(lambda _v: None)
    before = sys.getrefcount(True)
    for _ in range(200):  # True has only a few thousand references on 3.11: a broken binding fails or aborts here
        emitter.plain.emit()
        emitter.with_int.emit(1)
        emitter.with_object.emit(True)
    assert abs(sys.getrefcount(True) - before) < 20
