"""The rules of the portal, tested at the service functions."""

import datetime

import pytest
from django.db import IntegrityError

from parents import portal_services as services
from parents.models import GuardianMessage, GuardianMessageKind
from tests import factories as f

pytestmark = pytest.mark.django_db


def link(**kwargs):
    return f.PupilGuardianFactory(**kwargs)


def send(pupil_link, kind=GuardianMessageKind.CALL_REQUEST, text="Bel mij na 17 uur"):
    return services.send_guardian_message(
        guardian=pupil_link.guardian, pupil=pupil_link.pupil, kind=kind, text=text
    )


def test_a_guardian_tells_the_school_about_their_child():
    message = send(link(), kind=GuardianMessageKind.FILE_INFORMATION, text="  Hij draagt een bril ")
    assert message.text == "Hij draagt een bril" and message.handled_at is None


@pytest.mark.parametrize(
    "link_kwargs",
    [
        {"access_blocked_reason": "Besluit van de rechter"},
        {"has_parental_authority": False, "information_right": "none"},
        {"has_parental_authority": False, "information_right": "on_request"},
    ],
)
def test_a_guardian_who_may_not_see_the_child_cannot_send_anything(link_kwargs):
    with pytest.raises(services.PortalError):
        send(link(**link_kwargs))
    assert not GuardianMessage.objects.exists()


def test_a_guardian_cannot_send_about_a_child_that_is_not_theirs():
    own, other = link(), link()
    with pytest.raises(services.PortalError):
        services.send_guardian_message(
            guardian=own.guardian, pupil=other.pupil, kind="call_request", text="Hallo"
        )


def test_without_authority_a_guardian_may_ask_to_be_called_but_not_add_to_the_file():
    pupil_link = link(has_parental_authority=False, information_right="granted")
    with pytest.raises(services.PortalError, match="geen gezag"):
        send(pupil_link, kind=GuardianMessageKind.FILE_INFORMATION)
    assert send(pupil_link).kind == GuardianMessageKind.CALL_REQUEST


def test_an_information_request_is_not_a_message_a_parent_writes():
    from parents.portal_forms import GuardianMessageForm

    offered = dict(GuardianMessageForm(may_change=True).fields["kind"].choices)
    assert GuardianMessageKind.INFORMATION_REQUEST not in offered
    with pytest.raises(services.PortalError):
        send(link(), kind=GuardianMessageKind.INFORMATION_REQUEST, text="Vrije tekst")
    assert not GuardianMessage.objects.exists()


def test_an_empty_message_is_refused():
    with pytest.raises(services.PortalError):
        send(link(), text="   ")


def test_the_database_refuses_a_message_handled_by_someone_without_a_time():
    pupil_link = link()
    with pytest.raises(IntegrityError):
        GuardianMessage.objects.create(
            guardian=pupil_link.guardian,
            pupil=pupil_link.pupil,
            kind="call_request",
            text="x",
            handled_by=f.UserFactory(),
        )


def test_preferences_put_the_chosen_channel_first():
    guardian = f.GuardianFactory(preferred_channels=["phone", "whatsapp", "email"])
    services.save_guardian_preferences(
        guardian=guardian,
        language="pl",
        channel="email",
        wants_reminders=True,
        quiet_hours_start=None,
        quiet_hours_end=None,
    )
    guardian.refresh_from_db()
    assert guardian.preferred_channels == ["email", "phone", "whatsapp"]
    assert guardian.language == "pl"


def test_a_language_the_portal_cannot_show_is_refused():
    guardian = f.GuardianFactory(language="nl")
    with pytest.raises(services.PortalError):
        services.set_guardian_language(guardian=guardian, language="ti")
    guardian.refresh_from_db()
    assert guardian.language == "nl"


def test_half_quiet_hours_are_refused_by_the_database():
    guardian = f.GuardianFactory()
    guardian.quiet_hours_start = datetime.time(21, 0)
    with pytest.raises(IntegrityError):
        guardian.save()


def test_only_the_first_handling_counts():
    message = send(link())
    first, second = f.UserFactory(), f.UserFactory()
    assert services.mark_message_handled(message=message, by=first)
    assert not services.mark_message_handled(message=message, by=second)
    assert message.handled_by == first
