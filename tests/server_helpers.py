"""A real server (gunicorn with Luntan's config) for tests that need one,
on the test database, in its own process group."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shared_database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_server(log: Path, port: int, **extra_env: str) -> subprocess.Popen:
    env = {
        **os.environ,
        **extra_env,
        "PORT": str(port),
        "LUNTAN_WORKERS": "2",
        "LUNTAN_DATABASE_URL": shared_database_url(),
        "LUNTAN_VAR_DIR": str(settings.VAR_DIR),  # same secret key as this process
    }
    return subprocess.Popen(
        [str(GUNICORN), "--config", "python:luntan.gunicorn_conf"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )


def get(port: int, path: str, headers: dict | None = None) -> bytes:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    with urllib.request.urlopen(request, timeout=15) as response:
        assert response.status == 200
        return response.read()


def wait_until_serving(server: subprocess.Popen, port: int, log: Path, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"server exited early:\n{log.read_text()}")
        try:
            if get(port, "/healthz") == b"ok":
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"server did not answer /healthz:\n{log.read_text()}")
