"""The sync loop: push what this PC changed, upload its files, pull what the office received, download the
files of open complaints. Safe to stop at any point (cancel, crash, power cut): every step is idempotent and
each pulled page commits together with its cursor (up to two pages in one transaction).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.models import Attachment, OutboxEntry
from app.services.context import ServiceContext
from app.services.refusals import standing_seqs
from app.store import meta
from app.store.blobfiles import remove_stale_partials, stored_blobs
from app.store.later_indexes import indexes_later
from sync import offer_back, reference, restore, state
from sync.apply_pull import apply_changes, fewer_checkpoints
from sync.blobs import note_unreferenced, remove_unreferenced, upload_files
from sync.downloads import download_files
from sync.first_page import EarlyPage
from sync.protocol import (
    MAX_PULL_LIMIT,
    MAX_PUSH_BATCH,
    ChangeLike,
    DeviceState,
    Mutation,
    MutationResult,
    PullResponse,
    PushRequest,
    PushResponse,
    PushStop,
)
from sync.push_batches import FIRST_PUSH_BATCH, next_batch
from sync.push_results import diverged_message, record_results
from sync.transport import ServerRefused, SyncError, Transport

log = logging.getLogger(__name__)
# Mutations per push request: as many as the server takes. Since the server applies a batch set-based (plain rows,
# one executemany per table) a batch of 500 costs it less per change than one of 200, and each request has its
# own commit and round trip: on 1,000 edits at 10,000 complaints the push took 0.40 s against 0.45 s (medians of
# two, a shared machine). (Before, with an ORM flush per batch, 500 had been the slower: 0.37 s against 0.32 s.)
PUSH_BATCH = MAX_PUSH_BATCH
PUSHES_IN_FLIGHT = 2  # a batch on the server and the next one on its way
# Pull pages: the first one small, so that the PC starts writing while the server builds the next one, then each
# twice the one before up to PULL_LIMIT (the server builds a page in about half the time the PC takes to write it,
# so the page fetched ahead is ready about when the one before is written). Large pages because
# each page is one request and one transaction: a transaction writes every index page its rows touch, and the
# random keys (event ids, due dates) touch most of them, so at 50,000 complaints pages of 1,000 wrote 1.7 GB to the
# store for a 0.3 GB result, pages of 2,000 1.2 GB (and 12 % less CPU). Not the server's largest (2,000): zstd
# compresses a page of more than some 1,500 complaints (3.5 MB of JSON) worse, 3 % at 2,000 (0.274 of the JSON
# against 0.265), and a first sync's bytes are a target too (issue 14: at most 0.75x PouchDB's).
PULL_LIMIT = MAX_PULL_LIMIT * 3 // 4
PULL_FIRST_LIMIT = 250
# Pulled pages written in one transaction: each transaction writes every index page its rows touch, and the random
# keys touch most of them. Replaying a first sync of 50,000 complaints with all indexes in place, transactions of two
# pages wrote 975 MB instead of 1,365 MB and took 11 % less time (three gained nothing more); with the complaints'
# secondary indexes built at the end (app.store.later_indexes) the gain is some 2 % (11.20 s -> 10.95 s, medians of
# 3). Two pages fetched ahead at most (the one being written and the next), so memory stays that of two pages.
PAGES_PER_TRANSACTION = 2
KEEP_ACKED = timedelta(days=30)

Progress = Callable[[str, int, int, int], None]  # phase, done, total, bytes on the wire so far


SWEPT_AT = "sync_files_swept_at"  # store_meta: when the attachment folder was last checked against the rows
SWEEP_EVERY = timedelta(days=1)


class Cancelled(Exception):
    """The person (or the program closing) asked the sync to stop; everything done so far is kept."""


@dataclass
class SyncReport:
    pushed: int = 0
    applied: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: list[MutationResult] = field(default_factory=list)
    pulled_complaints: int = 0
    pulled_events: int = 0
    new_complaint_ids: list[str] = field(default_factory=list)
    removed: int = 0
    uploaded: int = 0
    downloaded: int = 0
    era_changed: bool = False  # the server was restored from a backup (a new era, or a feed without our position)
    restored: bool = False  # this PC was restored from an older copy of its data (the server is ahead of it)
    bytes_sent: int = 0
    bytes_received: int = 0
    requests: int = 0


class SyncEngine:
    def __init__(self, ctx: ServiceContext, transport: Transport, *, client_id: str, office_id: str,
                 blob_dir: Path, cancel: threading.Event | None = None, progress: Progress | None = None) -> None:
        self.ctx = ctx
        self.store = ctx.store
        self.transport = transport
        self.client_id = client_id
        self.office_id = office_id
        self.blob_dir = blob_dir
        self.cancel = cancel or threading.Event()
        self.progress = progress or (lambda phase, done, total, nbytes: None)
        self._snapshot_ok = True  # until a server older than protocol 3 refuses the request field
        self._early: EarlyPage[tuple[PullResponse, list[ChangeLike]]] = EarlyPage()

    def _check(self) -> None:
        if self.cancel.is_set():
            raise Cancelled()

    def _report(self, phase: str, done: int, total: int) -> None:
        self.progress(phase, done, total, self.transport.stats.sent + self.transport.stats.received)

    def run_once(self) -> SyncReport:
        report = SyncReport()
        start = (self.transport.stats.sent, self.transport.stats.received, self.transport.stats.requests)
        try:
            self._tidy_files()
            with self.store.read() as session:
                first = state.held_reference_version(session) is None
            if first:  # accounts, units, categories and the SLA policy before anything else
                self._first_page_early()
                reference.sync_reference(self.ctx, self.transport, self.office_id)
            self._check()
            self.push(report)
            self._check()
            self.upload(report)
            self._check()
            self.pull(report)
            self._check()
            self._offer_back(report)
            self._check()
            self.download(report)
            if report.era_changed:
                self._offer_files_again(report)
            if report.restored or report.era_changed or self._sweep_due():
                self._sweep_files()
            with self.store.transaction() as session:
                meta.put(session, state.LAST_SUCCESS, self.ctx.clock().isoformat())
                meta.put(session, state.LAST_ERROR, "")
                meta.put(session, state.LAST_ERROR_EN, "")
                cutoff = self.ctx.clock() - KEEP_ACKED
                # A standing refusal (a citizen's complaint the server refused) stays until it is sent again or
                # withdrawn, however long that takes.
                session.execute(delete(OutboxEntry).where(OutboxEntry.acked_at < cutoff,
                                                          OutboxEntry.seq.not_in(standing_seqs(session))))
        except SyncError as exc:
            with self.store.transaction() as session:
                meta.put(session, state.LAST_ERROR, exc.message.id)
                meta.put(session, state.LAST_ERROR_EN, exc.message.en)
            raise
        finally:
            self._early.close()
            report.bytes_sent = self.transport.stats.sent - start[0]
            report.bytes_received = self.transport.stats.received - start[1]
            report.requests = self.transport.stats.requests - start[2]
        return report

    def _first_page_early(self) -> None:
        """A new PC with nothing to send: its first pull page is fetched while the reference data is installed."""
        with self.store.read() as session:
            if meta.get(session, state.CURSOR) or session.execute(select(OutboxEntry.seq).where(
                    OutboxEntry.acked_at.is_(None)).limit(1)).first():
                return
        self._early.start(lambda: self._fetch_changes(None, page_no=0))

    def _tidy_files(self) -> None:
        """What an earlier sync killed part-way left in the attachment folder: partial downloads (a sync still
        running elsewhere holds its own locked, and they stay) and files whose rows it had dropped."""
        if removed := remove_stale_partials(self.blob_dir):
            log.info("removed %d partial attachment files left by an interrupted sync", removed)
        remove_unreferenced(self.store, self.blob_dir)

    # ---- push ---------------------------------------------------------------------------------------------

    def _pending(self, after: int = 0, limit: int = PUSH_BATCH) -> list[Mutation]:
        """The next batch of unacknowledged mutations above seq ``after``, in seq order, as plain wire objects: at
        most ``limit`` of them, as :func:`batch_size` cuts them."""
        with self.store.read() as session:
            return next_batch(session, after, min(limit, PUSH_BATCH, MAX_PUSH_BATCH))

    def _body(self, mutations: list[Mutation]) -> PushRequest:
        """The request as its wire model, written to JSON by pydantic in one step (sync.transport)."""
        return PushRequest(client_id=self.client_id, mutations=mutations)

    def _send(self, body: PushRequest) -> PushResponse:
        return self.transport.request_model("POST", "/api/v1/sync/push", PushResponse, json_body=body)

    def push(self, report: SyncReport) -> None:
        """Batches until nothing is left to send. The next batch is sent once laid out, before this one's answer:
        the server takes a PC's pushes one at a time, in the order they came. Its answer is used if this one's is
        plain (every mutation answered, in the era this PC knows, the server holding this PC's changes up to the
        batch's last seq and no further), and written here while the batch after it is on its way. Any other
        answer is handled with nothing in flight, as before, the next one's set aside: its mutations stay
        unacknowledged and go again, and the server answers any seq it applied from the stored result (it applies
        them only after all of this batch, so never past a stop). If this PC stops before writing an answer, the
        server answers the same seqs from its stored results next time."""
        with self.store.read() as session:
            total = int(session.query(OutboxEntry).filter(OutboxEntry.acked_at.is_(None)).count())
            era = meta.get(session, state.ERA)
        with ThreadPoolExecutor(max_workers=PUSHES_IN_FLIGHT, thread_name_prefix="lapor-push") as pool:
            self._push_batches(report, pool, total, era)

    def _push_batches(self, report: SyncReport, pool: ThreadPoolExecutor, total: int, era: str | None) -> None:
        done = confirmed = 0  # confirmed: the last seq of the latest plain answer
        ahead: tuple[list[Mutation], Future[PushResponse]] | None = None
        while True:
            self._check()
            if ahead is not None:
                (mutations, sent), ahead = ahead, None
            else:
                if not (mutations := self._pending(limit=FIRST_PUSH_BATCH if done == 0 else PUSH_BATCH)):
                    return
                sent = pool.submit(self._send, self._body(mutations))
            # The next batch, sent while this one is on its way (its answer used only if this one's is plain).
            following = self._pending(after=mutations[-1].seq) if era else []
            next_sent = pool.submit(self._send, self._body(following)) if following else None
            response = sent.result()
            last = mutations[-1].seq  # plain: all answered, in this era, and the server holds nothing beyond them
            plain = era and response.era == era and response.stopped is None \
                and len(response.results) == len(mutations) and response.acked_seq == last \
                and (response.device is None or response.device.acked_seq == last)
            if plain and next_sent is not None:
                ahead = following, next_sent
            elif next_sent is not None:
                wait([next_sent])  # nothing in flight while this answer is handled; that one's is set aside
            if response.stopped == PushStop.GAP and response.era == era and response.acked_seq < confirmed:
                confirmed = 0  # this batch overtook the one before (sent again by the transport): it goes again
                continue
            confirmed = last if plain else confirmed
            self._record_results(response, report)
            if response.device is not None:  # a restored PC: the pull downloads its office again
                self._catch_up(response.device, report)
            remove_unreferenced(self.store, self.blob_dir)  # refused attachments' files, now the refusal committed
            done += len(response.results)
            self._report("push", done, total)
            if response.stopped == PushStop.CLIENT_DIVERGED:
                if response.device is None or len(response.results) >= len(mutations):
                    raise SyncError(diverged_message())
                # The server holds other changes under this PC's next seq: the PC was restored from an older
                # copy and used those seqs again. Its unsent changes move above what the server holds.
                with self.store.transaction() as session:
                    restore.renumber_after(session, mutations[len(response.results)].seq,
                                           response.device.acked_seq)
                self._catch_up(response.device, report)
                report.restored = True
                continue
            if response.stopped == PushStop.GAP:
                self._rewind_to(response.acked_seq)
                first = self._first_unsent_after(response.acked_seq)
                if first is not None and first != response.acked_seq + 1:
                    # The restored server lost changes this PC no longer keeps as changes (acknowledged ones are
                    # kept 30 days; a PC put back from an older copy never had them): what it holds of their
                    # effect goes back with the give-back after the download; its queue goes on from the
                    # server's position instead of being refused for ever.
                    log.warning("server lacks seqs %d-%d this PC no longer keeps: continuing from %d",
                                response.acked_seq + 1, first - 1, response.acked_seq + 1)
                    with self.store.transaction() as session:
                        restore.renumber_after(session, first, response.acked_seq)
                        offer_back.mark_owed(session)
                    report.era_changed = True
            elif not response.results:
                return

    def _record_results(self, response: PushResponse, report: SyncReport) -> None:
        """The answer taken in, with the server's clock and era, in one transaction. Its commit does not wait for the
        disk (the last answer's is the end of a push): should a power cut lose it, its changes are sent again and
        the server answers them from the results it stored, applying nothing twice."""
        with self.store.transaction(durable=False) as session:
            self._noted(session, response.era, response.server_time, report)
            record_results(session, response, report, self.ctx.clock())

    def _offer_files_again(self, report: SyncReport) -> None:
        """The server was restored: once the office is downloaded again, every file this PC holds is offered again
        (HEAD first: one the server holds is not sent), also those whose rows came back with the download marked
        as uploaded, and those a PC put back from a copy found in its folder."""
        on_disk = sorted(stored_blobs(self.blob_dir))
        with self.store.transaction() as session:
            # A row that came back with the download is marked absent until its file is fetched (and a closed
            # complaint's never is): the bytes in the folder are the ones its name says.
            for i in range(0, len(on_disk), 500):
                session.execute(update(Attachment).where(Attachment.sha256.in_(on_disk[i:i + 500]),
                                                         Attachment.blob_present.is_(False))
                                .values(blob_present=True))
            session.execute(update(Attachment).where(Attachment.blob_present.is_(True)).values(blob_uploaded=False))
        self.upload(report)

    def _sweep_due(self) -> bool:
        with self.store.read() as session:
            last = meta.get(session, SWEPT_AT)
        # A last check "in the future" is a clock set right since: due now.
        return not last or not timedelta(0) <= self.ctx.clock() - datetime.fromisoformat(last) < SWEEP_EVERY

    def _sweep_files(self) -> None:
        """Once the office is downloaded (after a restore on either side, and once a day, when this PC holds every
        row the server has for it): a file no attachment row refers to is one whose row is gone for good — a
        store put back from an older copy lost the row of a file attached after the copy, never sent."""
        with self.store.transaction() as session:
            note_unreferenced(session, stored_blobs(self.blob_dir))
            meta.put(session, SWEPT_AT, self.ctx.clock().isoformat())
        if removed := remove_unreferenced(self.store, self.blob_dir):
            log.info("removed %d attachment files no row refers to after a restore", removed)

    def _offer_back(self, report: SyncReport) -> None:
        """After a restored server had everything this PC kept sent again and the office downloaded again: give
        back what this PC still holds and the server lost."""
        with self.store.read() as session:
            if not offer_back.owed(session):
                return
        given = offer_back.offer_back(self.ctx, self.transport, self.office_id)
        remove_unreferenced(self.store, self.blob_dir)  # files of complaints that left, now their removal committed
        if given:
            self.push(report)

    def _first_unsent_after(self, acked_seq: int) -> int | None:
        """The lowest unsent seq above what the server holds (after a new era every kept change is unsent again,
        the ones the server still holds too: those are answered from its stored results)."""
        with self.store.read() as session:
            return session.execute(select(func.min(OutboxEntry.seq)).where(
                OutboxEntry.acked_at.is_(None), OutboxEntry.seq > acked_seq)).scalar()

    def _catch_up(self, device: DeviceState, report: SyncReport) -> bool:
        """Take in what the server holds of this PC; True if that shows this PC was restored from an older copy."""
        with self.store.transaction() as session:
            restored = restore.catch_up(session, device)
        report.restored = report.restored or restored
        return restored

    def _rewind_to(self, acked_seq: int) -> None:
        """The server is missing seqs after ``acked_seq`` (restored from an older backup): send them again."""
        with self.store.transaction() as session:
            session.execute(update(OutboxEntry).where(OutboxEntry.seq > acked_seq)
                            .values(acked_at=None, result_status=None, result_json=None))

    def _note_server(self, era: str, server_time: datetime, report: SyncReport, *, restart: bool = False) -> None:
        with self.store.transaction() as session:
            self._noted(session, era, server_time, report, restart=restart)

    def _noted(self, session: Session, era: str, server_time: datetime, report: SyncReport, *,
               restart: bool = False) -> None:
        """The server's clock skew and era taken in (sync.restore.note_server)."""
        skew = (server_time - self.ctx.clock()).total_seconds()
        report.era_changed = restore.note_server(session, era, skew, restart=restart) or report.era_changed

    # ---- pull ---------------------------------------------------------------------------------------------

    def _reference_if_changed(self, page: PullResponse, checked: bool) -> bool:
        """Fetch reference data when the pull answer says it changed (before the page that may use it); a server
        that does not say is asked once per sync. True once checked."""
        if page.reference_version is None:
            if not checked:
                reference.sync_reference(self.ctx, self.transport, self.office_id)
            return True
        with self.store.read() as session:
            known = state.held_reference_version(session)
        if known != str(page.reference_version):
            reference.sync_reference(self.ctx, self.transport, self.office_id)
        return True

    def _fetch_page(self, cursor: str | None, *, page_no: int = 0) -> PullResponse:
        """One pull page (``page_no`` counts this sync's pages from 0: the first small, then growing). The PC always
        offers to take a download from the beginning as a snapshot (the server decides: only from the start, and
        only a server of protocol 3 or later); a server older than that refuses the unknown field, and is asked
        again without it."""
        limit = min(PULL_FIRST_LIMIT << min(page_no, 16), PULL_LIMIT)
        body: dict[str, object] = {"cursor": cursor, "limit": limit}
        if self._snapshot_ok:
            body["snapshot"] = True
        try:
            return self.transport.request_model("POST", "/api/v1/sync/pull", PullResponse, json_body=body)
        except ServerRefused as exc:
            if exc.status != 422 or not self._snapshot_ok:
                raise
            log.info("the server does not offer snapshots; downloading its change log")
            self._snapshot_ok = False
            return self._fetch_page(cursor, page_no=page_no)

    def _fetch_changes(self, cursor: str | None, *, page_no: int = 0) -> tuple[PullResponse, list[ChangeLike]]:
        """A pull page with what it brings as changes: a snapshot page of entity dicts becomes upserts here, on the
        fetching thread, while the page before is written; one of tables (protocol 6) is applied from its tables
        (sync.apply_tables), and its changes are only those of the change log."""
        page = self._fetch_page(cursor, page_no=page_no)
        if page.tables is not None or page.snapshot is None:
            return page, list(page.changes)
        return page, [*page.snapshot.as_changes(), *page.changes]

    def pull(self, report: SyncReport) -> None:
        """Pages until the server has no more. While one page is applied the next is already being fetched (its
        cursor is in the page at hand), so a slow link and a slow PC overlap instead of adding up; a page fetched
        ahead is applied after the one before it, in the same transaction (up to PAGES_PER_TRANSACTION) or once
        that one committed. Into an empty store (a first sync) the complaints' secondary indexes are built once at
        the end (app.store.later_indexes). Whatever ends the loop (a failed page, a cancel), leaving the executor
        waits for a fetch still in flight: the transport never serves two at once."""
        with fewer_checkpoints(self.store), indexes_later(self.store), \
                ThreadPoolExecutor(max_workers=1, thread_name_prefix="lapor-pull") as pool:
            self._pull_pages(report, pool)

    def _pull_pages(self, report: SyncReport, pool: ThreadPoolExecutor) -> None:
        fetched = 0  # pages asked for in this sync (each larger than the one before, up to PULL_LIMIT)
        applied = 0
        reference_checked = False
        ahead: Future[tuple[PullResponse, list[ChangeLike]]] | None = None
        held: tuple[PullResponse, list[ChangeLike]] | None = None  # fetched, not applied: it did not continue a group
        while True:
            self._check()
            if held is not None:
                (page, changes), held = held, None
            elif ahead is not None:
                (page, changes), ahead = ahead.result(), None
            else:
                with self.store.read() as session:
                    cursor = meta.get(session, state.CURSOR) or None
                early = self._early.take()
                page, changes = early.result() if early is not None and cursor is None \
                    else self._fetch_changes(cursor, page_no=fetched)
                fetched += 1
            with self.store.read() as session:
                known_era = meta.get(session, state.ERA)
            if (known_era and known_era != page.era) or page.restart:
                self._note_server(page.era, page.server_time, report, restart=page.restart)
                self.push(report)  # re-push what the restored server lost, and its files, then download again
                self.upload(report)
                continue
            if page.device is not None and self._catch_up(page.device, report):
                continue  # a restored PC: this page left out its own changes; download from the beginning
            if applied == 0:
                self._note_server(page.era, page.server_time, report)  # the clock skew, also when nothing is pushed
            reference_checked = self._reference_if_changed(page, reference_checked)
            results = []
            with self.store.transaction() as session:
                while True:  # up to PAGES_PER_TRANSACTION pages, each fetched while the one before is written
                    if page.has_more:
                        ahead = pool.submit(self._fetch_changes, page.cursor, page_no=fetched)
                        fetched += 1
                    results.append(apply_changes(self.ctx, session, changes, self.office_id, tables=page.tables))
                    meta.put(session, state.CURSOR, page.cursor)
                    meta.put(session, state.ERA, page.era)
                    if not page.has_more or len(results) == PAGES_PER_TRANSACTION or self.cancel.is_set():
                        break
                    assert ahead is not None
                    (after, after_changes), ahead = ahead.result(), None
                    if not _continues(page, after):
                        held = (after, after_changes)
                        break
                    page, changes = after, after_changes
            remove_unreferenced(self.store, self.blob_dir)  # files of complaints that left, now their removal committed
            for result in results:
                report.pulled_complaints += result.complaints
                report.pulled_events += result.events
                report.new_complaint_ids += result.new_complaint_ids
                report.removed += result.removed
                report.conflicts += result.conflicts
                applied += 1
                self._report("pull", applied, applied + (1 if page.has_more else 0))
            if not page.has_more:
                return

    # ---- files --------------------------------------------------------------------------------------------

    def upload(self, report: SyncReport) -> None:
        def uploaded(done: int, total: int) -> None:
            report.uploaded += 1
            self._report("upload", done, total)
        upload_files(self.store, self.transport, self.blob_dir, cancel=self.cancel, check=self._check,
                     uploaded=uploaded)

    def download(self, report: SyncReport, *, only_open: bool = True) -> None:
        """Files of open complaints come eagerly; older ones on demand (:func:`sync.blobs.download_blob`)."""
        def fetched(done: int, total: int) -> None:
            report.downloaded += 1
            self._report("download", done, total)
            self._check()
        download_files(self.store, self.transport, self.blob_dir, only_open=only_open, check=self._check,
                       fetched=fetched)


def _continues(page: PullResponse, after: PullResponse) -> bool:
    """Whether the page fetched after ``page`` may be written in the same transaction: nothing in it asks for a step
    between the two (a new era or a restart, changed reference data, or a state of this PC on the server other than
    the one the page before brought and the PC has taken in: every page of a server of protocol 4 or later carries
    it)."""
    return (after.era == page.era and not after.restart and after.device == page.device
            and after.reference_version == page.reference_version)

