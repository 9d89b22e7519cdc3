"""The moderation API: moderators (版主), acts on posts, the review queue,
reports (举报), the moderation log, bans, featured threads and notices (通知).

Who may do what: operators everywhere; a board's moderators on their board;
anyone else 403. What a caller may not even see (a hidden post, a review item
or report of a board they do not moderate) answers 404."""

import pytest

from luntan.forum.models import Board, Post
from luntan.forum.services import create_board, create_thread, reply
from luntan.messages.models import Notice
from luntan.messages.services import send
from luntan.moderation.models import Ban, ModerationLog, ModerationSettings, Report

from api_client import alice_token, api, assert_error, bob_token, token_for  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_token(operator, token_for):
    return token_for(operator)


@pytest.fixture
def life(db):
    return create_board(slug="life", name="生活百态", description="柴米油盐")


@pytest.fixture
def mod(make_user, board):
    """The moderator of finance; the name has Simplified characters, which a Traditional reader must see as they are."""
    user = make_user("版主发")
    board.moderators.add(user)  # not through appoint_moderator: its log entry would crowd the log tests
    return user


@pytest.fixture
def mod_token(mod, token_for):
    return token_for(mod)


@pytest.fixture
def life_mod_token(make_user, life, token_for):
    user = make_user("life_mod")
    life.moderators.add(user)
    return token_for(user)


@pytest.fixture
def bob_reply(bob, thread):
    return reply(author=bob, parent=thread, title="Re: 独角兽公司的估值", body="估值泡沫")


@pytest.fixture
def told(django_capture_on_commit_callbacks):
    """Run an API call and the notices it sends after its transaction commits."""

    def call(request, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(*args, **kwargs)

    return call


def counts(board):
    board = Board.objects.get(pk=board.pk)
    return board.thread_count, board.post_count


def moderate(api, post_id, action, token, **fields):
    return api.post(f"/posts/{post_id}/moderate", {"action": action, **fields}, token=token)


def put(api, path, **kw):
    return api._call("put", path, **kw)  # ApiClient has no put()


def found(api, q):
    return [item["id"] for item in api.get("/search", {"q": q}).json()["items"]]


# --- moderators -------------------------------------------------------------------------


def test_operators_appoint_and_dismiss_moderators(api, board, bob, alice_token, operator_token, mod_token):
    path = f"/boards/finance/moderators/{bob.username}"
    response = put(api, path, token=operator_token)
    assert response.status_code == 200, response.content.decode()
    assert response.json()["slug"] == "finance" and set(response.json()["moderators"]) == {"版主发", "鲍勃"}
    again = put(api, path, token=operator_token)
    assert again.status_code == 200 and set(again.json()["moderators"]) == {"版主发", "鲍勃"}
    assert ModerationLog.objects.filter(action="appoint", target_user=bob).count() == 1

    assert_error(put(api, path), 401)
    assert_error(put(api, path, token=alice_token), 403, "站务")
    assert_error(put(api, path, token=mod_token), 403, "站务")  # moderators do not appoint
    assert_error(put(api, "/boards/nope/moderators/鲍勃", token=operator_token), 404, "nope")
    assert_error(put(api, "/boards/finance/moderators/nobody", token=operator_token), 404, "nobody")

    assert_error(api.delete(path, token=alice_token), 403)
    gone = api.delete(path, token=operator_token)
    assert gone.status_code == 200 and gone.json()["moderators"] == ["版主发"]
    assert_error(api.delete(path, token=operator_token), 404, "不是")
    assert_error(api.delete("/boards/finance/moderators/nobody", token=operator_token), 404)
    assert ModerationLog.objects.filter(action="dismiss", target_user=bob).count() == 1
    assert api.get("/boards").json()[0]["moderators"] == ["版主发"]


# --- hide, restore, delete ----------------------------------------------------------------


def test_hide_and_restore_keep_counters_and_search_right(api, board, thread, bob, bob_reply, mod_token, bob_token, told):
    assert counts(board) == (1, 2)
    assert Post.objects.get(pk=thread.pk).reply_count == 1
    assert found(api, "估值泡沫") == [bob_reply.pk]

    assert_error(moderate(api, bob_reply.pk, "hide", mod_token), 422, "原因")
    hidden = told(moderate, api, bob_reply.pk, "hide", mod_token, reason="人身攻击")
    assert hidden.status_code == 200, hidden.content.decode()
    assert (hidden.json()["status"], hidden.json()["status_reason"]) == ("hidden", "人身攻击")
    assert counts(board) == (1, 1)
    assert Post.objects.get(pk=thread.pk).reply_count == 0
    assert found(api, "估值泡沫") == []
    assert_error(api.get(f"/posts/{bob_reply.pk}"), 404)
    own = api.get(f"/posts/{bob_reply.pk}", token=bob_token).json()  # the author sees why
    assert (own["status"], own["status_reason"]) == ("hidden", "人身攻击")
    assert "人身攻击" in Notice.objects.get(user=bob).text
    assert_error(moderate(api, bob_reply.pk, "hide", mod_token, reason="再藏"), 409)

    restored = told(moderate, api, bob_reply.pk, "restore", mod_token)
    assert restored.status_code == 200
    assert (restored.json()["status"], restored.json()["status_reason"]) == ("public", "")
    assert counts(board) == (1, 2)
    assert Post.objects.get(pk=thread.pk).reply_count == 1
    assert found(api, "估值泡沫") == [bob_reply.pk]
    assert_error(moderate(api, bob_reply.pk, "restore", mod_token), 409)

    # Deleting a thread's first post takes its replies out of view with it.
    deleted = moderate(api, thread.pk, "delete", mod_token, reason="重复发帖")
    assert deleted.json()["status"] == "deleted" and counts(board) == (0, 0)
    assert found(api, "估值泡沫") == []
    assert_error(api.get(f"/posts/{bob_reply.pk}"), 404)
    assert [e.action for e in ModerationLog.objects.order_by("id")] == ["hide", "restore", "delete"]


def test_who_may_moderate_a_post(api, board, life, thread, bob, alice_token, mod_token, life_mod_token, operator_token):
    elsewhere = create_thread(author=bob, board=life, title="家常菜")

    assert_error(moderate(api, thread.pk, "lock", None), 401)
    assert_error(moderate(api, thread.pk, "lock", alice_token), 403, "版主")  # her own post: still not hers to lock
    assert_error(moderate(api, thread.pk, "lock", life_mod_token), 403, "版主")
    assert_error(moderate(api, elsewhere.pk, "hide", mod_token, reason="x"), 403)
    assert_error(moderate(api, 999999, "lock", mod_token), 404)
    assert_error(moderate(api, thread.pk, "explode", mod_token), 422, "action")
    assert_error(api.post(f"/posts/{thread.pk}/moderate", {}, token=mod_token), 422, "action")
    assert moderate(api, elsewhere.pk, "lock", operator_token).status_code == 200

    # Hidden from others: the moderator of another board does not learn it is there.
    assert moderate(api, elsewhere.pk, "hide", life_mod_token, reason="广告").status_code == 200
    assert_error(moderate(api, elsewhere.pk, "restore", mod_token), 404)
    assert_error(moderate(api, elsewhere.pk, "restore", alice_token), 404)
    assert_error(moderate(api, elsewhere.pk, "restore", None), 401)
    restored = moderate(api, elsewhere.pk, "restore", operator_token)
    assert restored.status_code == 200 and restored.json()["status"] == "public"


def test_thread_flags_title_and_featured_list(api, board, thread, bob, bob_reply, mod_token, bob_token, alice_token):
    older = create_thread(author=bob, board=board, title="旧闻")
    assert api.get("/boards/finance/featured").json() == []

    for post in (older, thread):
        featured = moderate(api, post.pk, "feature", mod_token, reason="好文")
        assert featured.status_code == 200 and featured.json()["featured"] is True
    listed = api.get("/boards/finance/featured", {"script": "hant"}).json()
    assert [t["id"] for t in listed] == [older.pk, thread.pk]  # newest first
    assert listed[0]["featured"] is True and {"title", "author", "url", "reply_count"} <= set(listed[0])
    assert (listed[0]["title"], listed[0]["author"]) == ("舊聞", "鲍勃")
    moderate(api, older.pk, "unfeature", mod_token)
    assert [t["id"] for t in api.get("/boards/finance/featured").json()] == [thread.pk]
    assert_error(api.get("/boards/nope/featured"), 404)

    assert_error(moderate(api, bob_reply.pk, "pin", mod_token), 422, "主题帖")
    assert moderate(api, older.pk, "pin", mod_token).json()["pinned"] is True
    assert api.get("/boards/finance/threads").json()["items"][0]["id"] == older.pk

    assert moderate(api, thread.pk, "lock", mod_token).json()["locked"] is True
    assert_error(api.post(f"/posts/{thread.pk}/replies", {"title": "还能回吗"}, token=bob_token), 403, "锁定")
    moderate(api, thread.pk, "unlock", mod_token)
    assert api.post(f"/posts/{thread.pk}/replies", {"title": "能回了"}, token=bob_token).status_code == 201

    retitled = moderate(api, bob_reply.pk, "edit_title", mod_token, title="Re: 估值", reason="标题党")
    assert retitled.status_code == 200 and retitled.json()["title"] == "Re: 估值"
    entry = ModerationLog.objects.get(action="edit_title")
    assert entry.detail == {"old_title": "Re: 独角兽公司的估值", "new_title": "Re: 估值"}
    assert_error(moderate(api, bob_reply.pk, "edit_title", mod_token, title=""), 422)


def test_moving_a_thread_moves_its_counts(api, board, life, thread, bob_reply, mod_token, operator_token, alice_token):
    assert_error(moderate(api, thread.pk, "move", mod_token), 422, "版面")
    assert_error(moderate(api, thread.pk, "move", mod_token, board="nope"), 404)
    assert_error(moderate(api, thread.pk, "move", mod_token, board="finance"), 422, "已经")
    assert_error(moderate(api, bob_reply.pk, "move", mod_token, board="life"), 422, "主题帖")
    assert_error(moderate(api, thread.pk, "move", alice_token, board="life"), 403)

    moved = moderate(api, thread.pk, "move", mod_token, board="life", reason="跑题")
    assert moved.status_code == 200 and moved.json()["board"] == "life"
    assert counts(board) == (0, 0) and counts(life) == (1, 2)
    assert Post.objects.get(pk=bob_reply.pk).board_id == life.pk
    assert [t["id"] for t in api.get("/boards/life/threads").json()["items"]] == [thread.pk]
    assert api.get("/search", {"q": "估值泡沫", "board": "life"}).json()["items"][0]["id"] == bob_reply.pk
    # Now on life: no longer the finance moderator's, the operator's still.
    assert_error(moderate(api, thread.pk, "move", mod_token, board="finance"), 403)
    assert moderate(api, thread.pk, "move", operator_token, board="finance").status_code == 200
    assert counts(board) == (1, 2) and counts(life) == (0, 0)
    assert ModerationLog.objects.filter(action="move").first().detail == {"source": "life", "target": "finance"}


# --- the review queue ---------------------------------------------------------------------


@pytest.fixture
def held(api, board, bob_token, rule):
    rule("法轮功", "review", "政治")

    def post(title="法輪功", body="正文", board_slug="finance"):
        response = api.post(f"/boards/{board_slug}/threads", {"title": title, "body": body}, token=bob_token)
        assert response.status_code == 202, response.content.decode()
        return response.json()["id"]

    return post


def test_review_queue_approve_and_reject(api, board, bob, held, mod_token, life_mod_token, alice_token, bob_token,
                                         operator_token, told):
    first, second = held(body="甲乙丙丁"), held(title="又是法轮功")
    assert counts(board) == (0, 0)

    queue = api.get("/review-queue", {"script": "hant"}, token=mod_token)
    assert queue.status_code == 200, queue.content.decode()
    items = queue.json()
    assert [i["post"]["id"] for i in items] == [first, second]
    assert items[0]["reasons"] == ["政治"] and items[0]["post"]["body"] == "甲乙丙丁"
    assert items[0]["post"]["author"] == "鲍勃" and items[0]["decision"] is None
    assert {"id", "post", "reasons", "created"} <= set(items[0])
    assert [i["post"]["id"] for i in api.get("/review-queue", token=operator_token).json()] == [first, second]
    assert api.get("/review-queue", token=life_mod_token).json() == []
    assert_error(api.get("/review-queue"), 401)
    assert_error(api.get("/review-queue", token=alice_token), 403, "版主")

    item = items[0]["id"]
    assert_error(api.post(f"/review-queue/{item}", {"decision": "approve"}, token=life_mod_token), 404)
    assert_error(api.post(f"/review-queue/{item}", {"decision": "approve"}, token=alice_token), 403)
    assert_error(api.post(f"/review-queue/{item}", {"decision": "maybe"}, token=mod_token), 422, "decision")
    assert_error(api.post("/review-queue/999999", {"decision": "approve"}, token=mod_token), 404)

    # Moderators may act on held posts of their board; others do not see them.
    assert moderate(api, first, "lock", mod_token).status_code == 200
    assert_error(moderate(api, first, "lock", alice_token), 404)
    moderate(api, first, "unlock", mod_token)

    approved = told(api.post, f"/review-queue/{item}", {"decision": "approve"}, token=mod_token)
    assert approved.status_code == 200, approved.content.decode()
    assert approved.json()["decision"] == "approve" and approved.json()["decided_by"] == "版主发"
    assert approved.json()["post"]["status"] == "public"
    assert api.get(f"/posts/{first}").status_code == 200
    assert counts(board) == (1, 1)
    assert found(api, "甲乙丙丁") == [first]
    assert "通过" in Notice.objects.get(user=bob).text
    assert_error(api.post(f"/review-queue/{item}", {"decision": "reject", "reason": "晚了"}, token=mod_token), 409)

    other = items[1]["id"]
    assert_error(api.post(f"/review-queue/{other}", {"decision": "reject"}, token=mod_token), 422, "原因")
    rejected = api.post(f"/review-queue/{other}", {"decision": "reject", "reason": "政治敏感"}, token=mod_token)
    assert rejected.status_code == 200 and rejected.json()["decision"] == "reject"
    assert_error(api.get(f"/posts/{second}"), 404)
    own = api.get(f"/posts/{second}", token=bob_token).json()
    assert (own["status"], own["status_reason"]) == ("hidden", "政治敏感")
    assert counts(board) == (1, 1)
    assert api.get("/review-queue", token=mod_token).json() == []
    assert [e.action for e in ModerationLog.objects.filter(action__in=["approve", "reject"]).order_by("id")] == [
        "approve", "reject",
    ]


def test_first_posts_of_new_accounts_wait_for_review(api, board, make_user, token_for, mod_token):
    ModerationSettings.objects.create(new_account_review_posts=1)
    newcomer = token_for(make_user("newbie"))
    response = api.post("/boards/finance/threads", {"title": "大家好"}, token=newcomer)
    assert response.status_code == 202
    [item] = api.get("/review-queue", token=mod_token).json()
    assert item["reasons"] == ["新用户"]
    assert api.post(f"/review-queue/{item['id']}", {"decision": "approve"}, token=mod_token).status_code == 200
    assert api.post("/boards/finance/threads", {"title": "第二帖"}, token=newcomer).status_code == 201


# --- reports -------------------------------------------------------------------------------


def test_reports_of_posts_and_messages(api, board, life, alice, bob, thread, bob_reply, make_user, token_for,
                                       alice_token, bob_token, mod_token, life_mod_token, operator_token, told):
    message = send(sender=bob, recipient=alice, body="买发票吗")
    assert_error(api.post("/reports", {"post": bob_reply.pk, "reason": "广告"}), 401)

    made = api.post("/reports", {"post": bob_reply.pk, "reason": "人身攻击"}, token=alice_token)
    assert made.status_code == 201, made.content.decode()
    report = made.json()
    assert report["reporter"] == "alice" and report["post"]["id"] == bob_reply.pk and report["message"] is None
    assert report["reason"] == "人身攻击" and report["resolved"] is False
    assert_error(api.post("/reports", {"post": bob_reply.pk, "reason": "再举报"}, token=alice_token), 409)
    on_message = api.post("/reports", {"message": message.pk, "reason": "广告"}, token=alice_token)
    assert on_message.status_code == 201 and on_message.json()["message"]["sender"] == "鲍勃"

    assert_error(api.post("/reports", {"post": thread.pk, "reason": "我自己"}, token=alice_token), 422, "自己")
    assert_error(api.post("/reports", {"reason": "无物"}, token=alice_token), 422, "二选一")
    assert_error(
        api.post("/reports", {"post": thread.pk, "message": message.pk, "reason": "两样"}, token=bob_token), 422, "二选一"
    )
    assert_error(api.post("/reports", {"post": thread.pk}, token=bob_token), 422, "reason")
    assert_error(api.post("/reports", {"post": thread.pk, "reason": "  "}, token=bob_token), 422, "理由")
    assert_error(api.post("/reports", {"post": 999999, "reason": "无"}, token=bob_token), 404)
    carol = token_for(make_user("carol"))
    assert_error(api.post("/reports", {"message": message.pk, "reason": "偷看"}, token=carol), 404)
    moderate(api, thread.pk, "hide", mod_token, reason="违规")
    assert_error(api.post("/reports", {"post": thread.pk, "reason": "藏了"}, token=carol), 404)

    # Moderators see their boards' reports; operators all, private messages included.
    mine = api.get("/reports", {"script": "hant"}, token=mod_token).json()
    assert [(r["id"], r["reporter"]) for r in mine] == [(report["id"], "alice")]
    assert len(api.get("/reports", token=operator_token).json()) == 2
    assert api.get("/reports", token=life_mod_token).json() == []
    assert_error(api.get("/reports", token=alice_token), 403)
    assert_error(api.get("/reports"), 401)

    path = f"/reports/{report['id']}"
    assert_error(api.post(path, {"resolution": "已处理"}, token=life_mod_token), 404)
    assert_error(api.post(path, {"resolution": "已处理"}, token=bob_token), 403)
    assert_error(api.post(f"/reports/{on_message.json()['id']}", {"resolution": "看过"}, token=mod_token), 404)
    assert_error(api.post(path, {"resolution": ""}, token=mod_token), 422, "原因")
    assert_error(api.post(path, {}, token=mod_token), 422, "resolution")
    resolved = told(api.post, path, {"resolution": "已隐藏该帖"}, token=mod_token)
    assert resolved.status_code == 200, resolved.content.decode()
    assert resolved.json()["resolved"] is True and resolved.json()["resolved_by"] == "版主发"
    assert "已隐藏该帖" in Notice.objects.get(user=alice).text
    assert_error(api.post(path, {"resolution": "又处理"}, token=mod_token), 409)
    assert api.get("/reports", token=mod_token).json() == []

    by_operator = api.post(f"/reports/{on_message.json()['id']}", {"resolution": "已警告"}, token=operator_token)
    assert by_operator.status_code == 200
    assert Report.objects.filter(resolved_at__isnull=True).count() == 0


# --- the moderation log --------------------------------------------------------------------


def test_moderation_log_is_scoped_to_the_boards_one_moderates(api, board, life, bob, thread, bob_reply, mod_token,
                                                              life_mod_token, alice_token, operator_token):
    moderate(api, bob_reply.pk, "hide", mod_token, reason="头发与发展")
    elsewhere = create_thread(author=bob, board=life, title="家常菜")
    moderate(api, elsewhere.pk, "pin", life_mod_token)
    api.post("/bans", {"username": "鲍勃", "reason": "刷屏"}, token=operator_token)

    entries = api.get("/moderation-log", {"script": "hant"}, token=mod_token)
    assert entries.status_code == 200, entries.content.decode()
    [entry] = entries.json()
    assert entry == {
        "id": entry["id"], "action": "hide", "action_name": "隱藏", "actor": "版主发", "board": "finance",
        "post": bob_reply.pk, "target_user": "鲍勃", "reason": "頭髮與發展", "detail": {}, "created": entry["created"],
    }
    assert [e["action"] for e in api.get("/moderation-log", token=life_mod_token).json()] == ["pin"]
    everything = api.get("/moderation-log", token=operator_token).json()
    assert [(e["action"], e["board"]) for e in everything] == [("ban", None), ("pin", "life"), ("hide", "finance")]
    assert [e["action"] for e in api.get("/moderation-log", {"board": "life"}, token=operator_token).json()] == ["pin"]
    assert_error(api.get("/moderation-log", {"board": "life"}, token=mod_token), 403)
    assert_error(api.get("/moderation-log", {"board": "nope"}, token=operator_token), 404)
    assert_error(api.get("/moderation-log", token=alice_token), 403)
    assert_error(api.get("/moderation-log"), 401)


# --- bans ------------------------------------------------------------------------------------


def test_a_board_ban_keeps_the_user_off_that_board_until_lifted(api, board, life, alice, bob, thread, mod_token,
                                                                 life_mod_token, alice_token, bob_token, operator_token,
                                                                 told):
    assert_error(api.post("/bans", {"username": "鲍勃", "board": "finance", "reason": "刷屏"}), 401)
    assert_error(api.post("/bans", {"username": "鲍勃", "board": "finance", "reason": "刷屏"}, token=alice_token), 403)
    assert_error(api.post("/bans", {"username": "鲍勃", "board": "finance", "reason": "刷屏"}, token=life_mod_token), 403)
    assert_error(api.post("/bans", {"username": "鲍勃", "reason": "刷屏"}, token=mod_token), 403, "站务")
    assert_error(api.post("/bans", {"username": "nobody", "board": "finance", "reason": "x"}, token=mod_token), 404)
    assert_error(api.post("/bans", {"username": "鲍勃", "board": "nope", "reason": "x"}, token=mod_token), 404)
    assert_error(api.post("/bans", {"username": "鲍勃", "board": "finance", "reason": ""}, token=mod_token), 422, "原因")
    assert_error(api.post("/bans", {"username": "鲍勃", "board": "finance", "days": 0, "reason": "x"}, token=mod_token),
                 422, "天数")
    assert_error(api.post("/bans", {"username": "鲍勃", "board": "finance", "days": "x", "reason": "x"}, token=mod_token),
                 422, "days")
    assert_error(api.post("/bans", {"username": "版主发", "board": "finance", "reason": "x"}, token=mod_token), 422)
    assert_error(api.post("/bans", {"username": "operator_one", "board": "finance", "reason": "x"}, token=mod_token), 403)

    made = told(api.post, "/bans", {"username": "鲍勃", "board": "finance", "days": 3, "reason": "刷屏"}, token=mod_token)
    assert made.status_code == 201, made.content.decode()
    ban = made.json()
    assert (ban["username"], ban["board"], ban["reason"], ban["created_by"]) == ("鲍勃", "finance", "刷屏", "版主发")
    assert ban["until"] is not None and ban["lifted_at"] is None
    assert "刷屏" in Notice.objects.get(user=bob).text

    assert_error(api.post("/boards/finance/threads", {"title": "我又来了"}, token=bob_token), 403, "禁止")
    assert_error(api.post(f"/posts/{thread.pk}/replies", {"title": "回复"}, token=bob_token), 403, "禁止")
    assert_error(api.post(f"/posts/{thread.pk}/vote", {"value": 1}, token=bob_token), 403, "禁止")
    assert api.post("/boards/life/threads", {"title": "换个版"}, token=bob_token).status_code == 201
    assert api.post("/messages", {"to": "alice", "body": "你好"}, token=bob_token).status_code == 201

    listed = api.get("/bans", {"script": "hant"}, token=mod_token).json()
    assert [(b["id"], b["username"], b["created_by"]) for b in listed] == [(ban["id"], "鲍勃", "版主发")]
    assert api.get("/bans", {"board": "finance"}, token=operator_token).json()[0]["id"] == ban["id"]
    assert api.get("/bans", token=life_mod_token).json() == []
    assert_error(api.get("/bans", {"board": "finance"}, token=life_mod_token), 403)
    assert_error(api.get("/bans", token=alice_token), 403)

    assert_error(api.delete(f"/bans/{ban['id']}", token=alice_token), 403)
    assert_error(api.delete(f"/bans/{ban['id']}", token=life_mod_token), 403)
    assert_error(api.delete("/bans/999999", token=mod_token), 404)
    lifted = api.delete(f"/bans/{ban['id']}", token=mod_token)
    assert lifted.status_code == 200 and lifted.json()["lifted_at"] is not None
    assert_error(api.delete(f"/bans/{ban['id']}", token=mod_token), 409)
    assert api.get("/bans", token=mod_token).json() == []
    assert api.post("/boards/finance/threads", {"title": "我又来了"}, token=bob_token).status_code == 201
    assert api.post(f"/posts/{thread.pk}/vote", {"value": 1}, token=bob_token).status_code == 200
    assert [e.action for e in ModerationLog.objects.order_by("id")] == ["ban", "unban"]


def test_a_site_ban_keeps_the_user_off_everywhere(api, board, life, alice, bob, thread, bob_token, mod_token,
                                                  operator_token):
    made = api.post("/bans", {"username": "鲍勃", "reason": "广告机"}, token=operator_token)
    assert made.status_code == 201 and made.json()["board"] is None and made.json()["until"] is None

    for slug in ("finance", "life"):
        assert_error(api.post(f"/boards/{slug}/threads", {"title": "广告"}, token=bob_token), 403, "本站")
    assert_error(api.post(f"/posts/{thread.pk}/vote", {"value": 1}, token=bob_token), 403)
    assert_error(api.post("/messages", {"to": "alice", "body": "买吗"}, token=bob_token), 403, "本站")
    assert api.get("/bans", token=mod_token).json() == []  # a site ban is the operators' business
    assert_error(api.delete(f"/bans/{made.json()['id']}", token=mod_token), 403, "站务")

    assert api.delete(f"/bans/{made.json()['id']}", token=operator_token).status_code == 200
    assert api.post("/boards/life/threads", {"title": "改过自新"}, token=bob_token).status_code == 201
    assert api.post("/messages", {"to": "alice", "body": "抱歉"}, token=bob_token).status_code == 201
    assert not Ban.objects.filter(lifted_at__isnull=True).exists()


# --- notices ---------------------------------------------------------------------------------


def test_notices_list_newest_first_and_mark_read(api, board, bob, bob_reply, bob_token, mod_token, told):
    assert_error(api.get("/notices"), 401)
    assert_error(api.post("/notices/read"), 401)
    assert api.get("/notices", token=bob_token).json() == {"unread": 0, "items": []}

    told(moderate, api, bob_reply.pk, "hide", mod_token, reason="头发")
    told(moderate, api, bob_reply.pk, "restore", mod_token)
    notices = api.get("/notices", {"script": "hant"}, token=bob_token).json()
    assert notices["unread"] == 2
    assert [n["read"] for n in notices["items"]] == [False, False]
    assert "恢復" in notices["items"][0]["text"] and "頭髮" in notices["items"][1]["text"]
    assert notices["items"][0]["url"] == bob_reply.get_absolute_url()

    marked = api.post("/notices/read", token=bob_token)
    assert marked.status_code == 200 and marked.json() == {"marked": 2, "unread": 0}
    after = api.get("/notices", token=bob_token).json()
    assert after["unread"] == 0 and [n["read"] for n in after["items"]] == [True, True]
    assert api.get("/notices", token=mod_token).json()["items"] == []  # one's own notices only


def test_openapi_lists_the_moderation_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    expected = {
        "/api/v1/boards/{slug}/moderators/{username}": {"put", "delete"},
        "/api/v1/boards/{slug}/featured": {"get"},
        "/api/v1/posts/{post_id}/moderate": {"post"},
        "/api/v1/review-queue": {"get"},
        "/api/v1/review-queue/{item_id}": {"post"},
        "/api/v1/reports": {"get", "post"},
        "/api/v1/reports/{report_id}": {"post"},
        "/api/v1/moderation-log": {"get"},
        "/api/v1/bans": {"get", "post"},
        "/api/v1/bans/{ban_id}": {"delete"},
        "/api/v1/notices": {"get"},
        "/api/v1/notices/read": {"post"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
