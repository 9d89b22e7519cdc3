"""The Content-Security-Policy in a real browser: the main pages, the admin
and the API docs load with no CSP violation and no script error, while the
policy does stop an inline style (so "no violation" means something).

Violations are caught twice: Chromium's console message ("Refused to …
Content Security Policy …") and the page's `securitypolicyviolation` events,
recorded by a listener Playwright installs before any page script runs.
"""

import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "browser"))

from test_browser_flows import new_page, page, site_url  # noqa: E402,F401  (fixtures)

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


class Watched:
    """A page whose console errors, page errors and CSP violations are kept."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        page.context.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def _console(self, message):
        text = message.text
        if message.location.get("url", "").endswith("/favicon.ico"):
            return  # the browser asks for one on its own; the site has none
        if message.type == "error" or "Content Security Policy" in text:
            self.problems.append(f"console {message.type}: {text}")

    def visit(self, path: str) -> list[str]:
        """Load `path` fully and return what went wrong on it."""
        self.problems = []
        response = self.page.goto(path, wait_until="networkidle")
        assert response is not None and response.status == 200, (path, response and response.status)
        assert response.headers.get("content-security-policy"), path
        assert unquote(urlsplit(self.page.url).path) == unquote(urlsplit(path).path), (path, self.page.url)  # not sent to log in
        violations = self.page.evaluate("window.__cspViolations || []")
        return [f"{path}: {p}" for p in self.problems + [f"violation {v}" for v in violations]]


@pytest.fixture
def site(alice, bob, operator, board):
    from luntan.columns.services import open_column, write_article
    from luntan.forum.services import create_thread, reply
    from luntan.messages.services import send
    from luntan.web.services import save_site_page

    thread = create_thread(author=alice, board=board, title="读懂市场的七个要点",
                           body="**第一点**：[链接](https://example.com/)\n\n> 引用")
    reply(author=bob, parent=thread, title="Re: 读懂市场", body="同意")
    column = open_column(owner=alice, title="慢读史记", intro="一周一篇。", slug="slow-reading")
    article = write_article(author=alice, column=column, title="项羽本纪读后",
                            body="## 起兵\n\n项羽起兵。\n\n## 垓下\n\n四面楚歌。", references=["史记 https://example.com/shiji"])
    send(sender=bob, recipient=alice, body="你好，**alice**")
    save_site_page(slug="about", title="关于", body="关于本站。")
    return {"thread": thread, "article": article}


def test_public_pages_load_without_csp_violations(page, site):
    watched = Watched(page)
    problems = []
    for path in ("/", "/b/finance/", site["thread"].get_absolute_url(), site["thread"].get_absolute_url() + "?view=flat",
                 site["article"].get_absolute_url(), "/columns/", "/c/slow-reading/", "/u/alice/",
                 "/search/?q=市场", "/pages/about/", "/hot/", "/accounts/login/", "/accounts/register/",
                 "/admin/login/", "/api/v1/docs"):
        problems += watched.visit(path)
    assert problems == []
    # Swagger UI, served from static files, really ran (it draws the API's title).
    assert page.locator(".swagger-ui .info .title").first.inner_text().startswith("Luntan API")


def sign_in(page, user, site_url):
    """A signed-in session for `user` in this browser context (the login form
    itself is the browser flow tests' business)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": site_url}])


def test_member_pages_load_without_csp_violations(page, site, alice, site_url):
    watched = Watched(page)
    sign_in(page, alice, site_url)
    problems = []
    for path in ("/messages/", "/messages/sent/", "/messages/new/?to=鲍勃", "/accounts/settings/",
                 "/c/slow-reading/write/", f"/p/{site['thread'].pk}/reply/", f"/p/{site['thread'].pk}/edit/"):
        problems += watched.visit(path)
    assert problems == []


def test_the_admin_works_under_the_policy(page, site):
    watched = Watched(page)
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill("operator_one")
    page.locator("input[name=password]").fill(__import__("conftest").PASSWORD)
    with page.expect_navigation():
        page.locator("input[type=submit]").click()
    assert page.url.endswith("/admin/")
    problems = []
    for path in ("/admin/", "/admin/web/sitepage/", "/admin/web/sitepage/add/", f"/admin/forum/post/{site['thread'].pk}/change/",
                 "/admin/forum/board/", "/admin/accounts/user/", "/admin/moderation/keywordrule/add/"):
        problems += watched.visit(path)
    assert problems == []
    # The admin's own scripts run: the changelist's "select all" checkbox ticks every row.
    watched.visit("/admin/web/sitepage/")
    page.locator("#action-toggle").check()
    assert page.locator("input.action-select").first.is_checked()


def test_the_policy_does_block_what_it_must(page, site):
    """An inline style or script slipped into a page is refused, and the watcher sees it."""
    watched = Watched(page)
    assert watched.visit("/") == []
    page.evaluate("""() => {
        document.body.insertAdjacentHTML("beforeend", '<p id="styled" style="color: rgb(255, 0, 0)">x</p>');
        const script = document.createElement("script");
        script.textContent = "window.__ran = true";
        document.body.appendChild(script);
    }""")
    page.wait_for_timeout(200)
    violations = page.evaluate("window.__cspViolations")
    assert any(v.startswith("style-src") for v in violations), violations
    assert any(v.startswith("script-src") for v in violations), violations
    assert page.evaluate("window.__ran === undefined")
    assert page.evaluate("getComputedStyle(document.getElementById('styled')).color") != "rgb(255, 0, 0)"
