"""`make run`: the web server, a Celery worker and Celery beat together; Ctrl-C stops all three.

Each process runs in a process group of its own, so that stopping reaches the Celery worker's
pool children too: first SIGTERM to the whole group, then, after a few seconds, SIGKILL to what
is left. (A send task cut off this way is safe: its rows come back when their lease expires.)
"""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time

STOP_GRACE_SECONDS = 5


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", default="8000")
    port = parser.parse_args().port
    python = sys.executable
    commands = {
        "web": [python, "manage.py", "runserver", f"127.0.0.1:{port}"],
        "worker": [
            python,
            "-m",
            "celery",
            "-A",
            "partnership",
            "worker",
            "-l",
            "warning",
            "--concurrency",
            "2",
            # The send tasks' queue and the tick's own (partnership/settings.py).
            "-Q",
            "celery,reminders-tick",
        ],
        "beat": [python, "-m", "celery", "-A", "partnership", "beat", "-l", "warning"],
    }
    # Links in reminders point at the port this server listens on.
    env = dict(os.environ)
    env.setdefault("SITE_URL", f"http://127.0.0.1:{port}")
    # Login codes (sent by the web process) appear in this terminal; the worker's reminders, about
    # a thousand on the demo's first day, go to files under var/mail instead of flooding it.
    worker_env = dict(env)
    worker_env.setdefault("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    envs = {"worker": worker_env}
    # SIGTERM to this process (a supervisor, `kill`) stops everything like Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    processes = {
        name: subprocess.Popen(cmd, env=envs.get(name, env), start_new_session=True)
        for name, cmd in commands.items()
    }
    print(
        f"\nSchouder draait op http://127.0.0.1:{port}/ (met Celery worker en beat). "
        "Inlogcodes voor ouders verschijnen hier; herinneringen staan in var/mail/. "
        "Stoppen: Ctrl-C.\n",
        flush=True,
    )
    try:
        while all(p.poll() is None for p in processes.values()):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        stop(processes.values())


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


def stop(processes, grace=STOP_GRACE_SECONDS):
    """Stop each process with everything it started: SIGTERM to its group, SIGKILL to what is
    still there after ``grace`` seconds."""
    processes = list(processes)
    for process in processes:
        _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
    for process in processes:
        # Also when the leader exited: its pool children may still be running.
        _signal_group(process, signal.SIGKILL)
        process.wait()


def _signal_group(process, signum):
    with contextlib.suppress(ProcessLookupError):  # the whole group is gone already
        os.killpg(process.pid, signum)


if __name__ == "__main__":
    main()
