from datetime import timedelta

import pytest
from django.utils import timezone

from luntan.forum.models import Post
from luntan.forum.services import create_board, create_thread, reply
from luntan.moderation.moderators import appoint_moderator

from api_client import alice_token, api, assert_error, bob_token, token_for  # noqa: F401  (fixtures)


# --- boards ------------------------------------------------------------------


def test_boards_lists_forum_boards_with_moderators_and_counts(api, alice, bob, board, thread):
    create_board(slug="life", name="生活百态", position=5)
    appoint_moderator(actor=None, board=board, user=bob)
    appoint_moderator(actor=None, board=board, user=alice)

    response = api.get("/boards", {"script": "hans"})

    assert response.status_code == 200
    finance, life = response.json()
    assert finance == {
        "slug": "finance", "name": "股市财经", "description": "谈股论金，理性投资", "kind": "forum",
        "moderators": ["alice", "鲍勃"], "url": "/b/finance/", "thread_count": 1, "post_count": 1,
        "last_activity": finance["last_activity"],
    }
    assert finance["last_activity"] is not None
    assert life["slug"] == "life" and life["moderators"] == [] and life["last_activity"] is None


def test_script_must_be_hans_or_hant(api, board):
    assert api.get("/boards", {"script": "hant"}).status_code == 200
    assert_error(api.get("/boards", {"script": "latin"}), 422, "script", "hans", "hant")


# --- thread lists ------------------------------------------------------------


def test_cursor_pages_return_every_thread_exactly_once_pinned_first(api, alice, board, settings):
    settings.LUNTAN = {**settings.LUNTAN, "PAGE_SIZE": 3}
    now = timezone.now()
    made = []
    for n in range(8):
        # Threads two and two share a moment, so the cursor's tie-break on id matters.
        made.append(create_thread(author=alice, board=board, title=f"主题 {n}", at=now - timedelta(minutes=n // 2)))
    pinned = made[5]
    Post.objects.filter(pk=pinned.pk).update(pinned=True)  # pinning arrives with moderation

    pages, cursor = [], None
    while True:
        response = api.get("/boards/finance/threads", {"cursor": cursor} if cursor else None)
        assert response.status_code == 200
        page = response.json()
        assert page["board"] == "finance"
        pages.append([item["id"] for item in page["items"]])
        cursor = page["next_cursor"]
        if cursor is None:
            break

    seen = [pk for page in pages for pk in page]
    assert sorted(seen) == sorted(p.pk for p in made)  # every thread exactly once
    assert pages[0][0] == pinned.pk
    by_recency = sorted((p for p in made if p.pk != pinned.pk), key=lambda p: (p.last_activity, p.pk), reverse=True)
    assert seen[1:] == [p.pk for p in by_recency]
    assert [len(page) for page in pages] == [4, 3, 1]


def test_thread_items_have_no_body_and_link_to_their_page(api, thread):
    (item,) = api.get("/boards/finance/threads").json()["items"]
    assert "body" not in item and "body_html" not in item
    assert item["id"] == thread.pk and item["title"] == thread.title and item["author"] == "alice"
    assert item["url"] == f"/p/{thread.pk}/"
    assert item["size"] == len("第一段\n\n第二段".encode())
    assert item["pinned"] is False and item["locked"] is False and item["reply_count"] == 0


def test_thread_list_errors(api, board):
    assert_error(api.get("/boards/nowhere/threads"), 404, "nowhere", "不存在")
    assert_error(api.get("/boards/finance/threads", {"cursor": "garbage"}), 422, "cursor")


# --- creating threads --------------------------------------------------------


def test_thread_created_through_the_api_shows_in_the_api_and_on_its_page(api, client, board, alice_token):
    response = api.post(
        "/boards/finance/threads",
        {"title": "API 发的帖", "body": "**重要**的内容", "repost": True, "source": "https://example.com/a"},
        token=alice_token,
    )

    assert response.status_code == 201
    created = response.json()
    assert created["title"] == "API 发的帖" and created["author"] == "alice" and created["board"] == "finance"
    assert created["status"] == "public" and created["repost"] is True and created["source"] == "https://example.com/a"
    assert created["parent"] is None and created["thread"] == created["id"] and created["depth"] == 0
    assert created["url"] == f"/p/{created['id']}/"
    assert "<strong>重要</strong>" in created["body_html"]

    fetched = api.get(f"/posts/{created['id']}").json()
    assert fetched == created

    page = client.get(created["url"])
    assert page.status_code == 200
    assert "API 发的帖" in page.content.decode() and "<strong>重要</strong>" in page.content.decode()


def test_creating_a_thread_needs_a_token(api, board):
    assert_error(api.post("/boards/finance/threads", {"title": "游客"}), 401, "登录")
    assert not Post.objects.exists()


def test_creating_a_thread_rejects_bad_input_with_the_reason(api, board, alice_token):
    new = "/boards/finance/threads"
    assert assert_error(api.post(new, {"title": "  "}, token=alice_token), 422, "标题")["field"] == "title"
    assert_error(api.post(new, {"title": "长" * 201}, token=alice_token), 422, "200")
    assert_error(api.post(new, {"title": "大", "body": "字" * 100_001}, token=alice_token), 413, "100000")
    assert_error(api.post(new, {"title": "来源", "source": "某报"}, token=alice_token), 422, "转帖")
    assert_error(api.post(new, {"body": "没有标题"}, token=alice_token), 422, "title", "缺少此项")
    assert_error(api.post(new, raw="{title:", token=alice_token), 422, "JSON")
    assert_error(api.post("/boards/nowhere/threads", {"title": "x"}, token=alice_token), 404, "nowhere")
    assert not Post.objects.exists()


def test_a_request_body_beyond_the_upload_limit_is_413_json(api, board, alice_token, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api.post("/boards/finance/threads", {"title": "大", "body": "x" * 2000}, token=alice_token)
    assert_error(response, 413, "太大")
    assert not Post.objects.exists()


# --- reading posts -----------------------------------------------------------


def test_post_has_every_field(api, thread, bob):
    answer = reply(author=bob, parent=thread, title="Re: 七个要点")
    post = api.get(f"/posts/{answer.pk}", {"script": "hans"}).json()
    assert post == {
        "id": answer.pk, "thread": thread.pk, "parent": thread.pk, "board": "finance", "title": "Re: 七个要点",
        "body": "", "body_html": "", "author": "鲍勃", "created": post["created"], "edited": None, "views": 0,
        "reply_count": 0, "up": 0, "down": 0, "repost": False, "source": "", "status": "public", "status_reason": "",
        "url": f"/p/{answer.pk}/", "depth": 1, "pinned": False, "featured": False, "locked": False,
    }


def test_reading_a_post_counts_a_view(api, thread):
    from luntan.stats.services import view_buffer

    api.get(f"/posts/{thread.pk}")
    view_buffer.flush()
    assert api.get(f"/posts/{thread.pk}").json()["views"] == 1


def test_unknown_and_hidden_posts_are_404_except_to_their_author(api, thread, alice_token, bob_token):
    assert_error(api.get("/posts/999999"), 404, "不存在")
    assert_error(api.get("/posts/abc"), 422, "post_id")
    Post.objects.filter(pk=thread.pk).update(status=Post.Status.HIDDEN)
    assert_error(api.get(f"/posts/{thread.pk}"), 404)
    assert_error(api.get(f"/posts/{thread.pk}", token=bob_token), 404)
    assert_error(api.get(f"/posts/{thread.pk}", token="expired"), 401)
    mine = api.get(f"/posts/{thread.pk}", token=alice_token)
    assert mine.status_code == 200 and mine.json()["status"] == "hidden"


# --- trees -------------------------------------------------------------------


def test_tree_nests_replies_as_made_through_the_service(api, thread, alice, bob, django_assert_num_queries):
    a = reply(author=bob, parent=thread, title="甲", body="有内容")
    a1 = reply(author=alice, parent=a, title="甲一")
    a1x = reply(author=bob, parent=a1, title="甲一之一")
    b = reply(author=alice, parent=thread, title="乙")
    a2 = reply(author=alice, parent=a, title="甲二")

    with django_assert_num_queries(2):  # the post, then its whole subtree in one query
        tree = api.get(f"/posts/{thread.pk}/tree").json()

    def shape(node):
        return (node["id"], [shape(child) for child in node["children"]])

    assert shape(tree) == (thread.pk, [(a.pk, [(a1.pk, [(a1x.pk, [])]), (a2.pk, [])]), (b.pk, [])])
    assert tree["reply_count"] == 5 and tree["author"] == "alice" and tree["url"] == f"/p/{thread.pk}/"
    first = tree["children"][0]
    assert first == {
        "id": a.pk, "title": "甲", "author": "鲍勃", "created": first["created"], "size": len("有内容".encode()),
        "reply_count": 3, "up": 0, "down": 0, "repost": False, "status": "public", "url": f"/p/{a.pk}/",
        "children": first["children"],
    }
    assert "body" not in first

    subtree = api.get(f"/posts/{a1.pk}/tree").json()
    assert shape(subtree) == (a1.pk, [(a1x.pk, [])])


def test_tree_keeps_the_place_of_a_hidden_post_without_showing_it(api, thread, bob, bob_token):
    gone = reply(author=bob, parent=thread, title="不该看到的标题")
    kept = reply(author=bob, parent=gone, title="仍然可见")
    Post.objects.filter(pk=gone.pk).update(status=Post.Status.HIDDEN)

    (hidden,) = api.get(f"/posts/{thread.pk}/tree").json()["children"]
    assert hidden["status"] == "hidden" and hidden["title"] == "" and hidden["author"] is None and hidden["url"] is None
    assert hidden["children"][0]["id"] == kept.pk and hidden["children"][0]["title"] == "仍然可见"
    assert "不该看到的标题" not in api.get(f"/posts/{thread.pk}/tree").content.decode()

    (own,) = api.get(f"/posts/{thread.pk}/tree", token=bob_token).json()["children"]
    assert own["title"] == "不该看到的标题"
    assert_error(api.get("/posts/999999/tree"), 404)


# --- replies -----------------------------------------------------------------


def test_reply_through_the_api(api, thread, bob_token):
    response = api.post(f"/posts/{thread.pk}/replies", {"title": "Re: 七个要点", "body": "同意"}, token=bob_token)
    assert response.status_code == 201
    answer = response.json()
    assert answer["parent"] == thread.pk and answer["thread"] == thread.pk and answer["depth"] == 1
    assert answer["author"] == "鲍勃" and answer["board"] == "finance" and answer["body_html"] == "<p>同意</p>\n"
    nested = api.post(f"/posts/{answer['id']}/replies", {"title": "Re: Re"}, token=bob_token).json()
    assert nested["parent"] == answer["id"] and nested["depth"] == 2 and nested["body"] == ""
    assert api.get(f"/posts/{thread.pk}").json()["reply_count"] == 2


def test_reply_errors(api, thread, bob, bob_token):
    replies = f"/posts/{thread.pk}/replies"
    assert_error(api.post(replies, {"title": "游客"}), 401)
    assert_error(api.post(replies, {"title": ""}, token=bob_token), 422, "标题不能为空")
    assert_error(api.post(replies, {"title": "长" * 201}, token=bob_token), 422, "200")
    assert_error(api.post(replies, {"title": "大", "body": "字" * 100_001}, token=bob_token), 413, "100000")
    assert_error(api.post(replies, {}, token=bob_token), 422, "title")
    assert_error(api.post("/posts/999999/replies", {"title": "x"}, token=bob_token), 404)

    gone = reply(author=bob, parent=thread, title="将被删除")
    Post.objects.filter(pk=gone.pk).update(status=Post.Status.DELETED)
    assert_error(api.post(f"/posts/{gone.pk}/replies", {"title": "x"}, token=bob_token), 404)
    Post.objects.filter(pk=thread.pk).update(locked=True)  # locking arrives with moderation
    assert_error(api.post(replies, {"title": "锁了"}, token=bob_token), 403, "锁定")
    assert Post.objects.count() == 2


# --- votes -------------------------------------------------------------------


def test_vote_up_then_change_to_down(api, thread, bob_token):
    vote = f"/posts/{thread.pk}/vote"
    assert api.post(vote, {"value": 1}, token=bob_token).json() == {"up": 1, "down": 0}
    assert api.post(vote, {"value": 1}, token=bob_token).json() == {"up": 1, "down": 0}
    assert api.post(vote, {"value": -1}, token=bob_token).json() == {"up": 0, "down": 1}
    assert api.get(f"/posts/{thread.pk}").json()["down"] == 1


def test_vote_errors(api, thread, alice_token, bob_token):
    vote = f"/posts/{thread.pk}/vote"
    assert_error(api.post(vote, {"value": 1}), 401)
    assert_error(api.post(vote, {"value": 1}, token=alice_token), 403, "自己")
    assert_error(api.post(vote, {"value": 0}, token=bob_token), 422, "value", "1 或 -1")
    assert_error(api.post(vote, {"value": "up"}, token=bob_token), 422, "value")
    assert_error(api.post("/posts/999999/vote", {"value": 1}, token=bob_token), 404)
    assert api.get(f"/posts/{thread.pk}").json()["up"] == 0
