from django.db import models
from django.urls import reverse


class SitePage(models.Model):
    """About, contact, advertising, terms: written by the operator in the admin."""

    slug = models.SlugField(unique=True)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("内容（Markdown）")
    position = models.IntegerField("排序", default=0)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "站点页面"
        verbose_name_plural = "站点页面"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("site_page", args=[self.slug])
