"""Writes to accounts: the one way in for registration, passwords and tokens."""

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from luntan import ratelimit
from luntan.errors import Conflict, Invalid, NotFound, TooLarge
from luntan.moderation.screening import screen_text
from luntan.textfields import clean_text
from luntan.zh.controls import describe, strip_unwanted, unwanted_in_name
from luntan.zh.skeleton import skeleton

from .models import ApiToken, User

USERNAME_RE = re.compile(r"^\w{2,20}$")

# Names that would let a member pass for the site or its staff. They are
# compared by skeleton, so 管理員, ADMlN and аdmin are caught as well.
RESERVED_NAMES = frozenset(
    skeleton(name)
    for name in (
        "admin", "administrator", "root", "system", "sysop", "moderator", "mod",
        "operator", "staff", "support", "official", "luntan", "webmaster",
        "postmaster", "api", "anonymous", "guest", "null", "none", "deleted",
        "管理员", "站长", "版主", "系统", "官方", "客服", "匿名", "游客", "论坛", "管理",
    )
)


def validate_username(username: str) -> str:
    username = username.strip()
    unwanted = unwanted_in_name(username)
    if unwanted:
        raise Invalid(
            f"用户名不能含看不见的字符、控制字符或改变文字方向的字符（{describe(unwanted)}），请删去后再试。",
            field="username",
        )
    if not USERNAME_RE.match(username):
        raise Invalid("用户名须为 2 到 20 个字符，只能用汉字、字母、数字和下划线。", field="username")
    key = skeleton(username)
    if key in RESERVED_NAMES:
        raise Invalid(f"用户名「{username}」是保留名，请换一个。", field="username")
    screen_text(text=username, field="username", mask=False)
    twin = User.objects.filter(name_skeleton=key).values_list("username", flat=True).first()
    if twin is not None:
        if twin == username:
            raise Conflict(f"用户名「{username}」已被注册。", field="username")
        raise Conflict(f"用户名「{username}」与已有用户「{twin}」太相似，请换一个。", field="username")
    return username


def _validate_password(password: str, user: User | None = None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise Invalid("密码不合要求：" + " ".join(error.messages), field="password") from None


def register(*, username: str, password: str, email: str = "") -> User:
    username = validate_username(username)
    email = clean_text(email, field="email", label="邮箱", limit=settings.LUNTAN["EMAIL_MAX"])
    _validate_password(password, User(username=username, email=email))
    try:
        with transaction.atomic():
            return User.objects.create_user(username=username, password=password, email=email)
    except IntegrityError:
        # Two sign-ups for look-alike names raced past the check above.
        raise Conflict(f"用户名「{username}」已被注册。", field="username") from None


def log_in(*, username: str, password: str, address: str, request=None) -> User | None:
    """Check a name and password through Django's auth backends, throttled:
    RateLimited while this name from this address, the address, or the name
    everywhere is locked out after too many failures (the password is then
    not even checked), None for a wrong name or password. Unknown names are counted and answered exactly like
    known ones, so neither reveals whether an account exists."""
    username = username.strip()
    ratelimit.check_login(username=username, address=address)
    user = auth.authenticate(request, username=username, password=password)
    if user is None:
        ratelimit.login_failed(username=username, address=address)
        return None
    ratelimit.login_succeeded(username=username, address=address)
    return user


def grant_operator(*, user: User) -> User:
    """Make a member an operator (站务): staff and superuser, as `createsuperuser` does."""
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def change_password(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise Invalid("原密码不正确。", field="old_password")
    set_password(user=user, new_password=new_password)


def set_password(*, user: User, new_password: str) -> None:
    """Give `user` a new password, the one way in for changing it and for
    resetting it: whoever knew the old one may have taken a token or a
    session with it, so every API token is revoked and every session ends.
    Sessions end by themselves, since each carries a hash of the password
    that no longer matches; a page that should keep its own session calls
    `django.contrib.auth.update_session_auth_hash` after this."""
    _validate_password(new_password, user)
    user.set_password(new_password)
    with transaction.atomic():
        user.save(update_fields=["password"])
        user.api_tokens.all().delete()


def update_profile(*, user: User, bio: str) -> User:
    limit = settings.LUNTAN["BIO_MAX"]
    user.bio = clean_text(bio, field="bio", label="简介", limit=limit, multiline=True, too_long=TooLarge)
    user.save(update_fields=["bio"])
    return user


TIP_SERVICES = {"alipay": "支付宝", "wechat": "微信"}
# A visible, printable address: no spaces or control characters anywhere.
_TIP_LINK_RE = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<rest>[^\s\x00-\x1f\x7f]+)$")


# A host name with an optional port: what a payment page's address has before its path.
_HOST_RE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}(?::\d{1,5})?$", re.I)


def validate_tip_link(service: str, link: str) -> str:
    """A payment link as stored: "" (none), or an https:// address, or for
    WeChat also its own wxp:// payment code. Non-ASCII characters are
    percent-encoded, so the stored link reads the same in any script."""
    name = TIP_SERVICES[service]
    limit = settings.LUNTAN["TIP_LINK_MAX"]
    link = clean_text(link, field=service, label=f"{name}收款链接", limit=limit)
    if not link:
        return ""
    allowed = "https:// 或 wxp://" if service == "wechat" else "https://"
    refused = Invalid(
        f"{name}收款链接须是以 {allowed} 开头的完整地址（不能有空格），"
        "请从付款码或收款页复制后粘贴。",
        field=service,
    )
    match = _TIP_LINK_RE.match(link)
    if match is None:
        raise refused
    scheme = match["scheme"].lower()
    if scheme == "https":
        rest = match["rest"]
        cut = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
        host, tail = rest[:cut], rest[cut:]
        if not host or host.startswith(("@", ":", ".")):
            raise refused
        if not host.isascii():
            try:
                host = host.encode("idna").decode("ascii")  # 例子.cn -> xn--fsqu00a.cn
            except UnicodeError:
                raise refused from None
        if not _HOST_RE.match(host):
            raise refused
        link = "https://" + host + iri_to_uri(tail)
    elif scheme == "wxp" and service == "wechat":
        link = "wxp://" + iri_to_uri(match["rest"])
    else:
        raise refused
    if len(link) > limit:  # again: percent-encoding lengthens a link
        raise Invalid(f"{name}收款链接不能超过 {limit} 个字符（现在 {len(link)} 个）。", field=service)
    return link


def set_tip_links(*, user: User, alipay: str | None = None, wechat: str | None = None) -> User:
    """Set the author's tipping (打赏) links. None leaves a link as it is; ""
    clears it. Both are checked before either is saved."""
    given = {"alipay": alipay, "wechat": wechat}
    links = dict(user.tip_links or {})
    for service, value in given.items():
        if value is None:
            continue
        value = validate_tip_link(service, value)
        if value:
            links[service] = value
        else:
            links.pop(service, None)
    user.tip_links = links
    user.save(update_fields=["tip_links"])
    return user


# last_used is kept to the minute: a busy client costs one write a minute, not one a request.
_TOKEN_USE_GRANULARITY = timedelta(minutes=1)


def issue_token(*, user: User, label: str = "") -> str:
    """A new API token for `user`, named `label` (what they call it, or the
    client's User-Agent). Lapsed tokens go, and past `API_TOKENS_MAX` the
    longest unused ones, so asking again and again does not pile them up."""
    key = secrets.token_urlsafe(32)
    label = " ".join(strip_unwanted(label or "").split())[: ApiToken.LABEL_MAX]
    with transaction.atomic():
        mine = ApiToken.objects.filter(user=user)
        mine.lapsed().delete()
        keep = settings.LUNTAN["API_TOKENS_MAX"] - 1
        unused_longest = mine.order_by(Coalesce("last_used", "created").desc(), "-pk").values_list("pk", flat=True)[keep:]
        mine.filter(pk__in=list(unused_longest)).delete()
        ApiToken.objects.create(user=user, key_hash=ApiToken.hash(key), label=label)
    return key


def token_for_key(key: str) -> ApiToken | None:
    """The live token whose key this is, with its user; None if there is
    none, it has lapsed, or its owner is no longer active."""
    token = ApiToken.objects.live().select_related("user").filter(key_hash=ApiToken.hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used is None or token.last_used <= now - _TOKEN_USE_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
    return token


def revoke_token(*, user: User, token_id: int) -> None:
    """Revoke one of `user`'s own tokens; another member's is NotFound, as if it did not exist."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise NotFound("没有这个令牌，也许已被撤销。")
