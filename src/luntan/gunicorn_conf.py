"""gunicorn settings for `luntan serve`."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("LUNTAN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("LUNTAN_THREADS", 4))
graceful_timeout = 10
accesslog = os.environ.get("LUNTAN_ACCESS_LOG") or None
wsgi_app = "luntan.wsgi:application"
# gunicorn's control socket defaults to one path per user, which two sites
# (or a site and its test suite) on one machine would fight over.
control_socket_disable = True


def post_worker_init(worker):
    """Each worker publishes scheduled articles when they are due."""
    from luntan.columns import publisher

    publisher.start()


def worker_exit(server, worker):
    """Write the worker's buffered read counts before it goes away."""
    from luntan.stats.services import view_buffer

    flushed = view_buffer.flush()
    if flushed:
        server.log.info("worker %s flushed %s buffered reads", worker.pid, flushed)
