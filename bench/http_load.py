"""Load on a loopback server: ``wrk`` when it is installed, else a small generator in Python.

Both keep a fixed number of connections busy for a fixed time and count every response whose
status is not 200, and every request that got no response at all, as a failure: a redirect to a
login page is fast and would make any figure look good.
"""

import http.client
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass

CONNECTIONS = 8
WRK_THREADS = 2
# How long a request may take before it counts as a timeout. wrk's default of 2 s counted a slow
# board dashboard on a busy machine as a failure; a page that takes 30 s is broken, not slow.
TIMEOUT = 30

# wrk counts only statuses from 400 as errors; this script counts everything that is not a 200,
# per thread, and sums the threads at the end.
_WRK_SCRIPT = """
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  not_ok = 0
end
function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("not_ok")
  end
  io.write(string.format("not_ok %d\\n", total))
end
"""


@dataclass(frozen=True)
class Load:
    tool: str
    responses: int  # answered with status 200
    failures: int  # any other status, socket errors and timeouts
    seconds: float
    timeouts: int = 0  # of the failures: requests without a response within TIMEOUT seconds

    @property
    def per_second(self):
        return self.responses / self.seconds if self.seconds else 0.0


class LoadError(RuntimeError):
    pass


def tool():
    """The load generator ``measure`` uses on this machine."""
    return "wrk" if shutil.which("wrk") else "python"


def measure(port, path, *, seconds, headers=None, use=None):
    """Responses per second for ``seconds`` of GET ``path`` on 127.0.0.1:``port``."""
    use = use or tool()
    generators = {"wrk": _wrk, "python": _python}
    if use not in generators:
        raise ValueError(f"unknown load generator {use!r}")
    return generators[use](port, path, seconds=seconds, headers=headers or {})


def _wrk(port, path, *, seconds, headers):
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(_WRK_SCRIPT)
        script.flush()
        command = ["wrk", "-t", str(WRK_THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds}s"]
        command += ["--timeout", f"{TIMEOUT}s", "-s", script.name]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        command.append(f"http://127.0.0.1:{port}{path}")
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + TIMEOUT + 30
        )
    if result.returncode != 0:
        raise LoadError(f"wrk failed: {result.stderr or result.stdout}")
    return parse_wrk(result.stdout)


def parse_wrk(output):
    """A ``Load`` from wrk's report with the script's ``not_ok`` line."""
    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)\b", output)
    not_ok = re.search(r"^not_ok (\d+)$", output, re.MULTILINE)
    if not total or not not_ok:
        raise LoadError(f"unexpected wrk output:\n{output}")
    unit = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[total.group(3)]
    seconds = float(total.group(2)) * unit
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    # wrk prints this line only when there were any: a refused connection, a connection closed
    # before its response, a failed write or a timeout.
    socket_errors = sum(int(count) for count in errors.groups()) if errors else 0
    timeouts = int(errors.group(4)) if errors else 0
    requests, failed = int(total.group(1)), int(not_ok.group(1))
    return Load("wrk", requests - failed, failed + socket_errors, seconds, timeouts)


def _python(port, path, *, seconds, headers):
    """CONNECTIONS threads, each with one keep-alive connection (reopened when the server closes
    it), sending the next request as soon as the last response is read."""
    counters = [Counter() for _ in range(CONNECTIONS)]
    start = threading.Barrier(CONNECTIONS + 1)
    deadline = [0.0]

    def client(counter):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        start.wait()
        try:
            while time.monotonic() < deadline[0]:
                try:
                    connection.request("GET", path, headers=headers)
                    response = connection.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException) as error:
                    counter["failed"] += 1
                    counter["timeouts"] += isinstance(error, TimeoutError)
                    connection.close()  # the next request opens a fresh one
                    continue
                counter["ok" if response.status == 200 else "failed"] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(c,), daemon=True) for c in counters]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    deadline[0] = started + seconds
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    total = sum(counters, Counter())
    return Load("python", total["ok"], total["failed"], elapsed, total["timeouts"])
