from django.db import models

from luntan.forum.models import Post


class PostDayStat(models.Model):
    """One thread's reads and replies on one local calendar day."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="day_stats")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "day"], name="one_stat_per_post_day")]
        indexes = [models.Index(fields=["day"], name="stat_day")]
