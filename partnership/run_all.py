"""`make run`: the web server, a Celery worker and Celery beat together; Ctrl-C stops all three."""

import argparse
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
        ],
        "beat": [python, "-m", "celery", "-A", "partnership", "beat", "-l", "warning"],
    }
    processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}
    print(
        f"\nSchouder draait op http://127.0.0.1:{port}/ (met Celery worker en beat). "
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
