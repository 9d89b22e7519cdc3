"""Atom feeds for the site, a board, a thread and an author: valid Atom that
feedparser reads without complaint, public posts only, newest first, at most
30, absolute links, bodies as sanitised HTML, the reader's script on request,
a bounded number of queries, and autodiscovery links on the pages."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from html import unescape

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from luntan.forum import services
from luntan.forum.models import Post
from luntan.moderation import rules
from luntan.web.feeds import FEED_SIZE

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "http://testserver"



def feed_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def titles(parsed) -> list[str]:
    return [entry.title for entry in parsed.entries]


def absolute(obj) -> str:
    return BASE + obj.get_absolute_url()


@pytest.fixture
def start():
    return timezone.now() - timedelta(days=2)


@pytest.fixture
def forum(alice, bob, board, start):
    """Two boards, threads at known times, replies with "Re:" titles."""
    other = services.create_board(slug="life", name="生活百味", description="")
    first = services.create_thread(author=alice, board=board, title="第一帖", body="**粗体**正文", at=start)
    second = services.create_thread(author=bob, board=other, title="第二帖", at=start + timedelta(hours=1))
    third = services.create_thread(author=bob, board=board, title="第三帖", body="三", at=start + timedelta(hours=2))
    reply = services.reply(author=bob, parent=first, title="Re: 第一帖", body="同意", at=start + timedelta(hours=3))
    deeper = services.reply(author=alice, parent=reply, title="Re: Re: 第一帖", at=start + timedelta(hours=4))
    return {"board": board, "other": other, "first": first, "second": second, "third": third, "reply": reply, "deeper": deeper}


# --- what each feed lists --------------------------------------------------------


@pytest.mark.django_db
def test_site_feed_lists_new_threads_on_every_board_newest_first(client, forum):
    parsed = feed_of(client, "/feeds/site.atom")

    assert parsed.feed.title == "论坛"
    assert parsed.feed.link == BASE + "/"
    assert titles(parsed) == ["第三帖", "第二帖", "第一帖"]  # threads, not replies
    assert [e.link for e in parsed.entries] == [absolute(forum[k]) for k in ("third", "second", "first")]
    assert [e.author for e in parsed.entries] == ["鲍勃", "鲍勃", "alice"]
    assert [e.tags[0].term for e in parsed.entries] == ["股市财经", "生活百味", "股市财经"]


@pytest.mark.django_db
def test_board_feed_lists_that_boards_threads_with_its_description(client, forum):
    parsed = feed_of(client, "/b/finance/feed.atom")

    assert parsed.feed.title == "股市财经 - 论坛"
    assert parsed.feed.subtitle == "谈股论金，理性投资"
    assert parsed.feed.link == absolute(forum["board"])
    assert titles(parsed) == ["第三帖", "第一帖"]
    assert [e.author for e in parsed.entries] == ["鲍勃", "alice"]

    # A board without a description has no subtitle, and still valid Atom.
    assert "subtitle" not in feed_of(client, "/b/life/feed.atom").feed


@pytest.mark.django_db
def test_thread_feed_is_the_root_and_its_replies_newest_first(client, forum):
    first, reply, deeper = forum["first"], forum["reply"], forum["deeper"]
    parsed = feed_of(client, f"/p/{first.pk}/feed.atom")

    assert parsed.feed.title == "第一帖 - 股市财经"
    assert parsed.feed.link == absolute(first)
    assert titles(parsed) == ["Re: Re: 第一帖", "Re: 第一帖", "第一帖"]
    assert [e.link for e in parsed.entries] == [absolute(deeper), absolute(reply), absolute(first)]
    assert [e.author for e in parsed.entries] == ["alice", "鲍勃", "alice"]

    # A reply's feed is that reply and the replies under it, as its page shows.
    assert titles(feed_of(client, f"/p/{reply.pk}/feed.atom")) == ["Re: Re: 第一帖", "Re: 第一帖"]


@pytest.mark.django_db
def test_author_feed_is_everything_they_posted(client, forum, bob):
    parsed = feed_of(client, f"/u/{bob.username}/feed.atom")

    assert parsed.feed.title == "鲍勃 的帖子 - 论坛"
    assert parsed.feed.link == absolute(bob)
    assert titles(parsed) == ["Re: 第一帖", "第三帖", "第二帖"]
    assert {e.author for e in parsed.entries} == {"鲍勃"}
    assert parsed.entries[0].author_detail.href == absolute(bob)


@pytest.mark.django_db
def test_an_entry_carries_times_id_link_and_the_sanitised_body_as_html(client, alice, forum):
    first = forum["first"]
    services.edit_post(editor=alice, post=first, title="第一帖", body="**粗体**正文，已修改")
    first.refresh_from_db()

    entry = feed_of(client, "/b/finance/feed.atom").entries[-1]

    assert entry.id == entry.link == absolute(first)
    assert entry.published_parsed[:6] == first.created.utctimetuple()[:6]
    assert entry.updated_parsed[:6] == first.edited.utctimetuple()[:6]
    assert entry.content[0].type == "text/html"
    assert entry.content[0].value == first.body_html.strip() == "<p><strong>粗体</strong>正文，已修改</p>"
    # Never edited: updated is when it was posted; no body: as the page shows it.
    second = feed_of(client, "/feeds/site.atom").entries[1]
    assert second.updated == second.published
    assert second.content[0].value == "<p>(无内容)</p>"


@pytest.mark.django_db
def test_feed_updated_is_the_latest_entry(client, forum):
    parsed = feed_of(client, f"/p/{forum['first'].pk}/feed.atom")
    assert parsed.feed.updated_parsed[:6] == forum["deeper"].created.utctimetuple()[:6]


@pytest.mark.django_db
def test_a_feed_holds_at_most_thirty_entries(client, alice, board, start):
    for n in range(FEED_SIZE + 5):
        services.create_thread(author=alice, board=board, title=f"帖{n}", at=start + timedelta(minutes=n))
    parsed = feed_of(client, "/b/finance/feed.atom")
    assert titles(parsed) == [f"帖{n}" for n in range(FEED_SIZE + 4, 4, -1)]


@pytest.mark.django_db
def test_an_empty_feed_is_valid(client, board):
    assert feed_of(client, "/b/finance/feed.atom").entries == []
    assert feed_of(client, "/feeds/site.atom").entries == []


# --- what never appears -------------------------------------------------------------


@pytest.mark.django_db
def test_held_hidden_and_deleted_posts_are_in_no_feed(client, operator, alice, bob, forum):
    rules.add_rule(actor=operator, pattern="法轮功", action="review", category="政治")
    held_thread = services.create_thread(author=bob, board=forum["board"], title="法轮功 新帖")
    held_reply = services.reply(author=bob, parent=forum["first"], title="Re: 法轮功")
    assert held_thread.status == held_reply.status == Post.Status.HELD
    # No hide/delete service yet: set the status as a moderator's act would.
    hidden_thread = services.create_thread(author=bob, board=forum["board"], title="被隐藏的主题")
    reply_in_hidden = services.reply(author=bob, parent=hidden_thread, title="Re: 被隐藏的主题")
    Post.objects.filter(pk=hidden_thread.pk).update(status=Post.Status.HIDDEN)
    Post.objects.filter(pk=forum["third"].pk).update(status=Post.Status.DELETED)
    Post.objects.filter(pk=forum["deeper"].pk).update(status=Post.Status.HIDDEN)

    everywhere = set()
    for url in ("/feeds/site.atom", "/b/finance/feed.atom", f"/p/{forum['first'].pk}/feed.atom", f"/u/{bob.username}/feed.atom"):
        everywhere |= set(titles(feed_of(client, url)))

    assert everywhere == {"第一帖", "第二帖", "Re: 第一帖"}
    assert reply_in_hidden.status == Post.Status.PUBLIC  # public itself, yet its thread is hidden
    for gone in (held_thread, hidden_thread, forum["third"], reply_in_hidden, forum["deeper"]):
        assert client.get(f"/p/{gone.pk}/feed.atom").status_code == 404, gone.title


@pytest.mark.django_db
def test_unknown_board_user_or_post_is_404(client, forum):
    assert client.get("/b/no-such-board/feed.atom").status_code == 404
    assert client.get("/u/nobody/feed.atom").status_code == 404
    assert client.get("/p/999999/feed.atom").status_code == 404


@pytest.mark.django_db
def test_an_inactive_members_feed_is_404_like_their_profile(client, make_user):
    gone = make_user("gone_member", is_active=False)
    assert client.get(f"/u/{gone.username}/feed.atom").status_code == 404


# --- no raw user text ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_script_in_a_body_is_text_in_the_feed_never_markup(client, alice, board):
    body = '<script>alert("x")</script>\n\n<img src=x onerror=alert(1)>\n\n[点我](javascript:alert(1))'
    post = services.create_thread(author=alice, board=board, title="<b>标题</b> & 符号", body=body)
    response = client.get(f"/p/{post.pk}/feed.atom")

    # What a reader receives: the <content> element's text is the HTML it will render.
    content = ET.fromstring(response.content).find(f"{ATOM}entry/{ATOM}content")
    assert content.get("type") == "html"
    assert content.text == post.body_html
    assert "<script" not in content.text and "<img" not in content.text and 'href="javascript:' not in content.text
    assert "&lt;script&gt;" in content.text  # shown as the text it was

    # Even a reader that trusts the HTML as given gets no script.
    raw = feedparser.parse(response.content, sanitize_html=False).entries[0]
    assert "<script" not in raw.content[0].value
    # Titles are Atom text: exactly what the author typed, no markup.
    assert ET.fromstring(response.content).find(f"{ATOM}entry/{ATOM}title").text == "<b>标题</b> & 符号"
    assert feedparser.parse(response.content).entries[0].title == "<b>标题</b> & 符号"


# --- the reader's script -------------------------------------------------------------


@pytest.mark.django_db
def test_feeds_come_as_written_unless_a_script_is_asked_for(client, alice, board):
    services.create_thread(author=alice, board=board, title="头发与发展", body="干燥的天气里，以后再谈。")

    as_written = feed_of(client, "/b/finance/feed.atom")
    assert as_written.entries[0].title == "头发与发展"
    assert ET.fromstring(client.get("/b/finance/feed.atom").content).get("{http://www.w3.org/XML/1998/namespace}lang") == "zh"

    traditional = feed_of(client, "/b/finance/feed.atom?script=hant")
    assert traditional.feed.title == "股市財經 - 論壇"
    assert traditional.feed.subtitle == "談股論金，理性投資"
    assert traditional.entries[0].title == "頭髮與發展"
    assert traditional.entries[0].content[0].value == "<p>乾燥的天氣裏，以後再談。</p>"
    assert traditional.entries[0].tags[0].term == "股市財經"
    assert traditional.entries[0].link == as_written.entries[0].link  # the same post, the same id
    assert traditional.feed.links[1].href == BASE + "/b/finance/feed.atom?script=hant"  # rel=self
    assert ET.fromstring(client.get("/b/finance/feed.atom?script=hant").content).get(
        "{http://www.w3.org/XML/1998/namespace}lang"
    ) == "zh-Hant"

    services.create_thread(author=alice, board=board, title="頭髮與發展", body="")
    simplified = feed_of(client, "/b/finance/feed.atom?script=hans")
    assert titles(simplified) == ["头发与发展", "头发与发展"]
    assert feed_of(client, "/b/finance/feed.atom?script=klingon").entries[0].title == "頭髮與發展"


# --- queries ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("script", ["", "?script=hant"])
def test_feed_queries_do_not_grow_with_posts(client, make_user, board, alice, start, script, django_assert_max_num_queries):
    root = services.create_thread(author=alice, board=board, title="大帖", at=start)
    for n in range(40):
        writer = make_user()
        services.create_thread(author=writer, board=board, title=f"帖{n}", body=f"内容{n}", at=start + timedelta(minutes=n))
        services.reply(author=writer, parent=root, title=f"Re: 大帖 {n}", body=f"回复{n}", at=start + timedelta(minutes=n))
        services.reply(author=alice, parent=root, title=f"Re: 大帖 自己{n}", at=start + timedelta(minutes=n, seconds=1))

    # One query for the subject (none for the site), one for the entries.
    for url, most in (("/feeds/site.atom", 1), ("/b/finance/feed.atom", 2), (f"/p/{root.pk}/feed.atom", 2), ("/u/alice/feed.atom", 2)):
        with django_assert_max_num_queries(most):
            parsed = feed_of(client, url + script)
        assert len(parsed.entries) == FEED_SIZE, url


# --- autodiscovery ----------------------------------------------------------------------

FEED_LINK = re.compile(r'<link rel="alternate" type="application/atom\+xml" title="([^"]+)" href="([^"]+)">')
VISIBLE_LINK = re.compile(r'<a href="([^"]+)" type="application/atom\+xml">(订阅[^<]*)</a>')


@pytest.mark.django_db
def test_pages_announce_their_feeds_and_the_feeds_answer(client, forum, bob):
    reply = forum["reply"]
    pages = {
        "/": ["/feeds/site.atom"],
        "/b/finance/": ["/b/finance/feed.atom"],
        reply.get_absolute_url(): [f"/p/{forum['first'].pk}/feed.atom", "/b/finance/feed.atom"],
        f"{forum['first'].get_absolute_url()}?view=flat": [f"/p/{forum['first'].pk}/feed.atom", "/b/finance/feed.atom"],
        bob.get_absolute_url(): [reverse("feed_author", args=[bob.username])],
    }
    for page_url, feeds in pages.items():
        page = client.get(page_url).content.decode()
        head = page.split("</head>")[0]
        announced = [unescape(href) for _, href in FEED_LINK.findall(head)]
        assert [href.split("?")[0] for href in announced] == feeds, page_url
        visible = [unescape(href) for href, _ in VISIBLE_LINK.findall(page.split("</head>")[1])]
        assert visible and visible[0] == announced[0], page_url
        for href in announced:
            parsed = feed_of(client, href)
            assert parsed.entries, href


@pytest.mark.django_db
def test_feed_links_carry_the_readers_script(client, forum):
    client.get("/?script=hant")  # the choice is remembered in a cookie
    page = client.get("/b/finance/").content.decode()
    (title, href), = FEED_LINK.findall(page)
    assert unescape(href) == "/b/finance/feed.atom?script=hant"
    assert title == "股市財經 新帖 (Atom)"
    assert feed_of(client, unescape(href)).feed.title == "股市財經 - 論壇"


@pytest.mark.django_db
def test_a_held_thread_page_announces_no_thread_feed(client_for, bob, board, operator):
    rules.add_rule(actor=operator, pattern="法轮功", action="review")
    held = services.create_thread(author=bob, board=board, title="法轮功 新帖")
    page = client_for(bob).get(held.get_absolute_url()).content.decode()  # the author still sees it
    assert [href.split("?")[0] for _, href in FEED_LINK.findall(page)] == ["/b/finance/feed.atom"]
    assert f"/p/{held.pk}/feed.atom" not in page
