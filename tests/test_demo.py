"""The demo community `luntan serve` creates on first start, as a visitor sees it."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from luntan.demo import BLOCK, DEMO_ACCOUNTS, DEMO_PASSWORD, OPERATOR, create_demo
from luntan.zh.script import to_simplified

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_lines(django_db_setup, django_db_blocker):
    """The demo, built once for this module in a transaction rolled back at the end,
    so no other test module sees it. Each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        lines = create_demo()
        yield lines
        transaction.set_rollback(True)


@pytest.fixture
def posts(demo_lines):
    from luntan.forum.models import Post

    return list(Post.objects.order_by("id"))


def test_printed_lines_give_every_account_and_the_password(demo_lines):
    *accounts, summary = demo_lines
    assert len(accounts) == len(DEMO_ACCOUNTS)
    for line, account in zip(accounts, DEMO_ACCOUNTS):
        assert line.startswith("演示账户：")
        assert f"用户名 {account.username} " in line and f"密码 {DEMO_PASSWORD}" in line
    assert "个版面" in summary and "个主题" in summary


def test_demo_accounts_sign_in_and_one_is_an_operator(demo_lines):
    operator = authenticate(username=OPERATOR, password=DEMO_PASSWORD)
    assert operator is not None and operator.is_staff and operator.is_superuser
    moderator = authenticate(username="溫哥華老陳", password=DEMO_PASSWORD)
    assert moderator is not None and not moderator.is_staff


def test_refuses_to_build_twice(demo_lines):
    from luntan.forum.models import Post

    before = Post.objects.count()
    assert create_demo() == ["站点已有版面，不再创建演示内容。"]
    assert Post.objects.count() == before


def test_boards_have_descriptions_and_moderators(demo_lines):
    from luntan.forum.selectors import forum_boards

    boards = list(forum_boards())
    assert len(boards) >= 4
    for board in boards:
        assert board.description
        assert 1 <= len(board.moderators.all()) <= 2


def test_board_counters_match_the_posts(demo_lines):
    from luntan.forum.models import Board, Post

    for board in Board.objects.all():
        public = Post.objects.filter(board=board, status=Post.Status.PUBLIC)
        assert board.thread_count == public.filter(parent__isnull=True).count()
        assert board.post_count == public.count()


def test_reply_counts_are_the_real_number_of_descendants(posts):
    descendants = Counter()
    for post in posts:
        descendants.update(post.ancestor_ids())
    for post in posts:
        assert post.reply_count == descendants[post.pk], post.pk


def test_threads_are_trees_of_many_shapes(posts):
    roots = [p for p in posts if p.parent_id is None]
    assert len(roots) >= 200
    sizes = [r.reply_count for r in roots]
    assert any(n == 0 for n in sizes)
    assert sum(3 <= n <= 15 for n in sizes) > len(roots) / 2
    assert sum(n >= 30 for n in sizes) >= 3
    deepest = Counter(p.thread_id for p in posts if p.depth >= 3)
    assert len(deepest) >= 20
    assert max(p.depth for p in posts) in (5, 6)


def test_replies_come_after_their_parents_and_before_now(posts):
    by_id = {p.pk: p for p in posts}
    now = timezone.now()
    for post in posts:
        assert post.created < now
        if post.parent_id:
            assert post.created > by_id[post.parent_id].created
        assert post.month_day == timezone.localtime(post.created).month * 100 + timezone.localtime(post.created).day


def test_replies_without_body_show_no_content(client, posts):
    empty = next(p for p in posts if p.parent_id and not p.body)
    page = client.get(f"/p/{empty.thread_id}/").content.decode()
    assert "(无内容)" in page


def test_posts_in_simplified_and_in_traditional(demo_lines):
    from luntan.forum.models import Post

    for simplified, traditional in (("这", "這"), ("说", "說"), ("会", "會")):
        assert Post.objects.filter(body__contains=simplified).exists()
        assert Post.objects.filter(body__contains=traditional).exists()
    traditional_writer = Post.objects.filter(author__username="台北阿明").exclude(body="").first()
    assert traditional_writer.body != to_simplified(traditional_writer.body)


def test_bodies_use_markdown(demo_lines):
    from luntan.forum.models import Post

    for tag in ("<p>", "<blockquote>", "<li>", "<h3 id="):
        assert Post.objects.filter(body_html__contains=tag).exists(), tag


def test_reposts_name_their_source(demo_lines):
    from luntan.forum.models import Post

    reposts = Post.objects.filter(repost=True)
    assert reposts.count() >= 5
    assert all(to_simplified(source).startswith("转自：") for source in reposts.values_list("source", flat=True))


def test_votes_go_both_ways_and_never_on_ones_own_post(demo_lines):
    from luntan.forum.models import Post, Vote

    assert Vote.objects.filter(value=1).count() > 100
    assert Vote.objects.filter(value=-1).exists()
    assert not Vote.objects.filter(user=F("post__author")).exists()
    for post in Post.objects.filter(votes__isnull=False).distinct():
        values = list(post.votes.values_list("value", flat=True))
        assert (post.up, post.down) == (values.count(1), values.count(-1))


def test_private_messages_some_unread_and_one_block(demo_lines):
    from luntan.accounts.models import User
    from luntan.messages.models import Block, Message
    from luntan.messages.selectors import unread_count

    assert Message.objects.filter(read_at__isnull=False).exists()
    assert unread_count(User.objects.get(username=OPERATOR)) == 1
    assert Message.objects.filter(read_at__isnull=True).count() >= 3
    user, blocked = BLOCK
    assert Block.objects.filter(user__username=user, blocked__username=blocked).exists()


def test_history_reaches_back_three_years(posts):
    today = timezone.localdate()
    years = {timezone.localtime(p.created).year for p in posts if p.parent_id is None}
    assert {today.year - 1, today.year - 2, today.year - 3} <= years
    oldest = min(p.created for p in posts)
    assert timezone.now() - oldest > timedelta(days=2 * 365)


def test_on_this_day_has_one_thread_per_earlier_year(demo_lines):
    from luntan.stats.selectors import on_this_day

    entries = on_this_day()
    assert len(entries) == 3
    assert len({e.year for e in entries}) == 3
    assert all(e.year < timezone.localdate().year and e.count > 0 for e in entries)


def test_home_page_shows_boards_and_full_weekly_lists(client, demo_lines):
    from luntan.forum.models import Board, Post
    from luntan.stats.selectors import hot

    week_ago = timezone.now() - timedelta(days=7)
    assert Post.objects.filter(created__gte=week_ago).values("thread_id").distinct().count() >= 5
    hot_views, hot_replies = hot("views"), hot("replies")
    assert len(hot_views) >= 5 and len(hot_replies) >= 5

    page = client.get("/").content.decode()
    for board in Board.objects.filter(kind=Board.Kind.FORUM):
        assert board.name in page
    for section in ("hot-views", "hot-replies", "on-this-day"):
        block = re.search(rf'id="{section}".*?</section>', page, re.S).group(0)
        assert 'class="empty"' not in block, section
    top = hot_views[0].title
    assert top in page or to_simplified(top) in page


def test_site_pages_are_written(client, demo_lines):
    from luntan.web.models import SitePage

    pages = dict(SitePage.objects.values_list("slug", "title"))
    assert pages == {"about": "关于我们", "contact": "联系我们", "advertising": "广告服务", "terms": "使用条款"}
    page = client.get("/pages/terms/").content.decode()
    assert "使用条款" in page and "<h2 id=" in page


def test_the_plan_is_the_same_every_time():
    from luntan.demo import _Builder

    now = timezone.now()
    plans = []
    for _ in range(2):
        builder = _Builder(now)
        builder.build_plan()
        plans.append([(p.at, p.author, p.title, p.body) for p in builder.plan])
    assert plans[0] == plans[1]


def test_columns_have_articles_comments_a_draft_and_tip_codes(client, demo_lines):
    from luntan.forum.models import Board, Post

    columns = Board.objects.filter(kind=Board.Kind.COLUMN)
    assert columns.count() == 3 and all(c.thread_count > 0 for c in columns)
    assert Post.objects.filter(board__in=columns, status=Post.Status.DRAFT).count() == 1
    home = client.get("/").content.decode()
    article = Post.objects.filter(board__in=columns, status=Post.Status.PUBLIC, reply_count__gt=0).first()
    assert article.title in home
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'class="toc"' in page and 'class="summary"' in page and "评论（" in page
    tipped = Post.objects.get(board__slug="jingshui", title__startswith="利率").get_absolute_url()
    assert "觉得文章有用就打赏一下作者" in client.get(tipped).content.decode()
