"""A hidden or deleted post's title is not shown on any page that names it:
not in the "回复给" trail of a reply below it, not in a tree, a feed, a list
or the API. Every page is walked: each address that takes a post id is asked
for every other post of the thread, and every listing page besides."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from luntan.forum.services import reply
from luntan.moderation import acts

MARK = "QX7"  # in the hidden title only; Latin, so it reads the same in both scripts


def _post_routes() -> list[str]:
    """Every page address that takes a post id, with `{}` where the id goes."""
    routes = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and "<int:post_id>" in route:
                routes.append("/" + route.replace("<int:post_id>", "{}"))

    walk(get_resolver().url_patterns)
    return routes


API_ROUTES = ["/api/v1/posts/{}", "/api/v1/posts/{}/tree"]
LISTINGS = [
    "/", "/hot/", "/b/finance/", "/b/finance/feed.atom", "/feeds/site.atom", "/u/鲍勃/", "/u/鲍勃/feed.atom",
    "/search/?q=中间层", "/api/v1/search?q=中间层", "/api/v1/boards/finance/threads", "/api/v1/hot?by=replies",
]


@pytest.fixture
def chain(alice, bob, make_user, thread):
    """alice's thread › bob's reply (to be hidden) › carol's reply › dave's reply."""
    carol, dave = make_user("carol"), make_user("dave")
    middle = reply(author=bob, parent=thread, title=f"中间层的标题{MARK}", body=f"中间层的内容{MARK}")
    below = reply(author=carol, parent=middle, title="回复中间层", body="下一层")
    bottom = reply(author=dave, parent=below, title="再下一层", body="最底层")
    return thread, middle, below, bottom, dave


def _every_page(client, posts) -> dict[str, str]:
    pages = {}
    for route in _post_routes() + API_ROUTES:
        for post in posts:
            for suffix in ("", "?view=flat"):
                path = route.format(post.pk) + suffix
                pages[path] = client.get(path).content.decode()
    for path in LISTINGS:
        pages[path] = client.get(path).content.decode()
    return pages


def test_every_post_route_is_walked():
    routes = _post_routes()
    assert "/p/{}/" in routes and "/p/{}/reply/" in routes and "/p/{}/feed.atom" in routes


@pytest.mark.parametrize("action", ["hide", "delete"])
@pytest.mark.django_db
def test_no_page_names_a_hidden_or_deleted_post(action, chain, operator, client, client_for):
    thread, middle, below, bottom, dave = chain
    assert MARK in client.get(f"/p/{below.pk}/").content.decode()  # the trail names it while it is public

    acts.ACTS[action](actor=operator, post=middle, reason="离题")

    for reader in (None, dave):  # a guest, and a member who wrote below it
        browser = client_for(dave) if reader else client
        pages = _every_page(browser, [thread, below, bottom])
        leaks = [path for path, text in pages.items() if MARK in text]
        assert leaks == [], f"{action}: the title shows on {leaks}"
        trail = re.search(r'<nav class="ancestors".*?</nav>', pages[f"/p/{bottom.pk}/"], re.S).group()
        assert "（该帖" in trail and thread.title in trail and "回复中间层" in trail


@pytest.mark.django_db
def test_the_author_still_sees_their_own_hidden_post_named(chain, operator, client_for):
    thread, middle, below, bottom, dave = chain
    acts.hide_post(actor=operator, post=middle, reason="离题")
    page = client_for(middle.author).get(f"/p/{below.pk}/").content.decode()
    trail = re.search(r'<nav class="ancestors".*?</nav>', page, re.S).group()
    assert MARK in trail
