"""HTTP on loopback under gunicorn, 8 connections:

- ``hello_vs_wsgi``: a hello view through Django's whole middleware stack against a bare WSGI
  app (the floor: what gunicorn alone costs);
- ``dashboard_vs_hello``: the school dashboard of a demo school, as its director, against the
  hello view.

Both servers run side by side with production settings (DEBUG off); the three loads are
alternated, best of ROUNDS each, so a noisy moment on the shared machine hits all of them.
The dashboard reads the database this process uses (``make bench`` migrates it first); without
the demo school, ``seed_demo`` makes it.
"""

import http.client
import io
import os
import time
import urllib.parse
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management import call_command
from django.core.management.utils import get_random_secret_key
from django.db import connection
from django.test.utils import override_settings
from django.utils.html import escape

from bench import http_load
from bench.http_load import CONNECTIONS
from bench.http_server import WORKERS, Gunicorn
from bench.http_urls import HELLO_PATH
from partnership import demo
from schools.models import Role, StaffMembership

SECONDS = 3
ROUNDS = 3
# The session cookie's name when DEBUG is off (partnership/settings.py).
SESSION_COOKIE = "__Host-sessionid"


class BenchError(RuntimeError):
    pass


def database_url():
    """This process's database as a DATABASE_URL, so that gunicorn reads the same one."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    if connection.vendor != "postgresql":
        raise BenchError(f"no DATABASE_URL for {connection.vendor}")
    quote = urllib.parse.quote
    credentials = f"{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}@"
    return (
        f"postgres://{credentials}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{quote(db['NAME'])}"
    )


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


def demo_director():
    """The demo school's director and that school; the demo is seeded when it is missing."""
    director_email = next(a[0] for a in demo.ACCOUNTS if a[3] == Role.DIRECTOR)
    lookup = StaffMembership.objects.select_related("user", "school").filter(
        user__email=director_email, role=Role.DIRECTOR, school__isnull=False
    )
    membership = lookup.first()
    if membership is None:
        call_command("seed_demo", stdout=io.StringIO())
        membership = lookup.get()
    return membership.user, membership.school


def login_session(user, secret_key):
    """A logged-in session in the database, signed with the server's key: the same rows a login
    through the form would leave, without the form (and its rate limits)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    with override_settings(SECRET_KEY=secret_key):
        session = store()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session["last_seen"] = int(time.time())  # the staff idle clock starts now
        session.create()
    return session


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
    """Best responses per second of each ``(port, path, headers)``, alternated round by round."""
    best = [0.0] * len(loads)
    tools = set()
    for _ in range(rounds):
        for index, (port, path, headers) in enumerate(loads):
            load = http_load.measure(port, path, seconds=seconds, headers=headers)
            if load.failures or not load.responses:
                raise BenchError(
                    f"GET {path}: {load.failures} failures, {load.responses} responses of 200"
                )
            tools.add(load.tool)
            best[index] = max(best[index], load.per_second)
    return best, ", ".join(sorted(tools))


def _ratio(value):
    return f"{value:.2f}x" if value >= 0.1 else f"{value:.3f}x"


def run():
    user, school = demo_director()
    secret_key = get_random_secret_key()
    environment = server_environment(secret_key, DATABASE_URL=database_url())
    dashboard_path = f"/scholen/{school.pk}/dashboard/"
    session = login_session(user, secret_key)
    try:
        with (
            Gunicorn("bench.http_wsgi:application", env=environment) as bare,
            Gunicorn(
                "partnership.wsgi:application", env=environment, ready_path=HELLO_PATH
            ) as django,
        ):
            cookie = {"Cookie": f"{SESSION_COOKIE}={session.session_key}"}
            check_page(django.port, HELLO_PATH, headers={}, contains="ok")
            check_page(django.port, dashboard_path, headers=cookie, contains=escape(school.name))
            loads = [
                (bare.port, "/", {}),
                (django.port, HELLO_PATH, {}),
                (django.port, dashboard_path, cookie),
            ]
            best_rates(loads, rounds=1, seconds=1)  # warm up: every worker loads its code
            (wsgi, hello, dashboard), tools = best_rates(loads)
    finally:
        session.delete()
    setup = f"{tools}, {CONNECTIONS} connections, {WORKERS} workers"
    yield "hello_vs_wsgi", f"{_ratio(hello / wsgi)} ({setup})"
    yield "dashboard_vs_hello", f"{_ratio(dashboard / hello)} ({setup}, {school.name})"
    yield "http_wsgi_requests_per_second", round(wsgi)
    yield "http_hello_requests_per_second", round(hello)
    yield "http_dashboard_requests_per_second", round(dashboard)
