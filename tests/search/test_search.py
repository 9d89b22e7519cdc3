"""Search that understands Chinese: script-, width- and case-insensitive,
words before scattered characters, titles before bodies, filters, only public
posts, highlighted snippets. Runs on whichever database the suite uses
(SQLite FTS5 or PostgreSQL tsvector)."""

from datetime import datetime

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from luntan.errors import Invalid
from luntan.forum import services
from luntan.forum.models import Post
from luntan.search import selectors
from luntan.search.backends import backend
from luntan.search.indexing import index_post, unindex_post
from luntan.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def search(q: str, **filters) -> selectors.SearchPage:
    return selectors.search(selectors.parse_params(q=q, **filters))


def found(q: str, **filters) -> list[int]:
    return [hit.id for hit in search(q, **filters).hits]


def hit_for(q: str, post: Post, **filters) -> selectors.SearchHit:
    return next(hit for hit in search(q, **filters).hits if hit.id == post.pk)


@pytest.fixture
def post(alice, board):
    def make(title: str, body: str = "", *, author=None, on=None, at=None) -> Post:
        return services.create_thread(author=author or alice, board=on or board, title=title, body=body, at=at)

    return make


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args), timezone.get_default_timezone())


# --- scripts, widths, cases ---------------------------------------------------


def test_simplified_query_finds_traditional_text_and_the_reverse(post):
    traditional = post("科技新聞", "阿爾特曼說，模型還會更大。")
    simplified = post("另一篇", "阿尔特曼今天又发言了。")

    assert set(found("阿尔特曼")) == {traditional.pk, simplified.pk}
    assert set(found("阿爾特曼")) == {traditional.pk, simplified.pk}


def test_full_width_and_any_case_find_latin_words_whole(post):
    upper = post("AI 芯片的未来")
    lower = post("聊聊 ai 绘画")
    inside_a_word = post("He said no", "plain words")

    assert set(found("ＡＩ")) == {upper.pk, lower.pk}
    assert set(found("Ai")) == {upper.pk, lower.pk}
    assert inside_a_word.pk not in found("ai")
    assert found("ＳＡＩＤ") == [inside_a_word.pk]


def test_digits_and_mixed_terms(post):
    model = post("GPT4模型评测", "跑分 2024 年")

    assert found("gpt4模型") == [model.pk]
    assert found("２０２４") == [model.pk]
    assert found("gpt") == []  # a letter/digit run is one token: no prefixes


# --- tiers and ranking ----------------------------------------------------------


def test_the_word_together_ranks_before_its_characters_apart(post):
    together = post("访谈", "阿尔特曼谈模型。")
    apart = post("游记", "阿里的朋友尔后去了特区，又去曼谷。")
    unrelated = post("无关", "阿里和曼谷。")

    assert found("阿尔特曼") == [together.pk, apart.pk]
    assert unrelated.pk not in found("阿尔特曼")


def test_every_term_must_stand_together_in_the_first_tier(post):
    both = post("两个词", "人工智能改变了芯片设计。")
    scattered = post("散落", "人们工作很智能，芯片的设计也很新。")

    assert found("人工智能 芯片") == [both.pk, scattered.pk]


def test_a_title_match_ranks_above_a_body_only_match(post):
    in_title = post("量子计算入门", "今天先讲一些基础。")
    in_body = post("读书笔记", "量子计算很难。量子计算真的很难。量子计算太难了。")

    assert found("量子计算") == [in_title.pk, in_body.pk]


def test_a_title_holding_any_of_the_query_ranks_above_the_body_only(post):
    in_body = post("今日简报", "股市行情平稳，股市行情向好。")
    one_in_title = post("股市周评", "行情平稳。")
    both_in_title = post("股市行情分析", "平稳。")

    results = found("股市 行情")

    assert set(results[:2]) == {one_in_title.pk, both_in_title.pk}
    assert results[2:] == [in_body.pk]


def test_characters_paired_but_not_together_are_not_the_word(post):
    """Every pair of the word's characters, but never all four in a row: the
    first tier's phrase check leaves it to the second, even ranked first by its title."""
    together = post("访谈", "阿尔特曼谈模型。")
    pairs_only = post("阿尔卑斯特刊", "阿尔卑斯的尔特别墅里住着特曼先生。")

    assert found("阿尔特曼") == [together.pk, pairs_only.pk]


def test_replies_are_found(post, bob):
    root = post("问个问题", "有人了解吗？")
    answer = services.reply(author=bob, parent=root, title="Re: 问个问题", body="可以看看量子纠缠的科普书。")

    assert found("量子纠缠") == [answer.pk]


# --- filters --------------------------------------------------------------------


def test_filter_by_board_and_author(post, alice, bob, board):
    other_board = services.create_board(slug="tech", name="科技")
    alices = post("太空探索", "火星任务")
    bobs = post("太空探索续", "火星任务", author=bob)
    elsewhere = post("太空探索三", "火星任务", on=other_board)

    assert set(found("火星")) == {alices.pk, bobs.pk, elsewhere.pk}
    assert set(found("火星", board="finance")) == {alices.pk, bobs.pk}
    assert found("火星", board="tech") == [elsewhere.pk]
    assert set(found("火星", author="alice")) == {alices.pk, elsewhere.pk}
    assert found("火星", author="鲍勃", board="finance") == [bobs.pk]


def test_date_range_is_inclusive_in_the_site_time_zone(post):
    # 23:30 in Shanghai is still 15:30 UTC of the same day; 00:10 is the day after.
    late_on_first = post("五一晚上", "龙舟比赛", at=local(2024, 5, 1, 23, 30))
    early_on_second = post("五二凌晨", "龙舟比赛", at=local(2024, 5, 2, 0, 10))
    before = post("四月", "龙舟比赛", at=local(2024, 4, 30, 12, 0))

    assert found("龙舟", date_from="2024-05-01", date_to="2024-05-01") == [late_on_first.pk]
    assert set(found("龙舟", date_from="2024-05-01")) == {late_on_first.pk, early_on_second.pk}
    assert set(found("龙舟", date_to="2024-05-01")) == {late_on_first.pk, before.pk}
    assert found("龙舟", date_from="2024-05-03") == []


def test_date_ranges_across_years_and_months(post):
    new_years_eve = post("跨年", "烟花表演", at=local(2023, 12, 31, 23, 59))
    summer = post("夏天", "烟花表演", at=local(2024, 7, 15, 12, 0))
    next_spring = post("春天", "烟花表演", at=local(2025, 3, 1, 8, 0))
    long_ago = post("很久以前", "烟花表演", at=local(2019, 2, 1, 8, 0))

    assert set(found("烟花", date_from="2023-12-31", date_to="2024-12-31")) == {new_years_eve.pk, summer.pk}
    assert set(found("烟花", date_from="2024-01-01", date_to="2025-03-01")) == {summer.pk, next_spring.pk}
    assert set(found("烟花", date_from="2018-01-01", date_to="2025-12-31")) == {
        new_years_eve.pk, summer.pk, next_spring.pk, long_ago.pk,
    }


@pytest.mark.parametrize(
    ("filters", "field", "says"),
    [
        ({"board": "no-such-board"}, "board", "no-such-board"),
        ({"author": "nobody_here"}, "author", "nobody_here"),
        ({"date_from": "2024-13-01"}, "from", "YYYY-MM-DD"),
        ({"date_to": "2024/05/01"}, "to", "YYYY-MM-DD"),
        ({"date_from": "20240501"}, "from", "YYYY-MM-DD"),
        ({"date_from": "2024-05-02", "date_to": "2024-05-01"}, "from", "晚于"),
        ({"page": "0"}, "page", "1 到 50"),
        ({"page": "51"}, "page", "1 到 50"),
        ({"page": "二"}, "page", "整数"),
        ({"q": "长" * 101}, "q", "100"),
    ],
)
def test_invalid_filters_say_what_is_wrong(filters, field, says):
    with pytest.raises(Invalid) as error:
        selectors.parse_params(**{"q": "火星", **filters})
    assert error.value.field == field
    assert says in error.value.message


@pytest.mark.parametrize("q", ["", "   ", "，。！？", "-- ... __"])
def test_empty_or_separator_only_queries_find_nothing_and_say_why(post, q):
    post("标点", "，。！？ -- ... __")

    page = search(q)

    assert page.hits == [] and not page.has_next
    assert page.message


@pytest.mark.parametrize(
    ("q", "finds"),
    [
        ('" OR 1=1 --', False),
        ("NEAR(熊猫 竹子)", True),
        ("熊* ^猫", True),
        ("and or not", True),
        ("熊猫'); DROP TABLE search_document; --", False),
        ("{title_words}: 熊猫", False),
    ],
)
def test_query_syntax_in_the_text_is_only_text(post, q, finds):
    panda = post("熊猫 and or not", "竹子 near")

    assert found(q) == ([panda.pk] if finds else [])
    assert SearchDocument.objects.filter(post_id=panda.pk).exists()


def test_rare_scripts_and_astral_characters(post):
    astral = post("𠀀𠀁 字", "Ωμέγα ДОБРО 😀")

    assert found("𠀀𠀁") == [astral.pk]
    assert found("ωμέγα") == [astral.pk] and found("добро") == [astral.pk]
    assert hit_for("добро", astral).snippet_html == "Ωμέγα <mark>ДОБРО</mark> 😀"
    assert search("😀").message


# --- only public posts, kept current --------------------------------------------


def _set_status(post: Post, status: str) -> None:
    """What the moderation acts do: change the status, then reindex the post."""
    Post.objects.filter(pk=post.pk).update(status=status)
    post.refresh_from_db()
    index_post(post)


@pytest.mark.parametrize("status", [Post.Status.HELD, Post.Status.HIDDEN, Post.Status.DELETED])
def test_posts_that_are_not_public_are_not_found(post, status):
    shown = post("公开的帖子", "独角兽公司")
    gone = post("另一个帖子", "独角兽公司")

    _set_status(gone, status)

    assert found("独角兽") == [shown.pk]
    assert not SearchDocument.objects.filter(post_id=gone.pk).exists()
    _set_status(gone, Post.Status.PUBLIC)  # restored
    assert set(found("独角兽")) == {shown.pk, gone.pk}


def test_a_post_created_held_is_not_indexed(alice, board):
    held = Post(
        board=board, author=alice, title="待审核的独角兽", body="", status=Post.Status.HELD,
        created=timezone.now(), last_activity=timezone.now(), month_day=101,
    )
    held.save()

    index_post(held)

    assert found("独角兽") == []


def test_unindex_drops_a_post(post):
    gone = post("独角兽", "")

    unindex_post(gone.pk)

    assert found("独角兽") == []


def test_an_edit_replaces_the_indexed_words(post, alice):
    edited = post("旧标题：熊猫", "竹子很好吃")

    services.edit_post(editor=alice, post=edited, title="新标题：企鹅", body="冰山很冷")

    assert found("熊猫") == [] and found("竹子") == []
    assert found("企鹅") == [edited.pk] and found("冰山") == [edited.pk]


def test_the_index_rolls_back_with_the_post(alice, board):
    """The index is written in the posting transaction: it commits or rolls back with it."""
    with pytest.raises(RuntimeError), transaction.atomic():
        services.create_thread(author=alice, board=board, title="回滚的独角兽", body="")
        assert found("独角兽") != []
        raise RuntimeError("the request failed later")

    assert found("独角兽") == []
    assert SearchDocument.objects.count() == 0


# --- snippets -------------------------------------------------------------------


def test_snippet_marks_the_match_as_written_and_escapes_the_rest(post):
    written = post("阿爾特曼訪談", "<b>注意</b> 他說：阿爾特曼與ＡＩ & 未來。")

    hit = hit_for("阿尔特曼 ai", written)

    assert hit.title_html == "<mark>阿爾特曼</mark>訪談"
    assert hit.snippet_html == "&lt;b&gt;注意&lt;/b&gt; 他說：<mark>阿爾特曼</mark>與<mark>ＡＩ</mark> &amp; 未來。"


def test_title_html_is_escaped(post):
    written = post("<script>alert(1)</script> 熊猫", "")

    assert hit_for("熊猫", written).title_html == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>熊猫</mark>"


def test_snippet_is_a_window_around_the_first_match_of_a_long_body(post):
    body = "前言很长。" * 60 + "这里提到了阿尔特曼的观点。" + "后记也很长。" * 60
    long_post = post("长文", body)

    snippet = hit_for("阿尔特曼", long_post).snippet_html

    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>阿尔特曼</mark>" in snippet
    text = snippet.replace("<mark>", "").replace("</mark>", "").strip("…")
    assert 70 <= len(text) <= 80
    assert text.index("阿尔特曼") <= 25


def test_snippet_of_a_body_without_the_match_is_its_start(post):
    titled = post("熊猫基地", "今天天气很好，" * 30)

    snippet = hit_for("熊猫", titled).snippet_html

    assert snippet.startswith("今天天气很好") and "<mark>" not in snippet and snippet.endswith("…")


def test_snippet_uses_the_text_a_reader_sees_not_the_markup(post):
    linked = post("链接", "看[熊猫的照片](https://example.com/panda) **很可爱**")

    assert hit_for("熊猫", linked).snippet_html == "看<mark>熊猫</mark>的照片 很可爱"


def test_characters_apart_are_marked_one_by_one(post):
    apart = post("游记", "阿里的朋友尔后去了特区，又去曼谷。")

    snippet = hit_for("阿尔特曼", apart).snippet_html

    assert snippet == "<mark>阿</mark>里的朋友<mark>尔</mark>后去了<mark>特</mark>区，又去<mark>曼</mark>谷。"


# --- pages of results -----------------------------------------------------------


def test_pages_go_on_from_the_first_tier_into_the_second(post):
    together = [post(f"第{i}篇", "阿尔特曼说了一些话。") for i in range(22)]
    apart = [post(f"散{i}篇", "阿里的朋友尔后去了特区，又去曼谷。") for i in range(5)]

    first, second = search("阿尔特曼"), search("阿尔特曼", page="2")

    assert len(first.hits) == 20 and first.has_next
    assert len(second.hits) == 7 and not second.has_next
    ids = [h.id for h in first.hits + second.hits]
    assert sorted(ids) == sorted(p.pk for p in together + apart)
    assert set(ids[:22]) == {p.pk for p in together}


def test_a_page_that_starts_past_the_first_tier(post):
    together = [post(f"第{i}篇", "阿尔特曼说了一些话。") for i in range(20)]
    apart = [post(f"散{i}篇", "阿里的朋友尔后去了特区，又去曼谷。") for i in range(3)]

    second = search("阿尔特曼", page="2")

    assert {h.id for h in second.hits} == {p.pk for p in apart}
    assert {h.id for h in search("阿尔特曼").hits} == {p.pk for p in together}


def test_a_page_past_the_first_tier_counts_only_its_matches(post):
    """Posts with the word's character pairs apart look like first-tier matches
    to the index; the count that places page 2 in the second tier leaves them out."""
    together = [post(f"第{i}篇", "阿尔特曼说了一些话。") for i in range(20)]
    pairs_only = [post(f"阿尔特刊{i}", "阿尔卑斯的尔特别墅里住着特曼先生。") for i in range(2)]
    apart = [post(f"散{i}篇", "阿里的朋友尔后去了特区，又去曼谷。") for i in range(2)]

    first, second = search("阿尔特曼"), search("阿尔特曼", page="2")

    assert {h.id for h in first.hits} == {p.pk for p in together} and first.has_next
    assert {h.id for h in second.hits} == {p.pk for p in pairs_only + apart} and not second.has_next


def test_a_common_term_ranks_its_newest_matches(post, monkeypatch):
    """Past RANK_WINDOW matches, the newest RANK_WINDOW are ranked: the cost of
    a query stays bounded however common its words."""
    from luntan.search import backends

    oldest_best = post("熊猫熊猫", "熊猫")
    newer = [post(f"日记{i}", "今天看到熊猫了。") for i in range(4)]
    monkeypatch.setattr(backends, "RANK_WINDOW", 3)

    page = search("熊猫")

    assert [h.id for h in page.hits] == [p.pk for p in reversed(newer[1:])]
    assert oldest_best.pk not in [h.id for h in page.hits]
    monkeypatch.setattr(backends, "RANK_WINDOW", 10)
    assert found("熊猫")[0] == oldest_best.pk


def test_matches_older_than_the_newest_posts_are_found_and_ranked(post, monkeypatch):
    """PostgreSQL looks for a term among the newest posts first (two buckets of
    post ids, here made two ids wide); the older posts still count when those
    fall short, for the ranking window and for the second tier."""
    from luntan.search import backends

    monkeypatch.setattr(backends, "BUCKET_BITS", 1)
    apart = post("游记", "熊出没，猫也在。")
    titled = post("熊猫专题", "今天看到熊猫了。")
    diaries = [post("日记", "今天看到熊猫了。") for _ in range(5)]
    for _ in range(4):
        post("天气", "今天天气很好。")  # the newest buckets hold no match

    expected = [titled.pk, *(p.pk for p in reversed(diaries)), apart.pk]
    assert found("熊猫") == expected
    assert found("熊猫", board="finance", author="alice") == expected
    monkeypatch.setattr(backends, "RANK_WINDOW", 3)
    assert found("熊猫")[:3] == [p.pk for p in reversed(diaries[2:])]


def test_a_search_costs_a_few_queries_however_many_results(post):
    for i in range(12):
        post(f"熊猫{i}", "竹子" * 5)
    for i in range(3):
        post(f"散{i}", "熊出没，猫也在")

    with CaptureQueriesContext(connection) as queries:
        page = search("熊猫")

    assert len(page.hits) == 15
    assert len(queries) == 3  # tier 1, tier 2, the posts with their boards and authors


# --- rebuilding -----------------------------------------------------------------


def test_reindex_rebuilds_an_emptied_index(post, capsys):
    kept = [post(f"熊猫{i}", "竹子") for i in range(7)]
    hidden = post("熊猫隐藏", "竹子")
    Post.objects.filter(pk=hidden.pk).update(status=Post.Status.HIDDEN)  # not through index_post: stale
    backend().clear()
    assert found("熊猫") == []

    call_command("reindex", batch_size=3, verbosity=2)

    assert sorted(found("熊猫")) == sorted(p.pk for p in kept)
    output = capsys.readouterr().out
    assert "已索引 3/7" in output and "已索引 7/7" in output and "7 个公开帖子" in output


def test_reindex_drops_documents_of_posts_no_longer_public(post):
    stale = post("熊猫", "")
    Post.objects.filter(pk=stale.pk).update(status=Post.Status.DELETED)  # behind the index's back

    call_command("reindex", stdout=open("/dev/null", "w"))

    assert found("熊猫") == []
    assert not SearchDocument.objects.filter(post_id=stale.pk).exists()


def test_the_demo_community_is_searchable(db):
    from luntan.demo import create_demo

    create_demo()

    public = Post.objects.filter(status=Post.Status.PUBLIC)
    assert SearchDocument.objects.count() == public.count()
    sample = public.filter(parent__isnull=True).select_related("author").order_by("id").first()
    day = timezone.localdate(sample.created).isoformat()
    assert sample.pk in found(sample.title, author=sample.author.username, date_from=day, date_to=day)
