"""Writes to accounts: the one way in for registration, passwords and tokens."""

import re
import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from luntan.errors import Conflict, Invalid, TooLarge
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
    if not USERNAME_RE.match(username):
        raise Invalid("用户名须为 2 到 20 个字符，只能用汉字、字母、数字和下划线。", field="username")
    key = skeleton(username)
    if key in RESERVED_NAMES:
        raise Invalid(f"用户名「{username}」是保留名，请换一个。", field="username")
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
    _validate_password(password, User(username=username, email=email))
    try:
        with transaction.atomic():
            return User.objects.create_user(username=username, password=password, email=email.strip())
    except IntegrityError:
        # Two sign-ups for look-alike names raced past the check above.
        raise Conflict(f"用户名「{username}」已被注册。", field="username") from None


def grant_operator(*, user: User) -> User:
    """Make a member an operator (站务): staff and superuser, as `createsuperuser` does."""
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def change_password(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise Invalid("原密码不正确。", field="old_password")
    _validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])


def update_profile(*, user: User, bio: str) -> User:
    bio = (bio or "").strip()
    limit = User._meta.get_field("bio").max_length
    if len(bio) > limit:
        raise TooLarge(f"简介不能超过 {limit} 个字（现在 {len(bio)} 个）。", field="bio")
    user.bio = bio
    user.save(update_fields=["bio"])
    return user


def issue_token(*, user: User) -> str:
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash(key))
    return key


def user_for_token(key: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    return token.user
