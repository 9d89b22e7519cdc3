"""Read counts: a page view never writes to the database on the request; the
buffer reaches the database in batches, and a server that is stopped (SIGTERM,
or Ctrl-C) writes what it still holds, so no read is lost."""

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


@pytest.mark.django_db
def test_reads_appear_after_the_buffer_is_flushed(client, bob, thread):
    answer = services.reply(author=bob, parent=thread, title="回", body="内容")
    for _ in range(3):
        client.get(thread.get_absolute_url())
    client.get(answer.get_absolute_url())
    assert shown_views(client, thread) == 0  # that was the fourth read of the thread

    assert view_buffer.flush() == 5

    thread.refresh_from_db()
    answer.refresh_from_db()
    assert (thread.views, answer.views) == (4, 1)
    assert shown_views(client, thread) == 4
    # The day counter belongs to the thread and sums the reads of all its posts.
    today = PostDayStat.objects.get(post=thread, day=timezone.localdate())
    assert today.views == 5
    assert not PostDayStat.objects.filter(post=answer).exists()
    assert view_buffer.flush() == 1  # the read that showed "4"; nothing else was pending


@pytest.mark.django_db
def test_day_stats_feed_the_weekly_most_read_list(client, alice, bob, board, thread):
    quiet = services.create_thread(author=bob, board=board, title="没人看的帖", body="x")
    for _ in range(4):
        client.get(thread.get_absolute_url())
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


# --- a real server, stopped the way operators stop it --------------------------------


READS_BEFORE, READS_AFTER = 7, 5


def stored_views(post: Post) -> int:
    return Post.objects.values_list("views", flat=True).get(pk=post.pk)


def stop_the_server_and_count(thread: Post, tmp_path: Path, stop) -> None:
    port, log = free_port(), tmp_path / "server.log"
    server = start_server(log, port)
    try:
        wait_until_serving(server, port, log)
        for _ in range(READS_BEFORE):
            assert thread.title.encode() in get(port, thread.get_absolute_url())

        # While it runs, the server flushes on its own (every VIEW_FLUSH_SECONDS,
        # 5 s by default). 15 s is how long this test waits, not a speed claim.
        deadline = time.monotonic() + 15
        while stored_views(thread) < READS_BEFORE and time.monotonic() < deadline:
            time.sleep(0.25)
        assert stored_views(thread) == READS_BEFORE, log.read_text()

        for _ in range(READS_AFTER):
            get(port, thread.get_absolute_url())
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
