"""`luntan serve` (what `make run` calls) on the embedded default, as a person runs it."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

LUNTAN = Path(sys.executable).with_name("luntan")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(var_dir: Path, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "LUNTAN_VAR_DIR": str(var_dir),
        "PORT": str(port),
        "LUNTAN_WORKERS": "2",
        # The embedded default, whatever database the suite itself runs on.
        "LUNTAN_DATABASE_URL": "",
        "LUNTAN_REDIS_URL": "",
    }
    return subprocess.Popen(
        [str(LUNTAN), "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )


def _wait_until_serving(server: subprocess.Popen, port: int, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"server exited early:\n{server.stdout.read()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail("server did not answer /healthz")


def _get(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.read().decode()


def _board_table(home: str) -> str:
    start = home.index('<table class="board-table">')
    return home[start : home.index("</table>", start)]


def _interrupt(server: subprocess.Popen) -> tuple[int, str]:
    """Ctrl-C: the terminal sends SIGINT to the whole foreground process group."""
    os.killpg(server.pid, signal.SIGINT)
    try:
        output, _ = server.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        output, _ = server.communicate()
        pytest.fail(f"server did not stop on Ctrl-C:\n{output}")
    return server.returncode, output


def test_first_start_creates_demo_and_second_start_keeps_data(tmp_path):
    port = _free_port()
    server = _start(tmp_path, port)
    try:
        _wait_until_serving(server, port)
        boards = _board_table(_get(port, "/"))
        assert boards.count('class="board-name"') >= 4
        assert (tmp_path / "luntan.sqlite3").exists()
    finally:
        code, output = _interrupt(server)
    assert code == 0, output
    assert "http://127.0.0.1:" in output
    assert "演示账户" in output

    journal = subprocess.run(
        [sys.executable, "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode').fetchone()[0])",
         str(tmp_path / "luntan.sqlite3")],
        capture_output=True, text=True, check=True,
    )
    assert journal.stdout.strip() == "wal"

    server = _start(tmp_path, port)
    try:
        _wait_until_serving(server, port)
        assert _board_table(_get(port, "/")) == boards, "boards and their counts survive a restart"
    finally:
        code, output = _interrupt(server)
    assert code == 0, output
    assert "首次启动" not in output, "the second start must not build the demo again"
    assert "演示账户" in output, "the demo accounts are printed on every start"
