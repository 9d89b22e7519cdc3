"""Rate limits: how often a member may post, reply, vote, send private
messages and upload images, how often one address may register, and how
many failed logins a name, an address, or a name from one address may have
before a lock-out.

The policy is the table `settings.LUNTAN["RATE_LIMITS"]`:

    "thread": [(30, 600), (100, 86400)],   # per account: 30 in 10 minutes AND 100 a day
    "register": [(10, 3600)],               # per client address
    "login": {                              # each a stores.FailureRule, less its name
        "pair": {"failures": 5, "lockout": 60, "lockout_max": 3600, "forget": 86400},
        "address": {"failures": 20, "lockout": 60, "lockout_max": 3600, "forget": 86400},
        "account": {"failures": 100, "lockout": 300, "lockout_max": 300, "forget": 86400, "restart": True},
    },

Login failures lock out quickly only the pair (name, address) they come
from: a stranger guessing at a member's password from elsewhere does not
keep the member out. The address has its own limit (one place trying many
names), and the name a slow ceiling across all addresses (guessing spread
over many places), whose lock-out is short and starts the count afresh.

An action missing from the table is not limited. Windows are fixed and start
at the first attempt ("30 in the 10 minutes from the first"); a refused
attempt is not counted. Operators are never limited in what members do;
login throttling guards every account, theirs included.

Counters live in Redis when LUNTAN_REDIS_URL is set, else in the database
(`stores.py`): Django's database and file caches increment by read-then-write
and would lose counts between gunicorn workers, and the default cache here is
per process.
"""

import hashlib
import ipaddress
import time

from django.conf import settings
from django.http import HttpRequest

from luntan.errors import RateLimited
from luntan.zh.skeleton import skeleton

from .stores import DatabaseStore, FailureRule, ceil_seconds, redis_store

# Unix seconds; tests replace it to move time instead of sleeping.
clock = time.time

# What each action is called in the message a member reads: "发帖太频繁，请 40 秒后再试。"
ACTION_NAMES = {
    "thread": "发帖",
    "reply": "回复",
    "vote": "投票",
    "message": "发悄悄话",
    "upload": "上传图片",
    "register": "注册",
}
LOGIN_LOCKED = "登录失败次数太多，请{wait}后再试。"

_database_store = DatabaseStore()


def _store():
    return redis_store(settings.REDIS_URL) if settings.REDIS_URL else _database_store


def _policy() -> dict:
    return settings.LUNTAN.get("RATE_LIMITS") or {}


def wait_text(seconds: int) -> str:
    """How long to wait, said plainly and rounded up: " 40 秒", " 3 分钟", " 2 小时"."""
    if seconds < 60:
        return f" {seconds} 秒"
    if seconds < 3600:
        return f" {-(-seconds // 60)} 分钟"
    hours, rest = divmod(seconds, 3600)
    minutes = -(-rest // 60)
    if minutes == 60:
        hours, minutes = hours + 1, 0
    return f" {hours} 小时" + (f" {minutes} 分钟" if minutes else "")


def _refuse(template: str, wait: float) -> RateLimited:
    seconds = ceil_seconds(wait)
    return RateLimited(template.format(wait=wait_text(seconds)), retry_after=seconds)


def hit(action: str, *, user=None, address: str | None = None) -> None:
    """Count one `action` by `user` (per account) or from `address` (per
    client address, see `client_address`); raise RateLimited, counting
    nothing, when any of the action's limits is used up. Operators pass
    without being counted."""
    limits = _policy().get(action)
    if not limits or (user is not None and user.is_operator):
        return
    subject = f"u{user.pk}" if user is not None else f"a{address}"
    counters = [(f"{action}:{subject}:{seconds}", most, seconds) for most, seconds in limits]
    wait = _store().hit(counters, clock())
    if wait > 0:
        raise _refuse(f"{ACTION_NAMES.get(action, action)}太频繁，请{{wait}}后再试。", wait)


# --- login ------------------------------------------------------------------


def _name_key(username: str) -> str:
    # By skeleton, so 張三, 张三 and ZHANGSAN-style look-alikes share one count; hashed,
    # so a password typed into the name field is never stored.
    return hashlib.sha256(skeleton(username.strip()).encode()).hexdigest()[:32]


def _login_counters(username: str, address: str) -> dict[str, str]:
    """The counter each kind of login rule keeps for this attempt."""
    name = _name_key(username)
    return {"pair": f"login:p{name}:{address}", "address": f"login:a{address}", "account": f"login:n{name}"}


def check_login(*, username: str, address: str) -> None:
    """Before a password is even looked at: RateLimited while this name from
    this address, the address, or the name everywhere is locked out. The same
    for names that exist and names that do not."""
    policy = _policy().get("login")
    if not policy:
        return
    now = clock()
    counters = _login_counters(username, address)
    locked = _store().locked_until([counters[kind] for kind in policy])
    if locked > now:
        raise _refuse(LOGIN_LOCKED, locked - now)


def login_failed(*, username: str, address: str) -> None:
    """Count a failed login against each rule; RateLimited if this failure
    starts a lock-out."""
    policy = _policy().get("login")
    if not policy:
        return
    now = clock()
    counters = _login_counters(username, address)
    locked = _store().fail([FailureRule(counters[kind], **rule) for kind, rule in policy.items()], now)
    if locked > now:
        raise _refuse(LOGIN_LOCKED, locked - now)


def login_succeeded(*, username: str, address: str) -> None:
    """The right password: this name's failures from this address are
    forgotten. Not the address's (or one good account would wash an
    attacker's address clean), nor the name's everywhere (or the member
    logging in would hand a distributed guesser a fresh allowance)."""
    if _policy().get("login"):
        _store().forget(_login_counters(username, address)["pair"])


# --- the client's address ------------------------------------------------------


def client_address(request: HttpRequest) -> str:
    """Who to count a request against: REMOTE_ADDR, or, behind
    `LUNTAN["TRUSTED_PROXIES"]` proxies of our own, the address the outermost
    of them saw (X-Forwarded-For counted from the right, since a client can
    write anything on the left). IPv6 clients count by /64, the block one
    household or phone usually holds."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.LUNTAN.get("TRUSTED_PROXIES", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "unknown"
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
