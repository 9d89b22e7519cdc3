"""Side lists on the home and post pages: weekly most-read, weekly most-replied
(the last seven days only), and on-this-day: one line per earlier year with
that year's most-replied thread started on today's month and day."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from luntan.forum import services
from luntan.forum.models import Post
from luntan.stats.selectors import hot, on_this_day
from luntan.stats.services import add_day_stats, view_buffer


def side_list(page: str, section: str) -> list[tuple[str, str]]:
    """(link, text) of every line in one side list, tags stripped."""
    block = re.search(rf'<section class="side-list" id="{section}">.*?</section>', page, re.S).group(0)
    return [
        (href, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", line)).strip())
        for line in re.findall(r"<li>(.*?)</li>", block, re.S)
        for href in re.findall(r'href="([^"]*)"', line)
    ]


def replies(author, parent, n, at):
    for i in range(n):
        services.reply(author=author, parent=parent, title=f"回{i}", at=at)


@pytest.fixture
def three_threads(alice, board):
    long_ago = timezone.now() - timedelta(days=30)
    return [
        services.create_thread(author=alice, board=board, title=title, at=long_ago)
        for title in ("甲帖", "乙帖", "丙帖")
    ]


@pytest.mark.django_db
def test_weekly_most_replied_counts_only_the_last_seven_days(client, bob, three_threads):
    a, b, c = three_threads
    now = timezone.now()
    replies(bob, a, 3, now)
    replies(bob, b, 2, now - timedelta(days=3))
    replies(bob, c, 1, now - timedelta(days=6))  # the oldest day that still counts
    replies(bob, c, 9, now - timedelta(days=7))  # a week ago: out
    replies(bob, c, 9, now - timedelta(days=20))

    assert [(e.title, e.count) for e in hot("replies")] == [("甲帖", 3), ("乙帖", 2), ("丙帖", 1)]

    page = client.get("/").content.decode()
    assert side_list(page, "hot-replies") == [
        (a.get_absolute_url(), "甲帖 alice · 3 条回复"),
        (b.get_absolute_url(), "乙帖 alice · 2 条回复"),
        (c.get_absolute_url(), "丙帖 alice · 1 条回复"),
    ]


@pytest.mark.django_db
def test_weekly_most_read_counts_only_the_last_seven_days(client, three_threads):
    a, b, c = three_threads
    today = timezone.localdate()
    for n in range(2):  # two guests (one guest's reloads count once)
        Client(REMOTE_ADDR=f"10.0.0.{n + 1}").get(a.get_absolute_url())
    client.get(c.get_absolute_url())
    view_buffer.flush()
    add_day_stats([(b.pk, today - timedelta(days=2), 5, 0), (c.pk, today - timedelta(days=8), 50, 0)])
    cache.clear()  # reading the pages filled the lists' cache (kept a minute); start afresh

    assert [(e.title, e.count) for e in hot("views")] == [("乙帖", 5), ("甲帖", 2), ("丙帖", 1)]
    assert side_list(client.get("/").content.decode(), "hot-views") == [
        (b.get_absolute_url(), "乙帖 alice · 5 次点击"),
        (a.get_absolute_url(), "甲帖 alice · 2 次点击"),
        (c.get_absolute_url(), "丙帖 alice · 1 次点击"),
    ]


@pytest.mark.django_db
def test_weekly_lists_leave_out_hidden_threads_and_respect_the_size(settings, bob, three_threads):
    a, b, c = three_threads
    now = timezone.now()
    replies(bob, a, 3, now)
    replies(bob, b, 2, now)
    replies(bob, c, 1, now)
    # Hiding arrives with the moderation service in a later issue; set the status directly.
    Post.objects.filter(pk=a.pk).update(status=Post.Status.HIDDEN)
    settings.LUNTAN = {**settings.LUNTAN, "HOT_LIST_SIZE": 1}

    assert [(e.title, e.count) for e in hot("replies")] == [("乙帖", 2)]


@pytest.mark.django_db
def test_on_this_day_shows_each_earlier_years_most_replied_thread(client, alice, bob, board):
    now = timezone.localtime()
    # Four and eight years back share today's leap-ness, so 29 February works too.
    four, eight = now.replace(year=now.year - 4), now.replace(year=now.year - 8)
    winner_four = services.create_thread(author=alice, board=board, title="四年前的热帖", at=four)
    runner_up = services.create_thread(author=bob, board=board, title="四年前的冷帖", at=four + timedelta(minutes=1))
    winner_eight = services.create_thread(author=bob, board=board, title="八年前的热帖", at=eight)
    other_day = services.create_thread(author=alice, board=board, title="四年前另一天", at=four - timedelta(days=1))
    this_year = services.create_thread(author=alice, board=board, title="今年今天", at=now)
    replies(bob, winner_four, 3, four + timedelta(hours=1))
    replies(alice, runner_up, 1, four + timedelta(hours=1))
    replies(alice, winner_eight, 2, eight + timedelta(days=2))
    replies(bob, other_day, 9, four)
    replies(bob, this_year, 9, now)

    lines = on_this_day()

    assert [(e.year, e.title, e.count) for e in lines] == [
        (four.year, "四年前的热帖", 3),
        (eight.year, "八年前的热帖", 2),
    ]
    page = client.get("/").content.decode()
    assert side_list(page, "on-this-day") == [
        (winner_four.get_absolute_url(), f"{four.year}: 四年前的热帖 3 条回复"),
        (winner_eight.get_absolute_url(), f"{eight.year}: 八年前的热帖 2 条回复"),
    ]
    # The post pages carry the same lists.
    assert side_list(client.get(this_year.get_absolute_url()).content.decode(), "on-this-day") == side_list(page, "on-this-day")


@pytest.mark.django_db
def test_side_lists_say_when_they_are_empty(client, db):
    page = client.get("/").content.decode()
    for section in ("hot-views", "hot-replies", "on-this-day"):
        block = re.search(rf'<section class="side-list" id="{section}">.*?</section>', page, re.S).group(0)
        assert '<li class="empty">暂无</li>' in block
