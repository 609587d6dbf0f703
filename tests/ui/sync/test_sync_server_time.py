"""The deadline notice goes by the server's time as this PC knows it (the clock skew the last sync measured), not
by a PC clock that runs behind or ahead."""

from __future__ import annotations

from datetime import timedelta

from app.rules.scope import Scope
from app.store import meta
from app.timeutil import CLOCK_SKEW_KEY, zone
from tests.helpers.world import World
from ui.sync.notifier import due_tomorrow_count, today_key


def test_tomorrows_deadlines_are_the_servers_tomorrow(world: World) -> None:
    world.new_complaint()  # received Monday 09:00 WIB: to be verified by Thursday
    assert due_tomorrow_count(world.ctx, Scope.whole_office(world.office_id)) == 0  # by the PC's clock it is Monday
    with world.store.transaction() as s:  # the PC's clock is two days behind the server's
        meta.put(s, CLOCK_SKEW_KEY, str(timedelta(days=2).total_seconds()))
    assert due_tomorrow_count(world.ctx, Scope.whole_office(world.office_id)) == 1
    server_day = (world.clock() + timedelta(days=2)).astimezone(zone("Asia/Jakarta")).date()
    assert today_key(world.ctx, world.office_id) == server_day.isoformat()
