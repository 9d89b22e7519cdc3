"""Opening a column and reading it: one column per person, its address, its
page (pinned first, then newest, with summary, date, reads and comments), the
author's profile, the home page, the list of columns, settings and avatar,
the forum's board addresses, and the column's Atom feed."""

import re
from datetime import timedelta

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from columns_helpers import (  # noqa: F401  (fixtures)
    MB, article_rows, column, form_value, image_upload, section, text_of, write,
)
from luntan.columns import selectors
from luntan.columns.services import open_column, update_column
from luntan.errors import Conflict, Invalid, NotAllowed
from luntan.forum import services as forum
from luntan.forum.models import Board, Post
from luntan.stats.services import view_buffer
from page_helpers import as_user, page_of

pytestmark = pytest.mark.django_db


# --- opening a column ----------------------------------------------------------


def test_anyone_opens_a_column_through_the_form_and_lands_on_its_page(bob, media_root):
    browser = as_user(bob)
    assert "开专栏" in page_of(browser, "/columns/new/")

    response = browser.post("/columns/new/", {
        "title": "鲍勃说茶", "intro": "普洱、岩茶和工夫茶。\n每周更新。", "slug": "tea-talk",
        "avatar": image_upload("me.png"),
    })

    assert response.status_code == 302 and response["Location"] == "/c/tea-talk/"
    column = Board.objects.get(slug="tea-talk")
    assert (column.kind, column.owner, column.name) == (Board.Kind.COLUMN, bob, "鲍勃说茶")
    page = page_of(browser, "/c/tea-talk/")
    assert "<h1>鲍勃说茶</h1>" in page
    assert "普洱、岩茶和工夫茶。<br>每周更新。" in page
    avatar = re.search(r'<img class="avatar" src="([^"]+)"', page).group(1)
    served = browser.get(avatar)
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    assert "写文章" in page and "专栏设置" in page  # the owner's own tools


def test_a_slug_in_capitals_is_taken_in_lower_case(bob):
    assert open_column(owner=bob, title="鲍勃说茶", slug="Tea-Talk").get_absolute_url() == "/c/tea-talk/"


def test_without_a_slug_the_column_gets_an_address_of_its_own(alice, bob):
    first = open_column(owner=alice, title="甲")
    second = open_column(owner=bob, title="乙")
    assert first.slug != second.slug
    for made in (first, second):
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", made.slug)
        assert made.get_absolute_url() == f"/c/{made.slug}/"


def test_a_second_column_is_refused_with_409_and_a_clear_message(alice, column):
    with pytest.raises(Conflict) as refused:
        open_column(owner=alice, title="第二个专栏", slug="another-one")
    assert refused.value.status == 409
    assert "已经开过专栏" in refused.value.message
    assert Board.objects.filter(kind=Board.Kind.COLUMN, owner=alice).count() == 1
    assert not Board.objects.filter(slug="another-one").exists()


def test_the_open_form_sends_someone_who_has_a_column_to_it(alice, column):
    browser = as_user(alice)
    response = browser.get("/columns/new/")
    assert response.status_code == 302 and response["Location"] == "/c/slow-reading/"
    response = browser.post("/columns/new/", {"title": "第二个"})
    assert response.status_code == 302 and response["Location"] == "/c/slow-reading/"
    assert Board.objects.filter(kind=Board.Kind.COLUMN, owner=alice).count() == 1


@pytest.mark.parametrize("slug", ["tea talk", "茶话", "-tea", "tea-", "a" * 51, "tea_talk", "../x"])
def test_a_bad_slug_is_refused_naming_the_rule(bob, slug):
    with pytest.raises(Invalid) as refused:
        open_column(owner=bob, title="鲍勃说茶", slug=slug)
    assert refused.value.field == "slug"
    assert "小写字母" in refused.value.message
    assert not Board.objects.filter(kind=Board.Kind.COLUMN).exists()


def test_a_one_character_slug_is_refused_as_the_message_says(bob):
    """The message promises "2 到 50 个字符"; a one-letter address must not pass."""
    with pytest.raises(Invalid) as refused:
        open_column(owner=bob, title="鲍勃说茶", slug="t")
    assert "2 到 50 个字符" in refused.value.message


def test_a_taken_slug_is_refused_and_the_form_keeps_what_was_typed(bob, board, column):
    browser = as_user(bob)
    for taken in ("slow-reading", board.slug):  # another column's, or a forum board's
        response = browser.post("/columns/new/", {"title": "鲍勃说茶", "intro": "喝茶聊天", "slug": taken})
        assert response.status_code == 409, taken
        page = response.content.decode()
        assert f"专栏地址「{taken}」已被使用" in text_of(page)
        assert form_value(page, "title") == "鲍勃说茶"
        assert form_value(page, "intro") == "喝茶聊天"
        assert form_value(page, "slug") == taken
    assert not Board.objects.filter(kind=Board.Kind.COLUMN, owner=bob).exists()


def test_the_title_is_required_and_limited(bob):
    with pytest.raises(Invalid) as empty:
        open_column(owner=bob, title="   ")
    assert empty.value.field == "title" and "不能为空" in empty.value.message
    with pytest.raises(Invalid) as long:
        open_column(owner=bob, title="长" * 101)
    assert long.value.field == "title" and "100" in long.value.message


def test_a_bad_avatar_is_refused_with_a_clear_message_and_the_text_is_kept(bob, media_root):
    browser = as_user(bob)
    response = browser.post("/columns/new/", {
        "title": "鲍勃说茶", "intro": "喝茶聊天", "slug": "tea-talk",
        "avatar": image_upload("notes.png", b"just some text, not a picture", "image/png"),
    })
    assert response.status_code == 422
    page = response.content.decode()
    assert "只能上传 JPEG、PNG、GIF 或 WebP 图片" in text_of(page)
    assert form_value(page, "title") == "鲍勃说茶" and form_value(page, "intro") == "喝茶聊天"


def test_the_login_is_needed_to_open_a_column(client):
    response = client.get("/columns/new/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- the column page ------------------------------------------------------------


@pytest.fixture
def three_articles(write):
    now = timezone.now()
    old = write(title="第一篇：鸿门宴", body="项王即日因留沛公与饮。范增数目项王。", at=now - timedelta(days=3))
    middle = write(title="第二篇：垓下", body="项王军壁垓下，兵少食尽。", at=now - timedelta(days=2))
    new = write(title="第三篇：乌江", body="于是项王乃欲东渡乌江。", at=now - timedelta(days=1))
    return old, middle, new


def test_the_column_page_lists_pinned_first_then_newest_with_summary_date_reads_and_comments(
    client, bob, three_articles
):
    old, middle, new = three_articles
    Post.objects.filter(pk=old.pk).update(pinned=True)
    forum.reply(author=bob, parent=middle, title="Re: 垓下", body="四面楚歌")
    forum.reply(author=bob, parent=middle, title="Re: 垓下", body="霸王别姬")
    for n in range(3):  # three guests (one guest's reloads count once)
        Client(REMOTE_ADDR=f"10.0.0.{n + 1}").get(middle.get_absolute_url())
    view_buffer.flush()

    page = page_of(client, "/c/slow-reading/")

    assert article_rows(page) == ["第一篇：鸿门宴", "第三篇：乌江", "第二篇：垓下"]
    row = section(page, rf'<li class="article-row">\s*<div class="article-text">\s*<h3 class="article-title">'
                        rf'<a href="/p/{middle.pk}/">')
    words = text_of(row)
    assert "阅读 3" in words and "评论 2" in words
    assert timezone.localtime(middle.created).strftime("%Y-%m-%d") in words
    assert "项王军壁垓下，兵少食尽。" in words  # the summary
    pinned = section(page, r'<li class="article-row pinned">')
    assert "置顶" in text_of(pinned) and "第一篇：鸿门宴" in text_of(pinned)
    assert "3 篇文章" in text_of(page)


def test_the_column_page_pages_through_every_article_once(client, settings, write):
    settings.LUNTAN = {**settings.LUNTAN, "PAGE_SIZE": 2}
    now = timezone.now()
    for n in range(5):
        write(title=f"第{n}篇", body="正文。", at=now - timedelta(hours=n))
    seen, url = [], "/c/slow-reading/"
    while url:
        page = page_of(client, url)
        seen += article_rows(page)
        found = re.search(r'<a rel="next" href="([^"]+)"', page)
        url = "/c/slow-reading/" + found.group(1).replace("&amp;", "&") if found else None
    assert seen == [f"第{n}篇" for n in range(5)]


def test_an_empty_column_says_so(client, column):
    assert "还没有文章。" in page_of(client, "/c/slow-reading/")


def test_an_unknown_column_is_404_and_a_forum_board_is_not_a_column(client, board):
    page_of(client, "/c/no-such-column/", status=404)
    page_of(client, f"/c/{board.slug}/", status=404)


def test_the_authors_profile_links_to_the_column(client, alice, bob, three_articles):
    page = page_of(client, "/u/alice/")
    link = section(page, r'<p class="column-link">')
    assert 'href="/c/slow-reading/"' in link and "慢读史记" in link and "3 篇文章" in text_of(link)
    # Someone without a column: no column link for visitors, an invitation for themselves.
    assert 'class="column-link"' not in page_of(client, f"/u/{bob.username}/")
    assert 'href="/columns/new/"' in page_of(as_user(bob), f"/u/{bob.username}/")


def test_the_home_page_lists_recent_column_articles(client, three_articles, write):
    write(title="还没写完", body="草稿。", publish=False)
    page = page_of(client, "/")
    recent = section(page, r'<section class="recent-articles">')
    assert article_rows(recent) == ["第三篇：乌江", "第二篇：垓下", "第一篇：鸿门宴"]
    assert 'href="/c/slow-reading/">慢读史记</a>' in recent  # each row names its column
    assert "还没写完" not in page


def test_the_columns_page_lists_columns_and_recent_articles(client, make_user, three_articles):
    from luntan.columns.services import write_article

    carol = make_user("carol")
    tea = open_column(owner=carol, title="喝茶记", slug="tea")
    write_article(author=carol, column=tea, title="岩茶入门", body="先说水。")
    page = page_of(client, "/columns/")
    listed = section(page, r'<ul class="column-list">')
    assert 'href="/c/slow-reading/">慢读史记</a>' in listed and 'href="/c/tea/">喝茶记</a>' in listed
    assert "3 篇" in text_of(listed) and "1 篇" in text_of(listed)
    assert article_rows(page)[0] == "岩茶入门"
    assert set(article_rows(page)) == {"岩茶入门", "第三篇：乌江", "第二篇：垓下", "第一篇：鸿门宴"}


def test_the_columns_page_lists_the_most_recently_active_column_first(client, make_user, write, column):
    """An empty column has no last activity: it must come after the active ones
    (PostgreSQL sorts NULL first in a descending order unless told otherwise)."""
    quiet = open_column(owner=make_user("carol"), title="空空的专栏", slug="quiet")
    write(title="有新文章", body="内容。")
    assert [c.slug for c in selectors.columns()] == ["slow-reading", "quiet"]
    listed = section(page_of(client, "/columns/"), r'<ul class="column-list">')
    assert listed.index("/c/slow-reading/") < listed.index(f"/c/{quiet.slug}/")


def test_the_columns_page_invites_to_open_or_leads_to_ones_own(client, alice, bob, column):
    assert 'href="/accounts/login/?next=/columns/new/"' in page_of(client, "/columns/")
    assert 'href="/columns/new/"' in page_of(as_user(bob), "/columns/")
    mine = page_of(as_user(alice), "/columns/")
    assert re.search(r'<a class="button" href="/c/slow-reading/">我的专栏</a>', mine)


# --- settings and avatar ----------------------------------------------------------


def test_the_owner_changes_title_intro_and_avatar(alice, column, media_root):
    browser = as_user(alice)
    assert form_value(page_of(browser, "/c/slow-reading/settings/"), "title") == "慢读史记"
    response = browser.post("/c/slow-reading/settings/", {
        "title": "慢读史记（第二季）", "intro": "改了简介", "avatar": image_upload(),
    })
    assert response.status_code == 302
    column.refresh_from_db()
    assert (column.name, column.description) == ("慢读史记（第二季）", "改了简介")
    assert column.avatar
    first_avatar = column.avatar

    browser.post("/c/slow-reading/settings/", {"title": column.name, "intro": "", "remove_avatar": "on"})
    column.refresh_from_db()
    assert column.avatar == "" and column.description == ""
    assert first_avatar not in page_of(browser, "/c/slow-reading/")


def test_settings_refuse_a_too_large_avatar_keeping_the_typed_text(alice, column, media_root, settings):
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * (2 * MB)
    response = as_user(alice).post("/c/slow-reading/settings/", {
        "title": "新名字", "intro": "新简介", "avatar": image_upload("big.png", big),
    })
    assert response.status_code == 413
    page = response.content.decode()
    assert "图片不能超过 2 MB" in text_of(page)
    assert form_value(page, "title") == "新名字" and form_value(page, "intro") == "新简介"


def test_only_the_owner_may_change_the_column(bob, column):
    page_of(as_user(bob), "/c/slow-reading/settings/", status=404)
    page_of(as_user(bob), "/c/slow-reading/write/", status=404)
    assert as_user(bob).post("/c/slow-reading/write/", {"title": "插一脚", "action": "publish"}).status_code == 404
    assert not Post.objects.exists()
    assert as_user(bob).post("/c/slow-reading/settings/", {"title": "抢过来"}).status_code == 404
    with pytest.raises(NotAllowed):
        update_column(editor=bob, column=column, title="抢过来", intro="")
    column.refresh_from_db()
    assert column.name == "慢读史记"


# --- forum addresses ---------------------------------------------------------------


def test_the_forum_board_address_of_a_column_leads_to_the_column(client, alice, column):
    response = client.get("/b/slow-reading/")
    assert response.status_code == 302 and response["Location"] == "/c/slow-reading/"
    response = as_user(alice).get("/b/slow-reading/new/")
    assert response.status_code == 302 and response["Location"] == "/c/slow-reading/write/"


def test_columns_are_not_listed_as_forum_boards(client, board, column):
    page = page_of(client, "/")
    assert f'href="/b/{board.slug}/"' in page
    assert 'href="/b/slow-reading/"' not in page


def test_nobody_else_may_post_a_thread_in_a_column(bob, column):
    with pytest.raises(NotAllowed):
        forum.create_thread(author=bob, board=column, title="插一脚", body="")
    assert not Post.objects.exists()


# --- feed -------------------------------------------------------------------------


def test_the_column_feed_has_the_published_articles_only_and_is_valid_atom(client, three_articles, write, bob):
    write(title="草稿一篇", body="没写完。", publish=False)
    write(title="定时的一篇", body="明天见。", publish_at=timezone.now() + timedelta(days=1))
    forum.reply(author=bob, parent=three_articles[0], title="Re: 鸿门宴", body="评论不是文章")

    response = client.get("/c/slow-reading/feed.atom")

    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert "慢读史记" in parsed.feed.title
    assert [e.title for e in parsed.entries] == ["第三篇：乌江", "第二篇：垓下", "第一篇：鸿门宴"]
    assert parsed.entries[0].link == "http://testserver" + three_articles[2].get_absolute_url()
    assert "于是项王乃欲东渡乌江。" in parsed.entries[0].content[0].value


def test_the_column_feed_of_an_unknown_or_forum_slug_is_404(client, board):
    assert client.get("/c/nothing/feed.atom").status_code == 404
    assert client.get(f"/c/{board.slug}/feed.atom").status_code == 404


def test_column_and_article_pages_announce_the_column_feed(client, three_articles):
    for url in ("/c/slow-reading/", three_articles[0].get_absolute_url()):
        page = page_of(client, url)
        link = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', page)
        assert link and link.group(1).startswith("/c/slow-reading/feed.atom"), url
        assert client.get(link.group(1).replace("&amp;", "&")).status_code == 200
