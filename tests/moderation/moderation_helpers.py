"""What the moderation tests share: a second board with its moderator, a
moderator of the usual board, and small readers of pages and counters."""

import re
from html import unescape

import pytest

from luntan.forum import services as forum
from luntan.forum.models import Board
from luntan.moderation import moderators
from luntan.search import selectors as search

@pytest.fixture
def life(db):
    return forum.create_board(slug="life", name="生活百态", description="柴米油盐")


@pytest.fixture
def mod(make_user, board, operator):
    user = make_user("finance_mod")
    moderators.appoint_moderator(actor=operator, board=board, user=user)
    return user


@pytest.fixture
def life_mod(make_user, life, operator):
    user = make_user("life_mod")
    moderators.appoint_moderator(actor=operator, board=life, user=user)
    return user


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def error_of(page: str) -> str:
    match = re.search(r'<div class="error-box" role="alert">(.*?)</div>', page, re.S)
    assert match, "no error box on the page"
    return unescape(match.group(1))


def counts(board):
    board = Board.objects.get(pk=board.pk)
    return board.thread_count, board.post_count


def found(q, board=""):
    return [hit.id for hit in search.search(search.parse_params(q=q, board=board)).hits]
