"""Every page costs the same number of queries at a school of 80 pupils and at one of 1,000
(issue 23): a page that reads per pupil, per family or per guardian in a loop fails here, whoever
added it. The pages are those of the URL × role matrix, each opened by the first principal the
matrix lets in."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parents.models import Family, Guardian, PupilGuardian, Relation
from schools.models import Enrolment, Pupil
from tests.test_url_access import all_cases

pytestmark = pytest.mark.django_db

# Who opens each page: the first of these the matrix lets in (200).
OPENERS = ("director", "intern_begeleider", "ouder_coordinator", "teacher", "board", "guardian")


def grow_school(world, pupils):
    """Add ``pupils`` present pupils to S1's two groups, each in a family of its own with one
    guardian, written in bulk so that a school of 1,000 pupils is built in seconds."""
    school = world.s1.school
    start = Pupil.objects.filter(school=school).count()
    new_pupils = Pupil.objects.bulk_create(
        Pupil(
            school=school,
            pupil_number=f"9{start + index:06d}",
            first_name=f"Kind{index}",
            last_name="Groei",
            date_of_birth=datetime.date(2017, 1, 1) + datetime.timedelta(days=index % 365),
        )
        for index in range(pupils)
    )
    groups = [world.s1.group, world.s1.other_group]
    Enrolment.objects.bulk_create(
        Enrolment(pupil=pupil, group=groups[index % 2], school_year=groups[index % 2].school_year)
        for index, pupil in enumerate(new_pupils)
    )
    families = Family.objects.bulk_create(
        Family(board=school.board, name=f"Gezin Groei {index}") for index in range(pupils)
    )
    guardians = Guardian.objects.bulk_create(
        Guardian(
            family=family,
            first_name="Ouder",
            last_name="Groei",
            phone=f"+316{index:08d}",
        )
        for index, family in enumerate(families)
    )
    PupilGuardian.objects.bulk_create(
        PupilGuardian(pupil=pupil, guardian=guardian, relation=Relation.MOTHER)
        for pupil, guardian in zip(new_pupils, guardians, strict=True)
    )
    if connection.vendor == "postgresql":
        # A real school's tables have statistics (autovacuum keeps them); without them the
        # planner takes the tables written a moment ago for empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def opener(case):
    return next((p for p in OPENERS if case.expect.get(p) == 200), None)


def count_queries(client_for, pages):
    counts = {}
    for name, principal, url in pages:
        client = client_for(principal)
        client.get(url)  # the first visit may make what the page shows (a feed token, a plan)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        counts[name] = (status, len(queries.captured_queries))
    return counts


def test_every_page_runs_the_same_queries_at_80_and_at_1000_pupils(world, client_for):
    grow_school(world, 80 - Pupil.objects.filter(school=world.s1.school).count())
    pages, clashes = [], []
    for case in all_cases():
        principal = opener(case)
        if principal is None or "get" not in case.methods:
            continue
        try:
            with transaction.atomic():  # a savepoint: cases may make the same object twice
                kwargs = case.own(world)
        except IntegrityError:
            # Two cases want to make this year's plan of the same family, which exists once:
            # the later page is left out of this walk (four pages of plans and calendars).
            clashes.append(str(case))
            continue
        url = reverse(case.url_name, kwargs=kwargs)
        pages.append((f"{case} as {principal}", principal, url))

    small = count_queries(client_for, pages)
    grow_school(world, 920)
    large = count_queries(client_for, pages)

    assert Pupil.objects.filter(school=world.s1.school).count() >= 1000
    grown = {
        name: f"{small[name][1]} → {large[name][1]} queries"
        for name in small
        if small[name] != large[name]
    }
    assert not grown, f"pages whose cost grows with the school: {grown}"
    assert len(pages) > 50, clashes  # the matrix was walked, not skipped
