"""The HTTP bench's machinery against a real gunicorn serving the hello view: the load generators
count only 200s as served, anything else as a failure, and no process outlives the server.

A short run (about 6 s in all); the figures themselves come from ``python -m bench http``."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench import http_load
from bench.http_bench import server_environment
from bench.http_server import Gunicorn, ServerError
from bench.http_urls import HELLO_PATH

TOOLS = [
    "python",
    pytest.param(
        "wrk", marks=pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed")
    ),
]


def _children(pid):
    """Pids of the processes whose parent is ``pid`` (gunicorn's workers)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone while we looked
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def _gone(pids, within=5):
    deadline = time.monotonic() + within
    while any(_running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(_running(pid) for pid in pids)


def _running(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # A database and var directory of its own: the hello view reads neither, and a mistake here
    # must not reach the developer's data.
    scratch = tmp_path_factory.mktemp("http-bench")
    environment = server_environment(
        "test-" + "k" * 50,
        DATABASE_URL=f"sqlite:///{scratch / 'unused.sqlite3'}",
        VAR_DIR=str(scratch / "var"),
    )
    with Gunicorn(
        "partnership.wsgi:application", env=environment, ready_path=HELLO_PATH
    ) as gunicorn:
        yield gunicorn


@pytest.mark.parametrize("tool", TOOLS)
def test_hello_view_is_served_with_200s_only(server, tool):
    load = http_load.measure(server.port, HELLO_PATH, seconds=1, use=tool)

    assert load.tool == tool
    assert load.failures == 0
    assert load.responses > 0
    assert load.per_second > 0


@pytest.mark.parametrize("tool", TOOLS)
def test_a_status_other_than_200_is_a_failure(server, tool):
    load = http_load.measure(server.port, "/bench/no-such-page/", seconds=1, use=tool)

    assert load.responses == 0
    assert load.failures > 0


def test_wrk_socket_errors_and_other_statuses_are_failures():
    report = """Running 1s test @ http://127.0.0.1:8000/
  2 threads and 8 connections
  1200 requests in 1.00s, 150.00KB read
  Socket errors: connect 0, read 3, write 1, timeout 2
Requests/sec:   1200.00
Transfer/sec:    150.00KB
not_ok 4
"""
    load = http_load.parse_wrk(report)

    assert (load.responses, load.failures, load.seconds) == (1196, 10, 1.0)
    assert load.timeouts == 2  # printed by the bench, beside the figures


def test_stopping_leaves_no_process_behind(tmp_path):
    environment = server_environment(
        "test-" + "k" * 50,
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        VAR_DIR=str(tmp_path / "var"),
    )
    with Gunicorn("bench.http_wsgi:application", env=environment) as gunicorn:
        master = gunicorn.pid
        workers = _children(master)
        assert len(workers) == 2

    assert _gone([master, *workers])


def test_a_killed_bench_takes_its_server_along():
    """SIGKILL runs no ``finally``: the server must still go when the process that started it
    dies."""
    starter = subprocess.Popen(
        [sys.executable, "-c", _STARTER],
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        master = int(starter.stdout.readline())
        workers = _children(master)
    finally:
        starter.send_signal(signal.SIGKILL)
        starter.wait()
        starter.stdout.close()

    assert len(workers) == 2
    assert _gone([master, *workers])


_STARTER = """
import time
from bench.http_server import Gunicorn

server = Gunicorn("bench.http_wsgi:application")
server.start()
print(server.pid, flush=True)
time.sleep(60)
"""


def test_a_server_that_cannot_start_is_reported_and_gone(tmp_path):
    gunicorn = Gunicorn("bench.no_such_module:application", env=dict(os.environ))

    with pytest.raises(ServerError, match="stopped at start"), gunicorn:
        pass

    assert gunicorn.process.poll() is not None
