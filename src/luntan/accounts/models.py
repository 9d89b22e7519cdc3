import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.urls import reverse

from luntan.zh.skeleton import skeleton


class User(AbstractUser):
    """A member. Usernames may be Chinese; `name_skeleton` keeps look-alikes out."""

    name_skeleton = models.CharField(max_length=150, unique=True, editable=False)
    bio = models.TextField("简介", blank=True, max_length=2000)
    # Payment links for tipping (打赏): {"alipay": url, "wechat": url}, only the
    # ones set; written by services.set_tip_links, which validates them.
    tip_links = models.JSONField("打赏链接", default=dict, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._loaded_username = user.__dict__.get("username")
        return user

    def save(self, *args, **kwargs):
        # Only a new or changed name gets a new skeleton: a twin that an older
        # skeleton let in keeps the one migration 0003 gave it.
        if self.username != getattr(self, "_loaded_username", None):
            self.name_skeleton = skeleton(self.username)[: self._meta.get_field("name_skeleton").max_length]
            self._loaded_username = self.username
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("profile", args=[self.username])

    @property
    def is_operator(self) -> bool:
        return self.is_superuser or self.is_staff


class ApiTokenQuerySet(models.QuerySet):
    def _lapsed(self) -> models.Q:
        cutoff = timezone.now() - timedelta(days=settings.LUNTAN["API_TOKEN_IDLE_DAYS"])
        return models.Q(last_used__lte=cutoff) | models.Q(last_used__isnull=True, created__lte=cutoff)

    def live(self) -> "ApiTokenQuerySet":
        return self.exclude(self._lapsed())

    def lapsed(self) -> "ApiTokenQuerySet":
        return self.filter(self._lapsed())


class ApiToken(models.Model):
    """A bearer token for the API; only its hash is stored. It lapses when
    unused for `LUNTAN["API_TOKEN_IDLE_DAYS"]` and dies with a password change."""

    LABEL_MAX = 100

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    # What the owner calls it, or the User-Agent that asked for it: how they tell tokens apart.
    label = models.CharField("名称", max_length=LABEL_MAX, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    # To the minute at best: services.token_for_key writes it at most once a minute.
    last_used = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
