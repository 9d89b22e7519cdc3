"""How long `luntan check-counts` takes on a large site.

Bulk-inserts N posts (threads of 1 to 12 posts, replies up to three levels
deep, one post in twenty hidden, dates over three years) into a fresh
database, lets `check(fix=True)` set every counter from the rows (the first
pass: it finds every counter wrong, since the bulk insert sets none), then
times `check()` on the now consistent site, which is what an operator's run
costs. Posts are bulk-inserted (a bench fixture, not application code).

    .venv/bin/python bench/bench_counts.py --posts 1000000 [--postgres]
"""

import argparse
import random
import time
from datetime import timedelta

from bench_site import setup_django  # a fresh database, SQLite or PostgreSQL, migrated


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--postgres", action="store_true", help="bench PostgreSQL (database luntan_bench on 127.0.0.1)")
    return parser.parse_args()


def fill(total: int, rng: random.Random) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from luntan.accounts.models import User
    from luntan.forum.models import PATH_STEP, Board, Post
    from luntan.forum.services import create_board

    password = make_password("bench-password-1")
    users = []
    for n in range(50):
        user = User(username=f"作者{n}", password=password)
        user.save()
        users.append(user)
    boards = [create_board(slug=f"b{n}", name=f"版面{n}") for n in range(4)]
    now = timezone.now()
    next_id, written, batch = 1, 0, []
    with transaction.atomic():
        while written < total:
            size = min(total - written, rng.randint(1, 12))
            board = rng.choice(boards)
            root_id = next_id
            at = now - timedelta(days=rng.randint(0, 1000), seconds=rng.randint(0, 86400))
            paths: list[str] = []
            for k in range(size):
                parent = None if k == 0 else rng.choice(paths[-3:])
                path = (parent or "") + f"{next_id:0{PATH_STEP}d}"
                paths.append(path)
                created = at + timedelta(hours=k * rng.randint(0, 30))
                batch.append(Post(
                    id=next_id, board=board, thread_id=root_id,
                    parent_id=None if parent is None else int(parent[-PATH_STEP:]),
                    path=path, depth=len(path) // PATH_STEP - 1, author=rng.choice(users), title=f"帖子{next_id}",
                    status=Post.Status.HIDDEN if rng.random() < 0.05 else Post.Status.PUBLIC,
                    created=created, month_day=created.month * 100 + created.day, last_activity=created,
                ))
                next_id += 1
            written += size
            if len(batch) >= 5000:
                Post.objects.bulk_create(batch)
                batch = []
        Post.objects.bulk_create(batch)


def main() -> None:
    args = parse_args()
    setup_django(args.postgres)
    from django.db import connection

    from luntan.forum.counts import check

    rng = random.Random(20261130)
    started = time.monotonic()
    fill(args.posts, rng)
    print(f"{connection.vendor}: {args.posts} posts inserted in {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    wrong = len(check(fix=True))
    print(f"check-counts --fix on the bulk-loaded site: {wrong} counters set in {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    wrong = len(check())
    print(f"check-counts on the consistent site: {wrong} disagree, {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
