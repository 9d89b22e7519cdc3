"""Bans (封禁) through the bans page: a moderator bans a member from their
board for N days or for good (no posting, replying or voting there; the
rest of the site is open); only operators ban site-wide, which also stops
private messages; lifting works; an expired ban no longer applies; every
ban and lift is logged and the member told."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from luntan.errors import Invalid, NotAllowed
from luntan.forum import services as forum
from luntan.forum.models import Post, Vote
from luntan.messages import services as messages
from luntan.messages.models import Message, Notice
from luntan.moderation import bans
from luntan.moderation.models import Ban, ModerationLog

from moderation_helpers import life, mod, life_mod, committed, error_of  # noqa: F401  (fixtures)
from page_helpers import as_user, page_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def bobs_thread(bob, board):
    return forum.create_thread(author=bob, board=board, title="鲍勃的帖子", body="大家好")


@pytest.fixture
def life_thread(alice, life):
    return forum.create_thread(author=alice, board=life, title="今天吃什么", body="红烧肉")


def ban_on_page(client, username, board="", days="", reason="屡次灌水"):
    return client.post("/moderation/bans/", {"username": username, "board": board, "days": days, "reason": reason})


def can_post_thread(client, slug, title="我又来了") -> int:
    return client.post(f"/b/{slug}/new/", {"title": title, "body": "正文"}).status_code


# --- a board ban -----------------------------------------------------------------------------------


def test_a_moderator_bans_a_member_from_their_board_for_some_days(
    mod, alice, board, life, thread, bobs_thread, life_thread, committed
):
    response = committed(ban_on_page, as_user(mod), "alice", board="finance", days="3", reason="屡次灌水")
    assert response.status_code == 302, response.content.decode()[:800]

    entry = Ban.objects.get(user=alice)
    assert entry.board == board and entry.created_by == mod
    assert timedelta(days=2, hours=23) < entry.until - timezone.now() <= timedelta(days=3)
    listed = page_of(as_user(mod), "/moderation/bans/")
    assert "alice" in listed and "屡次灌水" in listed
    log = ModerationLog.objects.get(action="ban")
    assert (log.actor, log.board, log.target_user, log.reason, log.detail["days"]) == (mod, board, alice, "屡次灌水", 3)
    notice = Notice.objects.get(user=alice)
    assert "股市财经" in notice.text and "3 天" in notice.text and "屡次灌水" in notice.text
    assert re.search(r'title="未读通知">1<', page_of(as_user(alice), "/"))

    member = as_user(alice)
    # No new thread there: the form comes back with why and what was typed.
    refused = member.post("/b/finance/new/", {"title": "我又来了", "body": "这次不灌水"})
    assert refused.status_code == 403
    page = unescape(refused.content.decode())
    assert "你已被禁止在「股市财经」发言" in error_of(page) and "屡次灌水" in error_of(page)
    assert 'value="我又来了"' in page and "这次不灌水" in page
    # No reply there, no vote there.
    reply = member.post(f"/p/{bobs_thread.pk}/reply/", {"title": "Re: 鲍勃", "body": "回一句"})
    assert reply.status_code == 403 and "禁止" in reply.content.decode()
    vote = member.post(f"/p/{bobs_thread.pk}/vote/", {"value": "1"})
    assert vote.status_code == 403 and "禁止" in vote.content.decode()
    assert not Vote.objects.exists()
    assert Post.objects.filter(author=alice, board=board).count() == 1  # only the fixture's thread

    # Elsewhere, and for private messages, she is free.
    assert can_post_thread(member, "life") == 302
    assert Post.objects.filter(author=alice, board=life).count() == 2
    messages.send(sender=alice, recipient=mod, body="为什么封我？")


def test_a_ban_for_good_and_lifting_it(mod, alice, board, bobs_thread, committed):
    assert ban_on_page(as_user(mod), "alice", board="finance", days="").status_code == 302
    entry = Ban.objects.get(user=alice)
    assert entry.until is None
    assert "永久" in page_of(as_user(mod), "/moderation/bans/")
    assert can_post_thread(as_user(alice), "finance") == 403

    lifted = committed(as_user(mod).post, f"/moderation/bans/{entry.pk}/lift/", {"reason": "已道歉"})
    assert lifted.status_code == 302

    assert Ban.objects.get(pk=entry.pk).lifted_at is not None
    assert "没有生效中的封禁" in page_of(as_user(mod), "/moderation/bans/")
    assert can_post_thread(as_user(alice), "finance") == 302
    assert forum.vote(user=alice, post=bobs_thread, value=1) == (1, 0)
    log = ModerationLog.objects.get(action="unban")
    assert (log.actor, log.target_user, log.reason) == (mod, alice, "已道歉")
    assert "解除" in Notice.objects.filter(user=alice).order_by("-id").first().text
    # Lifting twice is refused (no longer listed).
    assert as_user(mod).post(f"/moderation/bans/{entry.pk}/lift/").status_code == 404


def test_a_permanent_ban_notice_says_so(mod, alice, board, committed):
    committed(ban_on_page, as_user(mod), "alice", board="finance", days="")
    assert "永久" in Notice.objects.get(user=alice).text


def test_an_expired_ban_no_longer_applies(mod, alice, board, bobs_thread):
    Ban.objects.create(user=alice, board=board, until=timezone.now() - timedelta(minutes=1), reason="过期", created_by=mod)
    Ban.objects.create(user=alice, board=None, until=timezone.now() - timedelta(days=1), reason="过期", created_by=mod)

    assert can_post_thread(as_user(alice), "finance") == 302
    forum.reply(author=alice, parent=bobs_thread, title="Re: 回来了", body="你好")
    forum.vote(user=alice, post=bobs_thread, value=1)
    messages.send(sender=alice, recipient=mod, body="我回来了")
    assert "没有生效中的封禁" in page_of(as_user(mod), "/moderation/bans/")


# --- who may ban ----------------------------------------------------------------------------------------


def test_moderators_cannot_ban_site_wide(mod, alice):
    response = ban_on_page(as_user(mod), "alice", board="", days="7", reason="全站封")

    assert response.status_code == 403
    page = response.content.decode()
    assert "只有站务才能全站封禁" in error_of(page)
    assert 'value="alice"' in page and 'value="全站封"' in page and 'value="7"' in page
    assert '<option value="">全站</option>' not in page  # not even offered
    with pytest.raises(NotAllowed):
        bans.ban(actor=mod, user=alice, board=None, reason="全站封")
    assert not Ban.objects.exists()


def test_a_moderator_cannot_ban_on_another_board(life_mod, alice, board):
    response = ban_on_page(as_user(life_mod), "alice", board="finance", reason="越权")
    assert response.status_code == 403
    assert "本版版主" in error_of(response.content.decode())
    with pytest.raises(NotAllowed):
        bans.ban(actor=life_mod, user=alice, board=board, reason="越权")
    assert not Ban.objects.exists()


def test_a_moderator_cannot_lift_another_boards_ban_nor_a_site_ban(mod, life_mod, operator, alice, board):
    board_ban = bans.ban(actor=mod, user=alice, board=board, days=5, reason="灌水")
    site_ban = bans.ban(actor=operator, user=alice, reason="广告机")

    assert "灌水" not in page_of(as_user(life_mod), "/moderation/bans/")
    assert as_user(life_mod).post(f"/moderation/bans/{board_ban.pk}/lift/").status_code == 404
    assert as_user(mod).post(f"/moderation/bans/{site_ban.pk}/lift/").status_code == 404
    with pytest.raises(NotAllowed):
        bans.lift_ban(actor=life_mod, ban=board_ban)
    with pytest.raises(NotAllowed):
        bans.lift_ban(actor=mod, ban=site_ban)
    assert Ban.objects.filter(lifted_at__isnull=True).count() == 2


def test_operators_and_moderators_cannot_be_banned_nor_oneself(mod, operator, alice, board):
    for target in (operator, mod):
        response = ban_on_page(as_user(mod) if target is operator else as_user(operator),
                               target.username, board="finance", reason="试试")
        assert response.status_code == 403, target
    with pytest.raises(Invalid):
        bans.ban(actor=mod, user=mod, board=board, reason="自己")
    assert not Ban.objects.exists()


def test_bad_input_on_the_ban_form_keeps_what_was_typed(mod, alice):
    member = as_user(mod)
    cases = [
        ({"username": "无此人", "days": "3", "reason": "灌水"}, 404, "没有这个用户"),
        ({"username": "alice", "days": "三天", "reason": "灌水"}, 422, "整数"),
        ({"username": "alice", "days": "0", "reason": "灌水"}, 422, "1 到 3650"),
        ({"username": "alice", "days": "3", "reason": "  "}, 422, "原因"),
    ]
    for fields, status, reason in cases:
        response = member.post("/moderation/bans/", {"board": "finance", **fields})
        assert response.status_code == status, fields
        page = response.content.decode()
        assert reason in error_of(page), fields
        assert f'value="{fields["username"]}"' in page and f'value="{fields["days"]}"' in page
    assert not Ban.objects.exists()


# --- a site ban -------------------------------------------------------------------------------------------


def test_an_operator_bans_site_wide_which_stops_messages_too(operator, alice, bob, board, life, bobs_thread, life_thread, committed):
    response = committed(ban_on_page, as_user(operator), "鲍勃", board="", days="", reason="广告机器人")
    assert response.status_code == 302, response.content.decode()[:800]
    entry = Ban.objects.get(user=bob)
    assert entry.board is None and entry.until is None
    assert ModerationLog.objects.get(action="ban").board is None
    assert "全站" in Notice.objects.get(user=bob).text

    member = as_user(bob)
    for slug in ("finance", "life"):
        refused = member.post(f"/b/{slug}/new/", {"title": "买一送一", "body": "加微信"})
        assert refused.status_code == 403 and "在本站" in error_of(refused.content.decode())
    assert member.post(f"/p/{life_thread.pk}/reply/", {"title": "Re:", "body": "加微信"}).status_code == 403
    assert member.post(f"/p/{life_thread.pk}/vote/", {"value": "1"}).status_code == 403
    composed = member.post("/messages/new/", {"to": "alice", "body": "便宜卖"})
    assert composed.status_code == 403
    page = unescape(composed.content.decode())
    assert "在本站" in error_of(page) and "便宜卖" in page
    with pytest.raises(NotAllowed):
        messages.send(sender=bob, recipient=alice, body="便宜卖")
    assert not Message.objects.exists()

    assert as_user(operator).post(f"/moderation/bans/{entry.pk}/lift/").status_code == 302
    assert can_post_thread(member, "life") == 302
    messages.send(sender=bob, recipient=alice, body="对不起")


def test_ban_forms_need_the_csrf_token(mod, alice, board):
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(mod)
    fields = {"username": "alice", "board": "finance", "days": "1", "reason": "灌水"}
    assert guarded.post("/moderation/bans/", fields).status_code == 403
    assert not Ban.objects.exists()

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_of(guarded, "/moderation/bans/")).group(1)
    assert guarded.post("/moderation/bans/", {**fields, "csrfmiddlewaretoken": token}).status_code == 302
    entry = Ban.objects.get()
    assert guarded.post(f"/moderation/bans/{entry.pk}/lift/").status_code == 403
    assert Ban.objects.get().lifted_at is None
