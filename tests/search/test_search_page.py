"""The search page (/search/) and the search box in every page's header."""

import re
from html import unescape

import pytest

from luntan.forum import services

from page_helpers import page_of


pytestmark = pytest.mark.django_db

def results(page: str) -> list[str]:
    return re.findall(r'<li class="search-hit">(.*?)</li>', page, re.S)


@pytest.fixture
def interview(alice, board):
    return services.create_thread(
        author=alice, board=board, title="阿尔特曼访谈", body="阿尔特曼说，<b>模型</b>还会更大。"
    )


def test_every_page_has_a_search_box_in_its_header(client, interview):
    for url in ("/", "/b/finance/", interview.get_absolute_url()):
        header = re.search(r'<header class="site-header">(.*?)</header>', page_of(client, url), re.S).group(1)
        assert re.search(r'<form class="site-search" role="search" method="get" action="/search/">', header)
        assert '<input type="search" name="q"' in header


def test_results_show_highlighted_title_board_author_date_and_snippet(client, interview):
    page = page_of(client, "/search/?q=阿尔特曼")

    [hit] = results(page)
    assert f'<a class="thread-title" href="{interview.get_absolute_url()}"><mark>阿尔特曼</mark>访谈</a>' in hit
    assert '<a class="board" href="/b/finance/">股市财经</a>' in hit
    assert '<a class="author" href="/u/alice/">alice</a>' in hit
    assert re.search(r'<time datetime="[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d</time>', hit)
    assert '<p class="snippet"><mark>阿尔特曼</mark>说，&lt;b&gt;模型&lt;/b&gt;还会更大。</p>' in hit


def test_the_form_keeps_what_was_typed(client, interview, board):
    page = page_of(client, "/search/?q=阿尔特曼+访谈&board=finance&author=alice&from=2020-01-01&to=2099-12-31")

    form = re.search(r'<form class="post-form search-form".*?</form>', page, re.S).group(0)
    assert 'name="q" value="阿尔特曼 访谈"' in form
    assert '<option value="finance" selected>股市财经</option>' in form
    assert 'name="author" value="alice"' in form
    assert 'name="from" value="2020-01-01"' in form and 'name="to" value="2099-12-31"' in form
    assert len(results(page)) == 1


def test_nothing_found_says_so(client, interview):
    page = page_of(client, "/search/?q=企鹅")

    assert results(page) == []
    assert "没有找到与「企鹅」相关的帖子" in page


def test_an_empty_query_asks_for_words(client, interview):
    assert "请输入要搜索的词" in page_of(client, "/search/?q=")
    assert "标点和空格不算" in page_of(client, "/search/?q=，。！")
    bare = page_of(client, "/search/")
    assert "请输入要搜索的词" not in bare and '<ol class="post-list search-results"' not in bare


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("board=nowhere", "版面「nowhere」不存在"),
        ("author=nobody_here", "用户「nobody_here」不存在"),
        ("from=2024-02-30", "不是有效的日期"),
        ("page=99", "页码应在 1 到 50 之间"),
    ],
)
def test_invalid_filters_show_a_clear_message_and_keep_the_form(client, interview, query, says):
    page = page_of(client, f"/search/?q=阿尔特曼&{query}", status=422)

    assert says in unescape(re.search(r'<div class="error-box" role="alert">(.*?)</div>', page, re.S).group(1))
    assert 'name="q" value="阿尔特曼"' in page
    assert results(page) == []


def test_pages_link_to_each_other_keeping_the_filters(client, alice, board):
    for i in range(25):
        services.create_thread(author=alice, board=board, title=f"熊猫日记{i}")

    first = page_of(client, "/search/?q=熊猫&board=finance")
    next_url = unescape(re.search(r'<a rel="next" href="([^"]+)">', first).group(1))
    second = page_of(client, f"/search/{next_url}")

    assert len(results(first)) == 20 and len(results(second)) == 5
    assert "board=finance" in next_url and "page=2" in next_url
    assert '<ol class="post-list search-results" start="21">' in second
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_the_page_shows_the_snippet_in_the_readers_script(client, interview):
    page = page_of(client, "/search/?q=阿尔特曼&script=hant")

    [hit] = results(page)
    assert "<mark>阿爾特曼</mark>訪談" in hit
    assert "<mark>阿爾特曼</mark>說，&lt;b&gt;模型&lt;/b&gt;還會更大。" in hit
    # What the reader typed stays as typed.
    assert 'name="q" value="阿尔特曼"' in page
