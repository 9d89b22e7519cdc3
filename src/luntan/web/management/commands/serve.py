import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from luntan import demo
from luntan.accounts.models import User
from luntan.forum.models import Board


class Command(BaseCommand):
    help = "Migrate, create demo content on first start, and serve the site with gunicorn (HOST, PORT)."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="do not create demo content on an empty site")

    def handle(self, *args, no_demo: bool = False, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if not no_demo and not Board.objects.exists():
            self.stdout.write("首次启动：正在创建演示内容……")
            self.stdout.write(demo.create_demo()[-1])
        if User.objects.filter(username=demo.OPERATOR).exists():
            for line in demo.account_lines():
                self.stdout.write(line)
        host, port = os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
        self.stdout.write(f"数据库：{settings.DATABASES['default']['NAME']}")
        self.stdout.write(self.style.SUCCESS(f"Luntan is serving at http://{host}:{port}/  (Ctrl-C to stop)"))
        sys.stdout.flush()
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        os.execv(gunicorn, [gunicorn, "--config", "python:luntan.gunicorn_conf"])
