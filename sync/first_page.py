"""A new PC's first pull page, asked for while its reference data is installed (sync.engine.SyncEngine.run_once):
the two overlap instead of adding up (some 40 ms of a first sync of 10,000 complaints, where the PC would wait for
the page with nothing to do)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")


class EarlyPage(Generic[T]):
    """At most one page fetched ahead of the pull that takes it. Whatever happens in between (the reference step
    fails, the sync is cancelled), :meth:`close` waits for a fetch still in flight, as the pull does for the page it
    fetches ahead: the transport serves it out."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._page: Future[T] | None = None

    def start(self, fetch: Callable[[], T]) -> None:
        self.close()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lapor-pull-first")
        self._page = self._pool.submit(fetch)

    def take(self) -> Future[T] | None:
        """The page asked for early, once (None when none was, or it was taken)."""
        page, self._page = self._page, None
        return page

    def close(self) -> None:
        """Drop a page not taken, once its fetch has ended (an error it ended with is dropped with it)."""
        pool, self._pool, self._page = self._pool, None, None
        if pool is not None:
            pool.shutdown(wait=True)
