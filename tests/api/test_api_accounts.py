from conftest import PASSWORD
from luntan.accounts.models import User
from luntan.moderation.moderators import appoint_moderator

from api_client import api, assert_error, token_for  # noqa: F401  (fixtures)


def test_register_creates_a_member_who_can_get_a_token(api):
    response = api.post("/register", {"username": "新会员", "password": PASSWORD, "email": "x@example.com"})
    assert response.status_code == 201
    assert response.json() == {
        "username": "新会员", "joined": response.json()["joined"], "bio": "", "url": "/u/%E6%96%B0%E4%BC%9A%E5%91%98/",
        "thread_count": 0, "moderates": [], "tip_links": {"alipay": None, "wechat": None},
    }
    assert User.objects.get(username="新会员").email == "x@example.com"

    token = api.post("/token", {"username": "新会员", "password": PASSWORD}).json()["token"]
    assert api.get("/me", token=token).json()["username"] == "新会员"


def test_register_refuses_taken_and_look_alike_names(api, alice):
    body = assert_error(api.post("/register", {"username": "alice", "password": PASSWORD}), 409, "已被注册")
    assert body["field"] == "username"
    assert_error(api.post("/register", {"username": "aIice", "password": PASSWORD}), 409, "太相似", "alice")


def test_register_refuses_bad_names_and_weak_passwords(api, db):
    assert assert_error(api.post("/register", {"username": "a b", "password": PASSWORD}), 422)["field"] == "username"
    assert assert_error(api.post("/register", {"username": "admin", "password": PASSWORD}), 422, "保留名")
    body = assert_error(api.post("/register", {"username": "newbie", "password": "12345678"}), 422, "密码")
    assert body["field"] == "password"
    assert not User.objects.filter(username="newbie").exists()


def test_missing_fields_and_malformed_json_are_422_with_a_reason(api, db):
    assert_error(api.post("/register", {"username": "newbie"}), 422, "password", "缺少此项")
    assert_error(api.post("/register", {"username": 5, "password": PASSWORD}), 422, "username", "应为字符串")
    assert_error(api.post("/register", raw='{"username": "newbie",'), 422, "JSON")
    assert_error(api.post("/register", raw=b"\xff\xfe"), 422, "JSON")
    assert_error(api.post("/register", raw="[1, 2]"), 422)
    assert_error(api.post("/register"), 422, "请求体")


def test_token_for_wrong_password_or_unknown_user_is_401(api, alice):
    response = api.post("/token", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200 and len(response.json()["token"]) > 20
    assert_error(api.post("/token", {"username": "alice", "password": "wrong password"}), 401, "用户名或密码不正确")
    assert_error(api.post("/token", {"username": "nobody", "password": PASSWORD}), 401, "用户名或密码不正确")
    alice.is_active = False
    alice.save()
    assert_error(api.post("/token", {"username": "alice", "password": PASSWORD}), 401)


def test_user_profile_counts_threads_and_lists_moderated_boards(api, alice, board, thread):
    appoint_moderator(actor=None, board=board, user=alice)
    response = api.get("/users/alice", {"script": "hant"})
    assert response.status_code == 200
    profile = response.json()
    assert profile["username"] == "alice"
    assert profile["url"] == "/u/alice/"
    assert profile["thread_count"] == 1
    assert profile["moderates"] == ["finance"]
    assert "email" not in profile
    assert_error(api.get("/users/nobody"), 404, "nobody", "不存在")


def test_me_needs_a_valid_token(api, alice, token_for):
    assert_error(api.get("/me"), 401, "Bearer")
    assert_error(api.get("/me", token="not-a-token"), 401)
    assert_error(api.get("/me", HTTP_AUTHORIZATION="Basic abc"), 401)
    me = api.get("/me", token=token_for(alice)).json()
    assert me["username"] == "alice" and me["url"] == "/u/alice/"
    assert me["is_operator"] is False and me["unread_messages"] == 0 and "email" in me


def test_patch_me_updates_the_bio_through_the_service(api, alice, token_for):
    token = token_for(alice)
    # Blank lines before and white space after go, as for every multi-line text (luntan.textfields).
    response = api.patch("/me", {"bio": "\n\n写点东西  \n"}, token=token)
    assert response.status_code == 200 and response.json()["bio"] == "写点东西"
    assert api.get("/users/alice").json()["bio"] == "写点东西"
    assert api.patch("/me", {}, token=token).json()["bio"] == "写点东西"  # nothing given, nothing changed
    assert_error(api.patch("/me", {"bio": "长" * 2001}, token=token), 413, "2000")
    assert_error(api.patch("/me", {"bio": 3}, token=token), 422, "bio")
    assert_error(api.patch("/me", {"bio": "x"}), 401)
    alice.refresh_from_db()
    assert alice.bio == "写点东西"
