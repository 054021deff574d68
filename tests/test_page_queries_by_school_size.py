"""Every page costs the same number of queries at a school of 80 pupils and at one of 1,000
(issue 23): a page that reads per pupil, per family or per guardian in a loop fails here, whoever
added it. The pages are those of the URL × role matrix, each opened by the first principal the
matrix lets in. The school grows in what its lists show as well: conversations and their slots
and bookings, leave requests, messages, care records and invitations, one of each per child."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from absence.models import LeaveRequest
from care.models import CareMeeting, Feedback, Incident, SupportPlan
from conversations.models import Booking, Slot, StartConversation
from conversations.models import Invitation as ConversationInvitation
from messaging.models import Recipient
from parents.models import (
    Family,
    Guardian,
    GuardianMessage,
    PupilGuardian,
    Relation,
)
from partnership.models import Invitation as ActivityInvitation
from schools.models import Enrolment, Pupil
from tests.test_url_access import all_cases

pytestmark = pytest.mark.django_db

# Who opens each page: the first of these the matrix lets in (200).
OPENERS = ("director", "intern_begeleider", "ouder_coordinator", "teacher", "board", "guardian")


def grow_school(world, pupils):
    """Add ``pupils`` present pupils to S1's two groups, each in a family of its own with one
    guardian, written in bulk so that a school of 1,000 pupils is built in seconds, and with a
    copy per child of the records of ``PER_CHILD``. Returns those copies by model."""
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
    copied = copy_records(world, new_pupils, families, guardians)
    if connection.vendor == "postgresql":
        # A real school's tables have statistics (autovacuum keeps them); without them the
        # planner takes the tables written a moment ago for empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return copied


# What the staff lists show, in the order they refer to each other: the rows the matrix's cases
# made for S1's pupil, family or guardian are copied for every new child, so that the lists of
# conversations, the day schedule, bookings, absences and leave, messages, care records and
# invitations grow with the school too (a list read per row in a loop shows up as growth).
PER_CHILD = (
    StartConversation,
    ConversationInvitation,
    Slot,
    Booking,
    LeaveRequest,
    GuardianMessage,
    Recipient,
    Incident,
    Feedback,
    SupportPlan,
    CareMeeting,
    ActivityInvitation,
)


def copy_records(world, pupils, families, guardians):
    s1 = world.s1
    own = {Pupil: s1.pupil.pk, Family: s1.family.pk, Guardian: s1.guardian.pk}
    copied = {}  # model -> the copies, one per new child, in the children's order
    for model in PER_CHILD:
        template = _template(model, own, copied)
        if template is None:
            continue
        rows = []
        if model is Slot:
            # After the person's last slot, a few seconds each: the same person's slots may not
            # overlap, and a thousand of them still fit in the hour after the original.
            last = Slot.objects.filter(staff_id=template.staff_id).aggregate(last=Max("ends_at"))
        for index, new in enumerate(zip(pupils, families, guardians, strict=True)):
            row = model(
                **{
                    f.attname: _value(f, template, index, new, copied)
                    for f in model._meta.concrete_fields
                    if not f.primary_key
                }
            )
            if model is Slot:
                row.starts_at = last["last"] + datetime.timedelta(seconds=2 * index)
                row.ends_at = row.starts_at + datetime.timedelta(seconds=2)
            rows.append(row)
        copied[model] = model.objects.bulk_create(rows)
    return copied


def _template(model, own, copied):
    """The row of ``model`` the cases made for S1's child, family or guardian (or for a row
    copied before it, such as the slot of a booking)."""
    query = Q(pk__in=[])
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model in own:
            query |= Q(**{field.attname: own[field.related_model]})
    if model is Slot:
        query = Q(booking__conversation__pupil_id=own[Pupil])
    return model.objects.filter(query).order_by("pk").first()


def _value(field, template, index, new, copied):
    pupil, family, guardian = new
    if field.unique and field.has_default():
        return field.get_default()  # a token of its own, such as a booking's calendar uid
    value = getattr(template, field.attname)
    if not field.is_relation or value is None:
        return value
    replaced = {Pupil: pupil.pk, Family: family.pk, Guardian: guardian.pk}
    if field.related_model in replaced:
        return replaced[field.related_model]
    if field.related_model in copied:
        return copied[field.related_model][index].pk
    if field.one_to_one:
        return None  # a contact log's moment: one log per moment
    return value


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
    copied = grow_school(world, 920)
    large = count_queries(client_for, pages)

    # Every kind of record grew with the children, not only the pupils and families.
    assert {model: len(rows) for model, rows in copied.items()} == dict.fromkeys(PER_CHILD, 920)

    assert Pupil.objects.filter(school=world.s1.school).count() >= 1000
    grown = {
        name: f"{small[name][1]} → {large[name][1]} queries"
        for name in small
        if small[name] != large[name]
    }
    assert not grown, f"pages whose cost grows with the school: {grown}"
    assert len(pages) > 50, clashes  # the matrix was walked, not skipped
