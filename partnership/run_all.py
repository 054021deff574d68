"""`make run`: the web server, a Celery worker and Celery beat together; Ctrl-C stops all three."""

import argparse
import os
import signal
import subprocess
import sys
import time


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
    # Login codes (sent by the web process) appear in this terminal; the worker's reminders, about
    # a thousand on the demo's first day, go to files under var/mail instead of flooding it.
    worker_env = dict(os.environ)
    worker_env.setdefault("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    envs = {"worker": worker_env}
    processes = {name: subprocess.Popen(cmd, env=envs.get(name)) for name, cmd in commands.items()}
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
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
