"""The forum's reading pages: home, board listing (moderators, pinned first,
latest activity, keyset pages), breadcrumbs, and query counts that do not grow
with the content."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from luntan.forum import services
from luntan.forum.models import Board, Post
from luntan.moderation import moderators

from page_helpers import page_of


def listed_titles(page: str) -> list[str]:
    return re.findall(r'class="thread-title" href="/p/\d+/">([^<]*)</a>', page)


def next_link(page: str) -> str | None:
    found = re.search(r'<a rel="next" href="([^"]*)">下一页</a>', page)
    return unescape(found.group(1)) if found else None


# --- boards --------------------------------------------------------------------


@pytest.mark.django_db
def test_board_page_shows_description_and_moderators(client, board, alice, bob):
    assert "版主：暂无" in page_of(client, board.get_absolute_url())
    moderators.appoint_moderator(actor=None, board=board, user=alice)
    moderators.appoint_moderator(actor=None, board=board, user=bob)

    page = page_of(client, board.get_absolute_url())

    named = re.search(r'<p class="moderators">版主：(.*?)</p>', page, re.S).group(1)
    assert f'<a href="{alice.get_absolute_url()}">alice</a>' in named
    assert f'<a href="{bob.get_absolute_url()}">鲍勃</a>' in named
    assert "谈股论金，理性投资" in page
    assert client.get("/b/no-such-board/").status_code == 404


@pytest.mark.django_db
def test_pinned_threads_come_first_then_latest_activity(client, alice, bob, board):
    start = timezone.now() - timedelta(days=1)
    old = services.create_thread(author=alice, board=board, title="最早的帖", at=start)
    middle = services.create_thread(author=alice, board=board, title="中间的帖", at=start + timedelta(hours=1))
    services.create_thread(author=alice, board=board, title="最新的帖", at=start + timedelta(hours=2))
    assert listed_titles(page_of(client, board.get_absolute_url())) == ["最新的帖", "中间的帖", "最早的帖"]

    # A reply is activity: the thread it lands in moves up.
    services.reply(author=bob, parent=old, title="顶", at=start + timedelta(hours=3))
    assert listed_titles(page_of(client, board.get_absolute_url())) == ["最早的帖", "最新的帖", "中间的帖"]

    # Pinning arrives with the moderation service in a later issue; set the flag directly.
    Post.objects.filter(pk=middle.pk).update(pinned=True)
    page = page_of(client, board.get_absolute_url())
    assert listed_titles(page) == ["中间的帖", "最早的帖", "最新的帖"]
    pinned_row = re.search(rf'<li class="thread-row pinned">.*?href="{middle.get_absolute_url()}"', page, re.S)
    assert pinned_row and "置顶" in pinned_row.group(0)


@pytest.mark.django_db
def test_keyset_pages_list_every_thread_exactly_once(client, settings, alice, bob, board):
    settings.LUNTAN = {**settings.LUNTAN, "PAGE_SIZE": 4}
    start = timezone.now() - timedelta(days=2)
    threads = []
    for n in range(17):
        # Pairs share a moment, so the order must fall back to the id to be total.
        threads.append(services.create_thread(author=alice, board=board, title=f"帖子{n:02d}", at=start + timedelta(minutes=n // 2)))
    # Activity reorders the list; pinned threads head the first page only.
    services.reply(author=bob, parent=threads[3], title="顶上去", at=start + timedelta(hours=1))
    Post.objects.filter(pk__in=[threads[0].pk, threads[9].pk]).update(pinned=True)

    seen, pages, url = [], 0, board.get_absolute_url()
    while url:
        page = page_of(client, board.get_absolute_url() + url if url.startswith("?") else url)
        titles = listed_titles(page)
        pages += 1
        assert len(titles) <= 4 + (2 if pages == 1 else 0)
        seen.extend(titles)
        url = next_link(page)
        assert pages < 10, "the pages never end"

    by_activity = sorted(
        (t for t in Post.objects.filter(board=board, parent=None, pinned=False)),
        key=lambda t: (t.last_activity, t.pk), reverse=True,
    )
    assert seen[:2] == ["帖子09", "帖子00"]  # pinned, latest activity first
    assert seen[2:] == [t.title for t in by_activity]
    assert sorted(seen) == sorted(t.title for t in threads)
    assert len(seen) == len(set(seen)) == 17
    assert pages == 4  # 15 unpinned threads, 4 per page


@pytest.mark.django_db
def test_a_broken_cursor_shows_the_first_page(client, board, thread):
    assert listed_titles(page_of(client, board.get_absolute_url() + "?cursor=nonsense")) == [thread.title]


# --- home ------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_lists_boards_with_counts_and_latest_activity(client, alice, bob, board):
    quiet = services.create_board(slug="quiet", name="清静版", description="没人说话", position=5)
    first = services.create_thread(author=alice, board=board, title="一", at=timezone.now() - timedelta(hours=5))
    services.create_thread(author=alice, board=board, title="二", at=timezone.now() - timedelta(hours=4))
    latest = timezone.now() - timedelta(hours=1)
    services.reply(author=bob, parent=first, title="回一", at=latest)
    moderators.appoint_moderator(actor=None, board=board, user=bob)

    page = page_of(client, "/")

    rows = re.findall(r"<tr>\s*<td><a class=\"board-name\".*?</tr>", page, re.S)
    assert len(rows) == 2
    busy, calm = rows
    assert f'href="{board.get_absolute_url()}">股市财经</a>' in busy
    assert re.findall(r'<td class="num">(\d+)</td>', busy) == ["2", "3"]  # threads, posts
    assert f"{timezone.localtime(latest):%Y-%m-%d %H:%M}</time>" in busy
    assert f'<a href="{bob.get_absolute_url()}">鲍勃</a>' in busy
    assert f'href="{quiet.get_absolute_url()}">清静版</a>' in calm
    assert re.findall(r'<td class="num">(\d+)</td>', calm) == ["0", "0"]
    assert "—" in calm


# --- breadcrumbs ------------------------------------------------------------------------


def breadcrumb(page: str) -> list[tuple[str | None, str]]:
    nav = re.search(r'<nav class="breadcrumb"[^>]*>(.*?)</nav>', page, re.S).group(1)
    return [
        (href or None, re.sub(r"<[^>]+>", "", text).strip())
        for href, text in re.findall(r'(?:<a href="([^"]*)">|<span[^>]*>)(.*?)</(?:a|span)>', nav, re.S)
    ]


@pytest.mark.django_db
def test_every_post_page_has_site_board_post_breadcrumb(client, alice, bob, thread):
    child = services.reply(author=bob, parent=thread, title="一层", body="x")
    grandchild = services.reply(author=alice, parent=child, title="二层")

    for post in (thread, child, grandchild):
        for query in ("", "?view=flat"):
            trail = breadcrumb(page_of(client, post.get_absolute_url() + query))
            assert len(trail) == 3, trail
            assert trail[0] == ("/", "论坛")
            assert trail[1] == (thread.board.get_absolute_url(), "股市财经")
            assert trail[2][1]  # the post itself, last
    assert breadcrumb(page_of(client, thread.board.get_absolute_url())) == [("/", "论坛"), ("/b/finance/", "股市财经")]


# --- query counts ------------------------------------------------------------------------


def queries_for(client, url) -> int:
    cache.clear()  # side lists included, cold, every time
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def fill_home(make_user, boards_wanted: int, per_board: int):
    for n in range(Board.objects.count(), boards_wanted):
        board = services.create_board(slug=f"b{n}", name=f"版{n}")
        moderators.appoint_moderator(actor=None, board=board, user=make_user())
        for m in range(per_board):
            root = services.create_thread(author=make_user(), board=board, title=f"版{n}帖{m}")
            services.reply(author=make_user(), parent=root, title="回")


@pytest.mark.django_db
def test_home_page_queries_do_not_grow_with_boards_and_threads(client, make_user, django_assert_max_num_queries):
    reader = make_user()
    fill_home(make_user, 5, 1)
    few_anonymous = queries_for(client, "/")
    client.force_login(reader)
    few_signed_in = queries_for(client, "/")

    fill_home(make_user, 40, 2)
    client.logout()
    with django_assert_max_num_queries(few_anonymous):
        cache.clear()
        assert "版39" in client.get("/").content.decode()
    client.force_login(reader)
    with django_assert_max_num_queries(few_signed_in):
        cache.clear()
        assert "版39" in client.get("/").content.decode()


def fill_board(board, make_user, wanted: int):
    for n in range(Post.objects.filter(board=board, parent=None).count(), wanted):
        root = services.create_thread(author=make_user(), board=board, title=f"帖{n}", repost=n % 3 == 0)
        services.reply(author=make_user(), parent=root, title="回")
        if n % 5 == 0:
            Post.objects.filter(pk=root.pk).update(pinned=True)


@pytest.mark.django_db
def test_board_page_queries_do_not_grow_with_threads(client, settings, make_user, board, django_assert_max_num_queries):
    settings.LUNTAN = {**settings.LUNTAN, "PAGE_SIZE": 50}
    for moderator in range(3):
        moderators.appoint_moderator(actor=None, board=board, user=make_user())
    reader = make_user()
    fill_board(board, make_user, 5)
    few_anonymous = queries_for(client, board.get_absolute_url())
    client.force_login(reader)
    few_signed_in = queries_for(client, board.get_absolute_url())

    fill_board(board, make_user, 40)
    client.logout()
    with django_assert_max_num_queries(few_anonymous):
        assert len(listed_titles(client.get(board.get_absolute_url()).content.decode())) == 40
    client.force_login(reader)
    with django_assert_max_num_queries(few_signed_in):
        assert len(listed_titles(client.get(board.get_absolute_url()).content.decode())) == 40


def fill_thread(root, make_user, wanted: int):
    posts = list(Post.objects.filter(thread=root).order_by("id"))
    while len(posts) < wanted + 1:
        parent = posts[len(posts) // 2]  # a bushy tree, several levels deep
        posts.append(services.reply(author=make_user(), parent=parent, title=f"回复{len(posts)}", body=f"内容{len(posts)}"))


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?view=flat"])
def test_thread_page_queries_do_not_grow_with_replies(client, make_user, thread, query, django_assert_max_num_queries):
    reader = make_user()
    fill_thread(thread, make_user, 5)
    url = thread.get_absolute_url() + query
    few_anonymous = queries_for(client, url)
    client.force_login(reader)
    few_signed_in = queries_for(client, url)

    fill_thread(thread, make_user, 40)
    client.logout()
    with django_assert_max_num_queries(few_anonymous):
        cache.clear()
        assert "回复40" in client.get(url).content.decode()
    client.force_login(reader)
    with django_assert_max_num_queries(few_signed_in):
        cache.clear()
        assert "回复40" in client.get(url).content.decode()
    # A reply deep in the tree costs what a reply at the first level costs.
    shallow = Post.objects.filter(thread=thread, depth=1).order_by("id").first()
    deep = Post.objects.filter(thread=thread).order_by("-depth", "id").first()
    assert deep.depth >= 4
    with django_assert_max_num_queries(queries_for(client, shallow.get_absolute_url() + query)):
        cache.clear()
        assert deep.title in client.get(deep.get_absolute_url() + query).content.decode()


@pytest.mark.django_db
def test_profile_page_queries_do_not_grow_with_posts(client, make_user, alice, board, django_assert_max_num_queries):
    services.create_thread(author=alice, board=board, title="一")
    few = queries_for(client, alice.get_absolute_url())
    other = services.create_board(slug="other", name="别的版")
    for n in range(15):
        root = services.create_thread(author=alice, board=other if n % 2 else board, title=f"主题{n}")
        services.reply(author=alice, parent=root, title=f"回复{n}")
    with django_assert_max_num_queries(few):
        client.get(alice.get_absolute_url())
