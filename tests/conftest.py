"""Fixtures shared by the whole suite: a real database (SQLite by default,
PostgreSQL when LUNTAN_DATABASE_URL says so), real services, no mocks."""

import itertools
import os
from pathlib import Path

import pytest


def pytest_configure(config):
    from django.conf import settings

    # A module of its own: a second conftest.py anywhere under tests/ would
    # shadow the name "conftest".
    settings.PASSWORD_HASHERS = ["luntan_test_hashers.FastArgon2PasswordHasher"]
    # No background flusher in tests: they flush the read buffer themselves.
    settings.LUNTAN["VIEW_FLUSH_SECONDS"] = 0


@pytest.fixture(autouse=True)
def _fresh_process_state():
    """Per-process state starts empty. Test transactions roll back, so keyword
    rule-set versions repeat between tests: the cached matcher is dropped too."""
    from django.core.cache import cache

    from luntan.moderation.screening import rule_cache
    from luntan.stats.services import view_buffer

    cache.clear()
    view_buffer.discard()
    rule_cache.forget()
    yield
    view_buffer.discard()
    rule_cache.forget()


PASSWORD = "correct horse battery 9"
_names = itertools.count(1)


@pytest.fixture
def make_user(db):
    from luntan.accounts.services import register

    def make(username: str | None = None, **extra):
        user = register(username=username or f"user{next(_names)}", password=PASSWORD, email=extra.pop("email", ""))
        for field, value in extra.items():
            setattr(user, field, value)
        if extra:
            user.save()
        return user

    return make


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def bob(make_user):
    return make_user("鲍勃")


@pytest.fixture
def operator(make_user):
    return make_user("operator_one", is_staff=True, is_superuser=True)


@pytest.fixture
def board(db):
    from luntan.forum.services import create_board

    return create_board(slug="finance", name="股市财经", description="谈股论金，理性投资")


@pytest.fixture
def thread(alice, board):
    from luntan.forum.services import create_thread

    return create_thread(author=alice, board=board, title="读懂市场的七个要点", body="第一段\n\n第二段")


@pytest.fixture
def client_for(client):
    """A test client signed in as the given user."""

    def signed_in(user):
        client.force_login(user)
        return client

    return signed_in


@pytest.fixture
def rule(operator):
    """Add a keyword rule as the operator: rule(pattern, action, category="", replacement="")."""
    from luntan.moderation import rules

    def add(pattern, action, category="", replacement=""):
        return rules.add_rule(
            actor=operator, pattern=pattern, action=action, category=category, replacement=replacement
        )

    return add


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    """Uploaded images go to a fresh directory (the filesystem storage, as by default)."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": settings.MEDIA_URL},
        },
    }
    return root


# --- the browser for tests/browser (one per session: Playwright's sync API allows one at a time) ---

CHROMIUM = os.environ.get("LUNTAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"no chromium at {CHROMIUM} (apt-get install chromium; `make test` does it as root)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must see a browser, never a silent skip
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
