"""Tipping (打赏) links: validation in the service, the settings page, the API."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "api"))  # the API test helpers
from api_client import alice_token, api, assert_error, token_for  # noqa: E402, F401  (fixtures)
from luntan.accounts.services import set_tip_links
from luntan.errors import Invalid

ALIPAY = "https://qr.alipay.com/fkx12345abcde"
WECHAT = "wxp://f2f0AbCdEfGhIjKlMnOp"


def test_https_and_wxp_links_are_kept(alice):
    set_tip_links(user=alice, alipay=ALIPAY, wechat=WECHAT)
    alice.refresh_from_db()
    assert alice.tip_links == {"alipay": ALIPAY, "wechat": WECHAT}


def test_https_is_fine_for_wechat_too(alice):
    set_tip_links(user=alice, wechat="https://payapp.weixin.qq.com/qr/abc")
    assert alice.tip_links == {"wechat": "https://payapp.weixin.qq.com/qr/abc"}


def test_wxp_is_wechat_only(alice):
    with pytest.raises(Invalid) as caught:
        set_tip_links(user=alice, alipay=WECHAT)
    assert caught.value.field == "alipay"
    assert "https://" in caught.value.message and "支付宝" in caught.value.message


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JavaScript://%0aalert(1)",
        "http://qr.alipay.com/x",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.com/x",
        "/relative/path",
        "qr.alipay.com/x",
        "https://qr.alipay.com/a b",
        "https:///nohost",
        "https://",
        "https://" + "a" * 500 + ".com",
    ],
)
@pytest.mark.parametrize("service", ["alipay", "wechat"])
def test_bad_links_are_refused_with_a_chinese_message(alice, service, link):
    set_tip_links(user=alice, alipay=ALIPAY, wechat=WECHAT)
    with pytest.raises(Invalid) as caught:
        set_tip_links(user=alice, **{service: link})
    assert caught.value.field == service
    assert ("收款链接" in caught.value.message) and caught.value.status == 422
    alice.refresh_from_db()
    assert alice.tip_links == {"alipay": ALIPAY, "wechat": WECHAT}  # nothing changed


def test_empty_clears_and_none_keeps(alice):
    set_tip_links(user=alice, alipay=ALIPAY, wechat=WECHAT)
    set_tip_links(user=alice, alipay="  ")
    alice.refresh_from_db()
    assert alice.tip_links == {"wechat": WECHAT}


def test_one_bad_link_saves_neither(alice):
    with pytest.raises(Invalid):
        set_tip_links(user=alice, alipay=ALIPAY, wechat="javascript:alert(1)")
    alice.refresh_from_db()
    assert alice.tip_links == {}


def test_non_ascii_links_are_stored_ascii(alice):
    set_tip_links(user=alice, alipay="https://例子.cn/收款?名=张")
    link = alice.tip_links["alipay"]
    assert link.isascii() and link.startswith("https://xn--")


# --- the settings page ---------------------------------------------------------


def test_settings_page_needs_login(client, db):
    response = client.get("/accounts/settings/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_settings_page_saves_bio_and_links(client_for, alice):
    client = client_for(alice)
    response = client.post("/accounts/settings/", {"bio": "写点东西", "alipay": ALIPAY, "wechat": WECHAT})
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.bio == "写点东西" and alice.tip_links == {"alipay": ALIPAY, "wechat": WECHAT}
    assert ALIPAY in response.content.decode()


def test_settings_form_keeps_what_was_typed(client_for, alice):
    client = client_for(alice)
    response = client.post(
        "/accounts/settings/", {"bio": "我的新简介", "alipay": ALIPAY, "wechat": "javascript:alert(1)"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "微信收款链接须是以" in html
    assert "我的新简介" in html and ALIPAY in html and 'value="javascript:alert(1)"' in html
    alice.refresh_from_db()
    assert alice.bio == "" and alice.tip_links == {}  # all or nothing


def test_settings_form_needs_csrf(alice):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post("/accounts/settings/", {"alipay": ALIPAY}).status_code == 403
    page = strict.get("/accounts/settings/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


def test_own_profile_links_to_settings(client_for, alice, bob):
    client = client_for(alice)
    assert 'href="/accounts/settings/"' in client.get(alice.get_absolute_url()).content.decode()
    assert 'href="/accounts/settings/"' not in client.get(bob.get_absolute_url()).content.decode()


# --- the API ------------------------------------------------------------------


def test_api_me_reads_and_writes_tip_links(api, alice, alice_token):
    me = api.get("/me", token=alice_token).json()
    assert me["tip_links"] == {"alipay": None, "wechat": None}
    response = api.patch("/me", {"tip_links": {"alipay": ALIPAY}}, token=alice_token)
    assert response.status_code == 200, response.content
    assert response.json()["tip_links"] == {"alipay": ALIPAY, "wechat": None}
    response = api.patch("/me", {"tip_links": {"wechat": WECHAT}}, token=alice_token)
    assert response.json()["tip_links"] == {"alipay": ALIPAY, "wechat": WECHAT}
    public = api.get(f"/users/{alice.username}", {"script": "hant"}).json()
    assert public["tip_links"] == {"alipay": ALIPAY, "wechat": WECHAT}
    response = api.patch("/me", {"tip_links": {"alipay": ""}}, token=alice_token)
    assert response.json()["tip_links"] == {"alipay": None, "wechat": WECHAT}


@pytest.mark.parametrize("link", ["javascript:alert(1)", "http://qr.alipay.com/x", "data:text/plain,x", "wxp://abc"])
def test_api_refuses_bad_links_with_422(api, alice, alice_token, link):
    response = api.patch("/me", {"bio": "不该保存", "tip_links": {"alipay": link}}, token=alice_token)
    body = assert_error(response, 422, "支付宝收款链接", "https://")
    assert body["field"] == "alipay"
    alice.refresh_from_db()
    assert alice.tip_links == {} and alice.bio == ""
