"""A gunicorn process on loopback for the HTTP figures.

It binds port 0, so the kernel picks a free port and no other process can take it between
choosing and binding; the port is read from gunicorn's own "Listening at" line. The server counts
as ready once all its workers have started and it answers a request, and it is always stopped by its own pid.
"""

import ctypes
import ctypes.util
import http.client
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Sync workers, one per core (this machine has two). The README deploys with
# `gunicorn partnership.wsgi`, whose default worker is sync, and a request here is CPU work in
# Python: threads would add switching on two cores, not throughput. A sync worker closes the
# connection after every response; the bare app and Django pay that cost alike.
WORKERS = 2
READY_TIMEOUT = 60
STOP_TIMEOUT = 10

_LISTENING = re.compile(rb"Listening at: http://127\.0\.0\.1:(\d+)")
_BOOTED = re.compile(rb"Booting worker with pid")


class ServerError(RuntimeError):
    pass


def _stop_with_parent():
    """In the child before gunicorn starts (Linux): a TERM when the bench process dies, so that a
    killed bench, whose ``finally`` never runs, leaves no server behind either."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


class Gunicorn:
    """``with Gunicorn("module:app", env=..., ready_path="/") as server: server.port``"""

    def __init__(self, app, *, env=None, ready_path="/", workers=WORKERS):
        self.app = app
        self.env = env if env is not None else dict(os.environ)
        self.ready_path = ready_path
        self.workers = workers
        self.process = None
        self.port = None
        self._log = None

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def start(self):
        # A file, not a pipe: nobody has to keep reading it while the server runs.
        self._log = tempfile.TemporaryFile(prefix="gunicorn-")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                self.app,
                "--bind",
                "127.0.0.1:0",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--graceful-timeout",
                "5",
                "--log-level",
                "info",
            ],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            preexec_fn=_stop_with_parent,
        )
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"gunicorn {self.app} stopped at start:\n{self.log()}")
            log = self._read_log()
            if self.port is None:
                found = _LISTENING.search(log)
                self.port = int(found.group(1)) if found else None
            # Every worker forked: a TERM to a worker still forking waits out the graceful
            # timeout, and a load that starts early would measure one worker.
            booted = len(_BOOTED.findall(log)) >= self.workers
            if self.port is not None and booted and self._answers():
                return
            time.sleep(0.1)
        raise ServerError(f"gunicorn {self.app} not ready in {READY_TIMEOUT} s:\n{self.log()}")

    def _read_log(self):
        # pread leaves the file offset that gunicorn writes at alone.
        return os.pread(self._log.fileno(), 1 << 20, 0)

    def log(self):
        return self._read_log().decode(errors="replace") if self._log else ""

    def _answers(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.request("GET", self.ready_path)
            connection.getresponse().read()
        except (OSError, http.client.HTTPException):
            return False
        finally:
            connection.close()
        return True

    def stop(self):
        """TERM to the master, which stops its workers; KILL if it has not gone in time."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None
