"""A scheduled article appears by itself on a running server: each worker
publishes due drafts (columns.publisher), and two workers publish it once."""

import os
import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from luntan.columns import services
from luntan.forum.models import Board, Post
from server_helpers import free_port, get, start_server, wait_until_serving


@pytest.mark.django_db(transaction=True)
def test_a_running_server_publishes_a_scheduled_article_once(alice, tmp_path):
    column = services.open_column(owner=alice, title="定时专栏")
    port, log = free_port(), tmp_path / "server.log"
    server = start_server(log, port, LUNTAN_PUBLISH_CHECK_SECONDS="1")
    try:
        wait_until_serving(server, port, log)
        at = timezone.now() + timedelta(seconds=4)
        post = services.write_article(
            author=alice, column=column, title="到点见", body="这篇文章到点才出现。", publish_at=at
        )
        if "到点见".encode() in get(port, column.get_absolute_url()):
            assert timezone.now() >= at, "published before its time"
        # How long this test waits for it, not a speed claim: due at +4 s, checked every second.
        deadline = time.monotonic() + 30
        while Post.objects.get(pk=post.pk).status != Post.Status.PUBLIC and time.monotonic() < deadline:
            time.sleep(0.25)
        assert "到点见".encode() in get(port, column.get_absolute_url()), log.read_text()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)

    published = Post.objects.get(pk=post.pk)
    assert published.status == Post.Status.PUBLIC
    assert abs((published.created - at).total_seconds()) < 1  # dated when it was scheduled for
    assert published.article.publish_at is None
    # Counted once, although two workers were checking.
    assert Board.objects.get(pk=column.pk).thread_count == 1
