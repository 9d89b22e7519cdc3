"""The column endpoints: opening and changing a column, listing its articles
(cursor pages, pinned first), drafts for their author alone, writing (201 /
202 / 422 / 403), reading an article with its summary, references, table of
contents and tip links, editing and publishing, discarding a draft, covers and
avatars, comments and votes through the post endpoints, the reader's script,
and the forum endpoints keeping out of columns."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from api_client import alice_token, api, assert_error, bob_token, token_for  # noqa: F401  (fixtures)
from luntan.accounts.services import set_tip_links
from luntan.columns.models import Article
from luntan.columns.services import open_column, write_article
from luntan.forum.models import Board, Post
from luntan.moderation import rules
from luntan.stats.services import view_buffer

pytestmark = pytest.mark.django_db
MB = 1024 * 1024




def png(colour=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(out, format="PNG")
    return out.getvalue()


def upload(api, path, data: bytes, token, name="image.png"):
    return api.client.post(
        f"/api/v1{path}", {"file": SimpleUploadedFile(name, data, content_type="image/png")},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


@pytest.fixture
def column(alice):
    return open_column(owner=alice, title="慢读史记", intro="读《史记》的笔记。", slug="slow-reading")


def post_article(api, token, slug="slow-reading", **fields):
    return api.post(f"/columns/{slug}/articles", {"title": "项羽本纪读后", "body": "项羽起兵。", **fields}, token=token)


# --- columns --------------------------------------------------------------------


def test_opening_a_column_answers_201_with_the_column(api, alice, alice_token):
    response = api.post("/columns", {"title": "慢读史记", "intro": "读书笔记", "slug": "slow-reading"}, token=alice_token)
    assert response.status_code == 201, response.content
    assert response.json() == {
        "slug": "slow-reading", "title": "慢读史记", "intro": "读书笔记", "owner": "alice", "avatar": None,
        "article_count": 0, "last_activity": None, "url": "/c/slow-reading/",
    }
    assert Board.objects.get(slug="slow-reading").owner == alice


def test_a_second_column_is_409(api, column, alice_token):
    assert_error(api.post("/columns", {"title": "第二个", "slug": "second"}, token=alice_token), 409, "已经开过专栏")
    assert not Board.objects.filter(slug="second").exists()


def test_slug_problems_are_explained(api, column, bob_token):
    assert_error(api.post("/columns", {"title": "茶", "slug": "茶话"}, token=bob_token), 422, "小写字母")
    assert_error(api.post("/columns", {"title": "茶", "slug": "slow-reading"}, token=bob_token), 409, "slow-reading", "已被使用")
    assert_error(api.post("/columns", {"title": ""}, token=bob_token), 422, "专栏名称")
    made = api.post("/columns", {"title": "茶"}, token=bob_token)
    assert made.status_code == 201 and made.json()["url"] == f"/c/{made.json()['slug']}/"


def test_opening_a_column_needs_a_token(api, db):
    assert_error(api.post("/columns", {"title": "匿名专栏"}), 401)


def test_columns_are_listed_and_read(api, column, alice):
    write_article(author=alice, column=column, title="第一篇", body="正文。")
    listed = api.get("/columns").json()
    assert [c["slug"] for c in listed] == ["slow-reading"]
    one = api.get("/columns/slow-reading").json()
    assert one["article_count"] == 1 and one["last_activity"] is not None and one["owner"] == "alice"
    assert_error(api.get("/columns/nothing-here"), 404, "nothing-here")


def test_the_column_list_puts_the_most_recently_active_first(api, column, alice, make_user):
    quiet = open_column(owner=make_user("carol"), title="空专栏", slug="quiet")
    write_article(author=alice, column=column, title="新文章", body="正文。")
    assert [c["slug"] for c in api.get("/columns").json()] == ["slow-reading", quiet.slug]


def test_a_forum_board_is_not_a_column_and_a_column_is_not_a_board(api, board, column, alice_token):
    assert_error(api.get(f"/columns/{board.slug}"), 404)
    assert [b["slug"] for b in api.get("/boards").json()] == [board.slug]
    assert_error(api.get("/boards/slow-reading/threads"), 404)
    assert_error(api.post("/boards/slow-reading/threads", {"title": "从论坛发进专栏"}, token=alice_token), 404)
    assert not Post.objects.filter(board=column).exists()


def test_the_owner_changes_the_column_and_nobody_else(api, column, alice_token, bob_token):
    changed = api.patch("/columns/slow-reading", {"intro": "新简介"}, token=alice_token)
    assert changed.status_code == 200
    assert (changed.json()["title"], changed.json()["intro"]) == ("慢读史记", "新简介")
    assert_error(api.patch("/columns/slow-reading", {"title": "抢走"}, token=bob_token), 403)
    assert_error(api.patch("/columns/slow-reading", {"title": "匿名"}), 401)
    assert Board.objects.get(slug="slow-reading").name == "慢读史记"


def test_avatar_upload_and_removal(api, column, alice_token, bob_token, media_root):
    response = upload(api, "/columns/slow-reading/avatar", png(), alice_token)
    assert response.status_code == 200, response.content
    avatar = response.json()["avatar"]
    assert avatar and avatar.endswith(".webp")
    assert api.client.get(avatar).status_code == 200
    assert_error(upload(api, "/columns/slow-reading/avatar", png(), bob_token), 403)
    assert_error(upload(api, "/columns/slow-reading/avatar", b"not an image", alice_token), 422, "JPEG")
    removed = api.delete("/columns/slow-reading/avatar", token=alice_token)
    assert removed.status_code == 200 and removed.json()["avatar"] is None


# --- writing -----------------------------------------------------------------------


def test_writing_an_article_answers_201_with_the_article(api, column, alice, alice_token):
    set_tip_links(user=alice, alipay="https://qr.alipay.com/fkx12345abcde")
    response = post_article(
        api, alice_token, title="项羽本纪读后",
        body="开头一句。\n\n## 起兵\n\n吴中起兵。\n\n## 垓下\n\n四面楚歌。",
        references=["史记", "维基百科 https://zh.wikipedia.org/wiki/x"],
    )
    assert response.status_code == 201, response.content
    data = response.json()
    post = Post.objects.get(pk=data["id"])
    assert data["status"] == "public" and data["column"] == "slow-reading" and data["author"] == "alice"
    assert data["url"] == post.get_absolute_url() == f"/p/{post.pk}/"
    assert data["summary"].startswith("开头一句。")
    assert data["references"] == [{"text": "史记", "url": ""},
                                  {"text": "维基百科", "url": "https://zh.wikipedia.org/wiki/x"}]
    assert data["toc"] == [{"level": 2, "text": "起兵", "anchor": "sec-1"},
                           {"level": 2, "text": "垓下", "anchor": "sec-2"}]
    assert '<h2 id="sec-1">起兵</h2>' in data["body_html"]
    assert data["tip_links"] == {"alipay": "https://qr.alipay.com/fkx12345abcde", "wechat": None}
    assert data["cover"] is None and data["publish_at"] is None and data["repost"] is False


def test_the_authors_summary_and_a_repost_source_are_kept(api, column, alice_token):
    data = post_article(api, alice_token, summary="一句话。", repost=True, source="《读书》").json()
    assert (data["summary"], data["repost"], data["source"]) == ("一句话。", True, "《读书》")


def test_writing_in_someone_elses_column_is_403(api, column, bob_token):
    assert_error(post_article(api, bob_token), 403)
    assert_error(post_article(api, bob_token, slug="no-such-column"), 404)
    assert_error(post_article(api, None), 401)
    assert not Post.objects.exists()


def test_a_review_word_answers_202_held_and_a_block_word_422(api, column, alice_token, operator):
    rules.add_rule(actor=operator, pattern="内幕消息", action="review", category="谣言")
    rules.add_rule(actor=operator, pattern="发票代开", action="block", category="广告")
    held = post_article(api, alice_token, body="据内幕消息。")
    assert held.status_code == 202 and held.json()["status"] == "held"
    assert_error(post_article(api, alice_token, title="发票代开"), 422, "标题", "广告")
    assert_error(post_article(api, alice_token, summary="发票代开"), 422, "摘要", "广告")
    assert Post.objects.count() == 1


@pytest.mark.parametrize(
    "fields, says",
    [
        ({"references": ["好的", "坏的 https://bad..example/"]}, "第 2 条"),
        ({"summary": "长" * 501}, "500"),
        ({"title": ""}, "标题"),
        ({"publish_at": "2001-01-01T00:00:00Z"}, "晚于现在"),
        ({"source": "别处"}, "转帖"),
    ],
)
def test_bad_articles_are_422_with_a_reason(api, column, alice_token, fields, says):
    assert_error(post_article(api, alice_token, **fields), 422, says)
    assert not Post.objects.exists()


def test_drafts_and_scheduled_articles(api, column, alice_token, bob_token):
    draft = post_article(api, alice_token, title="草稿", publish=False)
    assert draft.status_code == 201 and draft.json()["status"] == "draft"
    when = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    scheduled = post_article(api, alice_token, title="定时", publish_at=when.isoformat())
    assert scheduled.status_code == 201 and scheduled.json()["status"] == "draft"
    assert scheduled.json()["publish_at"].replace("Z", "+00:00") == when.isoformat().replace("Z", "+00:00")
    published = post_article(api, alice_token, title="已发表")

    assert [a["title"] for a in api.get("/columns/slow-reading/articles").json()["items"]] == ["已发表"]
    mine = api.get("/columns/slow-reading/drafts", token=alice_token)
    assert mine.status_code == 200
    assert sorted(a["title"] for a in mine.json()) == ["定时", "草稿"]
    assert all("body" not in a for a in mine.json())
    assert_error(api.get("/columns/slow-reading/drafts", token=bob_token), 404)
    assert_error(api.get("/columns/slow-reading/drafts"), 401)
    assert published.json()["status"] == "public"


# --- reading ----------------------------------------------------------------------


def test_a_draft_is_404_to_everyone_but_its_author(api, column, alice_token, bob_token):
    draft_id = post_article(api, alice_token, title="草稿", publish=False).json()["id"]
    assert api.get(f"/articles/{draft_id}", token=alice_token).json()["status"] == "draft"
    assert_error(api.get(f"/articles/{draft_id}"), 404)
    assert_error(api.get(f"/articles/{draft_id}", token=bob_token), 404)
    assert_error(api.get(f"/posts/{draft_id}", token=bob_token), 404)
    assert_error(api.post(f"/posts/{draft_id}/replies", {"title": "抢沙发"}, token=bob_token), 404)
    assert_error(api.post(f"/posts/{draft_id}/vote", {"value": 1}, token=bob_token), 404)
    assert_error(api.get("/articles/999999"), 404)


def test_the_author_reads_a_draft_through_the_post_endpoints_too(api, column, alice_token):
    """/posts/{id} shows authors their own unpublished posts: a draft article
    is one of them, and its status must come back as "draft" (not a 500)."""
    draft_id = post_article(api, alice_token, title="草稿", publish=False).json()["id"]
    response = api.get(f"/posts/{draft_id}", token=alice_token)
    assert response.status_code == 200, response.content[:300]
    assert response.json()["status"] == "draft"
    tree = api.get(f"/posts/{draft_id}/tree", token=alice_token)
    assert tree.status_code == 200 and tree.json()["status"] == "draft"


def test_the_author_reading_a_draft_through_the_api_adds_no_reads(api, column, alice_token):
    draft_id = post_article(api, alice_token, title="草稿", publish=False).json()["id"]
    api.client.raise_request_exception = False  # this test is about the count, whatever the answer
    assert api.get(f"/articles/{draft_id}", token=alice_token).status_code == 200
    api.get(f"/posts/{draft_id}", token=alice_token)
    view_buffer.flush()
    assert Post.objects.get(pk=draft_id).views == 0


def test_a_forum_thread_or_a_comment_is_not_an_article(api, column, thread, alice_token, bob_token):
    article_id = post_article(api, alice_token).json()["id"]
    comment = api.post(f"/posts/{article_id}/replies", {"title": "Re: 读后", "body": "好文"}, token=bob_token)
    assert comment.status_code == 201
    assert_error(api.get(f"/articles/{thread.pk}"), 404)
    assert_error(api.get(f"/articles/{comment.json()['id']}"), 404)


def test_comments_votes_and_reads_go_through_the_post_endpoints(api, column, alice_token, bob_token, make_user, token_for):
    article_id = post_article(api, alice_token).json()["id"]
    first = api.post(f"/posts/{article_id}/replies", {"title": "Re: 读后", "body": "好文"}, token=bob_token).json()
    nested = api.post(f"/posts/{first['id']}/replies", {"title": "Re: Re: 读后"}, token=token_for(make_user())).json()
    assert (nested["thread"], nested["parent"], nested["depth"]) == (article_id, first["id"], 2)
    tree = api.get(f"/posts/{article_id}/tree").json()
    assert tree["id"] == article_id and [c["id"] for c in tree["children"]] == [first["id"]]
    assert [c["id"] for c in tree["children"][0]["children"]] == [nested["id"]]

    assert api.post(f"/posts/{article_id}/vote", {"value": 1}, token=bob_token).json() == {"up": 1, "down": 0}
    assert_error(api.post(f"/posts/{article_id}/vote", {"value": 1}, token=alice_token), 403)

    for n in range(2):  # two readers: one reader's reloads count once
        api.get(f"/articles/{article_id}", REMOTE_ADDR=f"10.0.0.{n + 1}")
    view_buffer.flush()
    data = api.get(f"/articles/{article_id}").json()
    assert (data["views"], data["reply_count"], data["up"]) == (2, 2, 1)


def test_article_pages_are_cursor_pages_with_every_article_once_pinned_first(api, column, alice, settings):
    settings.LUNTAN = {**settings.LUNTAN, "PAGE_SIZE": 3}
    now = timezone.now()
    made = [
        write_article(author=alice, column=column, title=f"第{n}篇", body="正文。", at=now - timedelta(minutes=n // 2))
        for n in range(8)
    ]
    Post.objects.filter(pk=made[5].pk).update(pinned=True)

    pages, cursor = [], None
    while True:
        page = api.get("/columns/slow-reading/articles", {"cursor": cursor} if cursor else None).json()
        assert page["column"] == "slow-reading"
        assert all("body" not in item and "summary" in item for item in page["items"])
        pages.append([item["id"] for item in page["items"]])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    ids = [pk for ids in pages for pk in ids]
    assert ids[0] == made[5].pk
    assert sorted(ids) == sorted(p.pk for p in made) and len(ids) == len(set(ids))
    rest = [pk for pk in ids if pk != made[5].pk]
    newest_first = sorted((p for p in made if p.pk != made[5].pk), key=lambda p: (p.created, p.pk), reverse=True)
    assert rest == [p.pk for p in newest_first]  # newest first, ties by the later id
    assert_error(api.get("/columns/slow-reading/articles", {"cursor": "garbage"}), 422, "cursor")
    assert_error(api.get("/columns/no-such/articles"), 404)


# --- editing, publishing, discarding ------------------------------------------------


def test_patch_edits_only_the_given_fields(api, column, alice_token):
    made = post_article(api, alice_token, body="开头。\n\n## 一\n\n内容。", summary="作者摘要。",
                        references=["史记 https://example.com/shiji"]).json()
    response = api.patch(f"/articles/{made['id']}", {"title": "新标题"}, token=alice_token)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["title"] == "新标题"
    assert (data["body"], data["summary"], data["references"]) == (made["body"], "作者摘要。", made["references"])
    assert data["edited"] is not None and data["created"] == made["created"]

    cleared = api.patch(f"/articles/{made['id']}", {"summary": ""}, token=alice_token).json()
    assert cleared["summary"].startswith("开头。")


def test_patch_publishes_a_draft(api, column, alice_token):
    draft = post_article(api, alice_token, title="草稿", publish=False).json()
    before = timezone.now()
    response = api.patch(f"/articles/{draft['id']}", {"publish": True, "title": "定稿"}, token=alice_token)
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["title"]) == ("public", "定稿")
    assert Post.objects.get(pk=draft["id"]).created >= before
    assert api.get(f"/articles/{draft['id']}").status_code == 200
    assert_error(api.patch(f"/articles/{draft['id']}", {"publish": True}, token=alice_token), 409)


def test_patch_schedules_and_unschedules_a_draft(api, column, alice_token):
    draft = post_article(api, alice_token, title="草稿", publish=False).json()
    when = (timezone.now() + timedelta(hours=3)).replace(microsecond=0)
    scheduled = api.patch(f"/articles/{draft['id']}", {"publish_at": when.isoformat()}, token=alice_token).json()
    assert Article.objects.get(pk=draft["id"]).publish_at == when and scheduled["status"] == "draft"
    # Editing something else keeps the schedule.
    api.patch(f"/articles/{draft['id']}", {"title": "改个题目"}, token=alice_token)
    assert Article.objects.get(pk=draft["id"]).publish_at == when
    api.patch(f"/articles/{draft['id']}", {"publish_at": None}, token=alice_token)
    assert Article.objects.get(pk=draft["id"]).publish_at is None
    assert_error(api.patch(f"/articles/{draft['id']}", {"publish_at": "2001-01-01T00:00:00Z"}, token=alice_token),
                 422, "晚于现在")


def test_only_the_author_patches_or_deletes(api, column, alice_token, bob_token):
    published = post_article(api, alice_token).json()
    draft = post_article(api, alice_token, title="草稿", publish=False).json()
    assert_error(api.patch(f"/articles/{published['id']}", {"title": "抢"}, token=bob_token), 403)
    assert_error(api.delete(f"/articles/{published['id']}", token=bob_token), 403)
    assert_error(api.patch(f"/articles/{draft['id']}", {"title": "抢"}, token=bob_token), 404)
    assert_error(api.delete(f"/articles/{draft['id']}", token=bob_token), 404)
    assert_error(api.patch(f"/articles/{published['id']}", {"title": "匿名"}), 401)
    assert Post.objects.get(pk=published["id"]).title == published["title"]


def test_delete_discards_a_draft_but_not_a_published_article(api, column, alice_token):
    draft = post_article(api, alice_token, title="草稿", publish=False).json()
    published = post_article(api, alice_token).json()
    response = api.delete(f"/articles/{draft['id']}", token=alice_token)
    assert response.status_code == 204
    assert_error(api.get(f"/articles/{draft['id']}", token=alice_token), 404)
    assert_error(api.delete(f"/articles/{published['id']}", token=alice_token), 409, "已经发表")
    assert Post.objects.filter(pk=published["id"], status="public").exists()


def test_patch_refuses_a_bad_reference_naming_its_line(api, column, alice_token):
    made = post_article(api, alice_token).json()
    assert_error(api.patch(f"/articles/{made['id']}", {"references": ["a", "b", "c https://bad..x/"]},
                           token=alice_token), 422, "第 3 条")


# --- covers ------------------------------------------------------------------------


def test_cover_upload_replacement_and_removal(api, column, alice_token, bob_token, media_root):
    made = post_article(api, alice_token).json()
    response = upload(api, f"/articles/{made['id']}/cover", png(), alice_token)
    assert response.status_code == 200, response.content
    cover = response.json()["cover"]
    assert cover.endswith(".webp") and api.client.get(cover).status_code == 200
    assert api.get("/columns/slow-reading/articles").json()["items"][0]["cover"] == cover

    assert_error(upload(api, f"/articles/{made['id']}/cover", png(), bob_token), 403)
    assert_error(upload(api, f"/articles/{made['id']}/cover", b"GIF89a not really", alice_token), 422)
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * (2 * MB)
    assert_error(upload(api, f"/articles/{made['id']}/cover", big, alice_token), 413, "2 MB")
    assert api.get(f"/articles/{made['id']}").json()["cover"] == cover  # the refused ones changed nothing

    removed = api.delete(f"/articles/{made['id']}/cover", token=alice_token)
    assert removed.status_code == 200 and removed.json()["cover"] is None


# --- the reader's script ---------------------------------------------------------------


def test_script_hant_converts_the_article_text_but_not_identifiers(api, bob, bob_token):
    column = open_column(owner=bob, title="鲍勃读历史", intro="简体写的简介", slug="bob-history")
    set_tip_links(user=bob, alipay="https://qr.alipay.com/fkx12345abcde")
    made = write_article(
        author=bob, column=column, title="汉朝的历史", body="## 汉朝开国\n\n刘邦建立汉朝。",
        summary="说说汉朝。", references=["历史书 https://example.com/历史"],
    )
    data = api.get(f"/articles/{made.pk}", {"script": "hant"}).json()
    assert data["title"] == "漢朝的歷史"
    assert "劉邦建立漢朝" in data["body"] and "劉邦建立漢朝" in data["body_html"]
    assert data["summary"] == "說說漢朝。"
    assert data["toc"] == [{"level": 2, "text": "漢朝開國", "anchor": "sec-1"}]
    assert data["references"] == [{"text": "歷史書", "url": "https://example.com/历史"}]
    assert data["author"] == "鲍勃" and data["column"] == "bob-history" and data["url"] == f"/p/{made.pk}/"
    assert data["tip_links"]["alipay"] == "https://qr.alipay.com/fkx12345abcde"

    col = api.get("/columns/bob-history", {"script": "hant"}).json()
    assert (col["title"], col["intro"], col["owner"], col["slug"]) == ("鮑勃讀歷史", "簡體寫的簡介", "鲍勃", "bob-history")
    listed = api.get("/columns/bob-history/articles", {"script": "hant"}).json()
    assert listed["items"][0]["title"] == "漢朝的歷史" and listed["items"][0]["author"] == "鲍勃"
    assert api.get(f"/articles/{made.pk}", {"script": "hans"}).json()["title"] == "汉朝的历史"


# --- the schema ---------------------------------------------------------------------


def test_the_openapi_document_describes_the_column_endpoints(api, db):
    paths = api.client.get("/api/v1/openapi.json").json()["paths"]
    expected = {
        "/api/v1/columns": {"get", "post"},
        "/api/v1/columns/{slug}": {"get", "patch"},
        "/api/v1/columns/{slug}/articles": {"get", "post"},
        "/api/v1/columns/{slug}/drafts": {"get"},
        "/api/v1/articles/{post_id}": {"get", "patch", "delete"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
    article = paths["/api/v1/articles/{post_id}"]["get"]["responses"]["200"]
    assert article
