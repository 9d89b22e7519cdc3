from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the demo community (boards, threads, replies, votes, messages)."

    def handle(self, *args, **options):
        from luntan.demo import create_demo

        for line in create_demo():
            self.stdout.write(line)
