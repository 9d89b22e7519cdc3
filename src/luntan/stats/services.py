"""Writes to statistics: per-day counters and the buffered read counter."""

import atexit
import logging
import threading
import time
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

if TYPE_CHECKING:
    from luntan.forum.models import Post

log = logging.getLogger(__name__)


def add_day_stats(rows: list[tuple[int, date, int, int]]) -> None:
    """Add (thread id, day, views, replies) to the day counters, creating rows as needed."""
    if not rows:
        return
    from .models import PostDayStat

    table = connection.ops.quote_name(PostDayStat._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (post_id, day, views, replies) VALUES (%s, %s, %s, %s) "
            f"ON CONFLICT (post_id, day) DO UPDATE SET views = {table}.views + excluded.views, "
            f"replies = {table}.replies + excluded.replies",
            [(post_id, connection.ops.adapt_datefield_value(day), views, replies) for post_id, day, views, replies in rows],
        )


def remove_day_replies(thread_id: int, per_day: dict[date, int]) -> None:
    """Replies counted on their days left view: take them off those days' counts."""
    from django.db.models.functions import Greatest

    from .models import PostDayStat

    for day, count in per_day.items():
        # Never below zero, even on a database whose counts drifted before `luntan check-counts --fix`.
        PostDayStat.objects.filter(post_id=thread_id, day=day).update(replies=Greatest(F("replies") - count, 0))


def seed_views(*, post: "Post", day: date, count: int) -> None:
    """Record `count` past reads of `post` on `day` (imports, demo content).

    Writes what a flush of the read buffer would: the post's read count and its
    thread's day counter, together.
    """
    from luntan.forum.models import Post

    if count < 0:
        raise ValueError("count must not be negative")
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(views=F("views") + count)
        add_day_stats([(post.thread_id, day, count, 0)])


class ViewBuffer:
    """Read counts held in memory and written in batches.

    A page view costs a dictionary increment; a background thread flushes every
    VIEW_FLUSH_SECONDS, and the server's worker-exit hook (and atexit) flushes
    the rest, so a clean shutdown loses nothing.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # Held for a whole flush, so the exit flush waits for a periodic one
        # already writing instead of letting the process die under it.
        self._flush_lock = threading.Lock()
        self._counts: Counter[tuple[int, int, date]] = Counter()
        self._flusher: threading.Thread | None = None

    def record(self, *, post_id: int, thread_id: int) -> None:
        with self._lock:
            self._counts[(post_id, thread_id, timezone.localdate())] += 1
            if self._flusher is None:
                self._start_flusher()

    def pending(self) -> int:
        with self._lock:
            return sum(self._counts.values())

    def discard(self) -> None:
        """Forget what is buffered (tests start each case from zero)."""
        with self._lock:
            self._counts.clear()

    def flush(self) -> int:
        """Write what is buffered; on failure keep it for the next try."""
        with self._flush_lock:
            with self._lock:
                counts, self._counts = self._counts, Counter()
            if not counts:
                return 0
            try:
                self._write(counts)
            except Exception:
                with self._lock:
                    self._counts.update(counts)
                raise
            return sum(counts.values())

    @staticmethod
    def _write(counts: Counter) -> None:
        from luntan.forum.models import Post

        per_post: Counter[int] = Counter()
        per_thread_day: Counter[tuple[int, date]] = Counter()
        for (post_id, thread_id, day), n in counts.items():
            per_post[post_id] += n
            per_thread_day[(thread_id, day)] += n
        with transaction.atomic():
            for post_id, n in sorted(per_post.items()):
                Post.objects.filter(pk=post_id).update(views=F("views") + n)
            add_day_stats([(thread_id, day, n, 0) for (thread_id, day), n in sorted(per_thread_day.items())])

    def _start_flusher(self) -> None:
        interval = settings.LUNTAN["VIEW_FLUSH_SECONDS"]
        atexit.register(self._flush_quietly)
        if not interval:
            self._flusher = threading.current_thread()  # flushed by hand (tests) and at exit
            return
        self._flusher = threading.Thread(target=self._run, args=(interval,), name="view-flusher", daemon=True)
        self._flusher.start()

    def _run(self, interval: float) -> None:
        while True:
            time.sleep(interval)
            self._flush_quietly()
            connection.close()

    def _flush_quietly(self) -> None:
        try:
            self.flush()
        except Exception:
            log.exception("flushing read counts failed; they stay buffered")


view_buffer = ViewBuffer()
