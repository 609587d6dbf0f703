"""tests/sync/test_roundtrip.py through two hosts (tests/sync/twohost/reuse.py)."""

from tests.sync import test_roundtrip as single
from tests.sync.twohost.reuse import through_two_hosts

test_offline_day_reaches_server_once = through_two_hosts(single.test_offline_day_reaches_server_once)
test_second_pc_receives_the_day_whole = through_two_hosts(single.test_second_pc_receives_the_day_whole)
test_edit_history_reaches_the_server = through_two_hosts(single.test_edit_history_reaches_the_server)
test_accounts_and_units_reach_the_pcs = through_two_hosts(single.test_accounts_and_units_reach_the_pcs)
test_many_files_arrive_whole_while_some_downloads_break_off = through_two_hosts(
    single.test_many_files_arrive_whole_while_some_downloads_break_off)
