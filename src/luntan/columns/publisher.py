"""Scheduled articles are published by the server itself: each worker runs
this loop in a daemon thread (started from gunicorn's post_worker_init), and
`publish_due_articles` makes sure each article is published once however many
workers find it due. `luntan publish-due` does one round by hand or from cron."""

import logging
import threading
import time

from django.conf import settings
from django.db import connection

from .services import publish_due_articles

log = logging.getLogger(__name__)


def start() -> threading.Thread | None:
    interval = settings.LUNTAN["PUBLISH_CHECK_SECONDS"]
    if not interval:
        return None
    thread = threading.Thread(target=_run, args=(interval,), name="article-publisher", daemon=True)
    thread.start()
    return thread


def _run(interval: float) -> None:
    while True:
        try:
            publish_due_articles()
        except Exception:
            log.exception("publishing scheduled articles failed; trying again later")
        finally:
            connection.close()
        time.sleep(interval)
