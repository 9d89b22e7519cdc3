from datetime import timedelta

from django.utils import timezone

from luntan.forum.services import create_thread, reply


def test_hot_page_ranks_this_weeks_most_replied_threads(client, alice, bob, board):
    quiet = create_thread(author=alice, board=board, title="冷清的帖子")
    busy = create_thread(author=alice, board=board, title="热闹的帖子")
    old = create_thread(author=alice, board=board, title="上个月的热帖", at=timezone.now() - timedelta(days=40))
    reply(author=bob, parent=quiet, title="一条回复")
    for n in range(3):
        reply(author=bob, parent=busy, title=f"回复 {n}")
    for n in range(5):
        reply(author=bob, parent=old, title=f"旧回复 {n}", at=timezone.now() - timedelta(days=39))

    page = client.get("/hot/?by=replies").content.decode()

    assert page.index("热闹的帖子") < page.index("冷清的帖子")
    assert "3 条回复" in page
    assert "上个月的热帖" not in page


def test_hot_page_defaults_to_reads_for_an_unknown_choice(client, db):
    page = client.get("/hot/?by=nonsense").content.decode()
    assert "一周点击热帖" in page
