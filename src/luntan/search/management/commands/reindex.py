import time

from django.core.management.base import BaseCommand

from luntan.search.indexing import REINDEX_BATCH, reindex


class Command(BaseCommand):
    help = "Rebuild the search index from every public post, in batches (the site stays searchable meanwhile)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=REINDEX_BATCH, help=f"posts per batch (default {REINDEX_BATCH})"
        )

    def handle(self, *args, batch_size: int, verbosity: int = 1, **options):
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if verbosity > 1 or (verbosity == 1 and done % (10 * batch_size) == 0) or done == total:
                self.stdout.write(f"已索引 {done}/{total} 个帖子（{time.monotonic() - started:.1f} 秒）")

        count = reindex(batch_size=max(1, batch_size), progress=progress if verbosity else None)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"搜索索引已重建：{count} 个公开帖子，用时 {time.monotonic() - started:.1f} 秒。"))
