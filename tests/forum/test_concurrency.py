"""Many people replying to one thread at the same moment: no reply is lost and
every counter (thread, board, day stats) comes out exact. Real threads, real
connections, committed transactions: SQLite (WAL, IMMEDIATE) and PostgreSQL."""

import threading

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from luntan.forum import services
from luntan.forum.models import Board, Post
from luntan.stats.models import PostDayStat

WRITERS = 8
REPLIES_EACH = 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_replies_keep_every_reply_and_exact_counts(make_user, board, alice):
    first_day = timezone.localdate()
    root = services.create_thread(author=alice, board=board, title="大家一起来回复")
    first = services.reply(author=alice, parent=root, title="楼中楼的起点")
    writers = [make_user() for _ in range(WRITERS)]
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []
    written: list[int] = []
    lock = threading.Lock()

    def write(user, n):
        try:
            start.wait(timeout=30)
            for i in range(REPLIES_EACH):
                # Half the replies go under the root, half under a reply, so the
                # root and an inner post are both contended.
                parent = root if i % 2 == 0 else first
                post = services.reply(author=user, parent=parent, title=f"写手{n}的第{i}条", body=f"内容 {n}-{i}")
                with lock:
                    written.append(post.pk)
        except BaseException as error:  # reported below, with the thread's name
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=write, args=(user, n), name=f"writer-{n}") for n, user in enumerate(writers)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not [w.name for w in workers if w.is_alive()], "writers still running"
    assert not errors, errors

    total = WRITERS * REPLIES_EACH
    replies = Post.objects.filter(thread=root).exclude(pk__in=[root.pk, first.pk])
    assert sorted(written) == sorted(replies.values_list("pk", flat=True))
    assert replies.count() == total
    assert set(replies.values_list("title", flat=True)) == {
        f"写手{n}的第{i}条" for n in range(WRITERS) for i in range(REPLIES_EACH)
    }
    # Every path is unique and extends its parent's, so the tree is whole.
    paths = dict(Post.objects.filter(thread=root).values_list("pk", "path"))
    assert len(set(paths.values())) == len(paths)
    for post in replies.only("parent_id", "path"):
        assert post.path.startswith(paths[post.parent_id])

    root.refresh_from_db()
    first.refresh_from_db()
    under_first = WRITERS * (REPLIES_EACH // 2)
    assert root.reply_count == total + 1
    assert first.reply_count == under_first
    board = Board.objects.get(pk=board.pk)
    assert (board.thread_count, board.post_count) == (1, total + 2)
    stats = PostDayStat.objects.filter(post=root)
    assert set(stats.values_list("day", flat=True)) <= {first_day, timezone.localdate()}
    assert stats.aggregate(n=Sum("replies"))["n"] == total + 1
