"""An article as its author writes it and its readers read it: section
headings and the table of contents, the summary, references, the cover image,
the read count, votes, comment trees, reposts, drafts (seen by their author
alone until published), publishing and discarding a draft, editing."""

import re
from datetime import timedelta

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from columns_helpers import (  # noqa: F401  (fixtures)
    MB, article_rows, column, form_value, image_upload, plain, png_bytes, section, text_of, write,
)
from luntan.accounts.services import set_tip_links
from luntan.columns.models import Article
from luntan.columns.services import discard_draft, edit_article, parse_references, publish_article
from luntan.errors import Conflict, Invalid, NotAllowed
from luntan.forum import services as forum
from luntan.forum.models import Board, Post
from luntan.markup import headings, render_markdown
from luntan.stats.selectors import hot
from luntan.stats.services import view_buffer
from luntan.zh.summary import SENTENCE_END
from page_helpers import as_user, page_of

pytestmark = pytest.mark.django_db

BODY_WITH_SECTIONS = """项羽，名籍，字羽。

## 起兵

秦二世元年，项梁与项羽在吴中起兵。

## 巨鹿之战

破釜沉舟，持三日粮。

### 战后

诸侯将皆膝行而前。
"""


def toc_links(page: str) -> list[tuple[str, str]]:
    """(href, text) of every entry of the article's table of contents."""
    nav = section(page, r'<nav class="toc"')
    return [(href, text_of(text)) for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', nav, re.S)]


def body_of(page: str) -> str:
    return section(page, r'<div class="body">')


def ids_in(html: str) -> list[str]:
    """The ids of the elements (not of tags written as text, which show as &lt;…&gt;)."""
    return [found for tag in re.findall(r"<[a-zA-Z][^<>]*>", html) for found in re.findall(r'\sid="([^"]+)"', tag)]


# --- headings and the table of contents --------------------------------------------


def test_the_article_page_has_a_table_of_contents_linking_to_its_headings(client, write):
    post = write(title="项羽本纪", body=BODY_WITH_SECTIONS)

    page = page_of(client, post.get_absolute_url())

    links = toc_links(page)
    assert [text for _, text in links] == ["起兵", "巨鹿之战", "战后"]
    body = body_of(page)
    for href, text in links:
        assert href.startswith("#sec-")
        heading = re.search(rf'<h(\d) id="{href[1:]}">(.*?)</h\1>', body)
        assert heading, (href, body)
        assert plain(heading.group(2)) == text
    assert len(set(ids_in(body))) == len(ids_in(body))  # every anchor is unique


@pytest.mark.parametrize(
    "body",
    [
        "# 一\n\n段落\n\n#### 四级小标题不进目录\n\n## 二\n\n### 三",
        "第一节\n===\n\n正文\n\n第二节\n---\n\n正文",  # setext headings
        "## **加粗**的标题\n\n## 带`代码`和[链接](https://example.com)的标题\n\n> ## 引文里的标题",
        "## \n\n## 空标题之后\n\n## 最后",
    ],
)
def test_every_toc_anchor_exists_in_the_rendered_body_exactly_once(body):
    html = render_markdown(body, limit=len(body))
    toc = headings(body)
    assert len(toc) >= 2
    for heading in toc:
        assert ids_in(html).count(heading.anchor) == 1, (heading, html)
        found = re.search(rf'<h{heading.level} id="{heading.anchor}">(.*?)</h{heading.level}>', html, re.S)
        assert found and plain(found.group(1)) == heading.text, (heading, html)
    assert all(1 <= h.level <= 3 for h in toc)


def test_the_toc_text_keeps_the_words_of_formatted_headings():
    toc = headings("## **加粗**的标题\n\n## 带`代码`和[链接](https://example.com)的标题")
    assert [h.text for h in toc] == ["加粗的标题", "带代码和链接的标题"]


def test_the_author_cannot_forge_heading_ids_with_raw_html(client, write):
    post = write(body='<h2 id="sec-1">假标题</h2>\n\n<a id="sec-2" href="javascript:alert(1)">x</a>\n\n## 真的\n\n## 也是真的')
    page = page_of(client, post.get_absolute_url())
    body = body_of(page)
    assert ids_in(body) == ["sec-1", "sec-2"]
    assert "javascript:" not in re.sub(r"&lt;.*?&gt;", "", body)  # only as escaped text
    assert [href for href, _ in toc_links(page)] == ["#sec-1", "#sec-2"]


def test_the_api_toc_matches_the_page(api_get_article, write):
    post = write(body=BODY_WITH_SECTIONS)
    assert api_get_article(post)["toc"] == [
        {"level": 2, "text": "起兵", "anchor": "sec-1"},
        {"level": 2, "text": "巨鹿之战", "anchor": "sec-2"},
        {"level": 3, "text": "战后", "anchor": "sec-3"},
    ]


@pytest.fixture
def api_get_article(client):
    def get(post):
        response = client.get(f"/api/v1/articles/{post.pk}")
        assert response.status_code == 200, response.content
        return response.json()

    return get


# --- summary --------------------------------------------------------------------


LONG_BODY = (
    "## 引子\n\n"
    "2008年9月15日，雷曼兄弟申请破产保护，负债6130亿美元！这是美国历史上最大的破产案。"
    "道琼斯指数当天下跌504.48点，跌幅4.42%；全球市场随之动荡。"
    "**此后数月**，各国央行接连降息，美联储把利率降到0至0.25%。"
    "这一段文字很长，是为了让摘要必须在某个句末截断，而不是把整篇正文都放进去，也不是在半个词中间切开。"
    "最后一句在这里。"
)


def test_a_generated_summary_keeps_punctuation_and_digits_and_ends_at_a_sentence_end(write):
    post = write(title="雷曼十五年", body=LONG_BODY)
    summary = post.article.summary

    assert summary.startswith("引子 2008年9月15日，雷曼兄弟申请破产保护，负债6130亿美元！") or summary.startswith(
        "2008年9月15日，雷曼兄弟申请破产保护，负债6130亿美元！"
    ), summary
    assert "504.48点，跌幅4.42%；" in summary
    assert summary[-1] in SENTENCE_END, summary
    assert "最后一句在这里" not in summary  # it was cut, at a sentence end
    assert "**" not in summary and "##" not in summary
    assert not post.article.summary_by_author


def test_the_authors_own_summary_is_shown_as_written(client, write):
    post = write(body=LONG_BODY, summary="一句话：雷曼倒了，世界变了。")
    assert post.article.summary == "一句话：雷曼倒了，世界变了。" and post.article.summary_by_author
    page = page_of(client, post.get_absolute_url())
    assert plain(section(page, r'<p class="summary">')) == "摘要：一句话：雷曼倒了，世界变了。"
    assert "一句话：雷曼倒了，世界变了。" in text_of(page_of(client, "/c/slow-reading/"))


def test_a_short_body_is_its_own_summary(write):
    assert write(body="短短一句。").article.summary == "短短一句。"


def test_editing_the_body_renews_a_generated_summary_but_not_the_authors(alice, write):
    generated = write(body="旧的开头。")
    edit_article(editor=alice, post=generated, title=generated.title, body="新的开头。")
    assert Article.objects.get(pk=generated.pk).summary == "新的开头。"

    own = write(body="旧的开头。", summary="作者的摘要。")
    edit_article(editor=alice, post=own, title=own.title, body="新的开头。", summary="作者的摘要。")
    assert Article.objects.get(pk=own.pk).summary == "作者的摘要。"
    edit_article(editor=alice, post=own, title=own.title, body="新的开头。", summary="")
    article = Article.objects.get(pk=own.pk)
    assert (article.summary, article.summary_by_author) == ("新的开头。", False)


def test_a_summary_over_the_limit_is_refused(write, settings):
    limit = settings.LUNTAN["SUMMARY_MAX"]
    with pytest.raises(Invalid) as refused:
        write(summary="长" * (limit + 1))
    assert refused.value.field == "summary" and str(limit) in refused.value.message
    assert not Post.objects.exists()


# --- references ---------------------------------------------------------------


def test_references_are_text_a_link_or_both():
    assert parse_references([
        "司马迁《史记·项羽本纪》",
        "",
        "维基百科 https://zh.wikipedia.org/wiki/项羽",
        "https://example.com/a?b=1",
        "  中华书局点校本 — https://example.com/zhonghua  ",
    ]) == [
        {"text": "司马迁《史记·项羽本纪》", "url": ""},
        {"text": "维基百科", "url": "https://zh.wikipedia.org/wiki/项羽"},
        {"text": "https://example.com/a?b=1", "url": "https://example.com/a?b=1"},
        {"text": "中华书局点校本", "url": "https://example.com/zhonghua"},
    ]


@pytest.mark.parametrize("line", ["javascript:alert(1)", "点我 javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)",
                                  "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)"])
def test_a_script_link_is_never_rendered_as_a_link(client, write, line):
    post = write(references=[line, "正常的 https://example.com/ok"])
    page = page_of(client, post.get_absolute_url())
    refs = section(page, r'<section class="references">')
    hrefs = re.findall(r'href="([^"]*)"', refs)
    assert hrefs == ["https://example.com/ok"]
    assert "<script>" not in refs
    assert not re.search(r'href="\s*(javascript|data|vbscript):', page, re.I)


def test_references_show_as_links_and_text_on_the_page_and_in_the_api(client, write):
    post = write(references=["司马迁《史记》", "维基百科 https://zh.wikipedia.org/wiki/%E9%A1%B9%E7%BE%BD"])
    refs = section(page_of(client, post.get_absolute_url()), r'<section class="references">')
    items = re.findall(r"<li>(.*?)</li>", refs, re.S)
    assert items[0] == "司马迁《史记》"
    assert re.fullmatch(r'<a href="https://zh.wikipedia.org/wiki/%E9%A1%B9%E7%BE%BD" rel="[^"]*nofollow[^"]*">维基百科</a>',
                        items[1])
    data = client.get(f"/api/v1/articles/{post.pk}").json()
    assert data["references"] == [
        {"text": "司马迁《史记》", "url": ""},
        {"text": "维基百科", "url": "https://zh.wikipedia.org/wiki/%E9%A1%B9%E7%BE%BD"},
    ]


def test_a_bad_reference_link_is_refused_naming_its_line():
    with pytest.raises(Invalid) as refused:
        parse_references(["史记", "坏的链接 https://bad..example/"])
    assert refused.value.field == "references"
    assert "第 2 条" in refused.value.message and "https://bad..example/" in refused.value.message


def test_the_write_form_keeps_everything_when_a_reference_is_bad(alice, column):
    typed = {
        "title": "楚汉之争", "body": "## 一\n\n正文第一段。", "summary": "摘要在此。",
        "references": "史记\n坏的链接 https://bad..example/", "action": "publish",
    }
    response = as_user(alice).post("/c/slow-reading/write/", typed)
    assert response.status_code == 422
    page = response.content.decode()
    assert "参考资料第 2 条的链接无效" in text_of(section(page, r'<div class="error-box"'))
    for field in ("title", "body", "summary", "references"):
        assert form_value(page, field) == typed[field], field
    assert not Post.objects.exists()


def test_too_many_references_are_refused():
    with pytest.raises(Invalid) as refused:
        parse_references([f"第{n}本书" for n in range(51)])
    assert "50" in refused.value.message


# --- cover image ------------------------------------------------------------------


def test_a_cover_uploaded_with_the_form_shows_on_the_article_and_in_the_column(client, alice, column, media_root):
    response = as_user(alice).post("/c/slow-reading/write/", {
        "title": "有封面的文章", "body": "正文。", "action": "publish", "cover": image_upload(),
    })
    assert response.status_code == 302
    post = Post.objects.get(title="有封面的文章")
    assert response["Location"] == post.get_absolute_url()
    cover = re.search(r'<img class="cover" src="([^"]+)"', page_of(client, post.get_absolute_url())).group(1)
    served = client.get(cover)
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    assert f'src="{cover}"' in page_of(client, "/c/slow-reading/")


@pytest.mark.parametrize(
    "upload, status, says",
    [
        (("notes.png", b"%PDF-1.4 not a picture", "image/png"), 422, "只能上传 JPEG、PNG、GIF 或 WebP 图片"),
        (("huge.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (2 * MB), "image/png"), 413, "图片不能超过 2 MB"),
    ],
)
def test_a_bad_cover_is_refused_with_a_clear_message_and_the_text_is_kept(alice, column, media_root, upload, status, says):
    typed = {"title": "有封面的文章", "body": "## 小标题\n\n正文。", "summary": "我的摘要。",
             "references": "史记 https://example.com/shiji", "action": "publish"}
    response = as_user(alice).post("/c/slow-reading/write/", {**typed, "cover": image_upload(*upload)})
    assert response.status_code == status
    page = response.content.decode()
    assert says in text_of(section(page, r'<div class="error-box"'))
    for field in ("title", "body", "summary", "references"):
        assert form_value(page, field) == typed[field], field
    assert not Post.objects.exists()
    assert not (media_root.exists() and list(media_root.rglob("*.webp")))  # nothing left behind


def test_the_author_replaces_and_removes_the_cover_when_editing(client, alice, write, media_root):
    post = write(cover=image_upload())
    first = Article.objects.get(pk=post.pk).cover
    browser = as_user(alice)
    edit_form = page_of(browser, f"/p/{post.pk}/edit/")
    assert "现在的封面" in edit_form
    fields = {"title": post.title, "body": post.body, "action": "save"}
    assert browser.post(f"/p/{post.pk}/edit/", {**fields, "cover": image_upload(data=png_bytes(colour=(0, 0, 200)))}).status_code == 302
    second = Article.objects.get(pk=post.pk).cover
    assert second and second != first
    assert browser.post(f"/p/{post.pk}/edit/", {**fields, "remove_cover": "on"}).status_code == 302
    assert Article.objects.get(pk=post.pk).cover == ""
    assert 'class="cover"' not in page_of(client, post.get_absolute_url())


# --- read count, votes, comments ------------------------------------------------------


def shown_reads(client, post) -> int:
    page = page_of(client, post.get_absolute_url())
    return int(re.search(r'<span class="views" title="阅读">阅读 (\d+)</span>', page).group(1))


def test_reads_are_counted_once_the_buffer_is_flushed(client, bob, write):
    post = write()
    for n in range(3):  # three guests (one guest's reloads count once)
        Client(REMOTE_ADDR=f"10.0.0.{n + 1}").get(post.get_absolute_url())
    as_user(bob).get(post.get_absolute_url())
    assert Post.objects.get(pk=post.pk).views == 0  # still in the buffer
    view_buffer.flush()
    assert Post.objects.get(pk=post.pk).views == 4
    assert shown_reads(client, post) == 4  # the read that shows 4 is the fifth
    view_buffer.flush()
    assert client.get(f"/api/v1/articles/{post.pk}").json()["views"] == 5


def test_readers_vote_on_an_article_but_not_the_author(alice, bob, make_user, write):
    post = write()
    assert as_user(bob).post(f"/p/{post.pk}/vote/", {"value": "1"}).status_code == 302
    assert as_user(make_user()).post(f"/p/{post.pk}/vote/", {"value": "-1"}).status_code == 302
    assert as_user(alice).post(f"/p/{post.pk}/vote/", {"value": "1"}).status_code == 403
    post.refresh_from_db()
    assert (post.up, post.down) == (1, 1)
    page = page_of(as_user(bob), post.get_absolute_url())
    assert re.search(r'class="vote up chosen"', page)


def test_comments_form_a_reply_tree_under_the_article(client, alice, bob, make_user, write):
    post = write(title="项羽本纪读后")
    carol = make_user("carol")
    response = as_user(bob).post(f"/p/{post.pk}/reply/", {"title": "Re: 项羽本纪读后", "body": "力拔山兮气盖世"})
    assert response.status_code == 302
    first = Post.objects.get(parent=post)
    as_user(carol).post(f"/p/{first.pk}/reply/", {"title": "Re: Re: 项羽本纪读后", "body": "时不利兮骓不逝"})
    as_user(alice).post(f"/p/{post.pk}/reply/", {"title": "作者补记", "body": "谢谢各位"})

    post.refresh_from_db()
    assert post.reply_count == 3
    page = page_of(client, post.get_absolute_url())
    comments = section(page, r'<section class="replies-tree comments">')
    assert "评论（3）" in text_of(comments)
    lines = re.findall(r'<li class="tree-line" data-indent="([^"]*)">(.*?)</li>', comments, re.S)
    texts = [text_of(line) for _, line in lines]
    assert [t.split(" alice")[0].split(" 鲍勃")[0].split(" carol")[0] for t in texts] == [
        "项羽本纪读后", "Re: 项羽本纪读后", "Re: Re: 项羽本纪读后", "作者补记",
    ]
    indents = [indent for indent, _ in lines]
    assert indents[1] == indents[3] != indents[2] != indents[0]  # the nested one stands further in
    nested = Post.objects.get(parent=first)
    assert nested.depth == 2 and nested.thread_id == post.pk
    # A comment's own page is the forum's post page, in the article's thread.
    assert "时不利兮骓不逝" in page_of(client, nested.get_absolute_url())
    # The reply form is on the article page for members, a login link for guests.
    assert f'action="/p/{post.pk}/reply/"' in page_of(as_user(bob), post.get_absolute_url())
    assert "登录</a>后才能回复" in page


def test_the_flat_view_shows_every_comment_in_full(client, bob, write):
    post = write(body="正文在这里。")
    forum.reply(author=bob, parent=post, title="Re: 一", body="第一条评论的正文")
    page = page_of(client, post.get_absolute_url() + "?view=flat")
    assert "正文在这里。" in page and "第一条评论的正文" in page


# --- repost ---------------------------------------------------------------------------


def test_a_repost_is_flagged_and_names_its_source(client, write):
    post = write(title="别人的好文", repost=True, source="《读书》2020年第3期")
    page = page_of(client, post.get_absolute_url())
    assert re.search(r'<h1 class="post-title"><span class="zt">转载</span> 别人的好文</h1>', page)
    assert "来源：《读书》2020年第3期" in text_of(page)
    row = section(page_of(client, "/c/slow-reading/"), r'<li class="article-row">')
    assert '<span class="zt">转帖</span>' in row


def test_a_source_without_the_repost_flag_is_refused(write):
    with pytest.raises(Invalid) as refused:
        write(source="别处")
    assert refused.value.field == "source"


# --- drafts ---------------------------------------------------------------------------


@pytest.fixture
def draft(write):
    return write(title="未完成的草稿", body="## 一\n\n还在写。\n\n## 二\n\n再写一点。", publish=False)


def test_a_draft_is_seen_by_its_author_alone(client, alice, bob, draft):
    assert draft.status == Post.Status.DRAFT
    url = draft.get_absolute_url()
    mine = page_of(as_user(alice), url)
    assert "草稿：只有你看得到" in text_of(mine) and "现在发表" in mine
    for reader in (client, as_user(bob)):
        page_of(reader, url, status=404)
        page_of(reader, url + "?view=flat", status=404)
        assert reader.get(f"/p/{draft.pk}/feed.atom").status_code == 404
        assert reader.get(f"/api/v1/articles/{draft.pk}").status_code == 404
        assert reader.get(f"/api/v1/posts/{draft.pk}").status_code == 404
    page_of(as_user(bob), f"/p/{draft.pk}/edit/", status=404)
    page_of(as_user(bob), f"/p/{draft.pk}/reply/", status=404)


def test_a_draft_is_in_no_list_feed_or_count(client, alice, draft, write):
    published = write(title="已发表的文章", body="大家好。")
    column_page = page_of(client, "/c/slow-reading/")
    assert article_rows(column_page) == ["已发表的文章"] and "1 篇文章" in text_of(column_page)
    for url in ("/", "/columns/", "/u/alice/", "/hot/"):
        assert "未完成的草稿" not in page_of(client, url), url
    for url in ("/feeds/site.atom", "/c/slow-reading/feed.atom", "/u/alice/feed.atom"):
        titles = [e.title for e in feedparser.parse(client.get(url).content).entries]
        assert "已发表的文章" in titles and "未完成的草稿" not in titles, url
    api_items = client.get("/api/v1/columns/slow-reading/articles").json()["items"]
    assert [item["id"] for item in api_items] == [published.pk]
    assert Board.objects.get(slug="slow-reading").thread_count == 1


def test_the_author_sees_drafts_scheduled_and_held_articles_apart_on_the_column_page(alice, bob, draft, write):
    scheduled = write(title="明早发表", body="定时。", publish_at=timezone.now() + timedelta(days=1))
    page = page_of(as_user(alice), "/c/slow-reading/")
    drafts = section(page, r'<section class="drafts">')
    assert set(article_rows(drafts)) == {"未完成的草稿", "明早发表"}
    assert "草稿" in text_of(drafts) and "定时发表" in text_of(drafts)
    assert 'class="drafts"' not in page_of(as_user(bob), "/c/slow-reading/")
    assert "明早发表" not in page_of(as_user(bob), "/c/slow-reading/")
    assert scheduled.status == Post.Status.DRAFT


def test_a_draft_cannot_be_voted_on_or_answered(bob, draft):
    assert as_user(bob).post(f"/p/{draft.pk}/vote/", {"value": "1"}).status_code == 404
    response = as_user(bob).post(f"/p/{draft.pk}/reply/", {"title": "Re", "body": "抢沙发"})
    assert response.status_code == 404
    assert "未完成的草稿" not in response.content.decode() and "还在写" not in response.content.decode()
    assert not Post.objects.filter(parent=draft).exists()


def test_publishing_a_draft_from_its_page_dates_counts_and_shows_it(client, alice, bob, draft):
    Post.objects.filter(pk=draft.pk).update(created=timezone.now() - timedelta(days=5))
    assert as_user(bob).post(f"/p/{draft.pk}/publish/").status_code == 404
    before = timezone.now()
    response = as_user(alice).post(f"/p/{draft.pk}/publish/")
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == Post.Status.PUBLIC
    assert draft.created >= before  # dated when it was published, not when it was begun
    assert article_rows(page_of(client, "/c/slow-reading/")) == ["未完成的草稿"]
    assert Board.objects.get(slug="slow-reading").thread_count == 1
    page_of(client, draft.get_absolute_url())
    # Publishing twice is refused with a clear message.
    with pytest.raises(Conflict):
        publish_article(author=alice, post=draft)


def test_publishing_through_the_edit_form(client, alice, draft):
    response = as_user(alice).post(f"/p/{draft.pk}/edit/", {
        "title": "写完了", "body": "## 一\n\n写完了。", "action": "publish",
    })
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.title) == (Post.Status.PUBLIC, "写完了")
    assert "写完了。" in page_of(client, draft.get_absolute_url())


def test_saving_a_draft_keeps_it_a_draft(alice, draft):
    response = as_user(alice).post(f"/p/{draft.pk}/edit/", {"title": "还没好", "body": "改了一点。", "action": "draft"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.title) == (Post.Status.DRAFT, "还没好")


def test_the_author_reading_a_draft_adds_no_reads(alice, draft):
    author = as_user(alice)
    for url in (draft.get_absolute_url(), draft.get_absolute_url() + "?view=flat"):
        for _ in range(3):
            page_of(author, url)
    view_buffer.flush()
    publish_article(author=alice, post=draft)
    draft.refresh_from_db()
    assert draft.views == 0
    assert all(entry.post_id != draft.pk for entry in hot("views"))


def test_discarding_a_draft_removes_it_for_good(client, alice, bob, draft):
    assert as_user(bob).post(f"/p/{draft.pk}/discard/").status_code == 404
    response = as_user(alice).post(f"/p/{draft.pk}/discard/")
    assert response.status_code == 302 and response["Location"] == "/c/slow-reading/"
    assert not Post.objects.filter(pk=draft.pk).exists()
    assert not Article.objects.filter(pk=draft.pk).exists()
    page_of(as_user(alice), draft.get_absolute_url(), status=404)


def test_a_published_article_is_not_discarded_as_a_draft(alice, bob, write):
    post = write()
    response = as_user(alice).post(f"/p/{post.pk}/discard/")
    assert response.status_code == 409 and "已经发表" in text_of(response.content.decode())
    with pytest.raises(NotAllowed):
        discard_draft(author=bob, post=post)
    assert Post.objects.filter(pk=post.pk, status=Post.Status.PUBLIC).exists()


def test_discarding_a_draft_deletes_its_cover(alice, write, media_root, django_capture_on_commit_callbacks):
    post = write(publish=False, cover=image_upload())
    assert list(media_root.rglob("*.webp"))
    with django_capture_on_commit_callbacks(execute=True):
        assert as_user(alice).post(f"/p/{post.pk}/discard/").status_code == 302
    assert not list(media_root.rglob("*.webp"))


# --- editing ---------------------------------------------------------------------------


def test_the_edit_form_shows_the_article_as_written(alice, write):
    post = write(title="原标题", body="原正文。", summary="原摘要。",
                 references=["史记", "维基 https://example.com/wiki"])
    page = page_of(as_user(alice), f"/p/{post.pk}/edit/")
    assert form_value(page, "title") == "原标题"
    assert form_value(page, "body") == "原正文。"
    assert form_value(page, "summary") == "原摘要。"
    assert form_value(page, "references") == "史记\n维基 https://example.com/wiki"


def test_editing_keeps_the_published_date_and_marks_the_edit(client, alice, write):
    post = write(at=timezone.now() - timedelta(days=3))
    created = post.created
    response = as_user(alice).post(f"/p/{post.pk}/edit/", {
        "title": "改过的标题", "body": "## 新\n\n新的正文。", "summary": "", "references": "新的参考 https://example.com/new",
        "action": "save",
    })
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.created == created and post.edited is not None and post.status == Post.Status.PUBLIC
    page = page_of(client, post.get_absolute_url())
    assert "改过的标题" in page and "（已编辑）" in page and 'href="https://example.com/new"' in page


def test_only_the_author_edits_an_article(bob, write):
    post = write()
    response = as_user(bob).get(f"/p/{post.pk}/edit/")
    assert response.status_code == 403 and "只能编辑自己的文章" in text_of(response.content.decode())
    assert as_user(bob).post(f"/p/{post.pk}/edit/", {"title": "改", "body": "改"}).status_code == 403
    with pytest.raises(NotAllowed):
        edit_article(editor=bob, post=post, title="改", body="改")
    assert Post.objects.get(pk=post.pk).title == post.title


# --- tip box ---------------------------------------------------------------------------


def test_the_article_shows_the_authors_tip_box(client, alice, write):
    post = write()
    assert 'class="tip-box"' not in page_of(client, post.get_absolute_url())
    set_tip_links(user=alice, alipay="https://qr.alipay.com/fkx12345abcde")
    page = page_of(client, post.get_absolute_url())
    tip = section(page, r'<aside class="tip-box"')
    assert "<svg" in tip and "支付宝" in text_of(tip)
    assert 'href="https://qr.alipay.com/fkx12345abcde"' in tip


def test_the_byline_names_the_author_and_links_the_profile(client, write):
    page = page_of(client, write().get_absolute_url())
    assert re.search(r'本文作者：<a class="author" href="/u/alice/">alice</a>', page)
    assert re.search(r'<a href="/c/slow-reading/">慢读史记</a></nav>', page)  # breadcrumb to the column
