"""Author columns on the forum's posting engine.

A column is a `Board` of kind `column` owned by one author (title = name,
introduction = description, plus an avatar); an article is a thread of that
board, its comments are the thread's replies. `Article` holds only what a
forum thread does not have.
"""

from django.db import models
from django.db.models import Q

from luntan.forum.models import Post


class Article(models.Model):
    post = models.OneToOneField(Post, primary_key=True, on_delete=models.CASCADE, related_name="article")
    # What readers see: the author's own, or one generated from the body.
    summary = models.TextField("摘要", blank=True)
    summary_by_author = models.BooleanField(default=False)
    # [{"text": "...", "url": "https://..." or ""}], in the author's order.
    references = models.JSONField("参考资料", default=list, blank=True)
    # A storage name written by luntan.images, or "".
    cover = models.CharField("封面", max_length=200, blank=True)
    # A draft with a date is published then (columns.services.publish_due_articles).
    publish_at = models.DateTimeField("定时发表", null=True, blank=True)

    class Meta:
        verbose_name = "专栏文章"
        verbose_name_plural = "专栏文章"
        indexes = [
            models.Index(fields=["publish_at"], condition=Q(publish_at__isnull=False), name="article_scheduled"),
        ]

    def __str__(self) -> str:
        return self.post.title

    def get_absolute_url(self) -> str:
        return self.post.get_absolute_url()
