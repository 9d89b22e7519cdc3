from luntan.messages.models import Message
from luntan.messages.services import block, send

from api_client import alice_token, api, assert_error, bob_token, token_for  # noqa: F401  (fixtures)


def test_send_list_and_read_a_message(api, alice, bob, alice_token, bob_token):
    response = api.post("/messages", {"to": "鲍勃", "body": "你好，*鲍勃*"}, token=alice_token)
    assert response.status_code == 201
    sent = response.json()
    assert sent == {
        "id": sent["id"], "sender": "alice", "recipient": "鲍勃", "body": "你好，*鲍勃*",
        "body_html": "<p>你好，<em>鲍勃</em></p>\n", "created": sent["created"], "read": False, "read_at": None,
        "url": f"/messages/{sent['id']}/",
    }

    inbox = api.get("/messages", token=bob_token).json()
    assert inbox["box"] == "inbox" and inbox["unread"] == 1
    assert [m["id"] for m in inbox["items"]] == [sent["id"]]
    assert api.get("/me", token=bob_token).json()["unread_messages"] == 1

    read = api.get(f"/messages/{sent['id']}", {"script": "hans"}, token=bob_token).json()
    assert read["read"] is True and read["read_at"] is not None and read["body"] == "你好，*鲍勃*"
    assert api.get("/messages", token=bob_token).json()["unread"] == 0

    outbox = api.get("/messages", {"box": "sent"}, token=alice_token).json()
    assert outbox["box"] == "sent" and outbox["items"][0]["recipient"] == "鲍勃" and outbox["items"][0]["read"] is True
    assert api.get(f"/messages/{sent['id']}", token=alice_token).status_code == 200  # the sender may reread it


def test_listing_messages_costs_the_same_queries_for_one_or_many(api, alice, bob, bob_token, django_assert_num_queries):
    for n in range(5):
        send(sender=alice, recipient=bob, body=f"第 {n} 条")
    api.get("/messages", token=bob_token)  # a token's first use records when it was used
    with django_assert_num_queries(3):  # token, the messages with their senders, the unread count
        assert len(api.get("/messages", token=bob_token).json()["items"]) == 5


def test_someone_elses_message_is_404(api, alice, bob, make_user, token_for):
    message = send(sender=alice, recipient=bob, body="私事")
    outsider = token_for(make_user("carol"))
    assert_error(api.get(f"/messages/{message.pk}", token=outsider), 404, "悄悄话不存在")
    assert_error(api.get("/messages/999999", token=outsider), 404, "悄悄话不存在")
    message.refresh_from_db()
    assert message.read_at is None


def test_sending_errors(api, alice, bob, alice_token):
    assert_error(api.post("/messages", {"to": "鲍勃", "body": "hi"}), 401)
    assert_error(api.post("/messages", {"to": "nobody", "body": "hi"}, token=alice_token), 404, "nobody")
    assert_error(api.post("/messages", {"to": "alice", "body": "hi"}, token=alice_token), 422, "自己")
    assert_error(api.post("/messages", {"to": "鲍勃", "body": "  "}, token=alice_token), 422, "不能为空")
    assert_error(api.post("/messages", {"to": " ", "body": "hi"}, token=alice_token), 422, "收件人")
    assert_error(api.post("/messages", {"to": "鲍勃", "body": "字" * 10_001}, token=alice_token), 413, "10000")
    assert_error(api.post("/messages", {"to": "鲍勃"}, token=alice_token), 422, "body")
    block(user=bob, blocked=alice)
    assert_error(api.post("/messages", {"to": "鲍勃", "body": "hi"}, token=alice_token), 403, "不接收")
    assert not Message.objects.exists()


def test_list_errors(api, alice_token):
    assert_error(api.get("/messages"), 401)
    assert_error(api.get("/messages", {"box": "trash"}, token=alice_token), 422, "box")
    assert_error(api.get("/messages/1"), 401)
