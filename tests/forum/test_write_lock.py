"""The slow work of a write (Markdown rendering and sanitising, search
tokenizing) happens before the transaction opens: on SQLite a write
transaction locks the whole database, and every other writer waits while it
is open. Each slow step is watched (wrapped, still doing its work) and must
find no transaction open."""

import pytest
from django.db import connection

from luntan.columns.services import edit_article, open_column, write_article
from luntan.forum import services as forum
from luntan.messages import services as messages


@pytest.fixture
def slow_steps(monkeypatch):
    """Whether a transaction was open at each call of a slow step."""
    seen: list[tuple[str, bool]] = []
    for module, name in ((forum, "render"), (forum, "tokenize"), (messages, "render_markdown")):
        original = getattr(module, name)

        def watched(*args, _original=original, _name=name, **kwargs):
            seen.append((_name, connection.in_atomic_block))
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, watched)
    return seen


@pytest.mark.django_db(transaction=True)
def test_posting_replying_editing_articles_and_messages_render_before_the_write_lock(slow_steps, make_user):
    alice, bob = make_user("alice"), make_user("bob")
    board = forum.create_board(slug="finance", name="股市财经")
    thread = forum.create_thread(author=alice, board=board, title="主题", body="**正文**")
    answer = forum.reply(author=bob, parent=thread, title="回复", body="*回复*")
    forum.edit_post(editor=bob, post=answer, title="改过的回复", body="改过")
    column = open_column(owner=alice, title="专栏")
    article = write_article(author=alice, column=column, title="文章", body="## 小节\n\n内容。")
    edit_article(editor=alice, post=article, title="文章", body="## 小节\n\n改过的内容。")
    messages.send(sender=alice, recipient=bob, body="**你好**")

    steps = [name for name, _ in slow_steps]
    assert steps.count("render") == 5 and steps.count("tokenize") == 5 and steps.count("render_markdown") == 1
    assert [step for step in slow_steps if step[1]] == []
