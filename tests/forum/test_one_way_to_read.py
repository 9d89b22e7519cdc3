"""One way to read a post: the pages and the API ask the same selectors
(`forum.selectors.readable_post`, `title_shown`), so a thread's tree names
the same posts on its page and at /api/v1/posts/{id}/tree for every reader,
and what is not there is a 404 in the site's own words on both."""

import re

import pytest

from luntan.accounts.services import issue_token
from luntan.forum.services import reply
from luntan.moderation import acts


@pytest.fixture
def mixed_thread(alice, bob, make_user, operator, thread, rule):
    """A thread with a post in every state a tree line can be in."""
    rule("待审词", "review", category="广告")
    carol, dave = make_user("carol"), make_user("dave")
    shown = reply(author=bob, parent=thread, title="公开的回复")
    held = reply(author=carol, parent=thread, title="含待审词的回复")
    hidden = reply(author=dave, parent=thread, title="被隐藏的回复")
    under_hidden = reply(author=bob, parent=hidden, title="隐藏帖下的回复")
    deleted = reply(author=bob, parent=shown, title="被删除的回复")
    acts.hide_post(actor=operator, post=hidden, reason="离题")
    acts.delete_post(actor=operator, post=deleted, reason="广告")
    return {"carol": carol, "dave": dave, "held": held, "hidden": hidden, "under_hidden": under_hidden}


def _page_tree(client, thread) -> dict[int, str]:
    page = client.get(f"/p/{thread.pk}/").content.decode()
    tree = re.search(r'<ul class="tree">.*?</ul>', page, re.S).group()
    return {int(pk): title for pk, title in re.findall(r'<a href="/p/(\d+)/"[^>]*>(?:<span class="zt">转帖</span> )?([^<]+)</a>', tree)}


def _api_tree(client, thread, token) -> dict[int, str]:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    named = {}

    def walk(node):
        if node["url"]:
            named[node["id"]] = node["title"]
        for child in node["children"]:
            walk(child)

    walk(client.get(f"/api/v1/posts/{thread.pk}/tree", **headers).json())
    return named


@pytest.mark.django_db
def test_the_page_and_the_api_name_the_same_posts_for_every_reader(mixed_thread, thread, bob, operator, client):
    readers = {"guest": None, "bob": bob, "carol": mixed_thread["carol"], "dave": mixed_thread["dave"], "operator": operator}
    seen = {}
    for name, user in readers.items():
        client.logout()
        if user:
            client.force_login(user)
        token = issue_token(user=user) if user else None
        seen[name] = _page_tree(client, thread)
        assert seen[name] == _api_tree(client, thread, token), name
    # And what each of them sees is what their standing allows.
    assert mixed_thread["held"].pk in seen["carol"] and mixed_thread["held"].pk not in seen["guest"]
    assert mixed_thread["hidden"].pk in seen["dave"] and mixed_thread["hidden"].pk not in seen["bob"]
    assert mixed_thread["under_hidden"].pk in seen["guest"]


@pytest.mark.django_db
def test_what_is_not_there_is_a_404_in_the_sites_words_on_pages_and_api(client, board):
    for path, words in (("/b/nowhere/", "版面「nowhere」不存在"), ("/p/999999/", "帖子不存在或已被删除"),
                        ("/c/nowhere/", "专栏「nowhere」不存在"), ("/no/such/page/", "页面不存在")):
        response = client.get(path)
        assert response.status_code == 404, path
        assert words in response.content.decode(), path
    assert client.get("/api/v1/boards/nowhere/threads").json()["detail"] == "版面「nowhere」不存在。"
    assert client.get("/api/v1/posts/999999").json()["detail"] == "帖子不存在或已被删除。"
