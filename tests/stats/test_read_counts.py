"""Read counts: a page view never writes to the database on the request; the
buffer reaches the database in batches, and a server that is stopped (SIGTERM,
or Ctrl-C) writes what it still holds, so no read is lost. A reader counts
once a day per post and per thread, however often they reload (issue 9,
point 10)."""

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from luntan.forum import services
from luntan.forum.models import Post
from luntan.stats.models import PostDayStat
from luntan.stats import services as stats_services
from luntan.stats.selectors import hot
from luntan.stats.services import view_buffer
from server_helpers import free_port, get, start_server, wait_until_serving

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def shown_views(client, post) -> int:
    page = client.get(post.get_absolute_url()).content.decode()
    return int(re.search(r'<span class="views">阅读 (\d+)</span>', page).group(1))


def writes_during(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(WRITES)]


@pytest.mark.django_db
def test_viewing_a_post_writes_nothing_to_the_database(client, bob, thread):
    answer = services.reply(author=bob, parent=thread, title="回", body="内容")
    signed_in = Client()
    signed_in.force_login(bob)
    signed_in.get("/")  # the session exists before we watch

    for browser in (client, signed_in):
        for url in (thread.get_absolute_url(), answer.get_absolute_url(), thread.get_absolute_url() + "?view=flat"):
            assert writes_during(browser, url) == []

    thread.refresh_from_db()
    assert thread.views == 0  # not yet: the reads wait in the buffer
    assert not PostDayStat.objects.filter(views__gt=0).exists()


def guest(n: int, **headers) -> Client:
    """The n-th guest: a browser of its own at an address of its own."""
    return Client(REMOTE_ADDR=f"10.0.0.{n}", **headers)


@pytest.mark.django_db
def test_reads_appear_after_the_buffer_is_flushed(client, bob, thread):
    answer = services.reply(author=bob, parent=thread, title="回", body="内容")
    for n in (1, 2, 3):
        guest(n).get(thread.get_absolute_url())
    guest(4).get(answer.get_absolute_url())
    guest(1).get(answer.get_absolute_url())  # a reader of the thread already
    assert shown_views(client, thread) == 0  # that was the fourth reader of the first post

    assert view_buffer.flush() == 6

    thread.refresh_from_db()
    answer.refresh_from_db()
    assert (thread.views, answer.views) == (4, 2)
    assert shown_views(guest(5), thread) == 4
    # The day counter belongs to the thread and counts its readers, whichever of its posts they read.
    today = PostDayStat.objects.get(post=thread, day=timezone.localdate())
    assert today.views == 5
    assert not PostDayStat.objects.filter(post=answer).exists()
    assert view_buffer.flush() == 1  # the read that showed "4"; nothing else was pending


@pytest.mark.django_db
def test_day_stats_feed_the_weekly_most_read_list(client, alice, bob, board, thread):
    quiet = services.create_thread(author=bob, board=board, title="没人看的帖", body="x")
    for n in range(4):
        guest(n + 1).get(thread.get_absolute_url())
    client.get(quiet.get_absolute_url())
    view_buffer.flush()
    cache.clear()  # the side lists are cached for HOT_LIST_CACHE_SECONDS; let that pass

    home = client.get("/").content.decode()

    hot = re.search(r'<section class="side-list" id="hot-views">.*?</section>', home, re.S).group(0)
    entries = re.findall(r'<li><a href="(/p/\d+/)">([^<]*)</a> <span class="meta">([^<]*) · (\d+) 次点击</span>', hot)
    assert entries == [
        (thread.get_absolute_url(), thread.title, "alice", "4"),
        (quiet.get_absolute_url(), quiet.title, "鲍勃", "1"),
    ]


# --- one reader, one read a day (issue 9, point 10) --------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """The read counter's clock, moved by hand."""

    class Clock:
        now = time.time()

        def __call__(self):
            return self.now

        def advance(self, seconds):
            self.now += seconds

    ticking = Clock()
    monkeypatch.setattr(stats_services, "clock", ticking)
    return ticking


def day_views(post) -> list[int]:
    return list(PostDayStat.objects.filter(post=post).order_by("day").values_list("views", flat=True))


@pytest.mark.django_db
def test_reloads_by_one_guest_count_once_and_leave_the_weekly_list_alone(client, bob, board, thread, clock):
    busy = services.create_thread(author=bob, board=board, title="三个人读过的帖", body="x")
    for n in (1, 2, 3):
        guest(n).get(busy.get_absolute_url())

    reloader = Client(REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Mozilla/5.0")
    for _ in range(40):
        assert reloader.get(thread.get_absolute_url()).status_code == 200
    for _ in range(5):
        assert reloader.get(f"/api/v1/posts/{thread.pk}").status_code == 200
        reloader.get(thread.get_absolute_url() + "?view=flat")
    view_buffer.flush()
    cache.clear()  # the pages read filled the side lists' cache

    assert stored_views(thread) == 1 and day_views(thread) == [1]
    assert [(entry.title, entry.count) for entry in hot("views")] == [("三个人读过的帖", 3), (thread.title, 1)]


@pytest.mark.django_db
def test_different_guests_count_apart(thread, clock):
    guest(1).get(thread.get_absolute_url())
    guest(2).get(thread.get_absolute_url())
    # Behind one address (a family, an office), another browser is another reader.
    guest(2, HTTP_USER_AGENT="另一个浏览器").get(thread.get_absolute_url())
    guest(1).get(thread.get_absolute_url())
    view_buffer.flush()
    assert stored_views(thread) == 3 and day_views(thread) == [3]


@pytest.mark.django_db
def test_a_member_counts_once_wherever_they_read_from(bob, thread, clock):
    from luntan.accounts.services import issue_token

    for n in (1, 2, 3):
        browser = guest(n)
        browser.force_login(bob)
        browser.get(thread.get_absolute_url())
    guest(4).get(f"/api/v1/posts/{thread.pk}", HTTP_AUTHORIZATION=f"Bearer {issue_token(user=bob)}")
    view_buffer.flush()
    assert stored_views(thread) == 1 and day_views(thread) == [1]


@pytest.mark.django_db
def test_the_next_day_a_reader_counts_again(client, thread, clock):
    for _ in range(3):
        client.get(thread.get_absolute_url())
    clock.advance(24 * 3600)
    for _ in range(3):
        client.get(thread.get_absolute_url())
    view_buffer.flush()
    assert stored_views(thread) == 2 and day_views(thread) == [1, 1]


@pytest.mark.django_db
def test_the_readers_a_process_remembers_are_bounded(settings, thread, clock):
    # Each reader of a thread's first post takes two places: the post and the thread.
    settings.LUNTAN = {**settings.LUNTAN, "VIEW_READERS_MAX": 4}
    for n in (1, 2, 3):
        guest(n).get(thread.get_absolute_url())
    guest(3).get(thread.get_absolute_url())  # still remembered: not counted again
    guest(1).get(thread.get_absolute_url())  # forgotten by this process to make room
    view_buffer.flush()
    # Counted once more, unless Redis, which every process shares, still holds its claim.
    assert stored_views(thread) == (3 if settings.REDIS_URL else 4)


@pytest.mark.django_db
def test_with_redis_a_reader_counts_once_across_server_processes(settings, thread, clock):
    """Two buffers stand for two gunicorn workers: each remembers its own
    readers, and Redis tells the second that the first has counted this one."""
    if not os.environ.get("LUNTAN_REDIS_URL"):
        pytest.skip("no Redis configured (LUNTAN_REDIS_URL)")
    settings.REDIS_URL = os.environ["LUNTAN_REDIS_URL"]
    other_worker = stats_services.ViewBuffer()
    for buffer in (view_buffer, other_worker, view_buffer, other_worker):
        buffer.record(post_id=thread.pk, thread_id=thread.pk, reader="a10.0.0.1|Mozilla/5.0")
    other_worker.record(post_id=thread.pk, thread_id=thread.pk, reader="a10.0.0.2|Mozilla/5.0")
    assert view_buffer.flush() + other_worker.flush() == 2
    assert stored_views(thread) == 2 and day_views(thread) == [2]


# --- a real server, stopped the way operators stop it --------------------------------


READS_BEFORE, READS_AFTER = 7, 5


def stored_views(post: Post) -> int:
    return Post.objects.values_list("views", flat=True).get(pk=post.pk)


def stop_the_server_and_count(thread: Post, tmp_path: Path, stop) -> None:
    port, log = free_port(), tmp_path / "server.log"
    server = start_server(log, port)
    try:
        wait_until_serving(server, port, log)
        # Readers in other browsers: one reader's reloads would count once per worker.
        for n in range(READS_BEFORE):
            assert thread.title.encode() in get(port, thread.get_absolute_url(), {"User-Agent": f"reader {n}"})

        # While it runs, the server flushes on its own (every VIEW_FLUSH_SECONDS,
        # 5 s by default). 15 s is how long this test waits, not a speed claim.
        deadline = time.monotonic() + 15
        while stored_views(thread) < READS_BEFORE and time.monotonic() < deadline:
            time.sleep(0.25)
        assert stored_views(thread) == READS_BEFORE, log.read_text()

        for n in range(READS_BEFORE, READS_BEFORE + READS_AFTER):
            get(port, thread.get_absolute_url(), {"User-Agent": f"reader {n}"})
        stop(server)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pytest.fail(f"server did not stop:\n{log.read_text()}")
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()

    assert stored_views(thread) == READS_BEFORE + READS_AFTER, log.read_text()
    day_views = PostDayStat.objects.filter(post=thread).aggregate(n=Sum("views"))["n"]
    assert day_views == READS_BEFORE + READS_AFTER


@pytest.mark.django_db(transaction=True)
def test_sigterm_loses_no_buffered_read(thread, tmp_path):
    # systemd, docker stop and `kill` send SIGTERM to the server's main process.
    stop_the_server_and_count(thread, tmp_path, lambda server: server.send_signal(signal.SIGTERM))


@pytest.mark.django_db(transaction=True)
def test_ctrl_c_loses_no_buffered_read(thread, tmp_path):
    # Ctrl-C: the terminal sends SIGINT to the whole foreground process group.
    stop_the_server_and_count(thread, tmp_path, lambda server: os.killpg(server.pid, signal.SIGINT))
