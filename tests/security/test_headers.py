"""Security headers and cookies: the Content-Security-Policy (django-csp), its
nonce, the media view's own stricter policy, the cookie flags, and what
LUNTAN_HTTPS / LUNTAN_HSTS_SECONDS / the S3 variables change (checked in a
fresh interpreter, since settings are read once at start)."""

import json
import os
import subprocess
import sys

import pytest
from django.test import RequestFactory

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy(response) -> dict[str, str]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


@pytest.mark.parametrize("url", ["/", "/b/finance/", "/accounts/login/", "/search/?q=x", "/feeds/site.atom",
                                 "/api/v1/boards", "/admin/login/", "/healthz"])
def test_every_response_carries_the_strict_policy_and_the_headers(client, board, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert policy(response) == STRICT
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response  # plain http here; see the HTTPS test below


def test_a_template_that_uses_the_nonce_gets_it_into_script_and_style_src():
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.template import engines

    request = RequestFactory().get("/")
    middleware = CSPMiddleware(lambda r: HttpResponse(
        engines["django"].from_string('<script nonce="{{ CSP_NONCE }}" src="/static/x.js"></script>').render(
            {"CSP_NONCE": r.csp_nonce})
    ))
    response = middleware(request)
    nonce = response.content.decode().split('nonce="')[1].split('"')[0]
    assert len(nonce) >= 22
    directives = policy(response)
    assert directives["script-src"] == f"'self' 'nonce-{nonce}'"
    assert directives["style-src"] == f"'self' 'nonce-{nonce}'"
    assert middleware(RequestFactory().get("/")).get("Content-Security-Policy") != response["Content-Security-Policy"]


def test_the_media_view_keeps_its_own_sandboxing_policy(client, media_root):
    from PIL import Image

    (media_root / "avatars").mkdir(parents=True)
    Image.new("RGB", (4, 4), "red").save(media_root / "avatars" / "a.webp", "WEBP")
    response = client.get("/media/avatars/a.webp")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_session_and_csrf_cookies(client, alice):
    page = client.get("/accounts/login/")
    csrf = page.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"] is True and session["samesite"] == "Lax"
    # `make run` serves plain http on 127.0.0.1: a Secure cookie would never come back.
    assert not session["secure"]


def settings_under(env: dict[str, str], tmp_path, code: str) -> dict:
    """Run `code` (which prints JSON) in a fresh interpreter whose settings see `env`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LUNTAN_S3_", "LUNTAN_HTTPS", "LUNTAN_HSTS"))}
    clean.update(env, LUNTAN_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="luntan.settings")
    script = "import django, json; django.setup(); from django.conf import settings as s\n" + code
    done = subprocess.run([sys.executable, "-c", script], env=clean, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_https_mode_makes_cookies_secure_and_sends_hsts(tmp_path):
    code = """
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory
response = SecurityMiddleware(lambda r: HttpResponse())(RequestFactory().get("/", secure=True))
print(json.dumps({"cookies": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE], "hsts": response.get("Strict-Transport-Security"),
                  "redirect": s.SECURE_SSL_REDIRECT, "upgrade": s.CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"]}))
"""
    plain = settings_under({}, tmp_path, code)
    assert plain == {"cookies": [False, False], "hsts": None, "redirect": False, "upgrade": False}
    https = settings_under({"LUNTAN_HTTPS": "1", "LUNTAN_HSTS_SECONDS": "31536000"}, tmp_path, code)
    assert https == {"cookies": [True, True], "hsts": "max-age=31536000", "redirect": False, "upgrade": True}
    redirecting = settings_under({"LUNTAN_HTTPS": "1", "LUNTAN_SSL_REDIRECT": "1"}, tmp_path, code)
    assert redirecting["redirect"] is True and redirecting["hsts"] is None


@pytest.mark.parametrize("env, origins", [
    ({}, []),
    ({"LUNTAN_S3_BUCKET": "pics", "LUNTAN_S3_CUSTOM_DOMAIN": "img.example.cn"}, ["https://img.example.cn"]),
    ({"LUNTAN_S3_BUCKET": "pics", "LUNTAN_S3_ENDPOINT_URL": "http://127.0.0.1:9000"},
     ["http://127.0.0.1:9000", "http://pics.127.0.0.1:9000"]),
    ({"LUNTAN_S3_BUCKET": "pics", "LUNTAN_S3_REGION": "ap-east-1"},
     ["https://pics.s3.amazonaws.com", "https://pics.s3.ap-east-1.amazonaws.com"]),
])
def test_images_from_an_s3_bucket_are_allowed_by_img_src(tmp_path, env, origins):
    code = 'print(json.dumps(s.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]))'
    assert settings_under(env, tmp_path, code) == ["'self'", "data:", *origins]
