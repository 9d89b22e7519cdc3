from django.conf import settings
from django.db import models
from django.urls import reverse


class Message(models.Model):
    """A private message (悄悄话)."""

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_messages")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="received_messages")
    body = models.TextField()
    body_html = models.TextField()
    created = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "悄悄话"
        verbose_name_plural = "悄悄话"
        indexes = [
            models.Index(fields=["recipient", "-created"], name="message_inbox"),
            models.Index(fields=["sender", "-created"], name="message_sent"),
            models.Index(fields=["recipient", "read_at"], name="message_unread"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("message", args=[self.pk])


class Block(models.Model):
    """`user` receives no messages from `blocked`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "blocked"], name="block_once")]


class Notice(models.Model):
    """A short notice from the site to one member (a moderator's decision on
    their post, the outcome of their report), with a link to what it is about."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    text = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["user", "-created"], name="notice_user")]
