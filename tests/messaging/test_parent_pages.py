"""Parents read what staff wrote in their own language: translated and labelled with the
original one tap away, or in Dutch kept apart from the sentence around it. Staff correct a
translation and parents read theirs."""

import pytest
from django.conf import settings
from django.urls import reverse

from messaging.models import Translation
from tests.factories import StaffMembershipFactory
from tests.parents.factories import AgreementFactory, CommunicationPlanFactory
from tests.partnership.factories import ActivityFactory, InvitationFactory

pytestmark = pytest.mark.django_db


def read_in(client, language, url):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def parent(world, client):
    client.force_login(world.users["guardian"])
    return client


@pytest.fixture
def invitation(world):
    activity = ActivityFactory(
        school=world.s1.school,
        title="Koffieochtend voor ouders",
        description="We praten over lezen.\nIedereen is welkom.",
    )
    return InvitationFactory(activity=activity, family=world.s1.family)


def test_a_turkish_reader_gets_the_activity_translated_labelled_with_the_original(
    parent, invitation, deepl
):
    page = read_in(parent, "tr", reverse("partnership:invitation-respond", args=[invitation.pk]))
    assert '<h1 class="h3"><bdi lang="tr">Veliler için kahve sabahı</bdi></h1>' in page
    assert "(otomatik çeviri)" in page
    assert "<summary>Orijinal metni görün</summary>" in page
    assert '<bdi lang="nl">Koffieochtend voor ouders</bdi>' in page
    assert "[tr] We praten over lezen." in page  # the description too, once
    titles = [body["text"][0] for _path, _headers, body in deepl.requests]
    assert titles.count("Koffieochtend voor ouders") == 1  # title and heading: one request


def test_a_second_visit_asks_the_service_nothing(parent, invitation, deepl):
    url = reverse("partnership:invitation-respond", args=[invitation.pk])
    read_in(parent, "tr", url)
    asked = len(deepl.requests)
    read_in(parent, "tr", url)
    read_in(parent, "tr", reverse("parents:portal-home"))  # the same title on the home page
    assert len(deepl.requests) == asked


def test_a_dutch_reader_gets_the_text_as_written(parent, invitation, deepl):
    page = read_in(parent, "nl", reverse("partnership:invitation-respond", args=[invitation.pk]))
    assert '<bdi lang="nl">Koffieochtend voor ouders</bdi>' in page
    assert "automatisch vertaald" not in page and deepl.requests == []


def test_with_the_service_off_an_arabic_page_keeps_dutch_agreements_apart(parent, world, settings):
    settings.TRANSLATION_BACKEND = ""
    AgreementFactory(
        plan__family=world.s1.family, pupil=world.s1.pupil, what="Bellen na elk rapport"
    )
    page = read_in(parent, "ar", reverse("parents:portal-plan"))
    assert 'dir="rtl"' in page
    assert '<bdi lang="nl">Bellen na elk rapport</bdi>' in page
    assert "<details" not in page


def test_a_translation_a_teacher_wrote_is_what_parents_read(
    parent, invitation, world, client_for, settings
):
    settings.TRANSLATION_BACKEND = ""
    url = reverse("partnership:invitation-respond", args=[invitation.pk])
    read_in(parent, "tr", url)  # the parent reads Dutch; the text is now on the staff's list
    staff = client_for("ouder_coordinator")
    school = world.s1.school.pk
    listing = staff.get(
        reverse("messaging:translation-list", args=[school]), {"taal": "tr", "open": "1"}
    )
    assert "Koffieochtend voor ouders" in listing.content.decode()
    row = Translation.objects.get(language="tr", original="Koffieochtend voor ouders")
    edit = reverse("messaging:translation-edit", args=[school, row.pk])
    assert "Vul de vertaling in." in staff.post(edit, {"text": "  "}).content.decode()
    assert staff.post(edit, {"text": "Veli kahvesi"}).status_code == 302
    parent.force_login(world.users["guardian"])
    page = read_in(parent, "tr", url)
    assert '<bdi lang="tr">Veli kahvesi</bdi>' in page
    assert "otomatik çeviri" not in page  # a person translated it
    assert '<bdi lang="nl">Koffieochtend voor ouders</bdi>' in page  # the original stays near


def test_who_does_what_shows_the_task_in_the_parents_language(parent, world, deepl):
    StaffMembershipFactory(
        school=world.s1.school, role="intern_begeleider", task_description="Ik help bij zorgen."
    )
    page = read_in(parent, "ar", reverse("schools:who-does-what", args=[world.s1.school.pk]))
    assert "[ar] Ik help bij zorgen." in page


@pytest.mark.parametrize("agreements", [1, 6])
def test_the_plan_page_reads_translations_in_one_query_however_many_agreements(
    parent, world, deepl, agreements, django_assert_num_queries
):
    plan = CommunicationPlanFactory(family=world.s1.family)
    for n in range(agreements):
        AgreementFactory(plan=plan, pupil=world.s1.pupil, what=f"Afspraak {n}")
    url = reverse("parents:portal-plan")
    read_in(parent, "tr", url)  # translated and stored on the first visit
    parent.cookies[settings.LANGUAGE_COOKIE_NAME] = "tr"
    with django_assert_num_queries(len(_queries_of(parent, url))):
        parent.get(url)
    assert len(_queries_of(parent, url)) == len(_queries_of_dutch(parent, url)) + 1


def _queries_of(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return queries.captured_queries


def _queries_of_dutch(client, url):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    try:
        return _queries_of(client, url)
    finally:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "tr"
