"""Accounts through the pages a person uses: register, log in, log out, change
password, and the profile page. Names may be Chinese; reserved names and
look-alikes of existing members are refused with the typed input kept."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from luntan.accounts.models import User
from luntan.forum.services import create_thread, reply

NEW_PASSWORD = "another horse staple 7"


def register_form(username, email="", password=PASSWORD, password2=None):
    return {"username": username, "email": email, "password": password, "password2": password2 or password}


def signed_in_as(client) -> str | None:
    """The username the header shows, or None when it offers 登录."""
    page = client.get("/").content.decode()
    nav = re.search(r'<nav class="user-nav".*?</nav>', page, re.S).group(0)
    found = re.search(r'<a href="/u/[^"]+/">([^<]+)</a>', nav)
    return found.group(1) if found else None


def input_value(page: str, name: str) -> str | None:
    found = re.search(rf'<input name="{name}"[^>]*\bvalue="([^"]*)"', page)
    return found.group(1) if found else None


@pytest.mark.django_db
def test_register_with_a_chinese_name_signs_in_and_stores_an_argon2_hash(client):
    response = client.post("/accounts/register/", register_form("张三", email="zhang@example.com"))

    assert response.status_code == 302
    user = User.objects.get(username="张三")
    assert user.email == "zhang@example.com"
    assert user.password.startswith("argon2")
    assert PASSWORD not in user.password
    assert user.check_password(PASSWORD)
    assert signed_in_as(client) == "张三"


@pytest.mark.django_db
def test_register_rejects_different_passwords_and_keeps_name_and_email(client):
    response = client.post("/accounts/register/", register_form("李四", "li@example.com", password2="something else 8"))

    page = response.content.decode()
    assert response.status_code == 422
    assert "两次输入的密码不一致" in page
    assert input_value(page, "username") == "李四"
    assert input_value(page, "email") == "li@example.com"
    assert not User.objects.filter(username="李四").exists()


@pytest.mark.django_db
def test_register_rejects_a_weak_password_with_the_reason(client):
    response = client.post("/accounts/register/", register_form("王五", password="12345678"))

    page = response.content.decode()
    assert response.status_code == 422
    assert "密码不合要求" in page
    assert input_value(page, "username") == "王五"
    assert not User.objects.filter(username="王五").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["admin", "管理员", "管理員", "ADMlN"])
def test_reserved_names_are_refused_and_the_form_keeps_what_was_typed(client, name):
    response = client.post("/accounts/register/", register_form(name, email="someone@example.com"))

    page = response.content.decode()
    assert response.status_code == 422
    assert "保留名" in page
    assert input_value(page, "username") == name
    assert input_value(page, "email") == "someone@example.com"
    assert not User.objects.filter(username=name).exists()
    assert signed_in_as(client) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("existing", "look_alike"),
    [
        ("张三", "張三"),  # the same name in Traditional script
        ("alice", "ALlCE"),  # case and a lower-case L for the i
        ("alice", "\u0430lice"),  # Cyrillic а
        ("tester_a", "te\u0455ter_a"),  # Cyrillic ѕ, which no table of ours listed
        ("价值投资者", "价値投资者"),  # the Japanese form of 值
        ("广泽", "広沢"),  # Japanese shinjitai
        ("并且", "並且"),  # Traditional still goes to Simplified
    ],
)
def test_look_alikes_of_existing_names_are_refused(client, make_user, existing, look_alike):
    make_user(existing)

    response = client.post("/accounts/register/", register_form(look_alike, email="x@example.com"))

    page = response.content.decode()
    assert response.status_code == 409
    assert "太相似" in page
    assert existing in page
    assert input_value(page, "username") == look_alike
    assert input_value(page, "email") == "x@example.com"
    assert User.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "named"),
    [
        ("站务老王\u3164", "U+3164"),  # a Hangul filler: shows as nothing
        ("站务\u200b老王", "U+200B"),  # a zero-width space
        ("alice\u202e", "U+202E"),  # turns the text after it around
        ("老王\u0007", "U+0007"),
    ],
)
def test_names_with_characters_nobody_can_see_are_refused(client, make_user, name, named):
    make_user("站务老王", is_staff=True)

    response = client.post("/accounts/register/", register_form(name, email="x@example.com"))

    page = response.content.decode()
    assert response.status_code == 422
    assert "看不见的字符" in page and named in page
    assert input_value(page, "email") == "x@example.com"
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_the_same_name_twice_is_refused(client, alice):
    response = client.post("/accounts/register/", register_form("alice"))

    assert response.status_code == 409
    assert "已被注册" in response.content.decode()
    assert User.objects.filter(username="alice").count() == 1


@pytest.mark.django_db
def test_login_and_logout_through_the_pages(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD, "next": "/b/finance/"})
    assert response.status_code == 302
    assert response["Location"] == "/b/finance/"
    assert signed_in_as(client) == "alice"

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert signed_in_as(client) is None


@pytest.mark.django_db
def test_login_refuses_an_offsite_next(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD, "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_wrong_password_is_refused_and_keeps_the_username(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "not the password"})

    page = response.content.decode()
    assert response.status_code == 401
    assert "用户名或密码不正确" in page
    assert input_value(page, "username") == "alice"
    assert signed_in_as(client) is None


@pytest.mark.django_db
def test_logout_needs_a_post(client_for, alice):
    client = client_for(alice)

    assert client.get("/accounts/logout/").status_code == 405
    assert signed_in_as(client) == "alice"


@pytest.mark.django_db
def test_change_password_through_the_page(client, alice):
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})

    response = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password": NEW_PASSWORD})

    assert response.status_code == 200
    assert "密码已修改" in response.content.decode()
    assert signed_in_as(client) == "alice"  # the session survives the change
    client.post("/accounts/logout/")
    assert client.post("/accounts/login/", {"username": "alice", "password": PASSWORD}).status_code == 401
    assert client.post("/accounts/login/", {"username": "alice", "password": NEW_PASSWORD}).status_code == 302
    assert User.objects.get(username="alice").password.startswith("argon2")


@pytest.mark.django_db
def test_change_password_needs_the_old_one(client_for, alice):
    client = client_for(alice)

    response = client.post("/accounts/password/", {"old_password": "wrong old one", "new_password": NEW_PASSWORD})

    assert response.status_code == 422
    assert "原密码不正确" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


@pytest.mark.django_db
def test_change_password_needs_login(client):
    response = client.get("/accounts/password/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_post_without_csrf_token_is_refused(alice):
    browser = Client(enforce_csrf_checks=True)

    refused = browser.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert refused.status_code == 403

    # The same form with the token the page hands out goes through.
    browser.get("/accounts/login/")
    token = browser.cookies["csrftoken"].value
    accepted = browser.post("/accounts/login/", {"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302


@pytest.mark.django_db
def test_profile_shows_threads_replies_and_join_date(client, alice, bob, board):
    started = create_thread(author=alice, board=board, title="爱丽丝的主题", body="正文")
    answered = reply(author=alice, parent=create_thread(author=bob, board=board, title="鲍勃的主题"), title="爱丽丝的回复")

    response = client.get(alice.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    threads, replies = page.split("<h2>回复</h2>")
    assert f'href="{started.get_absolute_url()}">爱丽丝的主题</a>' in threads
    assert "爱丽丝的回复" not in threads
    assert f'href="{answered.get_absolute_url()}">爱丽丝的回复</a>' in replies
    assert "鲍勃的主题" not in page
    assert f"加入于 <time datetime=\"{timezone.localtime(alice.date_joined).isoformat()}\">" \
           f"{timezone.localtime(alice.date_joined):%Y-%m-%d}</time>" in page


@pytest.mark.django_db
def test_profile_of_a_chinese_name_and_of_nobody(client, bob):
    assert client.get(reverse("profile", args=["鲍勃"])).status_code == 200
    assert client.get(reverse("profile", args=["nobody"])).status_code == 404
