"""Django settings for Luntan.

Everything that differs between a laptop and a large site comes from the
environment: LUNTAN_DATABASE_URL, LUNTAN_REDIS_URL, LUNTAN_SECRET_KEY,
LUNTAN_DEBUG, LUNTAN_ALLOWED_HOSTS, LUNTAN_VAR_DIR.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("LUNTAN_VAR_DIR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The operator's key, or one made on first start and kept under var/."""
    if key := os.environ.get("LUNTAN_SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("LUNTAN_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("LUNTAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "luntan.accounts",
    "luntan.forum",
    "luntan.columns",
    "luntan.stats",
    "luntan.messages",
    "luntan.moderation",
    "luntan.search",
    "luntan.web",
    "luntan.ratelimit",  # its table holds the rate-limit counters when there is no Redis
    "csp",  # Content-Security-Policy with nonces (see "Security" below)
    # Serves the API docs' Swagger UI from static files, not a CDN, so the CSP holds there too.
    "ninja",
]

MIDDLEWARE = [
    # First: a NUL in a path, query or form reaches no view (PostgreSQL cannot even compare it).
    "luntan.web.nul.RefuseNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Early, so everything after it can read request.script; converts HTML on the way out.
    "luntan.web.script.ReaderScriptMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A NotFound (or any UserError) a view lets through becomes the site's error page.
    "luntan.web.errors.UserErrorPageMiddleware",
]

ROOT_URLCONF = "luntan.urls"
WSGI_APPLICATION = "luntan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "luntan.web.context.site",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- database -------------------------------------------------------------

DATABASE_URL = os.environ.get("LUNTAN_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'luntan.sqlite3'}"
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0 if _db["NAME"] == ":memory:" else 60
    _db["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the
        # write lock at BEGIN so concurrent writers queue instead of deadlocking.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    _db["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ----------------------------------------------------------------

REDIS_URL = os.environ.get("LUNTAN_REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- accounts -------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- language and time ----------------------------------------------------

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = os.environ.get("LUNTAN_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- static files ---------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves from the app folders; it wants this to exist

# --- uploaded media (avatars, cover images: luntan/images.py) --------------

MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"  # served by the app itself (web/media.py) while storage is the filesystem


def _media_storage() -> dict:
    """The filesystem under var/media, or an S3-compatible bucket when
    LUNTAN_S3_BUCKET is set. Keys left unset fall back to boto3's own chain
    (AWS_* variables, instance roles); nothing secret lives in the repo."""
    bucket = os.environ.get("LUNTAN_S3_BUCKET", "")
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
        }
    options = {
        "bucket_name": bucket,
        "querystring_auth": False,  # public, stable URLs (names are random and never reused)
        "file_overwrite": False,
        "default_acl": None,  # the bucket's policy decides who may read
    }
    for option, variable in [
        ("endpoint_url", "LUNTAN_S3_ENDPOINT_URL"),
        ("access_key", "LUNTAN_S3_ACCESS_KEY"),
        ("secret_key", "LUNTAN_S3_SECRET_KEY"),
        ("region_name", "LUNTAN_S3_REGION"),
        ("custom_domain", "LUNTAN_S3_CUSTOM_DOMAIN"),
    ]:
        if value := os.environ.get(variable):
            options[option] = value
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": _media_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- Security ---------------------------------------------------------------
# Headers and cookies; docs/design.md ("Security headers") says why each is set.
# `make run` serves plain http on 127.0.0.1, where a Secure cookie is never
# sent back and login would fail: so HTTPS-only settings wait for LUNTAN_HTTPS=1.

HTTPS = os.environ.get("LUNTAN_HTTPS", "") == "1"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script of ours reads it: forms carry the token
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS and os.environ.get("LUNTAN_SSL_REDIRECT", "") == "1"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain http
# HSTS is sent only on HTTPS requests; 0 (the default) sends none.
SECURE_HSTS_SECONDS = int(os.environ.get("LUNTAN_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("LUNTAN_HSTS_SUBDOMAINS", "") == "1"
SECURE_HSTS_PRELOAD = False  # a preload list entry is a promise for years: the operator's own step
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Thread addresses say what someone reads; other sites learn nothing of it.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"


def _media_origins() -> list[str]:
    """Where uploaded images come from when they live in an S3-compatible
    bucket (see _media_storage): the custom domain, else the endpoint (path-
    and virtual-host-style), else AWS's own bucket host names."""
    bucket = os.environ.get("LUNTAN_S3_BUCKET", "")
    if not bucket:
        return []  # served by this site under MEDIA_URL: 'self'
    if domain := os.environ.get("LUNTAN_S3_CUSTOM_DOMAIN"):
        return ["https://" + domain.split("/")[0]]
    if endpoint := os.environ.get("LUNTAN_S3_ENDPOINT_URL"):
        scheme, _, rest = endpoint.partition("://")
        host = rest.split("/")[0]
        return [f"{scheme}://{host}", f"{scheme}://{bucket}.{host}"]
    origins = [f"https://{bucket}.s3.amazonaws.com"]
    if region := os.environ.get("LUNTAN_S3_REGION"):
        origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return origins


# No inline script or style anywhere: a template that needs one gives it
# nonce="{{ CSP_NONCE }}" (csp.constants.NONCE puts that nonce in the header).
# User HTML cannot carry style or script at all (markup.py), so this is the
# second wall, not the first. Views that set their own policy keep it
# (web/media.py): the middleware never overwrites a header already set.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", *_media_origins()],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "upgrade-insecure-requests": HTTPS,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"luntan": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# --- Luntan ---------------------------------------------------------------

LUNTAN = {
    "SITE_NAME": "论坛",
    # Longest texts members and staff may write, in characters (luntan.textfields.clean_text).
    # A limit for a column of bounded length must not exceed it (tests/security/test_text_fields.py checks).
    "TITLE_MAX": 200,  # a post's title
    "BODY_MAX": 100_000,  # a post's body, a site page's body
    "SOURCE_MAX": 500,  # where a repost comes from
    "MESSAGE_MAX": 10_000,
    "BIO_MAX": 2000,
    "EMAIL_MAX": 254,
    "TIP_LINK_MAX": 500,
    "BOARD_NAME_MAX": 100,  # boards and columns
    "BOARD_INTRO_MAX": 2000,  # a board's description, a column's introduction
    "SUMMARY_MAX": 500,  # an article's summary
    "REFERENCES_MAX": 50,  # references of one article, each with at most:
    "REFERENCE_TEXT_MAX": 300,
    "REFERENCE_URL_MAX": 1000,
    "REASON_MAX": 1000,  # moderators' reasons, reports, resolutions
    "PAGE_TITLE_MAX": 100,  # a site page's title
    "KEYWORD_MAX": 100,  # keyword rules: the word, its category, its replacement
    "KEYWORD_CATEGORY_MAX": 50,
    "KEYWORD_REPLACEMENT_MAX": 20,
    "PAGE_SIZE": 30,
    # Buffered read counts reach the database at most this many seconds late.
    "VIEW_FLUSH_SECONDS": 5,
    # Readers a server process remembers having counted today (a reader counts once a day per
    # post and per thread); past this the oldest are forgotten. About 150 bytes each.
    "VIEW_READERS_MAX": 100_000,
    # How often each server process publishes scheduled articles that are due (0: never by itself).
    "PUBLISH_CHECK_SECONDS": int(os.environ.get("LUNTAN_PUBLISH_CHECK_SECONDS", 30)),
    "HOT_LIST_SIZE": 10,
    "HOT_LIST_CACHE_SECONDS": 60,
    # Uploaded images (avatars, covers): larger files are refused unread.
    "UPLOAD_MAX_BYTES": 2 * 1024 * 1024,
    # API tokens lapse after this many days unused; a member keeps at most this
    # many (asking for one more drops the longest unused).
    "API_TOKEN_IDLE_DAYS": 90,
    "API_TOKENS_MAX": 20,
    # Memory one image may take to decode (its pixels and one working copy, luntan/images.py:
    # a 12-megapixel phone photo upright as a cover takes 96 MB), and all the decodes of one
    # server process together; a decode that does not fit waits at most
    # UPLOAD_DECODE_WAIT_SECONDS for others to finish. A worker's threads then hold at most
    # the process budget in pixels, however many uploads arrive at once.
    "UPLOAD_DECODE_MAX_BYTES": 96 * 1024 * 1024,
    "UPLOAD_DECODE_PROCESS_BYTES": 192 * 1024 * 1024,
    "UPLOAD_DECODE_WAIT_SECONDS": 20,
    # Rate limits (luntan/ratelimit): per account, (at most this many, per this many seconds),
    # every pair must hold; "register" is per client address. Operators are exempt.
    "RATE_LIMITS": {
        "thread": [(30, 600), (100, 86400)],
        "reply": [(60, 600), (500, 86400)],
        "vote": [(200, 600), (1000, 86400)],
        "message": [(20, 600), (200, 86400)],
        "upload": [(20, 600), (100, 86400)],  # images: avatars, covers (each one is decoded)
        "register": [(10, 3600), (30, 86400)],
        # Failed logins before a lock-out of `lockout` seconds, doubled at each further
        # failure up to `lockout_max`; failures are forgotten `forget` seconds after the
        # last one. "pair": one name from one address (forgotten on success); "address":
        # any names from one address; "account": one name from every address, a slow
        # ceiling whose short lock-out restarts the count, so no stranger keeps a member out.
        "login": {
            "pair": {"failures": 5, "lockout": 60, "lockout_max": 3600, "forget": 86400},
            "address": {"failures": 20, "lockout": 60, "lockout_max": 3600, "forget": 86400},
            "account": {"failures": 100, "lockout": 300, "lockout_max": 300, "forget": 86400, "restart": True},
        },
    },
    # Proxies of our own in front of the app (0: none): only then is X-Forwarded-For believed.
    "TRUSTED_PROXIES": int(os.environ.get("LUNTAN_TRUSTED_PROXIES", 0)),
}
