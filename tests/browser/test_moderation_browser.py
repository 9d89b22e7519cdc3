"""Moderation in a real browser: a moderator opens a thread, goes to a reply,
clicks 版务处理 and hides it with a reason; the reply's author signs in,
sees the notice badge in the header and the reason on their post; readers
no longer find it."""

import pytest
from playwright.sync_api import expect

from test_browser_flows import (  # noqa: F401  (fixtures)
    follow, header, log_in, new_page, page, save_screenshot, site_url, tree_link,
)


@pytest.fixture
def moderator(make_user, board, operator):
    from luntan.moderation.moderators import appoint_moderator

    user = make_user("finance_mod")
    appoint_moderator(actor=operator, board=board, user=user)
    return user


@pytest.fixture
def bobs_reply(thread, bob):
    from luntan.forum.services import reply

    return reply(author=bob, parent=thread, title="Re: 你们都是韭菜", body="一群韭菜，别在这里装专家")


def test_a_moderator_hides_a_reply_and_its_author_sees_why(new_page, moderator, thread, bobs_reply):
    mod = new_page()
    log_in(mod, "finance_mod")
    mod.goto(f"/p/{thread.pk}/")
    follow(tree_link(mod, "Re: 你们都是韭菜"))
    assert mod.url.endswith(f"/p/{bobs_reply.pk}/")

    follow(mod.get_by_role("link", name="版务处理"))
    expect(mod.get_by_role("heading", level=1)).to_contain_text("处理帖子：Re: 你们都是韭菜")
    mod.get_by_role("radio", name="隐藏").check()
    mod.locator("textarea[name=reason]").fill("人身攻击，请文明发言")
    save_screenshot(mod, "moderation-hide-form")
    follow(mod.get_by_role("button", name="执行"))
    assert mod.url.endswith(f"/p/{bobs_reply.pk}/")
    expect(mod.get_by_role("status")).to_contain_text("人身攻击，请文明发言")

    reader = new_page()
    response = reader.goto(f"/p/{bobs_reply.pk}/")
    assert response.status == 404
    reader.goto(f"/p/{thread.pk}/")
    expect(tree_link(reader, "Re: 你们都是韭菜")).to_have_count(0)

    author = new_page()
    log_in(author, "鲍勃")
    badge = header(author).locator(".notices-link .badge")
    expect(badge).to_have_text("1")
    follow(header(author).locator(".notices-link"))
    notice = author.locator(".notices li", has_text="人身攻击，请文明发言")
    expect(notice).to_contain_text("已被版务隐藏")
    follow(notice.get_by_role("link"))
    assert author.url.endswith(f"/p/{bobs_reply.pk}/")
    status = author.get_by_role("status")
    expect(status).to_contain_text("此帖已被版务隐藏")
    expect(status).to_contain_text("原因：人身攻击，请文明发言")
    save_screenshot(author, "moderation-author-sees-reason")
    expect(header(author).locator(".notices-link .badge")).to_have_count(0)  # read now
