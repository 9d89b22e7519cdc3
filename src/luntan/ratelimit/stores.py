"""Where rate-limit counters live: Redis when LUNTAN_REDIS_URL is set, the
database otherwise. Both count atomically, so no increment is ever lost
between processes: a Lua script runs alone on the Redis server; on the
database one upsert per counter takes the row's lock (PostgreSQL) or the
write lock (SQLite) until its transaction ends.

Times are Unix seconds passed in by the caller (`luntan.ratelimit.clock`),
never read here, so both stores agree and tests can move the clock.
"""

import math
import random
from collections.abc import Sequence
from functools import cache
from typing import NamedTuple

from django.db import connection, transaction

# A counter: (name, at most this many, per this many seconds).
Limit = tuple[str, int, int]


class FailureRule(NamedTuple):
    """A counter of failed logins: from the `failures`-th on, each failure
    locks it out for `lockout` seconds, doubled at each further one up to
    `lockout_max`; failures are forgotten `forget` seconds after the last.
    With `restart`, a lock-out wipes the count, so the next one takes as
    many failures again."""

    name: str
    failures: int
    lockout: float
    lockout_max: float
    forget: float
    restart: bool = False

# Lockout seconds double with each failure past the threshold; 2**30 is beyond any cap.
_MAX_DOUBLINGS = 30


def lockout_seconds(failures_past_threshold: int, lockout: float, lockout_max: float) -> float:
    return min(lockout * 2 ** min(failures_past_threshold, _MAX_DOUBLINGS), lockout_max)


class _Over(Exception):
    """Raised inside the transaction to undo the counts of a refused attempt."""

    def __init__(self, wait: float):
        self.wait = wait


class DatabaseStore:
    """Counters in the `ratelimit_counter` table of the default database."""

    # One in this many writes also deletes counters nobody needs any more.
    PURGE_ONE_IN = 500

    _COUNT = """
        INSERT INTO ratelimit_counter (name, hits, window_end, locked_until) VALUES (%s, 1, %s, 0)
        ON CONFLICT (name) DO UPDATE SET
            hits = CASE WHEN ratelimit_counter.window_end <= %s THEN 1 ELSE ratelimit_counter.hits + 1 END,
            window_end = CASE WHEN ratelimit_counter.window_end <= %s
                              THEN excluded.window_end ELSE ratelimit_counter.window_end END
        RETURNING hits, window_end
    """
    _FAIL = """
        INSERT INTO ratelimit_counter (name, hits, window_end, locked_until) VALUES (%s, 1, %s, 0)
        ON CONFLICT (name) DO UPDATE SET
            hits = CASE WHEN ratelimit_counter.window_end <= %s THEN 1 ELSE ratelimit_counter.hits + 1 END,
            window_end = excluded.window_end
        RETURNING hits, locked_until
    """

    def hit(self, limits: Sequence[Limit], now: float) -> float:
        """Count one attempt against every limit; 0 if all of them allow it,
        else the seconds until they do (and nothing is counted)."""
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                waits = []
                for name, most, seconds in limits:
                    cursor.execute(self._COUNT, [name, now + seconds, now, now])
                    hits, window_end = cursor.fetchone()
                    if hits > most:
                        waits.append(window_end - now)
                if waits:
                    raise _Over(max(waits))
                self._maybe_purge(cursor, now)
        except _Over as over:
            return over.wait
        return 0

    def fail(self, rules: Sequence[FailureRule], now: float) -> float:
        """Count one failed login on each rule's counter. Returns the end of
        the longest lock-out (0 if none)."""
        locked = 0.0
        with transaction.atomic(), connection.cursor() as cursor:
            for rule in rules:
                cursor.execute(self._FAIL, [rule.name, now + rule.forget, now])
                hits, until = cursor.fetchone()
                if hits >= rule.failures:
                    until = now + lockout_seconds(hits - rule.failures, rule.lockout, rule.lockout_max)
                    cursor.execute(
                        "UPDATE ratelimit_counter SET locked_until = %s, hits = %s WHERE name = %s",
                        [until, 0 if rule.restart else hits, rule.name],
                    )
                locked = max(locked, until)
            self._maybe_purge(cursor, now)
        return locked

    def locked_until(self, names: Sequence[str]) -> float:
        with connection.cursor() as cursor:
            placeholders = ", ".join(["%s"] * len(names))
            cursor.execute(
                f"SELECT MAX(locked_until) FROM ratelimit_counter WHERE name IN ({placeholders})", list(names)
            )
            return cursor.fetchone()[0] or 0

    def forget(self, name: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM ratelimit_counter WHERE name = %s", [name])

    def _maybe_purge(self, cursor, now: float) -> None:
        if random.randrange(self.PURGE_ONE_IN) == 0:
            cursor.execute("DELETE FROM ratelimit_counter WHERE window_end <= %s AND locked_until <= %s", [now, now])


# KEYS: one counter per limit. ARGV: now, then (most, seconds) for each key.
# Every limit is checked before any is counted, so a refused attempt costs nothing.
_HIT_SCRIPT = """
local now = tonumber(ARGV[1])
local state, wait = {}, 0
for i, key in ipairs(KEYS) do
  local most, seconds = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local stored = redis.call('HMGET', key, 'hits', 'window_end')
  local hits, window_end = tonumber(stored[1]) or 0, tonumber(stored[2]) or 0
  if window_end <= now then hits, window_end = 0, now + seconds end
  if hits >= most then wait = math.max(wait, window_end - now) end
  state[i] = {hits + 1, window_end}
end
if wait > 0 then return string.format('%.6f', wait) end
for i, key in ipairs(KEYS) do
  redis.call('HSET', key, 'hits', state[i][1], 'window_end', string.format('%.6f', state[i][2]))
  redis.call('PEXPIRE', key, math.ceil((state[i][2] - now) * 1000) + 1000)
end
return '0'
"""

# KEYS: the counters of one failed login. ARGV: now, max doublings, then for
# each key its FailureRule: failures, lockout, lockout_max, forget, restart (0/1).
_FAIL_SCRIPT = """
local now, doublings = tonumber(ARGV[1]), tonumber(ARGV[2])
local locked = 0
for i, key in ipairs(KEYS) do
  local at = 3 + 5 * (i - 1)
  local threshold, lockout, lockout_max = tonumber(ARGV[at]), tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
  local forget, restart = tonumber(ARGV[at + 3]), ARGV[at + 4] == '1'
  local stored = redis.call('HMGET', key, 'hits', 'window_end', 'locked_until')
  local hits, until_ = tonumber(stored[1]) or 0, tonumber(stored[3]) or 0
  if (tonumber(stored[2]) or 0) <= now then hits = 0 end
  hits = hits + 1
  if hits >= threshold then
    until_ = now + math.min(lockout * 2 ^ math.min(hits - threshold, doublings), lockout_max)
    if restart then hits = 0 end
  end
  redis.call('HSET', key, 'hits', hits, 'window_end', string.format('%.6f', now + forget),
             'locked_until', string.format('%.6f', until_))
  redis.call('PEXPIRE', key, math.ceil((math.max(forget, until_ - now)) * 1000) + 1000)
  locked = math.max(locked, until_)
end
return string.format('%.6f', locked)
"""


class RedisStore:
    """Counters as Redis hashes under `luntan:rl:`, expiring with their window."""

    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url)
        self._hit = self.client.register_script(_HIT_SCRIPT)
        self._fail = self.client.register_script(_FAIL_SCRIPT)

    @staticmethod
    def _key(name: str) -> str:
        return f"luntan:rl:{name}"

    def hit(self, limits: Sequence[Limit], now: float) -> float:
        args = [repr(now)]
        for _, most, seconds in limits:
            args += [most, seconds]
        return float(self._hit(keys=[self._key(name) for name, _, _ in limits], args=args))

    def fail(self, rules: Sequence[FailureRule], now: float) -> float:
        args = [repr(now), _MAX_DOUBLINGS]
        for rule in rules:
            args += [rule.failures, rule.lockout, rule.lockout_max, rule.forget, int(rule.restart)]
        return float(self._fail(keys=[self._key(rule.name) for rule in rules], args=args))

    def locked_until(self, names: Sequence[str]) -> float:
        with self.client.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.hget(self._key(name), "locked_until")
            values = pipe.execute()
        return max((float(v) for v in values if v is not None), default=0)

    def forget(self, name: str) -> None:
        self.client.delete(self._key(name))


@cache
def redis_store(url: str) -> RedisStore:
    """One client (and connection pool) per process; redis-py reconnects after fork."""
    return RedisStore(url)


def ceil_seconds(seconds: float) -> int:
    """Whole seconds to wait, never 0 while there is anything to wait for."""
    return max(1, math.ceil(seconds - 1e-6))
