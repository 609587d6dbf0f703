"""tests/sync/test_faults.py through two hosts (tests/sync/twohost/reuse.py); its small batches come along.

Not here, for time: test_convergence (40 s through two hosts, against 3 s for all of these on 2 cores) and
test_kill (a PC, not a host, killed at random moments: over a minute here); the hosts killed are
test_host_killed.py's."""

from tests.sync import test_faults
from tests.sync.test_faults import small_batches  # noqa: F401 - its autouse fixture, for test_faults' tests here
from tests.sync.twohost.reuse import through_two_hosts

test_fault_during_push_and_pull = through_two_hosts(test_faults.test_fault_during_push_and_pull)
test_failed_sync_is_reported_and_keeps_everything = through_two_hosts(
    test_faults.test_failed_sync_is_reported_and_keeps_everything)
test_faults_during_file_transfer = through_two_hosts(test_faults.test_faults_during_file_transfer)
test_cancel_mid_upload_resumes_and_others_wait_for_the_bytes = through_two_hosts(
    test_faults.test_cancel_mid_upload_resumes_and_others_wait_for_the_bytes)
test_a_server_missing_changes_the_pc_no_longer_keeps_does_not_stop_its_queue = through_two_hosts(
    test_faults.test_a_server_missing_changes_the_pc_no_longer_keeps_does_not_stop_its_queue)
