"""RELIABILITY A4, A7, B3, E3 for the parent portal."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests import factories as f
from tests.portal.test_login_by_code import CONFIRM_URL, code_from, guardian_account, request_code

pytestmark = pytest.mark.django_db

PUPIL_PAGES = ["parents:portal-child-detail", "parents:portal-message-create"]


def test_a4_a_guardian_probing_other_ids_learns_nothing(client, world):
    """Every pupil id within 50 of the guardian's own child (which includes the other schools'
    pupils of the world), existing or not, answers the same 404. A window, not "from 1": on
    PostgreSQL ids keep growing across the test run."""
    own = world.s1.pupil.pk
    client.force_login(world.s1.guardian.user)
    answers = {}
    probes = 0
    for url_name in PUPIL_PAGES:
        for pk in range(max(1, own - 50), own + 51):
            if pk == own:
                continue
            for method in ("get", "post"):
                response = getattr(client, method)(reverse(url_name, kwargs={"pk": pk}))
                probes += 1
                body = response.content.decode()
                assert response.status_code == 404, (url_name, pk, method)
                assert "Kanarievogel" not in body and "Zusje" not in body
                answers.setdefault(url_name, set()).add((response.status_code, len(body)))
    # Foreign-but-existing and non-existing ids cannot be told apart.
    assert all(len(shapes) == 1 for shapes in answers.values()), answers
    window = own + 51 - max(1, own - 50) - 1
    assert probes == len(PUPIL_PAGES) * 2 * window
    assert {world.s2.pupil.pk, world.s3.pupil.pk} <= set(range(own - 50, own + 51))


def test_a7_a_guardian_never_sees_the_other_parents_contact_details(client, world):
    other_parent = f.GuardianFactory(
        family=f.FamilyFactory(board=world.b1),
        email="andere.ouder@example.test",
        phone="0699999999",
    )
    f.PupilGuardianFactory(pupil=world.s1.pupil, guardian=other_parent, relation="father")
    client.force_login(world.s1.guardian.user)
    pages = [
        client.get(reverse("parents:portal-home")),
        client.get(reverse("parents:portal-child-detail", kwargs={"pk": world.s1.pupil.pk})),
        client.get(reverse("privacy:my-data")),
    ]
    for response in pages:
        body = response.content.decode()
        assert "andere.ouder@example.test" not in body and "0699999999" not in body


def test_b3_a_code_works_only_in_the_browser_that_asked_for_it(client):
    guardian = guardian_account()
    request_code(client, guardian.email)
    other_browser = Client()
    response = other_browser.post(CONFIRM_URL, {"code": code_from(mail.outbox[0])})
    assert response.status_code == 302
    assert "_auth_user_id" not in other_browser.session


def test_b6_posts_without_a_csrf_token_are_refused(world):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.s1.guardian.user)
    urls = [
        reverse("parents:portal-message-create", kwargs={"pk": world.s1.pupil.pk}),
        reverse("parents:portal-preferences"),
        reverse("parents:portal-language-set"),
    ]
    for url in urls:
        assert strict.post(url, {"language": "ar"}).status_code == 403, url
    assert settings.LANGUAGE_COOKIE_NAME not in strict.cookies


def test_b1_pages_with_personal_data_are_never_cached(client, world):
    client.force_login(world.s1.guardian.user)
    urls = [
        reverse("parents:portal-home"),
        reverse("parents:portal-child-detail", kwargs={"pk": world.s1.pupil.pk}),
        reverse("parents:portal-message-create", kwargs={"pk": world.s1.pupil.pk}),
        reverse("parents:portal-preferences"),
        reverse("privacy:my-data"),
    ]
    for url in urls:
        assert "no-store" in client.get(url)["Cache-Control"], url
    client.force_login(world.users["director"])
    list_url = reverse("parents:guardian-message-list", kwargs={"pk": world.s1.school.pk})
    assert "no-store" in client.get(list_url)["Cache-Control"]
