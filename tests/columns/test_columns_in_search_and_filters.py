"""Column articles take part in what posts take part in: search finds them
(drafts never), the keyword filter screens every text of an article and of a
column (block refuses with the reason and keeps the form, review holds,
replace masks), and the hot lists count them."""

import pytest
from django.core.cache import cache
from django.test import Client

from columns_helpers import (  # noqa: F401  (fixtures)
    column, form_value, section, text_of, write,
)
from luntan.columns.models import Article
from luntan.columns.services import open_column, publish_article, update_column
from luntan.errors import Invalid
from luntan.forum.models import Board, Post
from luntan.moderation.models import ReviewItem
from luntan.search import selectors as search
from luntan.stats.selectors import hot
from luntan.stats.services import view_buffer
from page_helpers import as_user, page_of

pytestmark = pytest.mark.django_db


def found(q: str, **filters) -> list[int]:
    return [hit.id for hit in search.search(search.parse_params(q=q, **filters)).hits]


# --- search ---------------------------------------------------------------------


def test_search_finds_a_published_article_and_never_a_draft(client, write):
    published = write(title="鸿门宴的座次", body="项王、项伯东向坐，亚父南向坐。")
    draft = write(title="鸿门宴草稿", body="亚父还没想好坐哪里。", publish=False)

    assert found("亚父") == [published.pk]
    assert found("鸿门宴") == [published.pk]
    assert found("亚父", board="slow-reading") == [published.pk]
    assert found("亚父", author="alice") == [published.pk]
    page = page_of(client, "/search/?q=亚父")
    assert f'href="/p/{published.pk}/"' in page and f'href="/p/{draft.pk}/"' not in page
    api = client.get("/api/v1/search", {"q": "亚父"}).json()
    assert [(hit["id"], hit["board"], hit["url"]) for hit in api["items"]] == [
        (published.pk, "slow-reading", published.get_absolute_url())
    ]


def test_a_draft_is_found_once_published_and_the_search_is_script_insensitive(alice, write):
    draft = write(title="亞父的故事", body="范增勸項王殺沛公。", publish=False)
    assert found("范增") == []
    publish_article(author=alice, post=draft)
    assert found("范增") == [draft.pk]
    assert found("劝项王") == [draft.pk]  # Simplified query, Traditional text


def test_a_discarded_draft_and_an_edited_article_leave_no_stale_words(alice, write):
    post = write(title="原来的题目", body="原来的词语：霸王别姬。")
    from luntan.columns.services import edit_article

    edit_article(editor=alice, post=post, title="新题目", body="新的词语：四面楚歌。")
    assert found("霸王别姬") == [] and found("四面楚歌") == [post.pk]


# --- keyword filter: articles ---------------------------------------------------------


@pytest.mark.parametrize("field", ["title", "body", "summary", "references"])
def test_a_block_rule_refuses_an_article_naming_the_category_and_the_form_keeps_the_text(
    alice, column, rule, field
):
    rule("发票代开", "block", "广告")
    typed = {"title": "好文章", "body": "## 一\n\n正文。", "summary": "摘要。", "references": "史记",
             "action": "publish"}
    typed[field] = typed[field] + "发票代开"

    response = as_user(alice).post("/c/slow-reading/write/", typed)

    assert response.status_code == 422, field
    page = response.content.decode()
    error = text_of(section(page, r'<div class="error-box"'))
    assert "广告" in error and "发票代开" not in error
    for name in ("title", "body", "summary", "references"):
        assert form_value(page, name) == typed[name], name
    assert not Post.objects.exists()


def test_the_api_refuses_a_blocked_article_with_422_and_the_reason(alice, column, rule, client):
    from luntan.accounts.services import issue_token

    rule("发票代开", "block", "广告")
    response = client.post(
        "/api/v1/columns/slow-reading/articles",
        {"title": "好文章", "body": "正文。", "references": ["代开发票 https://example.com", "发票代开的门路"]},
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {issue_token(user=alice)}",
    )
    assert response.status_code == 422
    assert "参考资料" in response.json()["detail"] and "广告" in response.json()["detail"]
    assert not Post.objects.exists()


def test_a_review_rule_holds_the_article_for_review(client, alice, bob, write, rule):
    rule("内幕消息", "review", "谣言")
    post = write(title="市场传闻", body="据内幕消息，明天大涨。")
    assert post.status == Post.Status.HELD
    assert ReviewItem.objects.filter(post=post).exists()
    page_of(client, post.get_absolute_url(), status=404)
    page_of(as_user(bob), post.get_absolute_url(), status=404)
    mine = page_of(as_user(alice), post.get_absolute_url())
    assert "待审核" in text_of(mine)
    assert "市场传闻" not in page_of(client, "/c/slow-reading/")
    assert "市场传闻" in text_of(section(page_of(as_user(alice), "/c/slow-reading/"), r'<section class="drafts">'))
    assert found("内幕") == []
    assert Board.objects.get(slug="slow-reading").thread_count == 0


def test_a_review_word_in_the_summary_holds_the_article_like_one_in_the_body(write, rule):
    """Articles have a review queue: a review word in the author's summary sends
    the article to it, as the same word in the body does (it is not refused)."""
    rule("内幕消息", "review", "谣言")
    post = write(title="市场传闻", body="明天大涨。", summary="据内幕消息，明天大涨。")
    assert post.status == Post.Status.HELD


def test_a_replace_rule_masks_the_word_everywhere_in_the_article(client, write, rule):
    rule("草泥马", "replace", replacement="**")
    post = write(
        title="草泥马是什么", body="## 草泥马\n\n羊驼，俗称草泥马。", summary="说说草泥马。",
        references=["草泥马百科 https://example.com/alpaca"],
    )
    article = Article.objects.get(pk=post.pk)
    assert "草泥马" not in post.title + post.body + article.summary + str(article.references)
    page = page_of(client, post.get_absolute_url())
    assert "草泥马" not in page
    assert "https://example.com/alpaca" in page  # the link itself is untouched


def test_a_generated_summary_is_drawn_from_the_masked_body(write, rule):
    rule("草泥马", "replace", replacement="**")
    post = write(body="羊驼，俗称草泥马。")
    assert "草泥马" not in post.article.summary and post.article.summary


def test_publishing_a_draft_screens_its_summary_against_the_rules_of_the_day(alice, write, rule):
    """A draft is screened again when published (the rules may have changed):
    its summary and references too, not only its title and body."""
    draft = write(title="旧稿", body="正文。", summary="说说草泥马。", references=["草泥马图鉴"], publish=False)
    rule("草泥马", "replace", replacement="**")
    publish_article(author=alice, post=draft)
    article = Article.objects.get(pk=draft.pk)
    assert "草泥马" not in article.summary
    assert "草泥马" not in str(article.references)


def test_an_edit_bringing_in_a_review_word_is_refused_with_a_reason(alice, write, rule):
    post = write(body="干净的正文。")
    rule("内幕消息", "review", "谣言")
    response = as_user(alice).post(f"/p/{post.pk}/edit/", {
        "title": post.title, "body": "据内幕消息。", "action": "save",
    })
    assert response.status_code == 422
    page = response.content.decode()
    assert "审核" in text_of(section(page, r'<div class="error-box"'))
    assert form_value(page, "body") == "据内幕消息。"
    assert Post.objects.get(pk=post.pk).body == "干净的正文。"


# --- keyword filter: columns ---------------------------------------------------------


@pytest.mark.parametrize("field, says", [("title", "标题"), ("intro", "简介")])
def test_a_block_rule_refuses_a_column_title_or_intro_and_the_form_keeps_the_text(bob, rule, field, says):
    rule("发票代开", "block", "广告")
    typed = {"title": "鲍勃的专栏", "intro": "随便写写", "slug": "bob"}
    typed[field] += "发票代开"
    response = as_user(bob).post("/columns/new/", typed)
    assert response.status_code == 422
    page = response.content.decode()
    error = text_of(section(page, r'<div class="error-box"'))
    assert says in error and "广告" in error
    assert form_value(page, "title") == typed["title"] and form_value(page, "intro") == typed["intro"]
    assert not Board.objects.filter(kind=Board.Kind.COLUMN).exists()


def test_a_review_word_in_a_column_intro_is_refused_with_a_clear_message(bob, rule):
    """A column has no review queue: a review word is refused, asking to rephrase."""
    rule("内幕消息", "review", "谣言")
    with pytest.raises(Invalid) as refused:
        open_column(owner=bob, title="鲍勃的专栏", intro="专发内幕消息")
    assert refused.value.field == "intro" and "审核" in refused.value.message


def test_a_replace_rule_masks_column_title_and_intro(alice, column, rule):
    rule("草泥马", "replace", replacement="**")
    update_column(editor=alice, column=column, title="草泥马观察", intro="只写草泥马")
    column.refresh_from_db()
    assert "草泥马" not in column.name + column.description


def test_column_settings_refuse_a_blocked_intro_keeping_the_text(alice, column, rule):
    rule("发票代开", "block", "广告")
    response = as_user(alice).post("/c/slow-reading/settings/", {"title": "慢读史记", "intro": "兼营发票代开"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "广告" in text_of(section(page, r'<div class="error-box"'))
    assert form_value(page, "intro") == "兼营发票代开"
    assert Board.objects.get(slug="slow-reading").description == "一周一篇，读《史记》的笔记。"


# --- hot lists -----------------------------------------------------------------------


def test_hot_lists_include_articles_and_never_drafts(client, bob, write, board, alice):
    from luntan.forum.services import create_thread, reply

    article = write(title="最热的文章", body="大家都在读。")
    thread = create_thread(author=alice, board=board, title="普通主题", body="少人读。")
    draft = write(title="草稿不上榜", body="没人看得到。", publish=False)
    for n in range(3):  # three guests (one guest's reloads count once)
        Client(REMOTE_ADDR=f"10.0.0.{n + 1}").get(article.get_absolute_url())
    client.get(thread.get_absolute_url())
    reply(author=bob, parent=article, title="Re: 最热的文章", body="顶")
    view_buffer.flush()
    cache.clear()

    assert [(e.title, e.count) for e in hot("views")] == [("最热的文章", 3), ("普通主题", 1)]
    assert [e.title for e in hot("replies")] == ["最热的文章"]
    api = client.get("/api/v1/hot", {"by": "views"}).json()
    assert api[0]["id"] == article.pk and api[0]["url"] == article.get_absolute_url()
    assert api[0]["board"] == "慢读史记"
    home = page_of(client, "/")
    assert f'href="{article.get_absolute_url()}"' in section(home, r'<section class="side-list" id="hot-views">')
    assert "草稿不上榜" not in home and "草稿不上榜" not in page_of(client, "/hot/")
    assert all(e.post_id != draft.pk for e in hot("views") + hot("replies"))
