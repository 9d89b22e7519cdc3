"""A post's life (`forum.lifecycle`): counters a reader sees stay equal to a
recount (`forum.counts`, `luntan check-counts`) through every act, including
the two sequences that once left them wrong, tried as an operator would,
through /api/v1/posts/{id}/moderate; and each change is announced once, after
its transaction commits."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from luntan.forum import counts, lifecycle
from luntan.forum.models import Board
from luntan.forum.services import create_board, create_thread, reply


@pytest.fixture
def moderate_api(client, operator):
    from luntan.accounts.services import issue_token

    token = issue_token(user=operator)

    def act(post, action, **extra):
        response = client.post(
            f"/api/v1/posts/{post.pk}/moderate",
            json.dumps({"action": action, "reason": "测试", **extra}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response.status_code == 200, response.content
        return response

    return act


def _board(slug):
    return Board.objects.get(slug=slug)


def _guest_sees(client, board):
    """Threads and posts of `board` a guest can open, counted through the API."""
    threads = client.get(f"/api/v1/boards/{board.slug}/threads").json()["items"]
    posts = 0
    for thread in threads:
        tree = client.get(f"/api/v1/posts/{thread['id']}/tree").json()

        def public(node):
            return (node["status"] == "public") + sum(public(child) for child in node["children"])

        posts += public(tree)
    return len(threads), posts


@pytest.mark.django_db
def test_hiding_a_reply_then_its_thread_then_restoring_both_counts_what_a_guest_sees(
    alice, bob, board, thread, moderate_api, client
):
    first = reply(author=bob, parent=thread, title="第一条回复")
    reply(author=bob, parent=thread, title="第二条回复")
    moderate_api(first, "hide")
    moderate_api(thread, "hide")
    moderate_api(first, "restore")
    moderate_api(thread, "restore")

    board.refresh_from_db()
    assert (board.thread_count, board.post_count) == _guest_sees(client, board) == (1, 3)
    assert counts.check() == []


@pytest.mark.django_db
def test_moving_a_hidden_thread_and_restoring_it_keeps_both_boards_exact(
    alice, bob, board, thread, moderate_api, client
):
    other = create_board(slug="talk", name="闲谈")
    hidden_reply = reply(author=bob, parent=thread, title="要隐藏的回复")
    reply(author=bob, parent=thread, title="留下的回复")
    moderate_api(hidden_reply, "hide")
    moderate_api(thread, "hide")
    moderate_api(thread, "move", board="talk")
    moderate_api(thread, "restore")

    source, target = _board("finance"), _board("talk")
    assert (source.thread_count, source.post_count) == _guest_sees(client, source) == (0, 0)
    assert (target.thread_count, target.post_count) == _guest_sees(client, other) == (1, 2)
    assert counts.check() == []


@pytest.mark.django_db
def test_a_reply_approved_after_its_thread_was_hidden_is_not_counted(alice, bob, board, thread, rule, operator):
    from luntan.moderation.models import ReviewItem
    from luntan.moderation.review import decide_review
    from luntan.moderation import acts

    rule("审核词", "review", category="待查")
    held = reply(author=bob, parent=thread, title="含审核词的回复")
    acts.hide_post(actor=operator, post=thread, reason="整理")
    decide_review(actor=operator, item=ReviewItem.objects.get(post=held), decision="approve")
    acts.restore_post(actor=operator, post=thread)
    board.refresh_from_db()
    assert (board.thread_count, board.post_count) == (1, 2)
    assert counts.check() == []


@pytest.mark.django_db
def test_check_counts_lists_what_disagrees_exits_non_zero_and_fix_mends_it(alice, bob, board, thread, capsys):
    reply(author=bob, parent=thread, title="回复")
    call_command("check_counts")
    assert "所有计数一致" in capsys.readouterr().out

    # A counter gone wrong outside the lifecycle (a crash between writes, a
    # hand edit): the one place a test writes a counter, to have one to find.
    Board.objects.filter(pk=board.pk).update(post_count=7)
    with pytest.raises(CommandError, match="1 个计数不一致"):
        call_command("check_counts")
    assert "board.post_count finance: 记录为 7，实数 2" in capsys.readouterr().out

    call_command("check_counts", "--fix")
    call_command("check_counts")
    assert "所有计数一致" in capsys.readouterr().out


@pytest.mark.django_db
def test_each_change_is_announced_once_after_commit(alice, bob, board, thread, operator, django_capture_on_commit_callbacks):
    from luntan.moderation import acts

    heard = []

    def listen(sender, change, **kwargs):
        heard.append(change)

    lifecycle.post_changed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            answer = reply(author=bob, parent=thread, title="回复")
        with django_capture_on_commit_callbacks(execute=True):
            acts.hide_post(actor=operator, post=answer, reason="离题")
        with django_capture_on_commit_callbacks(execute=False) as pending:
            create_thread(author=alice, board=board, title="未提交")
    finally:
        lifecycle.post_changed.disconnect(listen)
    assert [(c.change, c.post_id, c.thread_id, c.board_ids) for c in heard] == [
        (lifecycle.Change.SHOWN, answer.pk, thread.pk, (board.pk,)),
        (lifecycle.Change.HIDDEN, answer.pk, thread.pk, (board.pk,)),
    ]
    assert len(pending) == 1  # the uncommitted thread's event waits for a commit that never came
