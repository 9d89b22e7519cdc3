"""Edits and moderation (issue 9, point 8): a ban stops editing as it stops
posting; a post a moderator hid (or rejected, or deleted) stays as it was
judged; a held post that its author edits stays held, is screened again and
keeps its place in the review queue with the new text's reasons."""

import json
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from luntan.accounts.services import issue_token
from luntan.columns import services as columns
from luntan.errors import Invalid, NotAllowed, NotFound
from luntan.forum import services as forum
from luntan.forum.models import Post
from luntan.moderation import acts, bans, review
from luntan.moderation.models import ReviewItem

from moderation_helpers import life, mod, committed  # noqa: F401  (fixtures)
from page_helpers import as_user, page_of

pytestmark = pytest.mark.django_db

EDIT = {"title": "改过的标题", "body": "改过的正文"}


def stored(post) -> tuple[str, str]:
    return Post.objects.values_list("title", "body").get(pk=post.pk)


def patch_article(post, token, **fields):
    return Client().patch(
        f"/api/v1/articles/{post.pk}", json.dumps(fields), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def pending_reasons(post) -> list[str]:
    return ReviewItem.objects.get(post=post, decision__isnull=True).reasons


# --- bans ----------------------------------------------------------------------------------


def test_a_member_banned_from_a_board_cannot_edit_their_posts_there(alice, board, life, thread, mod):
    elsewhere = forum.create_thread(author=alice, board=life, title="今天吃什么", body="红烧肉")
    bans.ban(actor=mod, user=alice, board=board, days=3, reason="屡次灌水")
    member = as_user(alice)

    with pytest.raises(NotAllowed, match="你已被禁止在「股市财经」发言"):
        forum.edit_post(editor=alice, post=thread, **EDIT)

    form = member.get(f"/p/{thread.pk}/edit/")
    assert form.status_code == 403
    shown = unescape(form.content.decode())
    assert "你已被禁止在「股市财经」发言" in shown and "屡次灌水" in shown
    assert 'name="body"' not in shown  # no form to fill in for nothing
    sent = member.post(f"/p/{thread.pk}/edit/", EDIT)
    assert sent.status_code == 403 and "屡次灌水" in unescape(sent.content.decode())
    assert stored(thread) == ("读懂市场的七个要点", "第一段\n\n第二段")

    # The other board is still hers.
    assert member.post(f"/p/{elsewhere.pk}/edit/", EDIT).status_code == 302
    assert stored(elsewhere) == ("改过的标题", "改过的正文")


def test_a_site_ban_stops_every_edit_and_lifting_it_gives_them_back(alice, operator, thread):
    ban = bans.ban(actor=operator, user=alice, reason="发广告")
    refused = as_user(alice).post(f"/p/{thread.pk}/edit/", EDIT)
    assert refused.status_code == 403 and "你已被禁止在本站发言" in unescape(refused.content.decode())

    bans.lift_ban(actor=operator, ban=ban)
    assert as_user(alice).post(f"/p/{thread.pk}/edit/", EDIT).status_code == 302
    assert stored(thread) == ("改过的标题", "改过的正文")


def test_a_banned_column_author_cannot_change_their_articles(alice, operator, media_root):
    column = columns.open_column(owner=alice, title="慢读史记", slug="slow-reading")
    article = columns.write_article(author=alice, column=column, title="项羽本纪读后", body="项羽起兵。")
    draft = columns.write_article(author=alice, column=column, title="未完", body="草稿。", publish=False)
    token = issue_token(user=alice)
    bans.ban(actor=operator, user=alice, reason="抄袭")

    answer = patch_article(article, token, body="改写。")
    assert answer.status_code == 403
    assert "你已被禁止在本站发言" in answer.json()["detail"] and "抄袭" in answer.json()["detail"]
    with pytest.raises(NotAllowed):
        columns.edit_article(editor=alice, post=article, title="改", body="改写。")
    with pytest.raises(NotAllowed):
        columns.set_article_cover(editor=alice, post=article, upload=None)
    page = as_user(alice).get(f"/p/{article.pk}/edit/")
    assert page.status_code == 403 and "抄袭" in unescape(page.content.decode())
    # Nor may a draft be published while the ban lasts.
    assert patch_article(draft, token, publish=True).status_code == 403
    assert Post.objects.get(pk=draft.pk).status == Post.Status.DRAFT
    assert stored(article) == ("项羽本纪读后", "项羽起兵。")


def test_a_site_ban_also_stops_opening_and_changing_a_column(alice, bob, operator):
    column = columns.open_column(owner=alice, title="慢读史记", slug="slow-reading")
    bans.ban(actor=operator, user=alice, reason="抄袭")
    bans.ban(actor=operator, user=bob, reason="刷屏")

    with pytest.raises(NotAllowed, match="抄袭"):
        columns.update_column(editor=alice, column=column, title="新名字", intro="新简介")
    refused = as_user(alice).post("/c/slow-reading/settings/", {"title": "新名字", "intro": "新简介"})
    assert refused.status_code == 403 and "抄袭" in unescape(refused.content.decode())
    with pytest.raises(NotAllowed, match="刷屏"):
        columns.open_column(owner=bob, title="鲍勃专栏")
    column.refresh_from_db()
    assert column.name == "慢读史记"


def test_a_scheduled_article_of_a_banned_author_stays_a_draft(alice, operator):
    column = columns.open_column(owner=alice, title="慢读史记", slug="slow-reading")
    at = timezone.now() + timezone.timedelta(hours=1)
    scheduled = columns.write_article(author=alice, column=column, title="定时", body="一小时后。", publish_at=at)
    bans.ban(actor=operator, user=alice, reason="抄袭")

    assert columns.publish_due_articles(now=at + timezone.timedelta(minutes=1)) == 0

    scheduled.refresh_from_db()
    assert scheduled.status == Post.Status.DRAFT and scheduled.article.publish_at is None


# --- hidden, rejected and deleted posts ---------------------------------------------------------


def test_the_author_cannot_rewrite_a_post_a_moderator_hid(alice, bob, thread, mod):
    answer = forum.reply(author=bob, parent=thread, title="加我微信", body="稳赚")
    acts.hide_post(actor=mod, post=answer, reason="广告")
    author = as_user(bob)

    with pytest.raises(NotAllowed, match="已被版务隐藏"):
        forum.edit_post(editor=bob, post=Post.objects.get(pk=answer.pk), **EDIT)
    form = author.get(f"/p/{answer.pk}/edit/")
    assert form.status_code == 403 and "已被版务隐藏" in form.content.decode()
    assert author.post(f"/p/{answer.pk}/edit/", EDIT).status_code == 403
    assert stored(answer) == ("加我微信", "稳赚")
    assert "稳赚" in page_of(author, f"/p/{answer.pk}/")  # still theirs to read


def test_a_rejected_post_cannot_be_edited_either(rule, bob, board, mod):
    rule("代开", "review", "广告")
    held = forum.create_thread(author=bob, board=board, title="发票代开", body="联系我")
    review.decide_review(actor=mod, item=ReviewItem.objects.get(post=held), decision="reject", reason="广告")

    with pytest.raises(NotAllowed, match="未通过审核"):
        forum.edit_post(editor=bob, post=Post.objects.get(pk=held.pk), **EDIT)
    assert as_user(bob).post(f"/p/{held.pk}/edit/", EDIT).status_code == 403
    assert stored(held) == ("发票代开", "联系我")


def test_a_deleted_post_cannot_be_edited(alice, thread, mod):
    acts.delete_post(actor=mod, post=thread, reason="重复")
    with pytest.raises(NotFound, match="已被删除"):
        forum.edit_post(editor=alice, post=Post.objects.get(pk=thread.pk), **EDIT)
    assert as_user(alice).post(f"/p/{thread.pk}/edit/", EDIT).status_code == 404
    assert stored(thread) == ("读懂市场的七个要点", "第一段\n\n第二段")


def test_a_post_hidden_while_its_author_typed_is_not_changed(alice, thread, mod):
    form_was_read = Post.objects.get(pk=thread.pk)
    acts.hide_post(actor=mod, post=thread, reason="跑题")
    with pytest.raises(NotAllowed):
        forum.edit_post(editor=alice, post=form_was_read, **EDIT)
    assert stored(thread) == ("读懂市场的七个要点", "第一段\n\n第二段")


# --- held posts -------------------------------------------------------------------------------------


@pytest.fixture
def held(rule, bob, board):
    rule("代开", "review", "广告")
    rule("内幕", "review", "谣言")
    rule("傻逼", "block", "辱骂")
    post = forum.create_thread(author=bob, board=board, title="求助", body="谁能代开发票")
    assert post.status == Post.Status.HELD and pending_reasons(post) == ["广告"]
    return post


def test_an_edited_held_post_stays_held_and_is_screened_again(held, bob, alice, mod):
    author = as_user(bob)
    assert author.post(f"/p/{held.pk}/edit/", {"title": "求助", "body": "听说有内幕消息"}).status_code == 302

    held.refresh_from_db()
    assert held.status == Post.Status.HELD and held.body == "听说有内幕消息"
    assert pending_reasons(held) == ["谣言"]  # the new text's reason, not the old one
    assert ReviewItem.objects.filter(post=held).count() == 1  # the same place in the queue
    queue = unescape(page_of(as_user(mod), "/moderation/review/"))
    assert "听说有内幕消息" in queue and "原因：谣言" in queue

    # Edited clean, it still waits: a moderator decides what will be published.
    forum.edit_post(editor=bob, post=held, title="求助", body="请问发票怎么开")
    held.refresh_from_db()
    assert held.status == Post.Status.HELD
    assert pending_reasons(held) == ["送审后修改"]
    for other in (Client(), as_user(alice)):
        other.get("/")
        assert other.get(f"/p/{held.pk}/").status_code == 404
        assert "请问发票怎么开" not in other.get("/b/finance/").content.decode()

    # A block word is refused as when posting, and nothing changes.
    refused = author.post(f"/p/{held.pk}/edit/", {"title": "求助", "body": "傻逼"})
    assert refused.status_code == 422 and "辱骂" in unescape(refused.content.decode())
    assert stored(held) == ("求助", "请问发票怎么开")

    item = ReviewItem.objects.get(post=held)
    review.decide_review(actor=mod, item=item, decision="approve")
    assert Client().get(f"/p/{held.pk}/").status_code == 200


def test_a_newcomers_held_post_keeps_that_reason_when_edited(operator, make_user, board, rule):
    rule("内幕", "review", "谣言")
    review.set_newcomer_review(actor=operator, posts=1)
    newcomer = make_user("新来的")
    post = forum.create_thread(author=newcomer, board=board, title="第一帖", body="大家好")
    assert pending_reasons(post) == ["新用户"]

    forum.edit_post(editor=newcomer, post=post, title="第一帖", body="大家好，有内幕")
    assert pending_reasons(post) == ["谣言", "新用户"]
    forum.edit_post(editor=newcomer, post=post, title="第一帖", body="大家好")
    assert pending_reasons(post) == ["新用户"]


def test_a_held_article_edited_through_the_api_stays_held(alice, rule):
    rule("内幕", "review", "谣言")
    rule("代开", "review", "广告")
    column = columns.open_column(owner=alice, title="慢读史记", slug="slow-reading")
    article = columns.write_article(author=alice, column=column, title="读后", body="有内幕。")
    assert article.status == Post.Status.HELD

    answer = patch_article(article, issue_token(user=alice), body="没什么。", summary="代开发票")
    assert answer.status_code == 202 and answer.json()["status"] == "held"
    assert pending_reasons(article) == ["广告"]  # the summary's reason now; the body's is gone
    assert Client().get(f"/api/v1/articles/{article.pk}").status_code == 404
