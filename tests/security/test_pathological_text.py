"""No body can make a text path take time out of proportion to its length.

Brackets, image openers and emphasis runs once took time growing with the
square of the length (a reply of 30,000 "[" took 11 s to post, and 11 s again
on every view of its page). Here each shape, at the longest body allowed, goes
through every path that reads a body: rendering with its plain text, the
summary, the search snippet, indexing, and the pages that show it. Time is the
property under test, so each path gets a bound: generous (a few seconds), and
still far below what a quadratic path takes at this length (minutes). It is
the processor time this process spends, so other work on the machine does not
count against it.
"""

import time

import pytest
from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luntan.markup import render
from luntan.search.backends import Terms
from luntan.search.highlight import Highlighter
from luntan.search.indexing import document_for
from luntan.zh.summary import summarize

LENGTH = 100_000
BOUND_SECONDS = 10  # per path, per shape; the slowest (rendering "![" runs) takes about 4 here

# The shapes that broke the old patterns, and their relatives.
SHAPES = ["[", "![", "*a ", "_a ", "[a](", "](", "**a", "`", "<", "&#", "\\", "~~a", "| a ", "> ", "[^", "[]"]


def _body(unit: str) -> str:
    return (unit * (LENGTH // len(unit) + 1))[:LENGTH]


def _timed(what: str, call):
    started = time.process_time()
    result = call()
    elapsed = time.process_time() - started
    assert elapsed < BOUND_SECONDS, f"{what} took {elapsed:.1f} s"
    return result


class _Post:
    """What indexing reads of a post, as the posting services leave it."""

    def __init__(self, body_text: str):
        self.pk, self.board_id, self.author_id, self.created = 1, 1, 1, None
        self.title, self.body_text = "标题", body_text


def _every_text_path(body: str) -> None:
    rendered = _timed("render", lambda: render(body, limit=LENGTH))
    _timed("summary", lambda: summarize(rendered.lead, 120))
    highlighter = Highlighter(Terms(phrases=(("a",), ("经", "济")), chars=("a", "经", "济"), words=("经济",)))
    _timed("snippet of the plain text", lambda: highlighter.snippet(rendered.text))
    _timed("snippet of the source", lambda: highlighter.snippet(body))
    _timed("title", lambda: highlighter.title(body[:200]))
    _timed("indexing", lambda: document_for(_Post(rendered.text)))


@pytest.mark.parametrize("unit", SHAPES)
def test_each_known_shape_at_the_longest_body_finishes(unit):
    _every_text_path(_body(unit))


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from("[]()!*_`~<>&#|\\:- \na经"), min_size=1, max_size=4))
def test_any_short_unit_repeated_to_the_longest_body_finishes(unit):
    _every_text_path(_body(unit))


def test_settings_allow_no_longer_body_than_the_bound_tested_here():
    assert django_settings.LUNTAN["BODY_MAX"] <= LENGTH


def test_render_refuses_more_than_its_limit():
    with pytest.raises(ValueError):
        render("字" * 11, limit=10)


@pytest.mark.django_db
@pytest.mark.parametrize("unit", ["[", "*a "])
def test_a_reply_of_brackets_posts_and_its_pages_serve_in_bounded_time(unit, alice, bob, thread, client):
    from luntan.forum.services import reply

    body = _body(unit)
    posted = _timed("posting", lambda: reply(author=bob, parent=thread, title="括号", body=body))
    for path in (f"/p/{posted.pk}/", f"/p/{thread.pk}/?view=flat", f"/p/{thread.pk}/feed.atom"):
        response = _timed(path, lambda: client.get(path))
        assert response.status_code == 200
    # What the page describes itself with was read off the body when it was written.
    page = client.get(f"/p/{posted.pk}/").content.decode()
    assert f'<meta name="description" content="{posted.excerpt[:20]}' in page
