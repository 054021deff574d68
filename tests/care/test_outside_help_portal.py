"""Parents see, on their portal home, the outside help the school told them about: for each of
their own children, which help, what happens and since when. Never a meldcode exception, never
another family's child, never what the care team keeps to itself; each read is in the audit log."""

import pytest
from django.test import Client
from django.urls import reverse

from care import services
from schools.models import AuditAction, AuditEvent
from tests import factories as f
from tests.audit_cost import audit_write

HOME = reverse("parents:portal-home")
SECTION = 'id="outside-help-heading"'


@pytest.fixture
def parent(care):
    care.guardian.user = f.UserFactory()
    care.guardian.save()
    browser = Client()
    browser.force_login(care.guardian.user)
    return browser


def _involve(care, pupil=None, **values):
    defaults = {
        "service": "Schoolmaatschappelijk werk",
        "what": "Drie gesprekken met het gezin over de ochtenden.",
        "why": "Yasmina komt vaak te laat en is dan moe.",
    }
    return services.involve_outside_service(
        pupil=pupil or care.pupil, by=care.intern_begeleider, **(defaults | values)
    )


def _section(client, language="nl"):
    """The outside-help section of the portal home, or "" when the page has none."""
    client.cookies["django_language"] = language
    page = client.get(HOME).content.decode()
    if SECTION not in page:
        return ""
    start = page.index(SECTION)
    return page[start : page.index("</section>", start)]


def test_a_parent_sees_the_help_the_school_told_them_about_their_child(care, client, parent):
    client.force_login(care.intern_begeleider)
    response = client.post(
        reverse("care:involvement-create", args=[care.pupil.pk]),
        {
            "service": "Jeugdteam Utrecht-West",
            "what": "Een gezinscoach komt vier keer thuis praten.",
            "why": "Zorgen over de nachtrust.",
            "meldcode_reason": "",
        },
    )
    assert response.status_code == 302

    section = _section(parent)
    assert "Hulp van buiten de school" in section
    assert "Yasmina" in section
    assert "Jeugdteam Utrecht-West" in section
    assert "Een gezinscoach komt vier keer thuis praten." in section
    assert "6 oktober 2026" in section  # since when
    # Who wrote it down in the school stays inside the school.
    assert care.intern_begeleider.get_full_name() not in section
    [event] = AuditEvent.objects.filter(action=AuditAction.VIEW_SUPPORT_NEEDS)
    assert (event.user_id, event.pupil_id) == (care.guardian.user_id, care.pupil.pk)


def test_a_meldcode_exception_was_not_told_and_is_not_shown(care, parent):
    _involve(care)
    _involve(
        care,
        service="Veilig Thuis",
        what="Melding",
        meldcode_reason="De veiligheid van het kind gaat voor.",
    )
    section = _section(parent)
    assert "Schoolmaatschappelijk werk" in section
    assert "Veilig Thuis" not in parent.get(HOME).content.decode()


def test_another_familys_help_is_not_shown(care, parent):
    neighbour = f.PupilFactory(school=care.school, first_name="Daan")
    f.EnrolmentFactory(pupil=neighbour, group=care.group)
    f.PupilGuardianFactory(pupil=neighbour)
    _involve(care, pupil=neighbour, service="GGD", what="Een gesprek met de jeugdarts.")

    assert _section(parent) == ""
    page = parent.get(HOME).content.decode()
    assert "GGD" not in page and "Daan" not in page
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_SUPPORT_NEEDS).exists()


def test_a_parent_without_parental_authority_was_not_told_and_sees_nothing(care):
    """The school tells the parents who decide about the child; the page shows what was told."""
    _involve(care)
    other = f.GuardianFactory(family=care.family, user=f.UserFactory())
    f.PupilGuardianFactory(
        pupil=care.pupil, guardian=other, has_parental_authority=False, information_right="granted"
    )
    browser = Client()
    browser.force_login(other.user)
    page = browser.get(HOME).content.decode()
    assert "Yasmina" in page  # the child is theirs to see
    assert SECTION not in page and "Schoolmaatschappelijk werk" not in page


@pytest.mark.parametrize("told", [1, 5])
def test_the_portal_home_reads_the_same_queries_for_one_help_and_for_five(
    care, parent, told, django_assert_num_queries
):
    for n in range(told):
        _involve(care, service=f"Hulp {n}")
    parent.get(HOME)  # the user with their roles is kept after the first request
    # The portal home as the portal tests count it (the user's roles come from the cache now):
    # thirteen queries, the outside help told in one more, and its read in the audit log once
    # for the child, however many helps there are.
    with django_assert_num_queries(14 + audit_write()):
        section = _section(parent)
    assert section.count("<dt>Welke hulp</dt>") == told


def test_the_section_reads_right_to_left_in_arabic_and_keeps_the_dutch_text_apart(care, parent):
    _involve(care)
    parent.cookies["django_language"] = "ar"
    page = parent.get(HOME).content.decode()
    assert '<html lang="ar" dir="rtl"' in page
    section = _section(parent, "ar")
    assert "المساعدة من خارج المدرسة" in section  # "Hulp van buiten de school"
    assert "أي مساعدة" in section and "منذ متى" in section  # which help, since when
    assert "أكتوبر" in section  # the month in Arabic
    # The school's own Dutch words stay left to right inside the Arabic page.
    assert '<dd lang="nl" dir="ltr">Schoolmaatschappelijk werk</dd>' in section
