"""Rate limits on posting, replying, voting, messaging, registration and login:
429 with Retry-After and a message in the reader's script, on pages and in the
API, counted in the database or in Redis (whichever is configured; the store
tests run on both when Redis is there). The clock is moved by hand, never slept."""

import json
import os
import threading

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import timezone

from conftest import PASSWORD
from luntan import ratelimit
from luntan.errors import RateLimited
from luntan.forum import services as forum
from luntan.messages import services as messages

LOGIN = {
    "pair": {"failures": 3, "lockout": 60, "lockout_max": 600, "forget": 3600},
    "address": {"failures": 100, "lockout": 60, "lockout_max": 600, "forget": 3600},
    "account": {"failures": 1000, "lockout": 300, "lockout_max": 300, "forget": 3600, "restart": True},
}


def login_policy(**failures):
    """LOGIN with other thresholds: login_policy(pair=1, address=3)."""
    return {kind: {**rule, "failures": failures.get(kind, rule["failures"])} for kind, rule in LOGIN.items()}


@pytest.fixture
def clock(monkeypatch):
    """The rate limiter's clock, advanced by hand."""

    class Clock:
        now = 1_000_000.0

        def __call__(self):
            return self.now

        def advance(self, seconds):
            self.now += seconds

    ticking = Clock()
    monkeypatch.setattr(ratelimit, "clock", ticking)
    return ticking


@pytest.fixture
def limits(settings, clock):
    """limits(thread=[(2, 60)], ...): the whole table for this test; other actions unlimited."""

    def set_limits(**table):
        settings.LUNTAN = {**settings.LUNTAN, "RATE_LIMITS": table}

    return set_limits


@pytest.fixture(params=["database", "redis"])
def store(request, settings):
    """Each store in turn: the database always, Redis when LUNTAN_REDIS_URL is set."""
    if request.param == "redis":
        if not os.environ.get("LUNTAN_REDIS_URL"):
            pytest.skip("no Redis configured (LUNTAN_REDIS_URL)")
        settings.REDIS_URL = os.environ["LUNTAN_REDIS_URL"]
        ratelimit.stores.redis_store(settings.REDIS_URL).client.flushdb()
    else:
        settings.REDIS_URL = ""
    return request.param


def browser(user=None, address="127.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=address)
    if user is not None:
        client.force_login(user)
    return client


def api_post(client, path, data, token=None, **extra):
    if token:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.post(f"/api/v1{path}", json.dumps(data), content_type="application/json", **extra)


def assert_limited(response, retry_after: int, message: str):
    assert response.status_code == 429, response.content.decode()[:500]
    assert response["Retry-After"] == str(retry_after)
    is_json = response["Content-Type"].startswith("application/json")
    text = response.json()["detail"] if is_json else response.content.decode()
    assert message in text


# --- pages --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_thread_over_the_limit_comes_back_with_the_text_and_when_to_retry(alice, board, limits, clock):
    limits(thread=[(2, 60)])
    page = browser(alice)
    for n in range(2):
        assert page.post("/b/finance/new/", {"title": f"第{n}帖", "body": "正文"}).status_code == 302
    clock.advance(20)
    response = page.post("/b/finance/new/", {"title": "第三个帖子", "body": "我写了很久的内容"})
    assert_limited(response, 40, "发帖太频繁，请 40 秒后再试。")
    html = response.content.decode()
    assert 'value="第三个帖子"' in html and "我写了很久的内容</textarea>" in html


@pytest.mark.django_db
def test_a_traditional_reader_reads_the_limit_in_traditional(alice, board, limits, clock):
    limits(thread=[(1, 60)])
    page = browser(alice)
    assert page.post("/b/finance/new/?script=hant", {"title": "第一帖"}).status_code == 302
    response = page.post("/b/finance/new/?script=hant", {"title": "第二个帖子", "body": "简体写的正文"})
    assert_limited(response, 60, "發帖太頻繁，請 1 分鐘後再試。")
    assert "简体写的正文</textarea>" in response.content.decode()  # what was typed stays as typed


@pytest.mark.django_db
def test_replies_are_limited_on_the_page(alice, bob, thread, limits, clock):
    limits(reply=[(1, 600)])
    page = browser(bob)
    assert page.post(f"/p/{thread.pk}/reply/", {"title": "Re: 一", "body": "赞同"}).status_code == 302
    response = page.post(f"/p/{thread.pk}/reply/", {"title": "Re: 二", "body": "再补充一句"})
    assert_limited(response, 600, "回复太频繁，请 10 分钟后再试。")
    assert "再补充一句" in response.content.decode()


@pytest.mark.django_db
def test_messages_are_limited_on_the_page(alice, bob, limits, clock):
    limits(message=[(1, 60)])
    page = browser(alice)
    assert page.post("/messages/new/", {"to": bob.username, "body": "你好"}).status_code == 302
    clock.advance(59.5)
    response = page.post("/messages/new/", {"to": bob.username, "body": "还在吗"})
    assert_limited(response, 1, "发悄悄话太频繁，请 1 秒后再试。")
    assert "还在吗</textarea>" in response.content.decode()


@pytest.mark.django_db
def test_votes_are_limited_on_the_page(alice, bob, make_user, board, limits, clock):
    limits(vote=[(1, 60)])
    first = forum.create_thread(author=alice, board=board, title="一")
    second = forum.create_thread(author=alice, board=board, title="二")
    page = browser(bob)
    assert page.post(f"/p/{first.pk}/vote/", {"value": "1"}).status_code == 302
    response = page.post(f"/p/{second.pk}/vote/", {"value": "1"})
    assert response.status_code == 429
    assert "投票太频繁，请 1 分钟后再试。" in response.content.decode()


@pytest.mark.django_db
def test_registration_is_limited_per_address_and_x_forwarded_for_is_ignored(limits, clock):
    limits(register=[(2, 3600)])
    for name in ("甲一号", "甲二号"):
        response = browser(address="198.51.100.7").post(
            "/accounts/register/", {"username": name, "password": PASSWORD, "password2": PASSWORD}
        )
        assert response.status_code == 302
    # A client cannot step around the limit by claiming another address.
    response = browser(address="198.51.100.7").post(
        "/accounts/register/", {"username": "甲三号", "password": PASSWORD, "password2": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.50",
    )
    assert_limited(response, 3600, "注册太频繁，请 1 小时后再试。")
    assert 'value="甲三号"' in response.content.decode()
    # Another address is another count.
    response = browser(address="198.51.100.8").post(
        "/accounts/register/", {"username": "乙一号", "password": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(settings, limits, clock):
    limits(register=[(1, 3600)])
    settings.LUNTAN = {**settings.LUNTAN, "TRUSTED_PROXIES": 1}
    proxy = "10.0.0.1"

    def register(name, forwarded):
        return browser(address=proxy).post(
            "/accounts/register/", {"username": name, "password": PASSWORD, "password2": PASSWORD},
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    assert register("丙一号", "203.0.113.1").status_code == 302
    assert register("丙二号", "203.0.113.2").status_code == 302  # another client behind the same proxy
    # What the client wrote itself (on the left) is not believed: the proxy's entry is.
    assert register("丙三号", "198.51.100.99, 203.0.113.1").status_code == 429


def test_client_address(settings):
    factory = RequestFactory()

    def address(proxies=0, remote="192.0.2.1", forwarded=None):
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        settings.LUNTAN = {**settings.LUNTAN, "TRUSTED_PROXIES": proxies}
        return ratelimit.client_address(factory.get("/", **extra))

    assert address(forwarded="203.0.113.9") == "192.0.2.1"
    assert address(1, forwarded="1.1.1.1, 203.0.113.9") == "203.0.113.9"
    assert address(2, forwarded="203.0.113.9, 10.0.0.2") == "203.0.113.9"
    assert address(2, forwarded="10.0.0.2") == "192.0.2.1"  # fewer hops than proxies: not through them
    assert address(remote="2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert address(remote="::ffff:192.0.2.5") == "192.0.2.5"


# --- the API ------------------------------------------------------------------


@pytest.fixture
def tokens(alice, bob):
    from luntan.accounts.services import issue_token

    return {alice: issue_token(user=alice), bob: issue_token(user=bob)}


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["thread", "reply", "vote", "message"])
def test_every_limited_action_answers_429_in_the_api(action, alice, bob, board, tokens, limits, clock):
    limits(**{action: [(1, 60)]})
    # Back-dated, as an import would be: not counted against anyone.
    targets = [forum.create_thread(author=alice, board=board, title=f"帖{n}", at=timezone.now()) for n in range(2)]
    calls = {
        "thread": lambda n: ("/boards/finance/threads", {"title": f"新帖{n}"}),
        "reply": lambda n: (f"/posts/{targets[0].pk}/replies", {"title": f"回复{n}"}),
        "vote": lambda n: (f"/posts/{targets[n].pk}/vote", {"value": 1}),
        "message": lambda n: ("/messages", {"to": alice.username, "body": f"你好{n}"}),
    }
    client = browser()
    path, data = calls[action](0)
    assert api_post(client, path, data, tokens[bob]).status_code in (200, 201, 202)
    clock.advance(15)
    path, data = calls[action](1)
    response = api_post(client, path, data, tokens[bob])
    name = ratelimit.ACTION_NAMES[action]
    assert_limited(response, 45, f"{name}太频繁，请 45 秒后再试。")
    assert response.json()["retry_after"] == 45
    traditional = api_post(client, path + "?script=hant", data, tokens[bob])
    assert traditional.status_code == 429 and "太頻繁，請 45 秒後再試。" in traditional.json()["detail"]


@pytest.mark.django_db
def test_api_registration_is_limited_per_address(limits, clock):
    limits(register=[(1, 3600)])
    client = browser(address="198.51.100.20")
    assert api_post(client, "/register", {"username": "丁一号", "password": PASSWORD}).status_code == 201
    response = api_post(client, "/register", {"username": "丁二号", "password": PASSWORD})
    assert_limited(response, 3600, "注册太频繁，请 1 小时后再试。")


# --- operators ----------------------------------------------------------------


@pytest.mark.django_db
def test_operators_are_not_limited(operator, alice, board, limits, clock):
    limits(thread=[(1, 60)], reply=[(1, 60)], vote=[(1, 60)], message=[(1, 60)])
    roots = [forum.create_thread(author=operator, board=board, title=f"公告{n}") for n in range(3)]
    for n in range(3):
        forum.reply(author=operator, parent=roots[0], title=f"补充{n}")
        messages.send(sender=operator, recipient=alice, body=f"通知{n}")
    mine = [forum.create_thread(author=alice, board=board, title="一")]
    with pytest.raises(RateLimited):
        forum.create_thread(author=alice, board=board, title="二")
    forum.vote(user=operator, post=mine[0], value=1)
    forum.vote(user=operator, post=mine[0], value=-1)


# --- windows --------------------------------------------------------------------


@pytest.mark.django_db
def test_every_window_must_allow_and_refused_attempts_are_not_counted(store, alice, limits, clock):
    limits(thread=[(2, 60), (3, 3600)])
    ratelimit.hit("thread", user=alice)
    ratelimit.hit("thread", user=alice)
    for _ in range(5):  # refusals cost nothing
        with pytest.raises(RateLimited) as refused:
            ratelimit.hit("thread", user=alice)
    assert refused.value.retry_after == 60
    clock.advance(60)  # the minute is over: a fresh minute, but the hour has room for one
    ratelimit.hit("thread", user=alice)
    with pytest.raises(RateLimited) as refused:
        ratelimit.hit("thread", user=alice)
    assert refused.value.retry_after == 3600 - 60
    assert refused.value.message == "发帖太频繁，请 59 分钟后再试。"
    clock.advance(3540)
    ratelimit.hit("thread", user=alice)
    ratelimit.hit("thread", user=alice)


@pytest.mark.django_db
def test_limits_are_per_account(store, alice, bob, limits, clock):
    limits(vote=[(1, 60)])
    ratelimit.hit("vote", user=alice)
    ratelimit.hit("vote", user=bob)
    with pytest.raises(RateLimited):
        ratelimit.hit("vote", user=alice)


def test_waits_are_said_plainly():
    assert ratelimit.wait_text(1) == " 1 秒"
    assert ratelimit.wait_text(59) == " 59 秒"
    assert ratelimit.wait_text(61) == " 2 分钟"
    assert ratelimit.wait_text(3600) == " 1 小时"
    assert ratelimit.wait_text(3601) == " 1 小时 1 分钟"
    assert ratelimit.wait_text(7199) == " 2 小时"


# --- login ------------------------------------------------------------------------


def login(client, username, password, script=""):
    return client.post(f"/accounts/login/{script}", {"username": username, "password": password})


@pytest.mark.django_db
def test_login_locks_out_with_back_off_and_success_forgets_the_failures(store, alice, limits, clock):
    limits(login=LOGIN)
    page = browser(address="192.0.2.10")
    assert login(page, "alice", "wrong").status_code == 401
    assert login(page, "alice", "wrong").status_code == 401
    assert_limited(login(page, "alice", "wrong"), 60, "登录失败次数太多，请 1 分钟后再试。")
    # Locked: even the right password is not looked at.
    response = login(page, "alice", PASSWORD)
    assert_limited(response, 60, "登录失败次数太多，请 1 分钟后再试。")
    assert 'value="alice"' in response.content.decode() and "_auth_user_id" not in page.session
    clock.advance(30)
    assert_limited(login(page, "alice", PASSWORD), 30, "请 30 秒后再试。")
    clock.advance(30)
    # Each failure after a lock-out doubles the next one: 2 minutes, then 4.
    assert_limited(login(page, "alice", "wrong"), 120, "请 2 分钟后再试。")
    clock.advance(120)
    assert_limited(login(page, "alice", "wrong"), 240, "请 4 分钟后再试。")
    clock.advance(240)
    assert login(page, "alice", PASSWORD).status_code == 302
    # Success forgot the failures: three more before the next lock-out.
    page = browser(address="192.0.2.10")
    assert login(page, "alice", "wrong").status_code == 401
    assert login(page, "alice", "wrong").status_code == 401
    assert_limited(login(page, "alice", "wrong"), 60, "请 1 分钟后再试。")


@pytest.mark.django_db
def test_the_lock_out_is_capped_and_failures_are_forgotten_in_time(store, alice, limits, clock):
    limits(login=LOGIN)
    page = browser()
    waits = []
    for _ in range(8):
        response = login(page, "alice", "wrong")
        if response.status_code == 429:
            waits.append(int(response["Retry-After"]))
            clock.advance(waits[-1])
    assert waits == [60, 120, 240, 480, 600, 600]
    clock.advance(LOGIN["pair"]["forget"])
    assert login(page, "alice", "wrong").status_code == 401


@pytest.mark.django_db
def test_an_unknown_name_is_answered_exactly_like_a_known_one(store, alice, limits, clock):
    limits(login=LOGIN)

    def answers(username):
        page = browser(address=f"192.0.2.{len(username)}")
        seen = []
        for _ in range(4):
            response = login(page, username, "wrong")
            page_text = response.content.decode().replace(username, "NAME")
            seen.append((response.status_code, response.get("Retry-After"), page_text))
        return seen

    known, unknown = answers("alice"), answers("nobody_at_all")
    assert [s for s, _, _ in known] == [401, 401, 429, 429]
    assert [(s, r) for s, r, _ in known] == [(s, r) for s, r, _ in unknown]
    assert [strip_tokens(h) for _, _, h in known] == [strip_tokens(h) for _, _, h in unknown]


def strip_tokens(html: str) -> str:
    """A page without what differs on every render (CSRF tokens, CSP nonces)."""
    import re

    return re.sub(r'(value|nonce)="[^"]*"', "", html)


@pytest.mark.django_db
def test_look_alike_names_share_one_count(alice, limits, clock):
    limits(login=LOGIN)
    page = browser()
    login(page, "alice", "wrong")
    login(page, "ALICE", "wrong")
    assert login(page, "аlice", "wrong").status_code == 429  # Cyrillic а


@pytest.mark.django_db
def test_failures_from_one_address_lock_that_address_out(alice, bob, limits, clock):
    limits(login=login_policy(address=3))
    attacker = browser(address="203.0.113.66")
    for name in ("甲", "乙"):
        assert login(attacker, name, "guess").status_code == 401
    assert login(attacker, "丙", "guess").status_code == 429
    assert login(attacker, "alice", PASSWORD).status_code == 429
    assert login(browser(address="203.0.113.67"), "alice", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_stranger_failing_from_one_address_does_not_lock_the_member_out(store, alice, clock):
    """With the policy as shipped: a day of wrong guesses at alice's password
    from 203.0.113.66 locks that address out, never alice at home."""
    stranger, home = browser(address="203.0.113.66"), browser(address="198.51.100.20")
    for _ in range(40):
        response = login(stranger, "alice", "guess")
        if response.status_code == 429:
            clock.advance(int(response["Retry-After"]))
    assert_limited(login(stranger, "alice", "guess"), 3600, "登录失败次数太多")
    assert login(home, "alice", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_name_guessed_at_from_many_addresses_is_locked_briefly_and_the_count_starts_again(store, alice, limits, clock):
    limits(login=login_policy(account=5))
    for n in range(4):
        assert login(browser(address=f"203.0.113.{n}"), "alice", "guess").status_code == 401
    assert_limited(login(browser(address="203.0.113.4"), "ALICE", "guess"), 300, "请 5 分钟后再试。")
    assert_limited(login(browser(address="198.51.100.20"), "alice", PASSWORD), 300, "请 5 分钟后再试。")
    clock.advance(300)
    assert login(browser(address="198.51.100.20"), "alice", PASSWORD).status_code == 302
    # The lock-out did not grow or stick: one more guess does not shut alice out again.
    assert login(browser(address="203.0.113.5"), "alice", "guess").status_code == 401
    assert login(browser(address="198.51.100.20"), "alice", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_traditional_reader_is_told_in_traditional(alice, limits, clock):
    limits(login=login_policy(pair=1))
    response = login(browser(), "alice", "wrong", script="?script=hant")
    assert_limited(response, 60, "登錄失敗次數太多，請 1 分鐘後再試。")


@pytest.mark.django_db
def test_the_api_token_endpoint_is_locked_out_too(alice, limits, clock):
    limits(login=LOGIN)
    client = browser()
    for _ in range(2):
        assert api_post(client, "/token", {"username": "alice", "password": "wrong"}).status_code == 401
    response = api_post(client, "/token", {"username": "alice", "password": "wrong"})
    assert_limited(response, 60, "登录失败次数太多，请 1 分钟后再试。")
    response = api_post(client, "/token?script=hant", {"username": "alice", "password": PASSWORD})
    assert_limited(response, 60, "登錄失敗次數太多，請 1 分鐘後再試。")
    clock.advance(60)
    assert "token" in api_post(client, "/token", {"username": "alice", "password": PASSWORD}).json()


# --- concurrency ------------------------------------------------------------------


def run_together(count, work):
    """Run `work()` in `count` threads started at once; return what each returned."""
    start = threading.Barrier(count)
    results = [None] * count

    def run(i):
        try:
            start.wait()
            results[i] = work()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_attempts_get_exactly_the_limit(store, limits, clock):
    limits(register=[(5, 60), (100, 3600)])

    def attempt():
        try:
            ratelimit.hit("register", address="203.0.113.77")
            return True
        except RateLimited:
            return False

    assert sum(run_together(12, attempt)) == 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_are_all_counted(store, limits, clock):
    # Threshold 1 and doubling from 1 s: after n failures the lock-out is 2**(n-1) seconds.
    limits(login={"pair": {"failures": 1, "lockout": 1, "lockout_max": 10**9, "forget": 3600}})

    def fail():
        try:
            ratelimit.login_failed(username="alice", address="192.0.2.1")
        except RateLimited:
            pass

    run_together(10, fail)
    with pytest.raises(RateLimited) as locked:
        ratelimit.check_login(username="alice", address="192.0.2.1")
    assert locked.value.retry_after == 2**9


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_through_the_service_get_exactly_the_limit(store, make_user, board, limits, clock):
    limits(thread=[(3, 60)])
    author = make_user()

    def post():
        try:
            forum.create_thread(author=author, board=board, title="同时发的帖")
            return True
        except RateLimited:
            return False

    assert sum(run_together(8, post)) == 3
