"""The API tokens page: a member sees their own live tokens and revokes them
with a CSRF-protected form; another member's token is not theirs to touch."""

import re

import pytest
from django.test import Client

from luntan.accounts.services import issue_token, token_for_key


def signed_in(user, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_member_lists_and_revokes_their_tokens_on_the_page(alice, bob):
    script = issue_token(user=alice, label="备份脚本")
    issue_token(user=bob, label="鲍勃的机器人")
    page = signed_in(alice)

    html = page.get("/accounts/tokens/").content.decode()
    assert "备份脚本" in html and "从未使用" in html and "鲍勃的机器人" not in html
    action = re.search(r'<form method="post" action="(/accounts/tokens/\d+/revoke/)"', html).group(1)
    assert "/accounts/tokens/" in signed_in(alice).get("/u/alice/").content.decode()  # linked from the profile

    # Without the CSRF token the form does nothing.
    assert signed_in(alice, enforce_csrf_checks=True).post(action).status_code == 403
    assert token_for_key(script) is not None
    # Bob cannot revoke it either.
    assert signed_in(bob).post(action).status_code == 404
    assert token_for_key(script) is not None

    response = page.post(action)
    assert response.status_code == 302 and response["Location"] == "/accounts/tokens/"
    assert token_for_key(script) is None
    assert "没有有效的 API 令牌" in page.get("/accounts/tokens/").content.decode()


@pytest.mark.django_db
def test_guests_are_sent_to_log_in(client):
    assert client.get("/accounts/tokens/").status_code == 302
    assert client.post("/accounts/tokens/1/revoke/").status_code == 302
