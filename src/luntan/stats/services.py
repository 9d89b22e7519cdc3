"""Writes to statistics: per-day counters and the buffered read counter."""

import atexit
import logging
import threading
import time
from collections import Counter, OrderedDict
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from luntan.ratelimit import client_address

if TYPE_CHECKING:
    from luntan.forum.models import Post

log = logging.getLogger(__name__)

# Unix seconds; tests replace it to move to another day instead of waiting.
clock = time.time


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


def _today() -> date:
    return timezone.localdate(datetime.fromtimestamp(clock(), tz=dt_timezone.utc))


_USER_AGENT_MAX = 256


def reader_of(request: HttpRequest) -> str:
    """Who is reading, as far as read counts go: a member by account (on every
    device), a guest by client address and browser, so that people sharing an
    address (a family, an office) still count apart. Never stored as it is:
    ViewBuffer keeps it only hashed with the day's key."""
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    return f"a{client_address(request)}|{request.headers.get('User-Agent', '')[:_USER_AGENT_MAX]}"


def count_read(request: HttpRequest, post: "Post") -> None:
    """`request`'s reader opened `post`. Only public posts have readers: an
    author previewing their draft or held post is not one."""
    if post.is_visible:
        view_buffer.record(post_id=post.pk, thread_id=post.thread_id, reader=reader_of(request))


class ViewBuffer:
    """Read counts held in memory and written in batches.

    A page view costs a dictionary increment; a background thread flushes every
    VIEW_FLUSH_SECONDS, and the server's worker-exit hook (and atexit) flushes
    the rest, so a clean shutdown loses nothing.

    A reader counts once a day per post (the post's read count) and once a
    day per thread (its day counter, which feeds the weekly list), however
    often they reload. Which readers were counted today is kept as keyed
    hashes (HMAC of the secret key, the day and the reader: the same in every
    process, unlinkable from one day to the next) in a bounded per-process
    set, emptied when the day turns; when it is full the oldest are
    forgotten, and such a reader may count once more. With several server
    processes each would count a reader once, so when Redis is configured the
    first sighting in a process is also claimed there with an expiring
    `cache.add`: one Redis call per reader, post and process a day, never one
    per view, and never a database write. Without Redis (one machine, a few
    workers) a reader counts at most once per worker a day, which is close
    enough for a read count and costs nothing.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # Held for a whole flush, so the exit flush waits for a periodic one
        # already writing instead of letting the process die under it.
        self._flush_lock = threading.Lock()
        self._post_reads: Counter[int] = Counter()
        self._thread_reads: Counter[tuple[int, date]] = Counter()
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._seen_day: date | None = None
        self._flusher: threading.Thread | None = None

    def record(self, *, post_id: int, thread_id: int, reader: str) -> None:
        """`reader` (see `reader_of`) read `post_id` of thread `thread_id`."""
        day = _today()
        reader_key = salted_hmac(f"luntan.stats.reader.{day.isoformat()}", reader).hexdigest()[:24]
        post_key, thread_key = f"{reader_key}:p{post_id}", f"{reader_key}:t{thread_id}"
        with self._lock:
            if day != self._seen_day:
                self._seen.clear()
                self._seen_day = day
            new = [key for key in (post_key, thread_key) if self._first_sight(key)]
        if new and settings.REDIS_URL:
            # Seen by no thread of this process today; perhaps by another process.
            ttl = _seconds_left_in(day) + 3600  # an hour's grace for clocks a little apart
            new = [key for key in new if cache.add(f"luntan:read:{key}", 1, ttl)]
        if not new:
            return
        with self._lock:
            if post_key in new:
                self._post_reads[post_id] += 1
            if thread_key in new:
                self._thread_reads[(thread_id, day)] += 1
            if self._flusher is None:
                self._start_flusher()

    def _first_sight(self, key: str) -> bool:
        if key in self._seen:
            return False
        self._seen[key] = None
        if len(self._seen) > settings.LUNTAN["VIEW_READERS_MAX"]:
            self._seen.popitem(last=False)
        return True

    def pending(self) -> int:
        """Post reads waiting to be written."""
        with self._lock:
            return sum(self._post_reads.values())

    def discard(self) -> None:
        """Forget what is buffered and who was seen (tests start each case from zero)."""
        with self._lock:
            self._post_reads.clear()
            self._thread_reads.clear()
            self._seen.clear()

    def flush(self) -> int:
        """Write what is buffered; on failure keep it for the next try. Returns
        the number of post reads written."""
        with self._flush_lock:
            with self._lock:
                posts, self._post_reads = self._post_reads, Counter()
                threads, self._thread_reads = self._thread_reads, Counter()
            if not posts and not threads:
                return 0
            try:
                self._write(posts, threads)
            except Exception:
                with self._lock:
                    self._post_reads.update(posts)
                    self._thread_reads.update(threads)
                raise
            return sum(posts.values())

    @staticmethod
    def _write(posts: Counter, threads: Counter) -> None:
        from luntan.forum.models import Post

        with transaction.atomic():
            for post_id, n in sorted(posts.items()):
                Post.objects.filter(pk=post_id).update(views=F("views") + n)
            add_day_stats([(thread_id, day, n, 0) for (thread_id, day), n in sorted(threads.items())])

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


def _seconds_left_in(day: date) -> int:
    midnight = timezone.make_aware(datetime.combine(day + timedelta(days=1), datetime.min.time()))
    return max(1, int(midnight.timestamp() - clock()))


view_buffer = ViewBuffer()
