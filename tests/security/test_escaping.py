"""Hostile text in every field a member controls, read back everywhere it is
shown: pages, Atom feeds, and the API's HTML fields. Nothing in it may run.

Each page is parsed whole (security_checks.page_problems): no script, style,
event handler or style= attribute anywhere (our templates have none, so any
would be the user's), no javascript:/data:/vbscript: URL, no unescaped
markup, and every link to another site carries rel="nofollow ugc noopener".
"""

import json
import xml.etree.ElementTree as ET

import pytest

from luntan.errors import Invalid

from security_checks import (
    HOSTILE_TEXT, HOSTILE_TITLE, IMG, SCRIPT, USER_LINK_REL, assert_safe, elements, scheme_of,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def html_of(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def json_of(client, url: str, **extra) -> dict:
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.content[:300])
    assert response["Content-Type"].startswith("application/json")  # never sniffed as HTML: nosniff
    assert response["X-Content-Type-Options"] == "nosniff"
    return response.json()


def check_feed(client, url: str) -> ET.Element:
    """An Atom feed parses as XML, and every <content type="html"> is safe HTML
    once a feed reader unescapes it; titles are text (type absent), escaped by the XML."""
    response = client.get(url)
    assert response.status_code == 200, url
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert entries, url
    for entry in entries:
        assert entry.find(f"{ATOM}title").get("type") in (None, "text")
        content = entry.find(f"{ATOM}content")
        assert content.get("type") == "html"
        assert_safe(content.text or "", f"{url} content")
    return feed


@pytest.fixture
def hostile_thread(alice, bob, board):
    from luntan.forum.services import create_thread, reply

    thread = create_thread(author=alice, board=board, title=HOSTILE_TITLE, body=HOSTILE_TEXT)
    answer = reply(author=bob, parent=thread, title="回复" + IMG, body=HOSTILE_TEXT)
    assert thread.status == answer.status == "public"
    return thread, answer


# --- forum -----------------------------------------------------------------------


def test_thread_and_reply_titles_and_bodies_on_every_page(client, hostile_thread, alice, bob):
    thread, answer = hostile_thread
    for url in (
        "/", "/b/finance/", thread.get_absolute_url(), thread.get_absolute_url() + "?view=flat",
        answer.get_absolute_url(), "/u/alice/", "/u/%E9%B2%8D%E5%8B%83/", "/hot/",
    ):
        page = html_of(client, url)
        assert_safe(page, url)
    page = html_of(client, thread.get_absolute_url())
    assert "标题&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown, as text
    # The body's one real outside link is the user's: nofollow ugc noopener.
    user_links = [a for tag, a in elements(page) if tag == "a" and "outside.example" in a.get("href", "")]
    assert user_links and all(USER_LINK_REL <= set(a["rel"].split()) for a in user_links)


def test_the_reply_form_page_and_the_edit_page_escape_the_kept_text(client_for, hostile_thread, alice):
    thread, answer = hostile_thread
    client = client_for(alice)
    for url in (f"/p/{answer.pk}/reply/", f"/p/{thread.pk}/edit/"):
        assert_safe(html_of(client, url), url)


def test_a_rejected_post_comes_back_with_its_hostile_text_escaped(client_for, alice, board):
    client = client_for(alice)
    response = client.post("/b/finance/new/", {"title": "", "body": HOSTILE_TEXT})  # no title: refused
    assert response.status_code == 422
    page = response.content.decode()
    assert_safe(page, "rejected new thread")
    assert "&lt;/textarea&gt;&lt;script&gt;" in page  # the kept body, escaped inside its textarea


def test_open_graph_and_title_tags_escape_the_title(client, hostile_thread):
    thread, _ = hostile_thread
    page = html_of(client, thread.get_absolute_url())
    head = page.split("</head>")[0]
    assert_safe(head, "head")
    [og_title] = [a["content"] for tag, a in elements(head) if tag == "meta" and a.get("property") == "og:title"]
    assert og_title == HOSTILE_TITLE  # the exact text, as an attribute value: nothing broke out


def test_api_post_fields(client, hostile_thread):
    thread, answer = hostile_thread
    for post in (thread, answer):
        data = json_of(client, f"/api/v1/posts/{post.pk}")
        assert_safe(data["body_html"], "body_html")
        assert data["title"] == post.title  # plain text is given as written: JSON, for clients to escape
    tree = json_of(client, f"/api/v1/posts/{thread.pk}/tree")
    assert tree["title"] == HOSTILE_TITLE
    page = json_of(client, "/api/v1/boards/finance/threads")
    assert page["items"]
    for item in page["items"]:
        for key, value in item.items():
            if key.endswith("_html"):
                assert_safe(value, key)


def test_feeds(client, hostile_thread):
    thread, _ = hostile_thread
    for url in ("/feeds/site.atom", "/b/finance/feed.atom", f"/p/{thread.pk}/feed.atom", "/u/alice/feed.atom",
                "/feeds/site.atom?script=hant"):
        feed = check_feed(client, url)
        titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
        assert any(SCRIPT in (title or "") for title in titles) or url.endswith("hant")  # text, XML-escaped


# --- search ----------------------------------------------------------------------


def test_search_titles_and_snippets(client, hostile_thread):
    page = html_of(client, "/search/?q=alert")
    assert 'class="search-hit"' in page
    assert_safe(page, "search page")
    # The query itself, echoed in the box and the heading.
    echoed = html_of(client, "/search/?q=" + SCRIPT.replace("<", "%3C").replace(">", "%3E"))
    assert_safe(echoed, "search echo")
    data = json_of(client, "/api/v1/search", data={"q": "alert"})
    assert data["items"]
    for item in data["items"]:
        assert_safe(item["title_html"], "title_html")
        assert_safe(item["snippet_html"], "snippet_html")
        assert "&lt;script&gt;" in item["title_html"] + item["snippet_html"]


# --- accounts --------------------------------------------------------------------


@pytest.mark.parametrize("name", [SCRIPT, IMG, "a<b", "x\"y", "javascript:x", "名字 onerror=1"])
def test_usernames_cannot_carry_markup(name):
    from luntan.accounts.services import validate_username

    with pytest.raises(Invalid):
        validate_username(name)


def test_a_refused_registration_shows_the_name_escaped(client):
    response = client.post("/accounts/register/", {"username": IMG, "password": "x", "password2": "x"})
    assert response.status_code == 422
    assert_safe(response.content.decode(), "register")


def test_profile_bio(client, client_for, alice):
    from luntan.accounts.services import update_profile

    update_profile(user=alice, bio=HOSTILE_TEXT[:2000])
    page = html_of(client, "/u/alice/")
    assert_safe(page, "profile")
    assert "&lt;script&gt;" in page
    assert_safe(html_of(client_for(alice), "/accounts/settings/"), "settings")
    assert json_of(client, "/api/v1/users/alice")  # JSON only


@pytest.mark.parametrize("link", [
    "javascript:alert(1)", "JAVASCRIPT://x%0aalert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)", "http://qr.alipay.com/x", "https://", " https://x y",
])
def test_tip_links_refuse_anything_but_https(alice, link):
    from luntan.accounts.services import set_tip_links

    with pytest.raises(Invalid):
        set_tip_links(user=alice, alipay=link)


def test_tip_links_are_shown_as_user_links(client, alice, hostile_thread):
    from luntan.accounts.services import set_tip_links

    set_tip_links(user=alice, alipay='https://qr.alipay.com/x"><script>alert(1)</script>', wechat="wxp://f2f0<b>x</b>")
    alice.refresh_from_db()
    assert "<" not in alice.tip_links["alipay"] and '"' not in alice.tip_links["alipay"]  # percent-encoded
    page = html_of(client, "/u/alice/")
    assert_safe(page, "profile with tip links")
    # A "host" made of markup is not a host name: refused outright.
    with pytest.raises(Invalid):
        set_tip_links(user=alice, alipay='https://"><script>alert(1)</script>')
    assert_safe(html_of(client, hostile_thread[0].get_absolute_url()), "tip box on a thread")
    set_tip_links(user=alice, alipay="https://qr.alipay.com/x")
    page = html_of(client, "/u/alice/")
    [link] = [a for tag, a in elements(page) if tag == "a" and "alipay" in a.get("href", "")]
    assert scheme_of(link["href"]) == "https"
    assert USER_LINK_REL <= set(link["rel"].split())


# --- private messages ------------------------------------------------------------


def test_private_messages(client_for, alice, bob):
    from luntan.messages.services import send

    message = send(sender=alice, recipient=bob, body=HOSTILE_TEXT)
    client = client_for(bob)
    for url in ("/messages/", f"/messages/{message.pk}/", "/messages/new/?to=alice"):
        assert_safe(html_of(client, url), url)
    assert_safe(html_of(client_for(alice), "/messages/sent/"), "sent")
    from luntan.accounts.services import issue_token

    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=bob)}"}
    data = json_of(client, f"/api/v1/messages/{message.pk}", **auth)
    assert_safe(data["body_html"], "message body_html")
    for item in json_of(client, "/api/v1/messages", **auth)["items"]:
        assert_safe(item.get("body_html", ""), "box body_html")


# --- columns ---------------------------------------------------------------------


@pytest.fixture
def hostile_column(alice):
    from luntan.columns.services import open_column, write_article

    column = open_column(owner=alice, title="专栏" + SCRIPT, intro=HOSTILE_TEXT[:500], slug="hostile")
    article = write_article(
        author=alice, column=column, title=HOSTILE_TITLE, body="## 小节" + SCRIPT + "\n\n" + HOSTILE_TEXT,
        summary="摘要" + IMG,
        references=[
            SCRIPT + " https://ref.example/a",
            '《史记》"><img src=x onerror=alert(1)> https://ref.example/b',
            "javascript:alert(1)",  # not a link: kept as text
        ],
    )
    assert article.status == "public"
    return column, article


@pytest.mark.parametrize("line", ["x javascript:alert(1)//https://a", "data:text/html,x https://"])
def test_references_take_only_http_links(line):
    from luntan.columns.services import parse_references

    try:
        [reference] = parse_references([line])
    except Invalid:
        return
    assert reference["url"] == "" or scheme_of(reference["url"]) in ("http", "https")


def test_column_title_intro_summary_references_and_headings(client, hostile_column):
    column, article = hostile_column
    for url in ("/columns/", "/c/hostile/", article.get_absolute_url(), article.get_absolute_url() + "?view=flat",
                "/u/alice/"):
        assert_safe(html_of(client, url), url)
    page = html_of(client, article.get_absolute_url())
    references = [a for tag, a in elements(page) if tag == "a" and "ref.example" in a.get("href", "")]
    assert len(references) == 2
    for reference in references:
        assert USER_LINK_REL <= set(reference["rel"].split())
    assert "javascript:alert(1)" in page  # the third reference, as text


def test_column_feed_and_api(client, hostile_column):
    column, article = hostile_column
    check_feed(client, "/c/hostile/feed.atom")
    data = json_of(client, f"/api/v1/articles/{article.pk}")
    assert_safe(data["body_html"], "article body_html")
    for reference in data["references"]:
        assert reference["url"] == "" or scheme_of(reference["url"]) in ("http", "https")
    for item in json_of(client, "/api/v1/columns/hostile/articles")["items"]:
        for key, value in item.items():
            if key.endswith("_html"):
                assert_safe(value, key)
    assert json.dumps(json_of(client, "/api/v1/columns/hostile"))


# --- operators' site pages (Markdown too) ----------------------------------------


def test_site_pages(client):
    from luntan.web.services import save_site_page

    save_site_page(slug="about", title="关于" + SCRIPT, body=HOSTILE_TEXT)
    assert_safe(html_of(client, "/pages/about/"), "site page")
    assert_safe(html_of(client, "/"), "footer link")
