import time

from django.core.management.base import BaseCommand, CommandError

from luntan.forum.counts import THREAD_BATCH, check


class Command(BaseCommand):
    help = (
        "Recount every counter readers see (boards' threads and posts, posts' replies, threads' replies per day) "
        "from the rows; list each that disagrees and exit 1 if any does. --fix writes the recounted values."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="write the recounted values")

    def handle(self, *args, fix: bool, verbosity: int = 1, **options):
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if verbosity > 1 or done % (10 * THREAD_BATCH) == 0 or done == total:
                self.stderr.write(f"已核对 {done}/{total} 个主题（{time.monotonic() - started:.1f} 秒）")

        found = check(fix=fix, progress=progress if verbosity else None)
        for mismatch in found:
            self.stdout.write(str(mismatch))
        seconds = f"用时 {time.monotonic() - started:.1f} 秒"
        if not found:
            self.stdout.write(self.style.SUCCESS(f"所有计数一致（{seconds}）。"))
        elif fix:
            self.stdout.write(self.style.WARNING(f"{len(found)} 个计数不一致，已改为实数（{seconds}）。"))
        else:
            raise CommandError(f"{len(found)} 个计数不一致（{seconds}）；加 --fix 改为实数。")
