"""`make run` stops what it started: Ctrl-C (or SIGTERM) reaches the Celery worker's pool children
too, also a child that ignores SIGTERM (issue 17: a worker outlived Ctrl-C)."""

import os
import subprocess
import sys
import time

from partnership import run_all

# A process that ignores SIGTERM and starts a child that does too, like a busy worker and its pool.
STUBBORN = """
import signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = subprocess.Popen([sys.executable, "-c",
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"])
print(child.pid, flush=True)
time.sleep(600)
"""


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie waiting for its parent is gone too
        return stat.read().split(")")[-1].split()[0] != "Z"


def test_stop_ends_each_process_and_its_children_even_when_they_ignore_sigterm():
    leader = subprocess.Popen(
        [sys.executable, "-c", STUBBORN], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    child = int(leader.stdout.readline())
    assert _alive(child)
    run_all.stop([leader], grace=0.5)
    leader.stdout.close()
    assert leader.returncode is not None
    # SIGKILL is delivered asynchronously: wait (bounded) for the orphan to be gone.
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)
