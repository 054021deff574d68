"""The pupil list and the family page, measured as whole requests of a logged-in user.

- ``pupil_list_queries``: the queries of one request of the pupil list by the school's director,
  with 10 and with 40 present pupils (each enrolled in a group of this school year, with a family
  and a guardian). Equal numbers mean the page does not grow with the school.
- ``family_page_queries``: the queries of one request of a family page by the same director, at
  the same two sizes. The family grows with the school, so that a fixed count is not an accident of
  an empty page: two children, a guardian in a second household, this year's plan, and a history
  of agreements (2 moments each) and contacts that is four times longer at 40 pupils (3 agreements
  and 10 contacts at 10 pupils; 12 and 40 at 40 pupils).
- ``pupil_list_vs_admin``: the time of our pupil list divided by the time of Django admin's
  changelist of the same pupils (``/beheer/schools/pupil/?school__id__exact=<pk>``, a superuser),
  for a school of 100 pupils: admin shows 100 rows a page, so both pages show the same 100 pupils
  (checked). Interleaved, best of 7 each. ``0.85x`` means ours takes 0.85 of admin's time (lower is
  faster than admin); above ``1.00x`` ours is slower.

The data is made with a fixed seed inside a transaction that is rolled back at the end: the
database is left as it was.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench import interleaved
from parents.models import (
    Agreement,
    CommunicationPlan,
    ContactLog,
    ContactMoment,
    Family,
    Guardian,
    PupilGuardian,
)
from schools.models import Board, Enrolment, Group, Pupil, School, SchoolYear, StaffMembership

SEED = 20261124
SIZES = (10, 40)
HISTORY = {10: (3, 10), 40: (12, 40)}  # the family's agreements and contacts at each size
ADMIN_PAGE = 100  # admin's list_per_page: the school of the time figure has exactly this many
REPEAT = 7
TONES = ["positive", "neutral", "concern"]


class _Rollback(Exception):
    pass


class _School:
    """One school of the bench, grown a number of pupils at a time."""

    def __init__(self, rng, today):
        self.rng = rng
        self.today = today
        self.year = SchoolYear.for_date(today)
        board = Board.objects.create(name="Bench bestuur pagina's")
        self.school = School.objects.create(
            board=board,
            name="Bench pagina's",
            brin="99PG",
            location_code="00",
            sector="PO",
            city="Utrecht",
            holiday_region="midden",
        )
        self.groups = Group.objects.bulk_create(
            Group(
                school=self.school,
                school_year=self.year,
                name=str(grade),
                lowest_grade=grade,
                highest_grade=grade,
            )
            for grade in range(1, 9)
        )
        users = get_user_model().objects
        self.director = users.create_user(
            username="bench-pages-director@bench.test", email="bench-pages-director@bench.test"
        )
        StaffMembership.objects.create(
            user=self.director, board=board, school=self.school, role="director"
        )
        self.superuser = users.create_superuser(
            username="bench-pages-admin@bench.test", email="bench-pages-admin@bench.test"
        )
        self.pupils = []
        self.family = None

    def grow_to(self, count):
        """Add pupils, each with a family and a guardian of its own, until there are ``count``."""
        start = len(self.pupils)
        pupils = Pupil.objects.bulk_create(
            Pupil(
                school=self.school,
                pupil_number=f"B{90000 + number}",
                first_name=f"Kind{number}",
                last_name=f"Bench{self.rng.randint(100, 999)}",
                date_of_birth=datetime.date(2018, 1, 1),
            )
            for number in range(start, count)
        )
        Enrolment.objects.bulk_create(
            Enrolment(pupil=pupil, group=self.rng.choice(self.groups), school_year=self.year)
            for pupil in pupils
        )
        families = Family.objects.bulk_create(
            Family(board=self.school.board, name=f"Gezin {pupil.pupil_number}") for pupil in pupils
        )
        guardians = Guardian.objects.bulk_create(
            Guardian(family=family, first_name="Ouder", last_name="Bench", phone="0612345678")
            for family in families
        )
        PupilGuardian.objects.bulk_create(
            PupilGuardian(pupil=pupil, guardian=guardian, relation="mother")
            for pupil, guardian in zip(pupils, guardians, strict=True)
        )
        self.pupils.extend(pupils)

    def make_family(self):
        """The family of the family page: the first two pupils as brother and sister, the first
        one also living with a second household, and this year's plan."""
        first, second = self.pupils[:2]
        self.family = Family.objects.get(guardians__pupil_links__pupil=first)
        guardian = self.family.guardians.get()
        PupilGuardian.objects.filter(pupil=second).delete()
        PupilGuardian.objects.create(pupil=second, guardian=guardian, relation="father")
        other = Family.objects.get(name=f"Gezin {second.pupil_number}")
        PupilGuardian.objects.create(pupil=first, guardian=other.guardians.get(), relation="father")
        self.plan = CommunicationPlan.objects.create(
            family=self.family,
            school_year=self.year,
            agreed_on=self.today,
            contact_person=self.director,
        )
        self.children = [first, second]

    def grow_history_to(self, agreements, contacts):
        """Add agreements (each with a moment before and one after today) and contact logs until
        the family has ``agreements`` and ``contacts`` of them."""
        made = Agreement.objects.bulk_create(
            Agreement(
                plan=self.plan,
                what=f"Afspraak {index}",
                pupil=self.rng.choice(self.children),
                channel="phone",
                responsible=self.director,
                schedule="once",
                on_date=self.today,
            )
            for index in range(self.plan.agreements.count(), agreements)
        )
        ContactMoment.objects.bulk_create(
            ContactMoment(agreement=agreement, due_on=self.today + datetime.timedelta(days=days))
            for agreement in made
            for days in (-self.rng.randint(1, 20), self.rng.randint(1, 20))
        )
        ContactLog.objects.bulk_create(
            self._contact(self.today - datetime.timedelta(days=self.rng.randint(0, 60)))
            for _index in range(self.family.contact_logs.count(), contacts)
        )

    def _contact(self, day):
        tone = self.rng.choice(TONES)
        return ContactLog(
            family=self.family,
            pupil=self.rng.choice([*self.children, None]),
            by=self.director,
            happened_on=day,
            channel="phone",
            tone=tone,
            summary="Even gebeld",
            # A concern always gets a day to follow it up (a constraint of the table).
            follow_up_on=day + datetime.timedelta(days=14) if tone == "concern" else None,
        )


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


def _get(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return response


def _queries(client, url):
    """The queries of one whole request, after a first one that warms up what is cached once."""
    _get(client, url)
    reset_queries()  # Django logs 9,000 queries at most: count from an empty log
    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    return len(captured)


def _shows_every_pupil(response, pupils):
    body = response.content.decode()
    return all(pupil.pupil_number in body for pupil in pupils)


def run():
    rng = random.Random(SEED)
    counts = {}
    try:
        with transaction.atomic():
            bench = _School(rng, timezone.localdate())
            director = _client_for(bench.director)
            pupil_list = reverse("schools:pupil-list", args=[bench.school.pk])
            for size in SIZES:
                bench.grow_to(size)
                if bench.family is None:
                    bench.make_family()
                bench.grow_history_to(*HISTORY[size])
                family_page = reverse("parents:family-detail", args=[bench.family.pk])
                counts[size] = (_queries(director, pupil_list), _queries(director, family_page))

            bench.grow_to(ADMIN_PAGE)
            admin = _client_for(bench.superuser)
            changelist = f"/beheer/schools/pupil/?school__id__exact={bench.school.pk}"
            for client, url in ((director, pupil_list), (admin, changelist)):
                if not _shows_every_pupil(_get(client, url), bench.pupils):
                    raise RuntimeError(f"{url} does not show the same {ADMIN_PAGE} pupils")
            ours, theirs = interleaved(
                [lambda: _get(director, pupil_list), lambda: _get(admin, changelist)],
                repeat=REPEAT,
            )
            raise _Rollback
    except _Rollback:
        pass
    yield (
        "pupil_list_queries",
        f"{counts[10][0]} at 10 pupils, {counts[40][0]} at 40 pupils",
    )
    yield (
        "family_page_queries",
        f"{counts[10][1]} at 10 pupils, {counts[40][1]} at 40 pupils",
    )
    yield ("pupil_list_vs_admin", f"{ours / theirs:.2f}x")
