"""Forms flag every problem on the first save (issue 15 §4): the problems the form finds itself (a coordinate that
is not a number, a file that cannot be attached) come together with what the service finds in the other fields,
and nothing is written until all are fixed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.domain import Status
from tests.helpers.world import World
from tests.ui.detail.conftest import complaint_in, counts, load
from ui.actions.record_forms import EditForm, FollowUpForm
from ui.workspace import Workspace


def test_edit_flags_the_title_the_region_and_the_coordinates_at_once(qtbot: Any, world: World,
                                                                      workspace: Workspace) -> None:
    cid = complaint_in(world, Status.DIDISPOSISIKAN)
    before = counts(world, cid)
    form = EditForm(workspace, load(world, cid))
    qtbot.add_widget(form)
    form.title_edit.setText("")
    form.region.setText("99.99.99")
    form.latitude.setText("abc")
    form.longitude.setText("110.36")
    form.submit()
    assert form.field_error("title") and form.field_error("region_code") and form.field_error("latitude")
    assert "-7.7156" in form.field_error("latitude")
    assert counts(world, cid) == before

    form.latitude.setText("-7.72")  # the coordinate fixed: the other two are still there, nothing saved
    form.submit()
    assert not form.field_error("latitude")
    assert form.field_error("title") and form.field_error("region_code")
    assert counts(world, cid) == before

    form.title_edit.setText("Jalan berlubang di depan Pasar Sleman")
    form.region.setText("34.04.07")
    with qtbot.wait_signal(form.succeeded, timeout=3000):
        form.submit()
    detail = load(world, cid)
    assert (detail.title, detail.region_code, detail.latitude, detail.longitude) == (
        "Jalan berlubang di depan Pasar Sleman", "34.04.07", -7.72, 110.36)


def test_edit_says_in_indonesian_what_is_wrong_with_each(qtbot: Any, world: World, make_workspace: Any) -> None:
    ws = make_workspace()
    ws.lang = "id"
    cid = complaint_in(world, Status.BELUM_TERVERIFIKASI)
    form = EditForm(ws, load(world, cid))
    qtbot.add_widget(form)
    form.title_edit.setText("")
    form.description.setText("x" * 4001)
    form.latitude.setText("abc")
    form.submit()
    assert form.field_error("title") == "Wajib diisi."
    assert form.field_error("description").startswith("Terlalu panjang")


def test_follow_up_flags_a_bad_file_and_a_short_text_at_once(qtbot: Any, world: World, workspace: Workspace,
                                                             tmp_path: Path) -> None:
    cid = complaint_in(world, Status.DIDISPOSISIKAN)
    before = counts(world, cid)
    program = tmp_path / "setup.exe"
    program.write_bytes(b"MZ")
    form = FollowUpForm(workspace, load(world, cid))
    qtbot.add_widget(form)
    form.text.setText("")
    form.files.set_files([program])
    form.submit()
    assert form.field_error("file") and form.field_error("text")
    assert counts(world, cid) == before


def test_change_password_flags_every_problem_at_once(qtbot: Any, workspace: Workspace) -> None:
    from ui.lock import ChangePasswordDialog

    dialog = ChangePasswordDialog(workspace)
    qtbot.add_widget(dialog)
    dialog.show()
    dialog.new.setText("pendek")
    dialog.repeat.setText("pendek!")
    dialog.submit()
    text = dialog.error.text()
    assert dialog.tr("Fill in the current password.") in text
    assert "minimal 8 karakter" in text and "huruf dan angka" in text
    assert dialog.tr("The two new passwords are not the same.") in text
    assert dialog.focusWidget() is dialog.old
