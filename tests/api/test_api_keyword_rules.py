"""/api/v1/keyword-rules (operators) and the keyword filter as API callers meet
it: 422 with the reason for a blocked post, 202 for a held one."""

import pytest

from luntan.forum.models import Post
from luntan.moderation.models import KeywordRule, ReviewItem
from luntan.moderation.selectors import rule_version

from api_client import alice_token, api, assert_error, bob_token, token_for  # noqa: F401  (fixtures)



@pytest.fixture
def operator_token(operator, token_for):
    return token_for(operator)


@pytest.fixture
def add(api, operator_token):
    def add_rule(pattern, action, category="", replacement=""):
        payload = {"pattern": pattern, "action": action, "category": category, "replacement": replacement}
        response = api.post("/keyword-rules", payload, token=operator_token)
        assert response.status_code == 201, response.content.decode()
        return response.json()

    return add_rule


def delete(api, rule_id, **kw):
    return api.delete(f"/keyword-rules/{rule_id}", **kw)


# --- the rules ---------------------------------------------------------------------


@pytest.mark.django_db
def test_operators_add_list_and_delete_rules(api, operator_token, add):
    version = rule_version()
    created = add("發票代開", "block", "广告")
    assert {k: created[k] for k in ("pattern", "action", "replacement", "category")} == {
        "pattern": "發票代開", "action": "block", "replacement": "", "category": "广告",
    }
    masked = add("傻逼", "replace", "辱骂", "**")

    # The list shows the words as entered, whatever script the reader prefers.
    for script in ("hans", "hant"):
        listed = api.get("/keyword-rules", {"script": script}, token=operator_token).json()
        assert [(r["id"], r["pattern"], r["action"], r["replacement"]) for r in listed] == [
            (created["id"], "發票代開", "block", ""), (masked["id"], "傻逼", "replace", "**"),
        ]
        assert set(listed[0]) == {"id", "pattern", "action", "replacement", "category", "created"}

    response = delete(api, created["id"], token=operator_token)
    assert response.status_code == 204
    assert list(KeywordRule.objects.values_list("pattern", flat=True)) == ["傻逼"]
    assert rule_version() == version + 3
    assert_error(delete(api, created["id"], token=operator_token), 404, "不存在")


@pytest.mark.django_db
def test_bad_and_duplicate_rules_are_refused(api, operator_token, add):
    add("发票代开", "block", "广告")
    body = assert_error(api.post("/keyword-rules", {"pattern": "发票 代開", "action": "review"}, token=operator_token), 409)
    assert body["field"] == "pattern" and "发票代开" in body["detail"]
    assert_error(api.post("/keyword-rules", {"pattern": "，", "action": "block"}, token=operator_token), 422, "不能为空")
    assert_error(api.post("/keyword-rules", {"pattern": "词", "action": "hide"}, token=operator_token), 422, "action")
    assert_error(
        api.post("/keyword-rules", {"pattern": "词", "action": "block", "replacement": "x"}, token=operator_token),
        422, "替换",
    )
    assert KeywordRule.objects.count() == 1


@pytest.mark.django_db
def test_rules_are_for_operators_only(api, alice_token, add):
    rule = add("发票代开", "block")
    assert_error(api.get("/keyword-rules"), 401)
    assert_error(api.post("/keyword-rules", {"pattern": "词", "action": "block"}), 401)
    assert_error(delete(api, rule["id"]), 401)
    assert_error(api.get("/keyword-rules", token=alice_token), 403, "站务")
    assert_error(api.post("/keyword-rules", {"pattern": "词", "action": "block"}, token=alice_token), 403, "站务")
    assert_error(delete(api, rule["id"], token=alice_token), 403, "站务")
    assert list(KeywordRule.objects.values_list("pattern", flat=True)) == ["发票代开"]


# --- posting against the rules -------------------------------------------------------


@pytest.mark.django_db
def test_a_rule_added_through_the_api_applies_to_the_next_post(api, board, alice_token, operator_token, add):
    first = api.post("/boards/finance/threads", {"title": "开张", "body": "发票代开"}, token=alice_token)
    assert first.status_code == 201  # the matcher is built, no rule yet

    rule = add("发票代开", "block", "广告")

    body = assert_error(
        api.post("/boards/finance/threads", {"title": "开张", "body": "本店發票 代開"}, token=alice_token), 422, "广告"
    )
    assert body["field"] == "body" and "发票代开" not in body["detail"]
    assert Post.objects.count() == 1

    delete(api, rule["id"], token=operator_token)
    assert api.post("/boards/finance/threads", {"title": "开张", "body": "发票代开"}, token=alice_token).status_code == 201


@pytest.mark.django_db
def test_a_held_post_answers_202_and_stays_out_of_sight(api, board, thread, alice_token, bob_token, add):
    add("法轮功", "review", "政治")

    response = api.post("/boards/finance/threads", {"title": "法輪功", "body": ""}, token=bob_token)
    assert response.status_code == 202
    held = response.json()
    assert held["status"] == "held"
    assert ReviewItem.objects.get(post_id=held["id"]).reasons == ["政治"]
    assert held["id"] not in [t["id"] for t in api.get("/boards/finance/threads").json()["items"]]
    assert_error(api.get(f"/posts/{held['id']}"), 404)
    assert api.get(f"/posts/{held['id']}", token=bob_token).json()["status"] == "held"

    reply = api.post(f"/posts/{thread.pk}/replies", {"title": "Re: 法 轮 功"}, token=bob_token)
    assert reply.status_code == 202 and reply.json()["status"] == "held"
    assert api.get(f"/posts/{thread.pk}/tree").json()["children"] == []
    assert api.get(f"/posts/{thread.pk}/tree", token=alice_token).json()["children"] == []
    own = api.get(f"/posts/{thread.pk}/tree", token=bob_token).json()["children"]
    assert [(c["id"], c["status"], c["title"]) for c in own] == [(reply.json()["id"], "held", "Re: 法 轮 功")]


@pytest.mark.django_db
def test_replaced_words_come_back_masked(api, board, alice_token, add):
    add("傻逼", "replace", "辱骂")
    response = api.post("/boards/finance/threads", {"title": "傻逼", "body": "你个傻 逼"}, token=alice_token)
    assert response.status_code == 201
    post = response.json()
    assert (post["title"], post["body"]) == ("＊＊", "你个＊＊＊")


@pytest.mark.django_db
def test_names_and_private_messages_are_screened(api, alice, bob, alice_token, add):
    add("发票代开", "block", "广告")
    body = assert_error(api.post("/register", {"username": "发票代开王", "password": "correct horse battery 9"}), 422, "用户名")
    assert body["field"] == "username"
    assert_error(api.post("/messages", {"to": bob.username, "body": "发票代开"}, token=alice_token), 422, "广告")
