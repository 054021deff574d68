"""HTTP on loopback under gunicorn, 8 connections, on a generated board of 50 schools:

- ``hello_vs_wsgi``: a hello view through Django's whole middleware stack against a bare WSGI
  app (the floor: what gunicorn alone costs);
- ``hello_logged_in_vs_anonymous``: the same hello view for a logged-in director against an
  anonymous visitor: what the session, the user and the memberships cost on every page, with
  ``hello_logged_in_queries_before_view``, the queries that takes;
- ``dashboard_vs_hello`` and the other ``<page>_vs_hello_logged_in``: pages of the board's
  biggest school (1,000 pupils) as its director, and the board dashboard as the board member,
  against the logged-in hello view;
- ``http_timeouts``: requests that got no answer within ``http_load.TIMEOUT`` seconds (counted
  as failures, and printed, not fatal: a figure is printed whatever the machine's load).

The board lives in a scratch database of its own (the server is another process, so the data
must be committed), made, migrated and dropped by this bench. Both servers run side by side with
production settings (DEBUG off); the loads are alternated, best of ROUNDS each, so a noisy moment
on the shared machine hits all of them.
"""

import http.client
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

from django.core.management.utils import get_random_secret_key
from django.db import connection
from django.utils.html import escape

from bench import http_load
from bench.http_load import CONNECTIONS
from bench.http_server import ROOT, WORKERS, Gunicorn
from bench.http_urls import HELLO_PATH

SECONDS = 3
SLOW_SECONDS = 20
ROUNDS = 3
# The session cookie's name when DEBUG is off (partnership/settings.py).
SESSION_COOKIE = "__Host-sessionid"
SETUP_TIMEOUT = 1800  # migrating and building the board on a busy machine


class BenchError(RuntimeError):
    pass


def database_url(name=None):
    """This process's database (or the database ``name`` on the same server) as a DATABASE_URL,
    so that another process reads the same one."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{name or db['NAME']}"
    if connection.vendor != "postgresql":
        raise BenchError(f"no DATABASE_URL for {connection.vendor}")
    quote = urllib.parse.quote
    credentials = f"{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}@"
    return (
        f"postgres://{credentials}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{quote(name or db['NAME'])}"
    )


@contextmanager
def scratch_database():
    """A new, empty database beside this process's one, as a DATABASE_URL; dropped afterwards."""
    if connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench-http-") as directory:
            yield database_url(str(Path(directory) / "board.sqlite3"))
        return
    name = f"{connection.settings_dict['NAME']}_http"
    quoted = connection.ops.quote_name(name)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")  # a killed run's
        cursor.execute(f"CREATE DATABASE {quoted}")
    try:
        yield database_url(name)
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


def prepare_board(environment):
    """Migrate the scratch database and build the board in it (``bench.http_board``)."""
    for command in (["manage.py", "migrate", "--noinput"], ["-m", "bench.http_board"]):
        result = subprocess.run(
            [sys.executable, *command],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=SETUP_TIMEOUT,
        )
        if result.returncode != 0:
            raise BenchError(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    print(result.stderr, end="", file=sys.stderr, flush=True)  # the build's progress
    return json.loads(result.stdout.strip().splitlines()[-1])


def server_environment(secret_key, **extra):
    """Production settings on plain HTTP on loopback, with the bench's URLs (the hello view)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.http_settings",
        "DEBUG": "0",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        # The manifest needs collectstatic first; a lookup in it costs no more than the plain
        # static URL, so the figures do not change.
        "STATIC_MANIFEST": "0",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def check_page(port, path, *, headers, contains):
    """One request before the load: it must be a 200 with ``contains`` in it, not a redirect to
    the login page or the second-factor set-up."""
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        client.request("GET", path, headers=headers)
        response = client.getresponse()
        body = response.read().decode(errors="replace")
    finally:
        client.close()
    if response.status != 200 or contains not in body:
        raise BenchError(
            f"GET {path}: status {response.status}, location {response.getheader('Location')!r}, "
            f"{contains!r} {'found' if contains in body else 'missing'}"
        )


def best_rates(loads, rounds=ROUNDS, seconds=SECONDS):
    """Best responses per second of each ``(port, path, headers)``, alternated round by round,
    with the failures and timeouts of all rounds together."""
    best = [0.0] * len(loads)
    failures = [0] * len(loads)
    timeouts = [0] * len(loads)
    tools = set()
    for _ in range(rounds):
        for index, (port, path, headers) in enumerate(loads):
            load = http_load.measure(port, path, seconds=seconds, headers=headers)
            if load.responses < CONNECTIONS:
                # A page slower than the load's few seconds would count no response at all:
                # measure it again for long enough to see every connection answered.
                load = http_load.measure(port, path, seconds=SLOW_SECONDS, headers=headers)
            tools.add(load.tool)
            best[index] = max(best[index], load.per_second)
            failures[index] += load.failures
            timeouts[index] += load.timeouts
    return best, failures, timeouts, ", ".join(sorted(tools))


def _ratio(value):
    return f"{value:.2f}x" if value >= 0.1 else f"{value:.3f}x"


def pages(board):
    """The pages measured, by figure name: (path, whose session, text the page must show: a
    redirect to the login page would be fast and prove nothing)."""
    school, round_ = board["school"], board["round"]
    name = escape(board["school_name"])
    return {
        "dashboard": (f"/scholen/{school}/dashboard/", "director", name),
        "board_page": (f"/besturen/{board['board']}/dashboard/", "board", name),
        "pupil_list": (f"/scholen/{school}/leerlingen/", "director", name),
        "round_page": (f"/startgesprekken/rondes/{round_}/", "director", name),
        "day_schedule": (
            f"/startgesprekken/rondes/{round_}/dagplanning/"
            f"?dag={board['day']}&medewerker={board['staff']}",
            "director",
            name,
        ),
        # The booking form names the child and the free slots, not the school.
        "booking_page": (f"/startgesprekken/{board['conversation']}/plannen/", "director", "<form"),
    }


def run():
    secret_key = get_random_secret_key()
    with scratch_database() as url:
        environment = server_environment(secret_key, DATABASE_URL=url)
        board = prepare_board({**environment, "DJANGO_SETTINGS_MODULE": "partnership.settings"})
        cookies = {
            who: {"Cookie": f"{SESSION_COOKIE}={board[f'{who}_session']}"}
            for who in ("director", "board")
        }
        with (
            Gunicorn("bench.http_wsgi:application", env=environment) as bare,
            Gunicorn(
                "partnership.wsgi:application", env=environment, ready_path=HELLO_PATH
            ) as django,
        ):
            check_page(django.port, HELLO_PATH, headers={}, contains="ok")
            check_page(django.port, HELLO_PATH, headers=cookies["director"], contains="ok")
            measured = pages(board)
            for path, who, contains in measured.values():
                check_page(django.port, path, headers=cookies[who], contains=contains)
            loads = [
                (bare.port, "/", {}),
                (django.port, HELLO_PATH, {}),
                (django.port, HELLO_PATH, cookies["director"]),
                *((django.port, path, cookies[who]) for path, who, _ in measured.values()),
            ]
            best_rates(loads, rounds=1, seconds=1)  # warm up: every worker loads its code
            rates, failures, timeouts, tools = best_rates(loads)
    wsgi, hello, logged_in, *page_rates = rates
    setup = f"{tools}, {CONNECTIONS} connections, {WORKERS} workers"
    yield "hello_vs_wsgi", f"{_ratio(hello / wsgi)} ({setup})"
    yield "hello_logged_in_vs_anonymous", f"{_ratio(logged_in / hello)}"
    yield "hello_logged_in_queries_before_view", board["queries_before_view"]
    for (figure, _page), rate in zip(measured.items(), page_rates, strict=True):
        suffix = "_vs_hello" if figure == "dashboard" else "_vs_hello_logged_in"
        note = (
            f" ({board['school_name']}, {board['pupils']} pupils)" if figure != "board_page" else ""
        )
        yield f"{figure}{suffix}", f"{_ratio(rate / logged_in)}{note}"
    yield "http_wsgi_requests_per_second", round(wsgi)
    yield "http_hello_requests_per_second", round(hello)
    yield "http_hello_logged_in_requests_per_second", round(logged_in)
    for (figure, _page), rate in zip(measured.items(), page_rates, strict=True):
        yield f"http_{figure}_requests_per_second", round(rate, 1)
    yield "http_failures", sum(failures)
    yield "http_timeouts", f"{sum(timeouts)} (no answer within {http_load.TIMEOUT} s)"
    yield "http_board_rows", f"{board['rows']} rows built in {board['seconds']} s"
