"""The data of the HTTP figures: a generated board of 50 schools in a database of its own.

gunicorn reads the database from another process, so the board must be committed there; the
other benches build theirs in a transaction they roll back. ``python -m bench.http_board`` runs
in a process whose DATABASE_URL names a scratch database (``bench.http_bench`` makes it, migrates
it and drops it afterwards). It builds the board, logs in the biggest school's director and the
board member (sessions signed with SECRET_KEY, the server's), counts the queries a logged-in
request makes before its view, and prints what the HTTP bench needs as one line of JSON.
"""

import json
import os
import sys
import time
from importlib import import_module

import django


def login_session(user):
    """A logged-in session in the database: the same rows a login through the form would leave,
    without the form (and its rate limits)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["last_seen"] = int(time.time())  # the staff idle clock starts now
    session.create()
    return session.session_key


def queries_before_the_view(user):
    """The queries of a logged-in request of the hello view, which itself makes none: what the
    middleware costs (session, user, memberships). Counted on the second request, the first one
    fills what is cached."""
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from bench.http_urls import HELLO_PATH

    with override_settings(ROOT_URLCONF="bench.http_urls", ALLOWED_HOSTS=["*"]):
        client = Client()
        client.force_login(user)
        client.get(HELLO_PATH)
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(HELLO_PATH)
    if response.status_code != 200:
        raise RuntimeError(f"{HELLO_PATH} answered {response.status_code}")
    return len(captured)


def build(stream=sys.stderr):
    from bench.board_data import build_board
    from conversations.models import Booking

    built = build_board(name="Bench bestuur HTTP", brin="93BN", stream=stream)
    school = built.biggest_school
    director = built.directors[school.pk]
    booking = (
        Booking.objects.filter(
            conversation__round__school=school, conversation__school_year=built.year
        )
        .select_related("slot", "conversation")
        .order_by("slot__starts_at")
        .first()
    )
    return {
        "board": built.board.pk,
        "school": school.pk,
        "school_name": school.name,
        "pupils": school.pupils.filter(left_on__isnull=True).count(),
        "round": booking.slot.round_id,
        "staff": booking.slot.staff_id,
        "day": booking.slot.starts_at.date().isoformat(),
        "conversation": booking.conversation_id,
        "director_session": login_session(director),
        "board_session": login_session(built.board_member),
        "queries_before_view": queries_before_the_view(director),
        "rows": built.rows,
        "seconds": built.counts["seconds"],
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnership.settings")
    django.setup()
    print(json.dumps(build()), flush=True)
