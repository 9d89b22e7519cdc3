from django.db import models


class Counter(models.Model):
    """One rate-limit counter when there is no Redis (see luntan.ratelimit).

    Written only with raw upserts in `stores.DatabaseStore`, so that two
    processes counting the same thing never lose an increment. Times are Unix
    seconds from `luntan.ratelimit.clock`."""

    name = models.CharField(max_length=200, primary_key=True)
    hits = models.IntegerField(default=0)
    # The current window ends (limits) or the failures are forgotten (login) at this time.
    window_end = models.FloatField(db_index=True)
    # Login lock-out: no attempt is checked before this time.
    locked_until = models.FloatField(default=0)

    class Meta:
        db_table = "ratelimit_counter"
