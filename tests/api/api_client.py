"""Helpers for the API tests: a JSON client, tokens, and error assertions.

Not a conftest.py: a second conftest module would shadow the root one, which
the tests import by name (`from conftest import PASSWORD`).
"""

import json

import pytest


class ApiClient:
    """django.test.Client speaking JSON to /api/v1/, optionally as a member."""

    def __init__(self, client):
        self.client = client

    def _call(self, method, path, data=None, *, token=None, raw=None, **extra):
        if token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        send = getattr(self.client, method)
        url = f"/api/v1{path}"
        if method == "get":
            return send(url, data or {}, **extra)
        body = raw if raw is not None else (json.dumps(data) if data is not None else "")
        return send(url, body, content_type="application/json", **extra)

    def get(self, path, params=None, **kw):
        return self._call("get", path, params, **kw)

    def post(self, path, data=None, **kw):
        return self._call("post", path, data, **kw)

    def patch(self, path, data=None, **kw):
        return self._call("patch", path, data, **kw)

    def delete(self, path, **kw):
        return self._call("delete", path, **kw)


@pytest.fixture
def api(client, db):
    return ApiClient(client)


@pytest.fixture
def token_for(db):
    from luntan.accounts.services import issue_token

    return lambda user: issue_token(user=user)


@pytest.fixture
def alice_token(alice, token_for):
    return token_for(alice)


@pytest.fixture
def bob_token(bob, token_for):
    return token_for(bob)


def assert_error(response, status, *fragments):
    """An error answer: the status, JSON, and a Chinese detail saying what went wrong."""
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    for fragment in fragments:
        assert fragment in detail, detail
    return response.json()
