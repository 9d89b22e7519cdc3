"""The 500s the hostile-input sweep (test_hostile_input.py) found, each as
a member meets it: a 4xx with a clear message instead."""

import json

import pytest
from django.test import Client

from luntan.accounts.services import issue_token
from luntan.forum.models import Post
from luntan.messages.models import Block

pytestmark = pytest.mark.django_db



def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- search dates at the ends of the calendar ----------------------------------------


@pytest.mark.parametrize("field, value, label", [("to", "9999-12-31", "结束日期"), ("from", "0001-01-01", "开始日期")])
def test_a_search_date_past_the_calendar_is_refused_in_the_api(client, thread, field, value, label):
    response = client.get("/api/v1/search", {"q": "市场", field: value})
    assert response.status_code == 422
    assert response.json()["detail"] == f"{label}应在 1900-01-01 到 2999-12-31 之间（现在是 {value}）。"
    assert response.json()["field"] == field


@pytest.mark.parametrize("field, value", [("to", "9999-12-31"), ("from", "0001-01-01")])
def test_a_search_date_past_the_calendar_is_refused_on_the_page_keeping_the_form(client, thread, field, value):
    response = client.get("/search/", {"q": "市场", field: value})
    assert response.status_code == 422
    page = response.content.decode()
    assert "应在 1900-01-01 到 2999-12-31 之间" in page
    assert f'value="{value}"' in page and 'value="市场"' in page


def test_the_last_and_first_days_allowed_still_search(client, thread):
    response = client.get("/api/v1/search", {"q": "市场", "from": "1900-01-01", "to": "2999-12-31"})
    assert response.status_code == 200
    assert [hit["id"] for hit in response.json()["items"]] == [thread.pk]


# --- the vote form ---------------------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "--1", "9" * 5000, "1.0", ""])
def test_a_vote_value_other_than_1_or_minus_1_is_refused_with_the_reason(bob, thread, value):
    response = signed_in(bob).post(f"/p/{thread.pk}/vote/", {"value": value})
    assert response.status_code == 422
    assert "投票只能是 1（赞）或 -1（踩）。" in response.content.decode()
    thread.refresh_from_db()
    assert (thread.up, thread.down) == (0, 0)


def test_the_vote_form_still_votes(bob, thread):
    assert signed_in(bob).post(f"/p/{thread.pk}/vote/", {"value": "-1"}).status_code == 302
    thread.refresh_from_db()
    assert (thread.up, thread.down) == (0, 1)


# --- where to go next ------------------------------------------------------------------


@pytest.mark.parametrize("target", ["--1", "home", "9999-12-31", "javascript:alert(1)", "/a\x0bb"])
def test_a_next_that_is_not_a_path_of_this_site_goes_to_the_default_page(alice, bob, target):
    response = signed_in(alice).post(f"/u/{bob.username}/block/", {"next": target})
    assert response.status_code == 302 and response["Location"] == "/messages/blocked/"
    assert Block.objects.filter(user=alice, blocked=bob).exists()


def test_a_next_path_of_this_site_is_followed(alice, bob):
    response = signed_in(alice).post(f"/u/{bob.username}/block/", {"next": "/columns/?from=block"})
    assert response["Location"] == "/columns/?from=block"


# --- the share box of a page opened with a very long query --------------------------------


def test_a_post_opened_with_a_very_long_query_still_shows_with_its_share_code(client, thread):
    response = client.get(f"/p/{thread.pk}/", {"view": "9" * 5000})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="qr"' in page
    assert f'<link rel="canonical" href="http://testserver/p/{thread.pk}/">' in page


# --- JSON bodies nothing behind the API can hold -------------------------------------------


def _post(path, raw: str, user):
    return Client().post(f"/api/v1{path}", raw, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {issue_token(user=user)}")


@pytest.mark.parametrize("raw", ['{"username": "\\ud800", "password": "x"}', '{"username": "a\\udfffb", "password": "x"}'])
def test_a_lone_surrogate_escape_in_a_json_body_is_refused(alice, raw):
    response = Client().post("/api/v1/token", raw, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == "请求体含有无效的字符（不成对的 UTF-16 代理项，如 \\ud800）。"


def test_a_json_number_of_thousands_of_digits_is_refused_with_its_reason(bob, thread):
    response = _post(f"/posts/{thread.pk}/vote", '{"value": ' + "9" * 5000 + "}", bob)
    assert response.status_code == 422
    assert response.json()["detail"] == "请求体里的数字太长（最多 100 位）。"


def test_a_surrogate_pair_escape_is_a_character_like_any_other(alice, thread):
    response = _post(f"/posts/{thread.pk}/replies", json.dumps({"title": "表情 \U0001F600"}), alice)
    assert response.status_code in (201, 202)
    assert Post.objects.filter(title="表情 \U0001F600").exists()


# --- NUL (U+0000): refused at the door, on every database -------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/u/%00/", "/search/?q=a&author=%00", "/b/%00/", "/search/?board=%00"])
def test_a_nul_in_a_page_address_is_a_400_saying_so(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "空字符" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/users/%00", "/api/v1/search?q=a&board=%00", "/api/v1/boards/%00/threads"])
def test_a_nul_in_an_api_address_is_a_400_with_detail(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "空字符" in response.json()["detail"]


@pytest.mark.django_db
def test_a_nul_in_a_form_or_json_body_is_refused(client, alice, operator, board):
    client.force_login(operator)
    response = client.post(f"/b/{board.slug}/moderators/", {"username": "\x00"})
    assert response.status_code == 400 and "空字符" in response.content.decode()
    response = client.post("/api/v1/token", '{"username": "a\\u0000", "password": "x"}', content_type="application/json")
    assert response.status_code == 422 and "空字符" in response.json()["detail"]
    # Six characters that only spell an escape are text like any other.
    response = client.post("/api/v1/token", '{"username": "a\\\\u0000", "password": "x"}', content_type="application/json")
    assert response.status_code == 401
