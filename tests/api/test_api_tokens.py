"""API tokens: named, listed and revoked by their owner, lapsing when idle,
kept to a bounded number, and all gone when the password changes."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from luntan.accounts import services

from api_client import api, assert_error  # noqa: F401  (fixtures)

NEW_PASSWORD = "another horse staple 7"


@pytest.fixture
def clock(monkeypatch):
    """timezone.now moved forward by hand: clock.advance(days=90)."""
    real_now = timezone.now

    class Clock:
        offset = timedelta()

        def advance(self, **delta):
            self.offset += timedelta(**delta)

    ticking = Clock()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + ticking.offset)
    return ticking


def get_token(api, username="alice", password=PASSWORD, **extra):
    response = api.post("/token", {"username": username, "password": password, **extra}, HTTP_USER_AGENT="curl/8.5")
    assert response.status_code == 200, response.content.decode()
    return response.json()["token"]


def test_owners_list_and_revoke_their_tokens_and_no_one_else_s(api, alice, bob):
    laptop = get_token(api, label="笔记本上的脚本")
    phone = get_token(api)
    bobs = get_token(api, username="鲍勃")

    listed = api.get("/me/tokens", token=laptop).json()
    assert [(t["label"], t["current"]) for t in listed] == [("笔记本上的脚本", True), ("curl/8.5", False)]
    assert all(t["created"] for t in listed)
    laptop_id, phone_id = (t["id"] for t in listed)

    # Someone else's token id is answered as if it did not exist, and stays usable.
    assert_error(api.delete(f"/me/tokens/{phone_id}", token=bobs), 404, "没有这个令牌")
    assert api.get("/me", token=phone).status_code == 200
    assert [t["label"] for t in api.get("/me/tokens", token=bobs).json()] == ["curl/8.5"]

    assert api.delete(f"/me/tokens/{phone_id}", token=laptop).status_code == 204
    assert_error(api.get("/me", token=phone), 401)
    assert [t["id"] for t in api.get("/me/tokens", token=laptop).json()] == [laptop_id]
    # A token may revoke itself.
    assert api.delete(f"/me/tokens/{laptop_id}", token=laptop).status_code == 204
    assert_error(api.get("/me", token=laptop), 401)


def test_a_token_lapses_after_the_idle_time_and_use_is_recorded_to_the_minute(api, alice, settings, clock):
    settings.LUNTAN = {**settings.LUNTAN, "API_TOKEN_IDLE_DAYS": 90}
    token = get_token(api)
    assert api.get("/me/tokens", token=token).json()[0]["last_used"] is not None
    first_use = api.get("/me/tokens", token=token).json()[0]["last_used"]
    clock.advance(seconds=30)
    assert api.get("/me/tokens", token=token).json()[0]["last_used"] == first_use  # no write for every request
    clock.advance(seconds=31)
    assert api.get("/me/tokens", token=token).json()[0]["last_used"] != first_use

    # Used now and then, it lives on past 90 days from its creation …
    clock.advance(days=89)
    assert api.get("/me", token=token).status_code == 200
    clock.advance(days=89)
    assert api.get("/me", token=token).status_code == 200
    # … but 90 days unused, it is dead.
    clock.advance(days=90)
    assert_error(api.get("/me", token=token), 401)
    fresh = get_token(api)
    assert [t["current"] for t in api.get("/me/tokens", token=fresh).json()] == [True]


def test_asking_again_and_again_keeps_a_bounded_number_of_tokens(api, alice, settings):
    settings.LUNTAN = {**settings.LUNTAN, "API_TOKENS_MAX": 3}
    tokens = [get_token(api, label=f"第{n}个") for n in range(5)]
    assert_error(api.get("/me", token=tokens[0]), 401)
    assert_error(api.get("/me", token=tokens[1]), 401)
    assert [t["label"] for t in api.get("/me/tokens", token=tokens[4]).json()] == ["第4个", "第3个", "第2个"]


def test_a_password_change_revokes_every_token_and_ends_every_other_session(api, alice):
    token = get_token(api)
    here, elsewhere = Client(), Client()
    for page in (here, elsewhere):
        assert page.post("/accounts/login/", {"username": "alice", "password": PASSWORD}).status_code == 302
        assert page.get("/accounts/settings/").status_code == 200

    response = here.post("/accounts/password/", {"old_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 200 and "密码已修改" in response.content.decode()

    assert_error(api.get("/me", token=token), 401)
    assert here.get("/accounts/settings/").status_code == 200  # the page that changed it stays signed in
    assert elsewhere.get("/accounts/settings/").status_code == 302  # every other session has ended
    assert get_token(api, password=NEW_PASSWORD)


def test_setting_a_password_is_the_one_way_that_revokes(alice):
    """What a future password reset will call: it does the revoking too."""
    token = services.issue_token(user=alice)
    services.set_password(user=alice, new_password=NEW_PASSWORD)
    assert services.token_for_key(token) is None
    assert alice.check_password(NEW_PASSWORD)
