"""API reads in the reader's script: `?script=hans|hant`, else the cookie, else
Accept-Language, else Simplified. Text is converted; identifiers and addresses
(urls, slugs, cursors, tokens, usernames) come back exactly as stored."""

import pytest

from luntan.api.script import IDENTIFIER_KEYS, for_reader
from luntan.forum.services import create_board, create_thread, reply
from luntan.messages.services import send
from luntan.stats.services import view_buffer

from api_client import alice_token, api, assert_error, bob_token, token_for  # noqa: F401  (fixtures)

TITLE = "读懂市场：头发与发展"
BODY = "以后再谈**干燥**的干部。"


@pytest.fixture
def post(alice, board):
    return create_thread(author=alice, board=board, title=TITLE, body=BODY)


@pytest.fixture
def traditional_writer(make_user):
    return make_user("鮑勃說")


def test_post_in_traditional(api, post):
    response = api.get(f"/posts/{post.pk}", {"script": "hant"})

    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "讀懂市場：頭髮與發展"
    assert data["body"] == "以後再談**乾燥**的幹部。"
    assert data["body_html"] == "<p>以後再談<strong>乾燥</strong>的幹部。</p>\n"
    assert data["url"] == f"/p/{post.pk}/"
    assert data["author"] == "alice"
    assert data["board"] == "finance"
    assert data["id"] == post.pk and data["thread"] == post.pk and data["up"] == 0


def test_post_written_in_traditional_reads_in_simplified(api, traditional_writer, board):
    post = create_thread(author=traditional_writer, board=board, title="讀懂市場", body="頭髮與發展")

    for params in ({"script": "hans"}, {}):
        data = api.get(f"/posts/{post.pk}", params).json()
        assert data["title"] == "读懂市场" and data["body"] == "头发与发展"
        assert data["author"] == "鮑勃說"  # a username is an identifier: never converted


def test_usernames_are_never_converted(api, traditional_writer, bob):
    # 鲍勃 (Simplified) stays for a Traditional reader; 鮑勃說 (Traditional) stays for a Simplified one.
    assert api.get("/users/鲍勃", {"script": "hant"}).json()["username"] == "鲍勃"
    assert api.get("/users/鮑勃說", {"script": "hans"}).json()["username"] == "鮑勃說"


def test_boards_convert_names_but_not_slugs_or_moderators(api, board, bob):
    from luntan.moderation.moderators import appoint_moderator

    appoint_moderator(actor=None, board=board, user=bob)
    finance = api.get("/boards", {"script": "hant"}).json()[0]
    assert finance["name"] == "股市財經"
    assert finance["description"] == "談股論金，理性投資"
    assert finance["slug"] == "finance" and finance["url"] == "/b/finance/"
    assert finance["moderators"] == ["鲍勃"]


def test_thread_page_keeps_cursor(api, alice, board):
    for n in range(3):
        create_thread(author=alice, board=board, title=f"第{n}个发展")
    from django.conf import settings

    size = settings.LUNTAN["PAGE_SIZE"]
    settings.LUNTAN["PAGE_SIZE"] = 2
    try:
        data = api.get("/boards/finance/threads", {"script": "hant"}).json()
    finally:
        settings.LUNTAN["PAGE_SIZE"] = size
    assert [t["title"] for t in data["items"]] == ["第2個發展", "第1個發展"]
    assert data["next_cursor"]
    following = api.get("/boards/finance/threads", {"script": "hant", "cursor": data["next_cursor"]}).json()
    assert [t["title"] for t in following["items"]] == ["第0個發展"]


def test_hot_list_board_name_is_text(api, alice, bob, board):
    busy = create_thread(author=alice, board=board, title="热闹")
    reply(author=bob, parent=busy, title="一条")
    view_buffer.flush()
    (entry,) = api.get("/hot", {"by": "replies", "script": "hant"}).json()
    assert entry["title"] == "熱鬧"
    assert entry["board"] == "股市財經"  # here `board` is the board's name
    assert entry["author"] == "alice" and entry["url"] == f"/p/{busy.pk}/"


def test_tree_in_traditional(api, alice, bob, post):
    reply(author=bob, parent=post, title="以后再说")
    tree = api.get(f"/posts/{post.pk}/tree", {"script": "hant"}).json()
    assert tree["title"] == "讀懂市場：頭髮與發展"
    (child,) = tree["children"]
    assert child["title"] == "以後再說" and child["author"] == "鲍勃"


def test_messages_in_traditional(api, alice, bob, bob_token):
    message = send(sender=alice, recipient=bob, body="头发的事以后再说")
    data = api.get(f"/messages/{message.pk}", {"script": "hant"}, token=bob_token).json()
    assert data["body"] == "頭髮的事以後再說"
    assert data["sender"] == "alice" and data["recipient"] == "鲍勃"
    assert data["url"] == message.get_absolute_url()


def test_without_a_choice_cookie_then_accept_language_decide(api, client, post):
    url = f"/posts/{post.pk}"
    assert api.get(url).json()["title"] == TITLE  # default: Simplified
    assert api.get(url, HTTP_ACCEPT_LANGUAGE="zh-TW").json()["title"] == "讀懂市場：頭髮與發展"
    assert api.get(url, HTTP_ACCEPT_LANGUAGE="en-US,zh-HK;q=0.5").json()["title"] == "讀懂市場：頭髮與發展"
    assert api.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN").json()["title"] == TITLE

    client.cookies["script"] = "hant"
    assert api.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN").json()["title"] == "讀懂市場：頭髮與發展"
    assert api.get(url, {"script": "hans"}, HTTP_ACCEPT_LANGUAGE="zh-TW").json()["title"] == TITLE


def test_invalid_script_is_422(api, post):
    assert_error(api.get(f"/posts/{post.pk}", {"script": "xx"}), 422, "script", "hans", "hant")
    assert_error(api.get("/boards", {"script": "Hant"}), 422, "script")


def test_reads_vary_by_cookie_and_accept_language(api, post):
    response = api.get(f"/posts/{post.pk}")
    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    assert {"cookie", "accept-language"} <= vary


def test_writes_answer_as_written(api, alice_token, board):
    response = api.post("/boards/finance/threads", {"title": "头发"}, token=alice_token, HTTP_ACCEPT_LANGUAGE="zh-TW")
    assert response.status_code == 201
    assert response.json()["title"] == "头发"


def test_for_reader_rule(rf):
    request = rf.get("/api/v1/x", {"script": "hant"})
    data = {
        "title": "头发",
        "items": [{"title": "发展", "url": "/p/1/发", "tags": ["干部", 3, None, True]}],
        "next_cursor": "发_1",
        "token": "后",
        "slug": "后",
        "username": "鲍勃",
        "author": "鲍勃",
        "sender": "鲍勃",
        "recipient": "鲍勃",
        "moderators": ["鲍勃"],
        "email": "头发@example.com",
        "nested": {"url": "后", "text": "后来"},
        "count": 2,
    }
    assert for_reader(request, data) == {
        **data,
        "title": "頭髮",
        "items": [{"title": "發展", "url": "/p/1/发", "tags": ["幹部", 3, None, True]}],
        "nested": {"url": "后", "text": "後來"},
    }
    assert for_reader(request, "以后") == "以後"
    assert for_reader(request, [1, 2]) == [1, 2]
    assert {"url", "slug", "cursor", "next_cursor", "token", "username"} <= IDENTIFIER_KEYS
