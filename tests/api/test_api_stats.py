from datetime import timedelta

from django.utils import timezone

from luntan.forum.services import create_thread, reply
from luntan.stats.services import view_buffer

from api_client import api, assert_error  # noqa: F401  (fixtures)


def test_hot_by_replies_and_by_views(api, alice, bob, board):
    quiet = create_thread(author=alice, board=board, title="冷清")
    busy = create_thread(author=alice, board=board, title="热闹")
    reply(author=bob, parent=quiet, title="一条")
    for n in range(3):
        reply(author=bob, parent=busy, title=f"回复 {n}")
    view_buffer.record(post_id=quiet.pk, thread_id=quiet.pk, reader="a10.0.0.1|")
    view_buffer.flush()

    by_replies = api.get("/hot", {"by": "replies", "days": 7, "script": "hans"}).json()
    assert by_replies == [
        {"id": busy.pk, "title": "热闹", "author": "alice", "board": "股市财经", "count": 3, "url": f"/p/{busy.pk}/"},
        {"id": quiet.pk, "title": "冷清", "author": "alice", "board": "股市财经", "count": 1, "url": f"/p/{quiet.pk}/"},
    ]
    by_views = api.get("/hot").json()  # views over 7 days by default
    assert [(e["id"], e["count"]) for e in by_views] == [(quiet.pk, 1)]


def test_hot_validates_by_and_days(api, db):
    assert_error(api.get("/hot", {"by": "likes"}), 422, "by", "views", "replies")
    assert_error(api.get("/hot", {"days": 0}), 422, "days", "不能小于 1")
    assert_error(api.get("/hot", {"days": 366}), 422, "days", "不能大于 365")
    assert_error(api.get("/hot", {"days": "week"}), 422, "days", "整数")
    assert api.get("/hot", {"days": 365}).json() == []


def test_on_this_day_lists_earlier_years(api, alice, bob, board):
    today = timezone.localtime()
    # Four years back keeps 29 February a real day.
    then = today.replace(year=today.year - 4)
    old = create_thread(author=alice, board=board, title="四年前的今天", at=then)
    reply(author=bob, parent=old, title="回复", at=then + timedelta(minutes=1))
    create_thread(author=alice, board=board, title="今年的今天")

    assert api.get("/on-this-day", {"script": "hans"}).json() == [
        {"year": then.year, "id": old.pk, "title": "四年前的今天", "author": "alice", "board": "股市财经",
         "count": 1, "url": f"/p/{old.pk}/"},
    ]
