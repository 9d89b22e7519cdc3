"""The review queue (审核队列): posts held by a review keyword rule and the
first N posts of new accounts wait hidden; the board's moderators approve
(public, counted, findable) or reject with a reason the author sees; the
author is told either way; a decision is made once; a moderator of another
board neither sees nor decides the item."""

import re

import pytest
from django.test import Client

from luntan.errors import Conflict, Invalid, NotAllowed
from luntan.forum import services as forum
from luntan.forum.models import Post
from luntan.messages.models import Notice
from luntan.moderation import review
from luntan.moderation.models import ModerationLog, ModerationSettings, ReviewItem

from moderation_helpers import life, mod, life_mod, committed, error_of, counts, found  # noqa: F401  (fixtures)
from page_helpers import as_user, page_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(rule, bob, board):
    """Bob's thread, held by a review rule."""
    rule("内幕消息", "review", "荐股")
    post = forum.create_thread(author=bob, board=board, title="明天必涨", body="独家内幕消息，速速买入")
    assert post.status == "held"
    return post


def decide(client, item, decision, reason=""):
    return client.post(f"/moderation/review/{item.pk}/", {"decision": decision, "reason": reason})


# --- held by a rule -----------------------------------------------------------------------------------


def test_a_held_post_waits_hidden_and_uncounted(held, bob, alice, board, mod):
    assert counts(board) == (0, 0)
    assert found("速速买入") == []
    page_of(Client(), f"/p/{held.pk}/", status=404)
    page_of(as_user(alice), f"/p/{held.pk}/", status=404)
    assert "明天必涨" not in page_of(Client(), "/b/finance/")
    own = page_of(as_user(bob), f"/p/{held.pk}/")
    assert "待审核" in own and "速速买入" in own

    queue = page_of(as_user(mod), "/moderation/review/")
    item = ReviewItem.objects.get(post=held)
    assert f'id="item-{item.pk}"' in queue and "明天必涨" in queue and "荐股" in queue
    assert "1 个帖子待审核" in page_of(as_user(mod), "/moderation/")


def test_approving_makes_the_post_public_counted_and_findable(held, bob, board, mod, committed):
    item = ReviewItem.objects.get(post=held)

    response = committed(decide, as_user(mod), item, "approve")

    assert response.status_code == 302 and response["Location"] == "/moderation/review/"
    assert Post.objects.get(pk=held.pk).status == "public"
    assert counts(board) == (1, 1)
    assert found("速速买入") == [held.pk]
    assert "速速买入" in page_of(Client(), f"/p/{held.pk}/")
    assert "明天必涨" in page_of(Client(), "/b/finance/")
    item.refresh_from_db()
    assert (item.decision, item.decided_by) == ("approve", mod) and item.decided_at is not None
    assert f'id="item-{item.pk}"' not in page_of(as_user(mod), "/moderation/review/")
    assert "通过审核" in Notice.objects.get(user=bob).text
    assert re.search(r'title="未读通知">1<', page_of(as_user(bob), "/"))
    assert ModerationLog.objects.get(action="approve").actor == mod


def test_rejecting_needs_a_reason_the_author_then_sees(held, bob, alice, board, mod, committed):
    item = ReviewItem.objects.get(post=held)
    moderator = as_user(mod)

    refused = decide(moderator, item, "reject", reason="")
    assert refused.status_code == 422
    assert "请写明原因" in error_of(refused.content.decode())
    assert Post.objects.get(pk=held.pk).status == "held"

    response = committed(decide, moderator, item, "reject", reason="涉嫌荐股诈骗")

    assert response.status_code == 302
    post = Post.objects.get(pk=held.pk)
    assert post.status == "hidden" and post.status_reason == "涉嫌荐股诈骗"
    assert counts(board) == (0, 0) and found("速速买入") == []
    page_of(as_user(alice), f"/p/{held.pk}/", status=404)
    assert "涉嫌荐股诈骗" in page_of(as_user(bob), f"/p/{held.pk}/")
    notice = Notice.objects.get(user=bob)
    assert "未通过审核" in notice.text and "涉嫌荐股诈骗" in notice.text
    notices = page_of(as_user(bob), "/messages/notices/")
    assert "涉嫌荐股诈骗" in notices
    log = ModerationLog.objects.get(action="reject")
    assert (log.actor, log.post_id, log.reason) == (mod, held.pk, "涉嫌荐股诈骗")


def test_a_refused_rejection_keeps_the_typed_reason(held, mod):
    item = ReviewItem.objects.get(post=held)
    too_long = "理" * 1001

    response = decide(as_user(mod), item, "reject", reason=too_long)

    assert response.status_code == 422
    page = response.content.decode()
    assert "不能超过" in error_of(page)
    form = re.search(rf'<article class="review-item" id="item-{item.pk}">.*?</article>', page, re.S).group(0)
    assert f'value="{too_long}"' in form
    assert Post.objects.get(pk=held.pk).status == "held"


def test_deciding_twice_is_refused(held, board, mod, operator):
    item = ReviewItem.objects.get(post=held)
    assert decide(as_user(mod), item, "approve").status_code == 302

    assert decide(as_user(operator), item, "reject", reason="晚了").status_code == 404
    with pytest.raises(Conflict):
        review.decide_review(actor=operator, item=item, decision="reject", reason="晚了")
    with pytest.raises(Conflict):
        review.decide_review(actor=mod, item=item, decision="approve")
    assert Post.objects.get(pk=held.pk).status == "public"
    assert counts(board) == (1, 1)  # counted once
    assert ModerationLog.objects.filter(action__in=["approve", "reject"]).count() == 1


def test_an_unknown_decision_is_refused(held, mod):
    item = ReviewItem.objects.get(post=held)
    assert decide(as_user(mod), item, "maybe").status_code == 422
    with pytest.raises(Invalid):
        review.decide_review(actor=mod, item=item, decision="maybe")
    assert Post.objects.get(pk=held.pk).status == "held"


def test_a_moderator_of_another_board_neither_sees_nor_decides(held, life_mod, operator):
    item = ReviewItem.objects.get(post=held)
    other = as_user(life_mod)

    assert "明天必涨" not in page_of(other, "/moderation/review/")
    assert "0 个帖子待审核" in page_of(other, "/moderation/")
    page_of(other, f"/p/{held.pk}/", status=404)
    assert decide(other, item, "approve").status_code == 404
    with pytest.raises(NotAllowed):
        review.decide_review(actor=life_mod, item=item, decision="approve")
    assert Post.objects.get(pk=held.pk).status == "held"

    assert "明天必涨" in page_of(as_user(operator), "/moderation/review/")  # operators: every board


def test_a_held_reply_counts_on_its_thread_once_approved(rule, thread, bob, board, mod):
    rule("内幕消息", "review")
    held_reply = forum.reply(author=bob, parent=thread, title="Re: 要点", body="我有内幕消息")
    assert held_reply.status == "held"
    assert counts(board) == (1, 1) and Post.objects.get(pk=thread.pk).reply_count == 0
    assert f'href="/p/{held_reply.pk}/"' not in page_of(Client(), f"/p/{thread.pk}/")

    assert decide(as_user(mod), ReviewItem.objects.get(post=held_reply), "approve").status_code == 302

    assert counts(board) == (1, 2) and Post.objects.get(pk=thread.pk).reply_count == 1
    assert f'href="/p/{held_reply.pk}/"' in page_of(Client(), f"/p/{thread.pk}/")


# --- new accounts --------------------------------------------------------------------------------------------


def test_a_new_accounts_first_posts_wait_for_review(operator, make_user, board, mod, committed):
    review.set_newcomer_review(actor=operator, posts=2)
    newcomer = make_user("新来的")
    writer = as_user(newcomer)

    assert writer.post("/b/finance/new/", {"title": "大家好", "body": "第一帖"}).status_code == 302
    first = Post.objects.get(author=newcomer)
    assert first.status == "held"
    assert ReviewItem.objects.get(post=first).reasons == ["新用户"]
    assert counts(board) == (0, 0)
    page_of(Client(), f"/p/{first.pk}/", status=404)
    assert "新用户" in page_of(as_user(mod), "/moderation/review/")

    committed(decide, as_user(mod), ReviewItem.objects.get(post=first), "approve")
    assert Post.objects.get(pk=first.pk).status == "public"
    assert "通过审核" in Notice.objects.get(user=newcomer).text

    second = forum.reply(author=newcomer, parent=first, title="Re: 补充", body="第二帖")
    assert second.status == "held"
    decide(as_user(mod), ReviewItem.objects.get(post=second), "approve")

    third = forum.create_thread(author=newcomer, board=board, title="第三帖", body="不用等了")
    assert third.status == "public"
    assert counts(board) == (2, 3)


def test_newcomer_review_off_by_default_and_at_zero(operator, make_user, board):
    newcomer = make_user("新来的")
    assert forum.create_thread(author=newcomer, board=board, title="一", body="").status == "public"

    review.set_newcomer_review(actor=operator, posts=3)
    other = make_user("又来一个")
    assert forum.create_thread(author=other, board=board, title="二", body="").status == "held"

    review.set_newcomer_review(actor=operator, posts=0)
    assert forum.create_thread(author=other, board=board, title="三", body="").status == "public"


def test_operators_and_moderators_skip_newcomer_review(operator, mod, life_mod, board):
    review.set_newcomer_review(actor=operator, posts=5)
    assert forum.create_thread(author=operator, board=board, title="站务公告", body="").status == "public"
    assert forum.create_thread(author=mod, board=board, title="版主公告", body="").status == "public"
    assert forum.create_thread(author=life_mod, board=board, title="路过", body="").status == "public"
    assert not ReviewItem.objects.exists()


def test_only_operators_set_newcomer_review(mod, alice, operator):
    for who in (mod, alice):
        with pytest.raises(NotAllowed):
            review.set_newcomer_review(actor=who, posts=3)
    with pytest.raises(Invalid):
        review.set_newcomer_review(actor=operator, posts=-1)
    assert not ModerationSettings.objects.filter(new_account_review_posts__gt=0).exists()


def test_an_operator_sets_newcomer_review_in_the_admin(operator, mod, make_user, board):
    staff = as_user(operator)
    page_of(staff, "/admin/moderation/moderationsettings/")

    if ModerationSettings.objects.exists():
        row = ModerationSettings.objects.get()
        url = f"/admin/moderation/moderationsettings/{row.pk}/change/"
    else:
        url = "/admin/moderation/moderationsettings/add/"
    response = staff.post(url, {"new_account_review_posts": "1"})
    assert response.status_code == 302, response.content.decode()[:1500]
    assert ModerationSettings.objects.get().new_account_review_posts == 1
    assert forum.create_thread(author=make_user("新人甲"), board=board, title="你好", body="").status == "held"

    row = ModerationSettings.objects.get()
    response = staff.post(f"/admin/moderation/moderationsettings/{row.pk}/change/", {"new_account_review_posts": "0"})
    assert response.status_code == 302
    assert ModerationSettings.objects.count() == 1
    assert forum.create_thread(author=make_user("新人乙"), board=board, title="你好", body="").status == "public"

    # Moderators are no operators: the admin is closed to them.
    assert as_user(mod).get("/admin/moderation/moderationsettings/").status_code == 302


def test_the_decide_form_needs_the_csrf_token(held, mod):
    item = ReviewItem.objects.get(post=held)
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(mod)
    assert guarded.post(f"/moderation/review/{item.pk}/", {"decision": "approve"}).status_code == 403
    assert Post.objects.get(pk=held.pk).status == "held"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_of(guarded, "/moderation/review/")).group(1)
    response = guarded.post(f"/moderation/review/{item.pk}/", {"decision": "approve", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Post.objects.get(pk=held.pk).status == "public"
