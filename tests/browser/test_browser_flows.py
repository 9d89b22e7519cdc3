"""What a person sees: a real browser (Debian's chromium, driven by Playwright's
sync API) against pytest-django's live server.

Playwright's sync API runs an event loop in the main thread, and Django refuses
database calls from a thread with a running loop unless told it is safe; the
tests' own fixtures (users, boards) are plain synchronous code, so it is.

Screenshots for people to look at go to /tmp/luntan-shots/ (nothing asserts them).
The `browser` fixture itself lives in tests/conftest.py: one chromium for the
whole session, whichever browser test modules run.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

SHOTS = Path(os.environ.get("LUNTAN_SHOTS_DIR", "/tmp/luntan-shots"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


# --- fixtures ---------------------------------------------------------------


@pytest.fixture(scope="session")
def site_url(django_db_setup, live_server):
    """The live server's address (asking for it makes the test database
    transactional, as the server's threads must see the tests' data).

    Asking for the test database first makes pytest stop the server before it
    drops the database. The other way round, a server thread still holding a
    connection to the deleted SQLite file can leave its -wal and -shm files
    behind, and the next run's fresh database fails with "disk I/O error"."""
    return live_server.url


@pytest.fixture
def new_page(browser, site_url):
    """Open a page in a fresh browser context (its own cookies): one per person in the test."""
    contexts = []

    def open_page(*, viewport=DESKTOP, javascript=True):
        context = browser.new_context(
            base_url=site_url, viewport=viewport, java_script_enabled=javascript, locale="zh-CN"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def follow(target):
    """Click a link or a submit button and wait for the page it leads to."""
    with target.page.expect_navigation():
        target.click()


def log_in(page, username, password=PASSWORD):
    """Sign in through the login form, as a person would."""
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    follow(page.get_by_role("button", name="登录"))
    assert page.locator(".user-nav").get_by_text(username, exact=True).is_visible()


def header(page):
    return page.locator("header.site-header")


def tree_link(page, title):
    return page.locator(".tree .tree-line a:not(.author)", has_text=title)


def save_screenshot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


@pytest.fixture
def furnished_thread(thread, alice, bob, board, make_user):
    """A thread as a real one looks: replies two levels deep, body-less replies,
    long unbroken words (which must not widen a phone's page), a second board,
    side lists with entries."""
    from django.utils import timezone

    from luntan.forum.services import create_board, create_thread, reply
    from luntan.stats.services import view_buffer

    carol = make_user("小红")
    first = reply(author=bob, parent=thread, title="Re: 读懂市场的七个要点", body="说得好，**第三点**尤其重要。\n我补充一句。")
    reply(author=carol, parent=first, title="Re: Re: 读懂市场的七个要点", body="")
    reply(
        author=alice, parent=first,
        title="参考 https://example.com/a-very-long-address/without-any-spaces-in-it/at-all/index.html",
        body="链接：https://example.com/a-very-long-address/without-any-spaces-in-it/at-all/index.html?page=1&sort=desc",
    )
    reply(author=carol, parent=thread, title="同问", body="")
    unbroken = "HODL" * 20
    reply(author=bob, parent=thread, title=unbroken, body="")
    create_thread(author=bob, board=board, title=unbroken, body=unbroken)
    create_board(slug="chat", name="生活杂谈", description="家长里短，闲聊灌水", position=1)
    now = timezone.now()
    try:
        last_year = now.replace(year=now.year - 1)
    except ValueError:  # 29 February
        last_year = now - timedelta(days=365)
    old = create_thread(author=bob, board=board, title="去年今日：市场回顾", body="旧帖", at=last_year)
    reply(author=alice, parent=old, title="Re: 去年今日", body="", at=last_year + timedelta(hours=1))
    view_buffer.record(post_id=thread.pk, thread_id=thread.pk, reader="a10.0.0.1|")
    view_buffer.flush()
    return thread


# --- 1. register, post, reply, reply to the reply --------------------------


def test_a_visitor_registers_posts_a_thread_and_sees_the_reply_tree(page, board):
    page.goto("/accounts/register/")
    page.locator("input[name=username]").fill("张小明")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    follow(page.get_by_role("button", name="注册"))
    assert header(page).get_by_role("link", name="张小明").is_visible()
    assert header(page).get_by_role("link", name="登录").count() == 0

    follow(page.get_by_role("link", name=board.name).first)
    assert page.get_by_role("heading", name=board.name).is_visible()
    follow(page.get_by_role("link", name="发新帖"))
    page.locator("input[name=title]").fill("第一次发帖")
    page.locator("textarea[name=body]").fill("这是**重点**内容\n第二行")
    follow(page.get_by_role("button", name="发表"))

    thread_url = page.url
    post = page.locator("article.post")
    assert post.get_by_role("heading", name="第一次发帖").is_visible()
    assert post.locator(".body strong").inner_text() == "重点"
    assert post.locator(".body br").count() == 1
    assert "**" not in post.locator(".body").inner_text()
    assert post.locator(".byline .author").inner_text() == "张小明"

    # A reply with a title only shows as "(无内容)" in the tree.
    page.locator("#reply input[name=title]").fill("只有标题")
    page.locator("#reply textarea[name=body]").fill("")
    follow(page.get_by_role("button", name="发表回复"))
    assert page.locator("article.post .body").inner_text().strip() == "(无内容)"
    assert tree_link(page, "只有标题").is_visible()
    assert "(无内容)" in page.locator(".tree .tree-line").first.inner_text()

    # A reply to that reply: the second level of the tree.
    page.locator("#reply input[name=title]").fill("二级回复")
    page.locator("#reply textarea[name=body]").fill("接着说")
    follow(page.get_by_role("button", name="发表回复"))
    assert page.locator("article.post .body").inner_text().strip() == "接着说"
    assert page.locator("nav.ancestors").get_by_role("link", name="只有标题").is_visible()

    page.goto(thread_url)
    root_box = tree_link(page, "第一次发帖").bounding_box()
    child_box = tree_link(page, "只有标题").bounding_box()
    grandchild_box = tree_link(page, "二级回复").bounding_box()
    assert root_box["x"] < child_box["x"] < grandchild_box["x"]
    assert root_box["y"] < child_box["y"] < grandchild_box["y"]
    assert "(无内容)" in page.locator(".tree-line", has_text="只有标题").inner_text()


# --- 2. rejected input comes back with the reason and the text ------------


def test_a_rejected_reply_keeps_what_was_typed(page, thread, bob):
    log_in(page, bob.username)
    page.goto(thread.get_absolute_url())
    title = page.locator("#reply input[name=title]")
    page.evaluate("document.querySelector('#reply input[name=title]').removeAttribute('required')")
    title.fill("")
    page.locator("#reply textarea[name=body]").fill("我认真写了很长的一段话，\n不想白写。")
    follow(page.get_by_role("button", name="发表回复"))
    assert page.get_by_role("alert").is_visible()
    assert "标题不能为空" in page.get_by_role("alert").inner_text()
    assert page.locator("#reply textarea[name=body]").input_value() == "我认真写了很长的一段话，\n不想白写。"

    # A title of spaces passes the browser's check, not the server's.
    page.locator("#reply input[name=title]").fill("   ")
    follow(page.get_by_role("button", name="发表回复"))
    assert "标题不能为空" in page.get_by_role("alert").inner_text()
    assert page.locator("#reply textarea[name=body]").input_value() == "我认真写了很长的一段话，\n不想白写。"
    # Nothing was posted: the thread still has no replies.
    page.goto(thread.get_absolute_url())
    assert page.locator(".tree .tree-line").count() == 1


# --- 3. votes ----------------------------------------------------------------


def test_votes_show_percentages_and_authors_cannot_vote(new_page, thread, alice, bob):
    voter = new_page()
    log_in(voter, bob.username)
    voter.goto(thread.get_absolute_url())
    up, down = voter.locator(".votes .vote.up"), voter.locator(".votes .vote.down")
    assert up.inner_text().endswith("0%(0)") and down.inner_text().endswith("0%(0)")
    follow(up)
    assert "100%(1)" in up.inner_text()
    assert "0%(0)" in down.inner_text()
    assert "chosen" in up.get_attribute("class")

    author = new_page()
    log_in(author, alice.username)
    author.goto(thread.get_absolute_url())
    assert "100%(1)" in author.locator(".votes .vote.up").inner_text()
    assert author.locator(".votes .vote.up").is_disabled()
    assert author.locator(".votes .vote.down").is_disabled()


# --- 4. private messages -----------------------------------------------------


def test_a_private_message_from_the_thread_page_reaches_the_inbox(new_page, thread, alice, bob):
    sender = new_page()
    log_in(sender, bob.username)
    sender.goto(thread.get_absolute_url())
    follow(sender.locator("article.post").get_by_role("link", name="发送悄悄话"))
    assert sender.locator("input[name=to]").input_value() == alice.username
    sender.locator("textarea[name=body]").fill("你好，想请教第三点。")
    follow(sender.get_by_role("button", name="发送"))
    assert "你好，想请教第三点。" in sender.locator("article.message").inner_text()

    recipient = new_page()
    log_in(recipient, alice.username)
    badge = header(recipient).locator(".badge")
    assert badge.is_visible()
    assert badge.inner_text() == "1"
    follow(header(recipient).get_by_role("link", name=re.compile("悄悄话")))
    unread = recipient.locator(".message-list li.unread")
    assert unread.count() == 1
    assert bob.username in unread.inner_text()
    follow(unread.get_by_role("link"))
    assert "你好，想请教第三点。" in recipient.locator("article.message").inner_text()
    assert header(recipient).locator(".badge").count() == 0
    recipient.goto("/")
    assert header(recipient).locator(".badge").count() == 0


# --- 5. phones and desktops --------------------------------------------------


def test_phone_pages_do_not_scroll_sideways_and_desktop_has_a_side_column(page, furnished_thread, bob):
    log_in(page, bob.username)  # signed in, the header carries the most
    page.set_viewport_size(PHONE)
    page.goto("/")
    assert not scrolls_sideways(page)
    assert page.locator(".board-table td.num").first.is_hidden()
    assert page.locator(".board-table td.when").first.is_hidden()
    assert page.locator(".board-table thead").is_hidden()
    assert page.locator(".board-table .board-name").first.is_visible()
    save_screenshot(page, "home-mobile")

    page.goto(furnished_thread.get_absolute_url())
    assert not scrolls_sideways(page)
    assert page.locator(".side-lists").bounding_box()["y"] > page.locator(".thread").bounding_box()["y"]
    save_screenshot(page, "thread-mobile")

    page.goto(furnished_thread.board.get_absolute_url())
    assert not scrolls_sideways(page)
    save_screenshot(page, "board-mobile")

    page.set_viewport_size(DESKTOP)
    page.goto("/")
    assert page.locator(".board-table td.num").first.is_visible()
    main_box, side_box = page.locator("section.boards").bounding_box(), page.locator(".side-lists").bounding_box()
    assert side_box["x"] >= main_box["x"] + main_box["width"]
    assert abs(side_box["y"] - main_box["y"]) < 40
    save_screenshot(page, "home")

    page.goto(furnished_thread.get_absolute_url())
    main_box, side_box = page.locator(".thread").bounding_box(), page.locator(".side-lists").bounding_box()
    assert side_box["x"] >= main_box["x"] + main_box["width"]
    assert abs(side_box["y"] - main_box["y"]) < 40
    assert not scrolls_sideways(page)
    # The header and breadcrumb line up with the page column on a wide screen.
    for edge in (".site-header .brand", ".breadcrumb a"):
        assert abs(page.locator(edge).first.bounding_box()["x"] - main_box["x"]) < 2
    save_screenshot(page, "thread")


# --- 6. no JavaScript ----------------------------------------------------------


def test_everything_works_without_javascript(new_page, board, alice):
    page = new_page(javascript=False)
    log_in(page, alice.username)
    page.goto(board.get_absolute_url())
    follow(page.get_by_role("link", name="发新帖"))
    page.locator("input[name=title]").fill("不用脚本也能发帖")
    page.locator("textarea[name=body]").fill("纯 HTML 表单。")
    follow(page.get_by_role("button", name="发表"))
    assert page.locator("article.post").get_by_role("heading", name="不用脚本也能发帖").is_visible()

    page.locator("#reply input[name=title]").fill("自己顶一下")
    follow(page.get_by_role("button", name="发表回复"))
    assert page.locator("article.post").get_by_role("heading", name="自己顶一下").is_visible()
    follow(page.locator("nav.ancestors").get_by_role("link", name="不用脚本也能发帖"))
    assert tree_link(page, "自己顶一下").is_visible()
    page.goto(board.get_absolute_url())
    assert page.locator(".thread-list .thread-title", has_text="不用脚本也能发帖").is_visible()
