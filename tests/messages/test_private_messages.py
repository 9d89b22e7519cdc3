"""Private messages (悄悄话): sent from a post's link, inbox and sent box,
unread counts in the header, privacy, and blocking."""

import re
from html import unescape

import pytest
from django.test import Client

from luntan.forum import services as forum
from luntan.messages import services
from luntan.messages.models import Message

from page_helpers import as_user, page_of


TYPED = "你好，想请教一下你帖子里的第三点。"
def unread_badge(client) -> int | None:
    header = re.search(r'<header class="site-header">.*?</header>', page_of(client, "/"), re.S).group(0)
    found = re.search(r'<span class="badge" title="未读悄悄话">(\d+)</span>', header)
    return int(found.group(1)) if found else None


def listed(client, box_url) -> list[str]:
    return [unescape(text) for text in re.findall(r'<li class="[^"]*"><a href="/messages/\d+/">([^<]*)</a>', page_of(client, box_url))]


@pytest.mark.django_db
def test_send_from_the_link_on_a_post(alice, bob, board):
    post = forum.create_thread(author=bob, board=board, title="鲍勃的帖子", body="第三点很重要")
    sender = as_user(alice)

    link = re.search(r'<a class="pm-link" href="([^"]+)">发送悄悄话</a>', page_of(sender, post.get_absolute_url()))
    assert link
    compose = page_of(sender, unescape(link.group(1)))
    assert re.search(r'<input name="to" required value="鲍勃">', compose)

    response = sender.post("/messages/new/", {"to": "鲍勃", "body": TYPED})

    message = Message.objects.get()
    assert response.status_code == 302 and response["Location"] == message.get_absolute_url()
    assert (message.sender, message.recipient, message.body) == (alice, bob, TYPED)
    assert TYPED in page_of(sender, message.get_absolute_url())


@pytest.mark.django_db
def test_no_message_link_on_ones_own_post_or_for_guests(client, alice, thread):
    assert "发送悄悄话" not in page_of(as_user(alice), thread.get_absolute_url())
    assert "发送悄悄话" not in page_of(client, thread.get_absolute_url())


@pytest.mark.django_db
def test_inbox_and_sent_box(alice, bob):
    services.send(sender=alice, recipient=bob, body="第一封")
    services.send(sender=alice, recipient=bob, body="第二封")
    services.send(sender=bob, recipient=alice, body="回信")

    bob_inbox = page_of(as_user(bob), "/messages/")
    assert listed(as_user(bob), "/messages/") == ["第二封", "第一封"]  # newest first
    assert bob_inbox.count("来自 alice") == 2 and bob_inbox.count("<strong>未读</strong>") == 2
    assert listed(as_user(bob), "/messages/sent/") == ["回信"]
    assert "发给 alice" in page_of(as_user(bob), "/messages/sent/")
    assert listed(as_user(alice), "/messages/sent/") == ["第二封", "第一封"]
    assert listed(as_user(alice), "/messages/") == ["回信"]


@pytest.mark.django_db
def test_unread_count_in_the_header_clears_after_reading(alice, bob):
    first = services.send(sender=alice, recipient=bob, body="第一封")
    second = services.send(sender=alice, recipient=bob, body="第二封")
    reader = as_user(bob)
    assert unread_badge(reader) == 2
    assert unread_badge(as_user(alice)) is None  # sending is not receiving

    # The sender opening the message does not mark it read.
    page_of(as_user(alice), first.get_absolute_url())
    assert unread_badge(reader) == 2

    assert "第一封" in page_of(reader, first.get_absolute_url())
    assert unread_badge(reader) == 1
    page_of(reader, second.get_absolute_url())
    page_of(reader, second.get_absolute_url())
    assert unread_badge(reader) is None
    assert "<strong>未读</strong>" not in page_of(reader, "/messages/")


@pytest.mark.django_db
def test_nobody_else_can_open_a_message(make_user, alice, bob):
    message = services.send(sender=alice, recipient=bob, body="只给鲍勃看")
    stranger = as_user(make_user())

    response = stranger.get(message.get_absolute_url())

    assert response.status_code == 404
    assert "只给鲍勃看" not in response.content.decode()
    assert "只给鲍勃看" not in page_of(stranger, "/messages/")
    message.refresh_from_db()
    assert message.read_at is None
    guest = Client().get(message.get_absolute_url())
    assert guest.status_code == 302 and guest["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_blocking_stops_messages_and_unblocking_restores_them(alice, bob):
    sender, recipient = as_user(alice), as_user(bob)
    response = recipient.post("/u/alice/block/", {"next": "/u/alice/"})
    assert response.status_code == 302
    assert "alice" in page_of(recipient, "/messages/blocked/")
    assert "取消屏蔽" in page_of(recipient, "/u/alice/")

    refused = sender.post("/messages/new/", {"to": "鲍勃", "body": TYPED})

    page = refused.content.decode()
    assert refused.status_code == 403
    assert "鲍勃 不接收你的悄悄话" in page
    assert f">{TYPED}</textarea>" in page
    assert re.search(r'<input name="to" required value="鲍勃">', page)
    assert not Message.objects.exists()
    assert unread_badge(recipient) is None

    recipient.post("/u/alice/block/", {"action": "unblock", "next": "/messages/blocked/"})
    assert "没有屏蔽任何人" in page_of(recipient, "/messages/blocked/")

    assert sender.post("/messages/new/", {"to": "鲍勃", "body": TYPED}).status_code == 302
    assert unread_badge(recipient) == 1


@pytest.mark.django_db
def test_blocking_is_one_way(alice, bob):
    services.block(user=bob, blocked=alice)

    # Bob blocked Alice; Bob may still write to Alice.
    assert as_user(bob).post("/messages/new/", {"to": "alice", "body": "我还能给你写"}).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("to", "body", "status", "reason"),
    [
        ("nobody_here", TYPED, 404, "收件人不存在"),
        ("鲍勃", "   ", 422, "悄悄话内容不能为空"),
        ("alice", TYPED, 422, "不能给自己发悄悄话"),
        ("鲍勃", "长" * 10_001, 413, "悄悄话不能超过 10000 个字"),
    ],
)
def test_bad_messages_come_back_with_the_reason_and_the_text(alice, bob, to, body, status, reason):
    response = as_user(alice).post("/messages/new/", {"to": to, "body": body})

    page = response.content.decode()
    assert response.status_code == status
    assert reason in page
    assert f'value="{to}"' in page
    assert body.strip() in page
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_messages_need_login(client):
    for url in ("/messages/", "/messages/sent/", "/messages/new/?to=alice", "/messages/blocked/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
