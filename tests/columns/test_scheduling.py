"""Scheduled publication: an article written for later is a draft until its
time; `publish_due_articles` (and `luntan publish-due`) publishes the due
ones exactly once, dated when they were scheduled; a time in the past is
refused; the form's "定时发表" button."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from columns_helpers import (  # noqa: F401  (fixtures)
    article_rows, column, form_value, section, text_of, write,
)
from luntan.columns.models import Article
from luntan.columns.services import edit_article, publish_due_articles
from luntan.errors import Invalid
from luntan.forum import services as forum
from luntan.forum.models import Board, Post
from luntan.moderation.models import ReviewItem
from luntan.search import selectors as search
from page_helpers import as_user, page_of

pytestmark = pytest.mark.django_db


def found(q: str) -> list[int]:
    return [hit.id for hit in search.search(search.parse_params(q=q)).hits]


@pytest.fixture
def in_an_hour():
    return (timezone.now() + timedelta(hours=1)).replace(microsecond=0)


@pytest.fixture
def scheduled(write, in_an_hour):
    return write(title="定时发表的文章", body="准时见面。三点整。", publish_at=in_an_hour)


def test_a_scheduled_article_waits_as_a_draft(client, alice, scheduled, in_an_hour):
    assert scheduled.status == Post.Status.DRAFT
    assert Article.objects.get(pk=scheduled.pk).publish_at == in_an_hour
    page_of(client, scheduled.get_absolute_url(), status=404)
    assert article_rows(page_of(client, "/c/slow-reading/")) == []
    notice = text_of(page_of(as_user(alice), scheduled.get_absolute_url()))
    assert "定时发表" in notice and timezone.localtime(in_an_hour).strftime("%Y-%m-%d %H:%M") in notice
    assert found("准时见面") == []


def test_nothing_is_published_before_its_time(scheduled, in_an_hour):
    assert publish_due_articles(now=in_an_hour - timedelta(seconds=1)) == 0
    assert Post.objects.get(pk=scheduled.pk).status == Post.Status.DRAFT


def test_a_due_article_is_published_once_dated_when_it_was_scheduled(client, scheduled, in_an_hour):
    late = in_an_hour + timedelta(minutes=7)  # the publisher came round a little after the hour

    assert publish_due_articles(now=late) == 1
    assert publish_due_articles(now=late + timedelta(minutes=1)) == 0

    post = Post.objects.get(pk=scheduled.pk)
    assert post.status == Post.Status.PUBLIC
    assert post.created == in_an_hour and post.last_activity == in_an_hour
    assert Article.objects.get(pk=post.pk).publish_at is None
    column = Board.objects.get(slug="slow-reading")
    assert column.thread_count == 1 and column.last_activity == in_an_hour
    assert article_rows(page_of(client, "/c/slow-reading/")) == ["定时发表的文章"]
    assert found("准时见面") == [post.pk]
    assert "准时见面。三点整。" == Article.objects.get(pk=post.pk).summary


def test_two_publishers_finding_the_same_article_publish_it_once(scheduled, in_an_hour):
    """Two workers read the due article before either publishes it."""
    stale = Post.objects.get(pk=scheduled.pk)
    assert forum.publish_draft(post=Post.objects.get(pk=scheduled.pk), at=in_an_hour) is True
    assert forum.publish_draft(post=stale, at=in_an_hour) is False
    assert Board.objects.get(slug="slow-reading").thread_count == 1
    assert Post.objects.get(pk=scheduled.pk).status == Post.Status.PUBLIC


def test_due_articles_are_published_in_order_and_others_wait(write, in_an_hour):
    first = write(title="第一", body="一。", publish_at=in_an_hour)
    second = write(title="第二", body="二。", publish_at=in_an_hour + timedelta(minutes=30))
    later = write(title="明天", body="明。", publish_at=in_an_hour + timedelta(days=1))
    plain_draft = write(title="普通草稿", body="草。", publish=False)

    assert publish_due_articles(now=in_an_hour + timedelta(hours=1)) == 2

    statuses = {p.title: p.status for p in Post.objects.filter(pk__in=[first.pk, second.pk, later.pk, plain_draft.pk])}
    assert statuses == {"第一": "public", "第二": "public", "明天": "draft", "普通草稿": "draft"}
    assert Post.objects.get(pk=second.pk).created == in_an_hour + timedelta(minutes=30)


def test_a_time_in_the_past_is_refused(write):
    for when in (timezone.now() - timedelta(minutes=1), timezone.now() - timedelta(days=365)):
        with pytest.raises(Invalid) as refused:
            write(publish_at=when)
        assert refused.value.field == "publish_at" and "晚于现在" in refused.value.message
    assert not Post.objects.exists()


def test_the_command_publishes_what_is_due(scheduled, write):
    not_yet = write(title="还早", body="等等。", publish_at=timezone.now() + timedelta(days=2))
    # Time passes: the scheduled hour is now behind us.
    due_at = timezone.now() - timedelta(minutes=5)
    Article.objects.filter(pk=scheduled.pk).update(publish_at=due_at)
    out = StringIO()

    call_command("publish_due", stdout=out)

    assert "published 1" in out.getvalue()
    post = Post.objects.get(pk=scheduled.pk)
    assert post.status == Post.Status.PUBLIC and post.created == due_at
    assert Post.objects.get(pk=not_yet.pk).status == Post.Status.DRAFT
    call_command("publish_due", stdout=(again := StringIO()))
    assert "published 0" in again.getvalue()


def test_a_scheduled_article_a_new_rule_blocks_stays_a_draft_for_its_author(alice, rule, scheduled, in_an_hour):
    rule("三点整", "block", "测试")
    assert publish_due_articles(now=in_an_hour + timedelta(minutes=1)) == 0
    post = Post.objects.get(pk=scheduled.pk)
    assert post.status == Post.Status.DRAFT
    assert Article.objects.get(pk=post.pk).publish_at is None  # unscheduled: it would fail again and again
    assert publish_due_articles(now=in_an_hour + timedelta(minutes=2)) == 0


def test_a_scheduled_article_a_new_review_rule_catches_is_held(rule, scheduled, in_an_hour):
    rule("三点整", "review", "待查")
    assert publish_due_articles(now=in_an_hour + timedelta(minutes=1)) == 1
    post = Post.objects.get(pk=scheduled.pk)
    assert post.status == Post.Status.HELD
    assert ReviewItem.objects.filter(post=post).exists()
    assert Board.objects.get(slug="slow-reading").thread_count == 0


def test_the_author_reschedules_or_unschedules_a_draft(alice, scheduled, in_an_hour):
    edit_article(editor=alice, post=scheduled, title=scheduled.title, body=scheduled.body,
                 publish_at=in_an_hour + timedelta(days=1))
    assert publish_due_articles(now=in_an_hour + timedelta(minutes=1)) == 0
    edit_article(editor=alice, post=scheduled, title=scheduled.title, body=scheduled.body, publish_at=None)
    assert publish_due_articles(now=in_an_hour + timedelta(days=2)) == 0
    assert Post.objects.get(pk=scheduled.pk).status == Post.Status.DRAFT


# --- the form ------------------------------------------------------------------


def local_input(moment: datetime) -> str:
    """What a datetime-local field sends: the reader's wall-clock time."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_form_schedules_an_article(alice, column):
    when = (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    response = as_user(alice).post("/c/slow-reading/write/", {
        "title": "明天发", "body": "明天见。", "action": "schedule", "publish_at": local_input(when),
    })
    assert response.status_code == 302
    post = Post.objects.get(title="明天发")
    assert post.status == Post.Status.DRAFT
    assert Article.objects.get(pk=post.pk).publish_at == when


@pytest.mark.parametrize("publish_at, says", [("", "请填写定时发表的日期和时间"), ("2001-01-01T08:00", "晚于现在")])
def test_the_form_refuses_a_missing_or_past_time_keeping_the_text(alice, column, publish_at, says):
    typed = {"title": "明天发", "body": "## 一\n\n明天见。", "summary": "摘要", "references": "史记",
             "action": "schedule", "publish_at": publish_at}
    response = as_user(alice).post("/c/slow-reading/write/", typed)
    assert response.status_code == 422
    page = response.content.decode()
    assert says in text_of(section(page, r'<div class="error-box"'))
    for field in ("title", "body", "summary", "references", "publish_at"):
        assert form_value(page, field) == typed[field], field
    assert not Post.objects.exists()


def test_the_publish_button_ignores_a_filled_in_time(alice, column):
    """"发表" publishes now even if a time was typed in the schedule field."""
    response = as_user(alice).post("/c/slow-reading/write/", {
        "title": "现在就发", "body": "马上。", "action": "publish",
        "publish_at": local_input(timezone.now() + timedelta(days=3)),
    })
    assert response.status_code == 302
    assert Post.objects.get(title="现在就发").status == Post.Status.PUBLIC
