"""Moderators' powers through the pages a person uses: operators appoint and
dismiss moderators; a board's moderators act on their own board only
(operators everywhere); hide, restore, delete, lock, pin, feature, move and
retitle keep counters and search right; every act is logged, the log is read
by that board's moderators only; the author is told (通知)."""

import re
from html import unescape

import pytest
from django.test import Client

from luntan.errors import Invalid, NotAllowed
from luntan.forum import services as forum
from luntan.forum.models import Post
from luntan.messages.models import Notice
from luntan.moderation import acts, moderators
from luntan.moderation.models import ModerationLog

from moderation_helpers import life, mod, life_mod, committed, error_of, counts, found  # noqa: F401  (fixtures)
from page_helpers import as_user, page_of

pytestmark = pytest.mark.django_db


# --- fixtures and helpers ---------------------------------------------------------------


@pytest.fixture
def bob_reply(bob, thread):
    return forum.reply(author=bob, parent=thread, title="Re: 七个要点", body="估值泡沫终将破裂")


def act(client, post, action, **fields):
    return client.post(f"/p/{post.pk}/moderate/", {"action": action, **fields})


def reply_count(post):
    return Post.objects.get(pk=post.pk).reply_count


def redirected(response, to=None):
    assert response.status_code == 302, response.content.decode()[:1000]
    if to is not None:
        assert response["Location"] == to


# --- appointing moderators ----------------------------------------------------------------


def test_an_operator_appoints_and_dismisses_a_moderator_on_the_board_page(operator, board, thread, bob, committed):
    staff = as_user(operator)
    assert "暂无版主" in page_of(staff, "/b/finance/moderators/")
    assert page_of(as_user(bob), f"/p/{thread.pk}/moderate/", status=404)

    redirected(committed(staff.post, "/b/finance/moderators/", {"action": "appoint", "username": "鲍勃"}),
               "/b/finance/moderators/")

    assert board.moderators.filter(pk=bob.pk).exists()
    assert "鲍勃" in page_of(staff, "/b/finance/moderators/")
    assert "鲍勃" in page_of(Client(), "/b/finance/")  # the board names its moderators
    assert "处理帖子" in page_of(as_user(bob), f"/p/{thread.pk}/moderate/")
    assert "版务处理" in page_of(as_user(bob), f"/p/{thread.pk}/")
    entry = ModerationLog.objects.get(action="appoint")
    assert (entry.actor, entry.board, entry.target_user) == (operator, board, bob)
    assert "版主" in Notice.objects.get(user=bob).text

    redirected(staff.post("/b/finance/moderators/", {"action": "dismiss", "username": "鲍勃"}))

    assert not board.moderators.filter(pk=bob.pk).exists()
    assert ModerationLog.objects.filter(action="dismiss", target_user=bob, actor=operator).count() == 1
    page_of(as_user(bob), f"/p/{thread.pk}/moderate/", status=404)
    page_of(as_user(bob), "/moderation/", status=404)


def test_appointing_nobody_says_so_and_keeps_the_name(operator, board):
    response = as_user(operator).post("/b/finance/moderators/", {"action": "appoint", "username": "无此人"})

    assert response.status_code == 404
    page = response.content.decode()
    assert "没有这个用户" in error_of(page)
    assert 'value="无此人"' in page
    assert not board.moderators.exists()


def test_moderators_and_members_cannot_appoint(mod, alice, bob, board):
    for user in (mod, alice):
        page_of(as_user(user), "/b/finance/moderators/", status=404)
        assert as_user(user).post("/b/finance/moderators/", {"action": "appoint", "username": "鲍勃"}).status_code == 404
    with pytest.raises(NotAllowed):
        moderators.appoint_moderator(actor=mod, board=board, user=bob)
    with pytest.raises(NotAllowed):
        moderators.dismiss_moderator(actor=mod, board=board, user=mod)
    assert list(board.moderators.all()) == [mod]


def test_an_operator_appoints_a_moderator_in_the_admin(operator, board, bob, mod, thread):
    staff = as_user(operator)
    page = page_of(staff, f"/admin/forum/board/{board.pk}/change/")
    assert 'name="moderators"' in page

    response = staff.post(f"/admin/forum/board/{board.pk}/change/", {
        "slug": board.slug, "name": board.name, "description": board.description, "kind": "forum",
        "owner": "", "position": "0", "avatar": "", "moderators": [bob.pk],
    })

    redirected(response)
    assert list(board.moderators.all()) == [bob]  # bob appointed, mod dismissed
    # Through moderation.moderators, as on the moderators page: logged.
    logged = ModerationLog.objects.filter(board=board, actor=operator).values_list("action", "target_user__username")
    assert ("appoint", bob.username) in set(logged) and ("dismiss", mod.username) in set(logged)
    assert "处理帖子" in page_of(as_user(bob), f"/p/{thread.pk}/moderate/")
    page_of(as_user(mod), f"/p/{thread.pk}/moderate/", status=404)
    # A moderator is no operator: the admin is closed to them.
    assert as_user(mod).get(f"/admin/forum/board/{board.pk}/change/").status_code == 302


# --- scope -------------------------------------------------------------------------------------------


def test_a_moderator_of_another_board_cannot_act_here_but_an_operator_can(life_mod, operator, thread, bob_reply):
    other = as_user(life_mod)
    page_of(other, f"/p/{thread.pk}/moderate/", status=404)
    assert act(other, bob_reply, "hide", reason="越权").status_code == 404
    assert "版务处理" not in page_of(other, f"/p/{thread.pk}/")
    with pytest.raises(NotAllowed):
        acts.hide_post(actor=life_mod, post=bob_reply, reason="越权")
    assert Post.objects.get(pk=bob_reply.pk).status == "public"
    assert not ModerationLog.objects.exclude(action="appoint").exists()

    redirected(act(as_user(operator), bob_reply, "hide", reason="站务处理"))
    assert Post.objects.get(pk=bob_reply.pk).status == "hidden"


def test_a_member_has_no_moderation_pages(alice, thread):
    member = as_user(alice)
    page_of(member, f"/p/{thread.pk}/moderate/", status=404)
    for url in ("/moderation/", "/moderation/log/", "/moderation/review/", "/moderation/reports/", "/moderation/bans/"):
        page_of(member, url, status=404)
    assert Client().get(f"/p/{thread.pk}/moderate/").status_code == 302  # to the login page


# --- hide, restore, delete -----------------------------------------------------------------------------


def test_hiding_a_reply_shows_the_author_the_reason_and_nobody_else_the_post(mod, board, thread, bob, bob_reply, alice, committed):
    assert counts(board) == (1, 2) and reply_count(thread) == 1
    assert found("估值泡沫") == [bob_reply.pk]
    assert f'href="/p/{bob_reply.pk}/"' in page_of(Client(), f"/p/{thread.pk}/")

    redirected(committed(act, as_user(mod), bob_reply, "hide", reason="人身攻击"), f"/p/{bob_reply.pk}/")

    assert counts(board) == (1, 1) and reply_count(thread) == 0
    assert found("估值泡沫") == []
    own = page_of(as_user(bob), f"/p/{bob_reply.pk}/")
    assert "此帖已被版务隐藏" in own and "原因：人身攻击" in own
    page_of(as_user(alice), f"/p/{bob_reply.pk}/", status=404)
    page_of(Client(), f"/p/{bob_reply.pk}/", status=404)
    assert f'href="/p/{bob_reply.pk}/"' not in page_of(Client(), f"/p/{thread.pk}/")
    assert "人身攻击" in page_of(as_user(mod), f"/p/{bob_reply.pk}/")  # the moderator still sees it

    # The author is told: a badge in the header, the notice with the reason.
    home = page_of(as_user(bob), "/")
    assert re.search(r'<span class="badge" title="未读通知">1</span>', home)
    notices = page_of(as_user(bob), "/messages/notices/")
    assert "已被版务隐藏" in notices and "人身攻击" in notices and f'href="/p/{bob_reply.pk}/"' in notices
    assert 'title="未读通知"' not in page_of(as_user(bob), "/")  # read now

    redirected(committed(act, as_user(mod), bob_reply, "restore", reason="误判"))

    assert counts(board) == (1, 2) and reply_count(thread) == 1
    assert found("估值泡沫") == [bob_reply.pk]
    assert "估值泡沫" in page_of(Client(), f"/p/{bob_reply.pk}/")
    assert "恢复" in Notice.objects.filter(user=bob).order_by("-id").first().text
    assert [e.action for e in ModerationLog.objects.filter(post=bob_reply).order_by("id")] == ["hide", "restore"]


def test_hiding_a_thread_takes_it_off_the_board_and_restoring_brings_it_back(mod, board, thread, bob_reply):
    assert counts(board) == (1, 2)
    redirected(act(as_user(mod), thread, "hide", reason="标题党"))

    assert counts(board)[0] == 0
    assert "读懂市场的七个要点" not in page_of(Client(), "/b/finance/")
    assert found("读懂市场") == [] and found("估值泡沫") == []  # its replies go with it
    page_of(Client(), f"/p/{thread.pk}/", status=404)
    page_of(Client(), f"/p/{bob_reply.pk}/", status=404)

    redirected(act(as_user(mod), thread, "restore"))
    assert counts(board) == (1, 2)
    assert "读懂市场的七个要点" in page_of(Client(), "/b/finance/")
    assert found("读懂市场") == [thread.pk] and found("估值泡沫") == [bob_reply.pk]
    assert "估值泡沫" in page_of(Client(), f"/p/{bob_reply.pk}/")


def test_hiding_needs_a_reason_and_the_form_comes_back(mod, bob_reply):
    response = act(as_user(mod), bob_reply, "hide", reason="   ")

    assert response.status_code == 422
    page = response.content.decode()
    assert "请写明原因" in error_of(page)
    assert re.search(r'value="hide" required checked', page)
    assert Post.objects.get(pk=bob_reply.pk).status == "public"
    assert not ModerationLog.objects.filter(action="hide").exists()


def test_a_rejected_act_keeps_the_reason_typed(mod, bob_reply):
    # Restoring a post that is not hidden is refused; the reason stays in the form.
    response = act(as_user(mod), bob_reply, "restore", reason="我写了很长的一段说明")

    assert response.status_code == 409
    page = response.content.decode()
    assert "没有被隐藏" in error_of(page)
    assert re.search(r'<textarea name="reason"[^>]*>我写了很长的一段说明</textarea>', page)


def test_soft_delete_and_restore(mod, board, thread, bob, bob_reply, alice, committed):
    redirected(committed(act, as_user(mod), bob_reply, "delete", reason="广告"))

    post = Post.objects.get(pk=bob_reply.pk)
    assert (post.status, post.status_reason) == ("deleted", "广告")  # soft: the row stays
    assert counts(board) == (1, 1) and reply_count(thread) == 0
    assert found("估值泡沫") == []
    page_of(as_user(alice), f"/p/{bob_reply.pk}/", status=404)
    own = page_of(as_user(bob), f"/p/{bob_reply.pk}/")
    assert "此帖已被版务删除" in own and "原因：广告" in own
    assert "删除" in Notice.objects.get(user=bob).text and "广告" in Notice.objects.get(user=bob).text

    redirected(act(as_user(mod), bob_reply, "restore"))
    assert counts(board) == (1, 2) and reply_count(thread) == 1
    assert found("估值泡沫") == [bob_reply.pk]


def test_hiding_then_deleting_then_restoring_counts_exactly_once(mod, board, thread, bob_reply):
    moderator = as_user(mod)
    redirected(act(moderator, bob_reply, "hide", reason="先藏"))
    redirected(act(moderator, bob_reply, "delete", reason="再删"))
    assert counts(board) == (1, 1) and reply_count(thread) == 0
    redirected(act(moderator, bob_reply, "restore"))
    assert counts(board) == (1, 2) and reply_count(thread) == 1
    assert act(moderator, bob_reply, "restore").status_code == 409
    assert counts(board) == (1, 2)


# --- lock, pin, feature -----------------------------------------------------------------------------------


def test_a_locked_thread_refuses_replies_until_unlocked(mod, thread, bob, bob_reply):
    redirected(act(as_user(mod), thread, "lock", reason="吵架"))
    assert "已锁定" in page_of(Client(), f"/p/{thread.pk}/")

    member = as_user(bob)
    for parent in (thread, bob_reply):
        response = member.post(f"/p/{parent.pk}/reply/", {"title": "Re: 我还要说", "body": "最后一句话"})
        assert response.status_code == 403
        page = unescape(response.content.decode())
        assert "已锁定" in page and "最后一句话" in page  # the text is kept
    assert Post.objects.filter(thread_id=thread.pk).count() == 2

    redirected(act(as_user(mod), thread, "unlock"))
    redirected(member.post(f"/p/{thread.pk}/reply/", {"title": "Re: 我还要说", "body": "最后一句话"}))
    assert Post.objects.filter(thread_id=thread.pk).count() == 3
    assert [e.action for e in ModerationLog.objects.filter(post=thread).order_by("id")] == ["lock", "unlock"]


def test_thread_acts_are_refused_on_a_reply(mod, bob_reply):
    for action in ("lock", "pin", "feature", "move"):
        with pytest.raises(Invalid):
            acts.perform(action, actor=mod, post=bob_reply)
    assert act(as_user(mod), bob_reply, "pin").status_code == 422


def test_a_pinned_thread_comes_first_on_the_board(mod, alice, board, thread):
    newer = forum.create_thread(author=alice, board=board, title="最新的一帖", body="新")

    def order():
        page = page_of(Client(), "/b/finance/")
        return page.index(f'href="/p/{thread.pk}/"') < page.index(f'href="/p/{newer.pk}/"')

    assert not order()  # newest activity first
    redirected(act(as_user(mod), thread, "pin"))
    assert order()
    redirected(act(as_user(mod), thread, "unpin"))
    assert not order()


def test_a_featured_thread_is_listed_in_the_featured_area(mod, alice, board, thread, committed):
    assert "读懂市场的七个要点" not in page_of(Client(), "/b/finance/featured/")

    redirected(committed(act, as_user(mod), thread, "feature", reason="好文"))

    featured = page_of(Client(), "/b/finance/featured/")
    assert "读懂市场的七个要点" in featured and f'href="/p/{thread.pk}/"' in featured
    assert "精华" in page_of(Client(), f"/p/{thread.pk}/")
    redirected(act(as_user(mod), thread, "unfeature"))
    assert "读懂市场的七个要点" not in page_of(Client(), "/b/finance/featured/")


# --- move -------------------------------------------------------------------------------------------------


def test_moving_a_thread_moves_its_replies_counters_and_search(mod, operator, board, life, thread, bob, bob_reply, alice, committed):
    moderators.appoint_moderator(actor=operator, board=life, user=mod)  # a moderator of both boards
    nested = forum.reply(author=alice, parent=bob_reply, title="Re: Re:", body="泡沫论者")
    assert counts(board) == (1, 3) and counts(life) == (0, 0)
    assert set(found("泡沫", board="finance")) == {bob_reply.pk, nested.pk}

    redirected(committed(act, as_user(mod), thread, "move", board="life", reason="不是财经话题"))

    assert counts(board) == (0, 0) and counts(life) == (1, 3)
    assert set(Post.objects.filter(thread_id=thread.pk).values_list("board__slug", flat=True)) == {"life"}
    assert found("泡沫", board="finance") == [] and found("读懂市场", board="finance") == []
    assert set(found("泡沫", board="life")) == {bob_reply.pk, nested.pk}
    assert found("读懂市场", board="life") == [thread.pk]
    search_page = page_of(Client(), "/search/?q=读懂市场&board=life")
    assert f'href="/p/{thread.pk}/"' in search_page
    assert "读懂市场的七个要点" in page_of(Client(), "/b/life/")
    assert "读懂市场的七个要点" not in page_of(Client(), "/b/finance/")

    entry = ModerationLog.objects.get(action="move")
    assert (entry.actor, entry.post_id, entry.reason) == (mod, thread.pk, "不是财经话题")
    assert (entry.detail["source"], entry.detail["target"]) == ("finance", "life")
    assert "生活百态" in Notice.objects.get(user=alice).text


def test_moving_a_thread_with_a_hidden_reply_keeps_both_boards_exact(mod, operator, board, life, thread, bob_reply):
    redirected(act(as_user(mod), bob_reply, "hide", reason="灌水"))
    assert counts(board) == (1, 1)
    redirected(act(as_user(operator), thread, "move", board="life"))
    assert counts(board) == (0, 0) and counts(life) == (1, 1)
    # Restored in its new board, it counts there.
    redirected(act(as_user(operator), bob_reply, "restore"))
    assert counts(board) == (0, 0) and counts(life) == (1, 2)
    assert found("估值泡沫", board="life") == [bob_reply.pk]


def test_a_moderator_sends_an_off_topic_thread_to_a_board_they_do_not_moderate(mod, board, life, thread):
    # As on every BBS: the thread leaves the moderator's board for the right one,
    # whose moderators look after it from then on.
    redirected(act(as_user(mod), thread, "move", board="life", reason="换个地方"))

    assert Post.objects.get(pk=thread.pk).board == life
    assert counts(board) == (0, 0) and counts(life) == (1, 1)
    assert ModerationLog.objects.get(action="move").detail == {"source": board.slug, "target": "life"}
    # Now it is not theirs any more.
    assert as_user(mod).get(f"/p/{thread.pk}/moderate/").status_code == 404


def test_moving_to_an_unknown_board_keeps_the_reason_typed(mod, board, life, thread):
    response = act(as_user(mod), thread, "move", board="nowhere", reason="移到别处去")

    assert response.status_code == 422
    page = response.content.decode()
    assert "请选择要移到的版面" in error_of(page)
    move_form = re.search(r'<input type="hidden" name="action" value="move">.*?</form>', page, re.S).group(0)
    assert 'value="移到别处去"' in move_form, "the move form lost the reason the moderator typed"
    assert counts(board) == (1, 1)


# --- retitle ----------------------------------------------------------------------------------------------


def test_retitling_logs_the_old_and_the_new_title(mod, thread, alice, committed):
    redirected(committed(act, as_user(mod), thread, "edit_title", title="市场七要点", reason="标题太长"))

    assert Post.objects.get(pk=thread.pk).title == "市场七要点"
    entry = ModerationLog.objects.get(action="edit_title")
    assert (entry.detail["old_title"], entry.detail["new_title"]) == ("读懂市场的七个要点", "市场七要点")
    assert entry.reason == "标题太长" and entry.actor == mod
    log = page_of(as_user(mod), "/moderation/log/")
    assert "「读懂市场的七个要点」→「市场七要点」" in log and "标题太长" in log
    assert found("市场七要点") == [thread.pk]
    assert "市场七要点" in Notice.objects.get(user=alice).text


def test_a_refused_title_comes_back_with_the_reason_and_the_typed_text(mod, thread):
    long_title = "长" * 201
    response = act(as_user(mod), thread, "edit_title", title=long_title, reason="统一格式")

    assert response.status_code == 422
    page = response.content.decode()
    assert "标题不能超过" in error_of(page)
    retitle_form = re.search(r'<input type="hidden" name="action" value="edit_title">.*?</form>', page, re.S).group(0)
    assert f'value="{long_title}"' in retitle_form
    assert 'value="统一格式"' in retitle_form, "the retitle form lost the reason the moderator typed"
    assert Post.objects.get(pk=thread.pk).title == "读懂市场的七个要点"


# --- the log ------------------------------------------------------------------------------------------------


def test_the_log_is_read_by_the_boards_moderators_only(mod, life_mod, operator, thread, bob_reply, alice):
    redirected(act(as_user(mod), bob_reply, "hide", reason="恶意灌水内容"))
    entry = ModerationLog.objects.get(action="hide")
    assert (entry.actor, entry.board, entry.post_id, entry.target_user, entry.reason) == (
        mod, thread.board, bob_reply.pk, bob_reply.author, "恶意灌水内容"
    )
    assert entry.created is not None

    for reader in (mod, operator):
        log = page_of(as_user(reader), "/moderation/log/")
        row = re.search(r"<tr>\s*<td><time[^>]*>[^<]+</time></td>\s*<td>finance_mod</td>\s*<td>隐藏.*?</tr>", log, re.S)
        assert row and "恶意灌水内容" in row.group(0), log
        assert "恶意灌水内容" in page_of(as_user(reader), "/moderation/log/?board=finance")
        assert "恶意灌水内容" in page_of(as_user(reader), "/moderation/")

    assert "恶意灌水内容" not in page_of(as_user(life_mod), "/moderation/log/")
    assert "恶意灌水内容" not in page_of(as_user(life_mod), "/moderation/log/?board=finance")
    assert "恶意灌水内容" not in page_of(as_user(life_mod), "/moderation/")
    page_of(as_user(alice), "/moderation/log/", status=404)


def test_every_act_writes_a_log_entry(mod, operator, board, life, thread, bob_reply):
    moderators.appoint_moderator(actor=operator, board=life, user=mod)
    moderator = as_user(mod)
    steps = [
        (bob_reply, "hide", {"reason": "一"}), (bob_reply, "restore", {}), (bob_reply, "delete", {"reason": "二"}),
        (thread, "lock", {}), (thread, "unlock", {}), (thread, "pin", {}), (thread, "unpin", {}),
        (thread, "feature", {}), (thread, "unfeature", {}), (thread, "edit_title", {"title": "新标题"}),
        (thread, "move", {"board": "life"}),
    ]
    for post, action, fields in steps:
        redirected(act(moderator, post, action, **fields))
    logged = list(ModerationLog.objects.filter(actor=mod).order_by("id").values_list("action", flat=True))
    assert logged == [action for _, action, _ in steps]


# --- CSRF ---------------------------------------------------------------------------------------------------


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_moderation_forms_need_the_csrf_token(mod, operator, bob, bob_reply):
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(mod)

    refused = guarded.post(f"/p/{bob_reply.pk}/moderate/", {"action": "hide", "reason": "伪造"})
    assert refused.status_code == 403
    assert Post.objects.get(pk=bob_reply.pk).status == "public"

    token = _token(page_of(guarded, f"/p/{bob_reply.pk}/moderate/"))
    accepted = guarded.post(f"/p/{bob_reply.pk}/moderate/", {"action": "hide", "reason": "真的", "csrfmiddlewaretoken": token})
    redirected(accepted)
    assert Post.objects.get(pk=bob_reply.pk).status == "hidden"

    staff = Client(enforce_csrf_checks=True)
    staff.force_login(operator)
    assert staff.post("/b/finance/moderators/", {"action": "appoint", "username": "鲍勃"}).status_code == 403
    token = _token(page_of(staff, "/b/finance/moderators/"))
    redirected(staff.post("/b/finance/moderators/", {"action": "appoint", "username": "鲍勃", "csrfmiddlewaretoken": token}))
    assert bob_reply.board.moderators.filter(pk=bob.pk).exists()
