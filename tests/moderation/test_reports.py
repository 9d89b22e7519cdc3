"""Reports (举报): a signed-in member reports a post, or a private message
they received, with a reason; an empty reason is refused and the text kept;
reporting the same thing twice while open is refused; moderators see the
reports of their boards' posts (operators also messages) and record a
resolution, which the reporter is told."""

import json
import re
from html import unescape

import pytest
from django.test import Client

from luntan.errors import Conflict, Invalid, NotAllowed, NotFound
from luntan.forum import services as forum
from luntan.messages import services as messages
from luntan.messages.models import Notice
from luntan.moderation import acts, reports
from luntan.moderation.models import ModerationLog, Report

from moderation_helpers import life, mod, life_mod, committed, error_of  # noqa: F401  (fixtures)
from page_helpers import as_user, page_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def bobs_post(bob, board):
    return forum.create_thread(author=bob, board=board, title="稳赚不赔的秘诀", body="加我微信")


@pytest.fixture
def bobs_message(bob, alice):
    return messages.send(sender=bob, recipient=alice, body="低价代购，私聊")


def textarea(page: str, name: str) -> str:
    return unescape(re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', page, re.S).group(1))


# --- reporting a post ---------------------------------------------------------------------------------


def test_a_member_reports_a_post_with_a_reason(alice, bobs_post):
    reader = as_user(alice)
    assert "举报" in page_of(reader, f"/p/{bobs_post.pk}/")
    assert '<textarea name="reason"' in page_of(reader, f"/p/{bobs_post.pk}/report/")

    response = reader.post(f"/p/{bobs_post.pk}/report/", {"reason": "诈骗广告"})

    assert response.status_code == 200
    assert "举报已收到" in response.content.decode()
    report = Report.objects.get()
    assert (report.reporter, report.post, report.message, report.reason) == (alice, bobs_post, None, "诈骗广告")
    assert report.resolved_at is None


def test_an_empty_reason_is_refused_and_a_too_long_one_kept(alice, bobs_post):
    reader = as_user(alice)

    empty = reader.post(f"/p/{bobs_post.pk}/report/", {"reason": "   "})
    assert empty.status_code == 422
    assert "请写明举报理由" in error_of(empty.content.decode())

    long_reason = "这是诈骗。" * 201
    too_long = reader.post(f"/p/{bobs_post.pk}/report/", {"reason": long_reason})
    assert too_long.status_code == 422
    page = too_long.content.decode()
    assert "不能超过" in error_of(page)
    assert textarea(page, "reason") == long_reason
    assert not Report.objects.exists()


def test_reporting_twice_while_open_is_refused_and_again_after_resolution_allowed(alice, bobs_post, mod):
    reader = as_user(alice)
    assert reader.post(f"/p/{bobs_post.pk}/report/", {"reason": "诈骗广告"}).status_code == 200

    again = reader.post(f"/p/{bobs_post.pk}/report/", {"reason": "再报一次"})
    assert again.status_code == 409
    page = again.content.decode()
    assert "已经举报过" in error_of(page) and textarea(page, "reason") == "再报一次"
    with pytest.raises(Conflict):
        reports.report(reporter=alice, post_id=bobs_post.pk, reason="第三次")
    assert Report.objects.count() == 1

    reports.resolve_report(actor=mod, report=Report.objects.get(), resolution="已警告")
    assert reader.post(f"/p/{bobs_post.pk}/report/", {"reason": "又发了"}).status_code == 200
    assert Report.objects.count() == 2


def test_what_cannot_be_reported(alice, bob, bobs_post, mod):
    assert Client().get(f"/p/{bobs_post.pk}/report/").status_code == 302  # sign in first
    assert Client().post(f"/p/{bobs_post.pk}/report/", {"reason": "匿名"}).status_code == 302
    with pytest.raises(Invalid):
        reports.report(reporter=bob, post_id=bobs_post.pk, reason="自己")  # one's own post
    assert "举报</a>" not in page_of(as_user(bob), f"/p/{bobs_post.pk}/")
    acts.hide_post(actor=mod, post=bobs_post, reason="广告")
    page_of(as_user(alice), f"/p/{bobs_post.pk}/report/", status=404)  # a hidden post
    with pytest.raises(NotFound):
        reports.report(reporter=alice, post_id=bobs_post.pk, reason="广告")
    assert not Report.objects.exists()


# --- the moderators' queue ----------------------------------------------------------------------------------


def test_moderators_see_their_boards_reports_and_resolve_them(alice, bobs_post, mod, life_mod, operator, committed):
    reports.report(reporter=alice, post_id=bobs_post.pk, reason="诈骗广告")
    report = Report.objects.get()

    for reader in (mod, operator):
        queue = page_of(as_user(reader), "/moderation/reports/")
        assert f'id="report-{report.pk}"' in queue and "诈骗广告" in queue and "稳赚不赔的秘诀" in queue
    assert "诈骗广告" not in page_of(as_user(life_mod), "/moderation/reports/")
    assert "0 个待处理" in page_of(as_user(life_mod), "/moderation/")
    assert "1 个待处理" in page_of(as_user(mod), "/moderation/")
    page_of(as_user(alice), "/moderation/reports/", status=404)
    assert as_user(life_mod).post(f"/moderation/reports/{report.pk}/", {"resolution": "越权"}).status_code == 404
    with pytest.raises(NotAllowed):
        reports.resolve_report(actor=life_mod, report=report, resolution="越权")

    empty = as_user(mod).post(f"/moderation/reports/{report.pk}/", {"resolution": " "})
    assert empty.status_code == 422
    assert "原因" in error_of(empty.content.decode())
    assert Report.objects.get().resolved_at is None

    response = committed(as_user(mod).post, f"/moderation/reports/{report.pk}/", {"resolution": "已隐藏该帖并警告作者"})

    assert response.status_code == 302 and response["Location"] == "/moderation/reports/"
    report.refresh_from_db()
    assert (report.resolved_by, report.resolution) == (mod, "已隐藏该帖并警告作者") and report.resolved_at
    assert f'id="report-{report.pk}"' not in page_of(as_user(mod), "/moderation/reports/")
    notice = Notice.objects.get(user=alice)
    assert "已隐藏该帖并警告作者" in notice.text and "稳赚不赔的秘诀" in notice.text
    assert re.search(r'title="未读通知">1<', page_of(as_user(alice), "/"))
    assert "已隐藏该帖并警告作者" in page_of(as_user(alice), "/messages/notices/")
    log = ModerationLog.objects.get(action="resolve_report")
    assert (log.actor, log.post_id, log.reason) == (mod, bobs_post.pk, "已隐藏该帖并警告作者")
    assert "已隐藏该帖并警告作者" in page_of(as_user(mod), "/moderation/log/")

    # Resolved once: a second resolution is refused.
    assert as_user(operator).post(f"/moderation/reports/{report.pk}/", {"resolution": "再处理"}).status_code == 404
    with pytest.raises(Conflict):
        reports.resolve_report(actor=operator, report=report, resolution="再处理")


def test_a_refused_resolution_keeps_the_typed_text(alice, bobs_post, mod):
    reports.report(reporter=alice, post_id=bobs_post.pk, reason="诈骗广告")
    report = Report.objects.get()
    long_text = "处理" * 501

    response = as_user(mod).post(f"/moderation/reports/{report.pk}/", {"resolution": long_text})

    assert response.status_code == 422
    page = response.content.decode()
    assert "不能超过" in error_of(page)
    form = re.search(rf'<article class="review-item" id="report-{report.pk}">.*?</article>', page, re.S).group(0)
    assert f'value="{long_text}"' in form


# --- reporting a private message ------------------------------------------------------------------------------


def test_a_member_reports_a_message_they_received_and_an_operator_resolves_it(
    alice, bob, bobs_message, mod, operator, committed
):
    recipient = as_user(alice)
    assert '<textarea name="reason"' in page_of(recipient, f"/messages/{bobs_message.pk}/report/")
    empty = recipient.post(f"/messages/{bobs_message.pk}/report/", {"reason": ""})
    assert empty.status_code == 422 and "请写明举报理由" in error_of(empty.content.decode())

    done = recipient.post(f"/messages/{bobs_message.pk}/report/", {"reason": "骚扰推销"})
    assert done.status_code == 200 and "举报已收到" in done.content.decode()
    report = Report.objects.get()
    assert (report.message, report.post) == (bobs_message, None)
    twice = recipient.post(f"/messages/{bobs_message.pk}/report/", {"reason": "骚扰推销"})
    assert twice.status_code == 409

    # The sender cannot report it, nor can anyone else.
    page_of(as_user(bob), f"/messages/{bobs_message.pk}/report/", status=404)
    page_of(as_user(mod), f"/messages/{bobs_message.pk}/report/", status=404)

    # Messages are for operators, not moderators.
    assert "骚扰推销" not in page_of(as_user(mod), "/moderation/reports/")
    assert as_user(mod).post(f"/moderation/reports/{report.pk}/", {"resolution": "看看"}).status_code == 404
    with pytest.raises(NotAllowed):
        reports.resolve_report(actor=mod, report=report, resolution="看看")
    queue = page_of(as_user(operator), "/moderation/reports/")
    assert "骚扰推销" in queue and "低价代购" in queue and "鲍勃" in queue

    response = committed(as_user(operator).post, f"/moderation/reports/{report.pk}/", {"resolution": "已封禁发件人"})
    assert response.status_code == 302
    assert Report.objects.get().resolved_by == operator
    assert "已封禁发件人" in Notice.objects.get(user=alice).text


def test_report_forms_need_the_csrf_token(alice, bobs_post, mod):
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(alice)
    assert guarded.post(f"/p/{bobs_post.pk}/report/", {"reason": "诈骗"}).status_code == 403
    assert not Report.objects.exists()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_of(guarded, f"/p/{bobs_post.pk}/report/")).group(1)
    assert guarded.post(f"/p/{bobs_post.pk}/report/", {"reason": "诈骗", "csrfmiddlewaretoken": token}).status_code == 200
    report = Report.objects.get()

    staff = Client(enforce_csrf_checks=True)
    staff.force_login(mod)
    assert staff.post(f"/moderation/reports/{report.pk}/", {"resolution": "处理了"}).status_code == 403
    assert Report.objects.get().resolved_at is None


# --- no existence oracle (issue 9, point 10) ----------------------------------------------------------------


MISSING = 987654321


def api_report(token, **payload):
    response = Client().post(
        "/api/v1/reports", json.dumps(payload), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    return response.status_code, response.json()


@pytest.fixture
def out_of_sight(alice, bob, make_user, board, mod, rule):
    """Posts and a message that exist but that Alice may not see."""
    from luntan.columns import services as columns

    hidden = forum.create_thread(author=bob, board=board, title="被隐藏的帖子", body="x")
    acts.hide_post(actor=mod, post=hidden, reason="广告")
    rule("代开", "review", "广告")
    held = forum.create_thread(author=bob, board=board, title="发票代开", body="x")
    thread = forum.create_thread(author=bob, board=board, title="整串被删", body="x")
    in_a_deleted_thread = forum.reply(author=bob, parent=thread, title="回复", body="x")
    acts.delete_post(actor=mod, post=thread, reason="违规")
    column = columns.open_column(owner=bob, title="鲍勃专栏", slug="bob")
    draft = columns.write_article(author=bob, column=column, title="草稿", body="x", publish=False)
    carol = make_user("carol")
    someone_elses = messages.send(sender=bob, recipient=carol, body="给卡罗尔的悄悄话")
    return {"posts": [hidden.pk, held.pk, in_a_deleted_thread.pk, draft.pk], "message": someone_elses.pk}


@pytest.mark.parametrize("reason", ["有问题", ""])
def test_the_report_api_answers_alike_for_what_is_missing_and_what_one_may_not_see(alice, out_of_sight, reason):
    from luntan.accounts.services import issue_token

    token = issue_token(user=alice)
    missing_post = api_report(token, post=MISSING, reason=reason)
    assert missing_post[0] == 404 and missing_post[1]["detail"] == "帖子不存在或已被删除。"
    for post_id in out_of_sight["posts"]:
        assert api_report(token, post=post_id, reason=reason) == missing_post, post_id

    missing_message = api_report(token, message=MISSING, reason=reason)
    assert missing_message[0] == 404 and missing_message[1]["detail"] == "悄悄话不存在。"
    assert api_report(token, message=out_of_sight["message"], reason=reason) == missing_message
    assert not Report.objects.exists()


def test_the_report_pages_answer_alike_for_what_is_missing_and_what_one_may_not_see(alice, out_of_sight):
    reader = as_user(alice)

    def answers(url):
        # The status and what the page says (it also names its own address and carries per-response nonces).
        got = reader.get(url), reader.post(url, {"reason": "有问题"})
        return [(response.status_code, error_of(response.content.decode())) for response in got]

    missing_post = answers(f"/p/{MISSING}/report/")
    assert {status for status, _ in missing_post} == {404}
    for post_id in out_of_sight["posts"]:
        assert answers(f"/p/{post_id}/report/") == missing_post, post_id
    assert answers(f"/messages/{out_of_sight['message']}/report/") == answers(f"/messages/{MISSING}/report/")
    assert not Report.objects.exists()
