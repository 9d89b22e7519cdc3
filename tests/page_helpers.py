"""Helpers for tests that read pages as a person would."""

from django.test import Client


def as_user(user) -> Client:
    """A separate browser, signed in as `user`."""
    browser = Client()
    browser.force_login(user)
    return browser


def page_of(client, url, status=200) -> str:
    """The page's HTML, after checking it answered with `status`."""
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:500]
    return response.content.decode()
