from django.core.management.base import BaseCommand

from luntan.columns.services import publish_due_articles


class Command(BaseCommand):
    help = "Publish the scheduled articles whose time has come (the server also does this every minute)."

    def handle(self, *args, **options):
        published = publish_due_articles()
        if options["verbosity"]:
            self.stdout.write(f"published {published} scheduled article(s)")
