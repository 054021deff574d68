"""Invited families hear of a coming activity three weeks, a week and a day before (the weeks of
a coffee morning: the day before each week), each guardian in their own language, unless the
household said no or the guardian may not see a child at the school."""

import datetime

import pytest
import time_machine
from django.core import mail

from partnership import services
from partnership.models import RSVP
from reminders import dispatch
from reminders.models import Reminder, Status
from tests import factories as f
from tests.partnership.factories import local
from tests.partnership.test_services import coffee, family_at

pytestmark = pytest.mark.django_db

TUESDAY = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)  # 11:00 in Amsterdam
RULE = "partnership.activity_invitation"


def _evening(school, days_ahead):
    day = TUESDAY.date() + datetime.timedelta(days=days_ahead)
    activity, _warnings = services.plan_activity(
        school=school,
        starts_at=local(day, 19),
        ends_at=local(day, 20, 30),
        **coffee(kind="information_evening", title="Informatieavond groep 8"),
    )
    return activity


def _reminders():
    return Reminder.objects.filter(rule=RULE)


def test_a_week_before_each_guardian_is_reminded_in_their_language():
    school = f.SchoolFactory(name="De Linde")
    coming, declined = family_at(school, "Gezin Yilmaz"), family_at(school, "Gezin Nee")
    coming.guardians.update(language="tr")
    mother = coming.guardians.get()
    father = f.GuardianFactory(family=coming, language="nl", email="vader@example.test")
    f.PupilGuardianFactory(
        guardian=father,
        pupil=mother.pupil_links.get().pupil,
        has_parental_authority=False,
        information_right="on_request",  # never asked for information: no messages
    )
    with time_machine.travel(TUESDAY, tick=False):
        evening = _evening(school, 7)
        evening.invitations.filter(family=declined).update(rsvp=RSVP.NO)
        dispatch.scan()
        dispatch.scan()  # a second scan adds nothing
        (reminder,) = _reminders()
        assert reminder.recipient_key == f"parents.guardian:{mother.pk}"
        assert reminder.language == "tr"
        assert "Informatieavond groep 8" in reminder.subject and "De Linde" in reminder.subject
        assert "01-12-2026" in reminder.body and "19:00" in reminder.body
        assert "Veli portalında" in reminder.body
        dispatch.send_batch()
    assert _reminders().get().status == Status.SENT
    assert [m.to for m in mail.outbox] == [[mother.email]]


def test_nothing_on_a_day_that_is_not_three_weeks_a_week_or_a_day_before():
    school = f.SchoolFactory()
    family_at(school)
    with time_machine.travel(TUESDAY, tick=False):
        _evening(school, 5)
        dispatch.scan()
    assert not _reminders().exists()


def test_a_moved_activity_cancels_the_reminder_for_the_old_day():
    school = f.SchoolFactory()
    family_at(school)
    with time_machine.travel(TUESDAY, tick=False):
        evening = _evening(school, 1)
        dispatch.scan()
        later = evening.starts_at + datetime.timedelta(days=2)
        services.move_activity(
            activity=evening, starts_at=later, ends_at=later + datetime.timedelta(hours=1)
        )
        dispatch.send_batch()
    reminder = _reminders().get()
    assert reminder.status == Status.CANCELLED and "verplaatst" in reminder.last_error
    assert not mail.outbox


def test_a_household_that_said_yes_is_reminded_without_being_asked_again():
    school = f.SchoolFactory(name="De Linde")
    coming = family_at(school, "Gezin Ja")
    asked = family_at(school, "Gezin Later")
    with time_machine.travel(TUESDAY, tick=False):
        evening = _evening(school, 7)
        evening.invitations.filter(family=coming).update(rsvp=RSVP.YES)
        dispatch.scan()
        dispatch.send_batch()
    by_family = {m.to[0]: m.body for m in mail.outbox}
    yes = by_family[coming.guardians.get().email]
    assert "U heeft laten weten dat u komt" in yes and "Komt u?" not in yes
    assert "Komt u?" in by_family[asked.guardians.get().email]


def test_a_yes_between_writing_and_sending_cancels_the_question():
    school = f.SchoolFactory()
    family = family_at(school)
    with time_machine.travel(TUESDAY, tick=False):
        evening = _evening(school, 7)
        dispatch.scan()
        evening.invitations.filter(family=family).update(rsvp=RSVP.YES)
        dispatch.send_batch()
    assert mail.outbox == []
    assert "al laten weten" in _reminders().get().last_error


def test_a_guardian_who_chose_sms_gets_the_invitation_as_a_text_message(settings):
    from reminders.channels import OutboxSmsBackend

    settings.SMS_BACKEND = "reminders.channels.OutboxSmsBackend"
    OutboxSmsBackend.outbox.clear()
    school = f.SchoolFactory()
    family = family_at(school)
    family.guardians.update(phone="+31612345678", preferred_channels=["sms", "email"])
    other = family_at(school, "Gezin WhatsApp")
    other.guardians.update(preferred_channels=["whatsapp"])  # nothing sends by WhatsApp
    with time_machine.travel(TUESDAY, tick=False):
        _evening(school, 7)
        dispatch.scan()
        dispatch.send_batch()
    assert [m["to"] for m in OutboxSmsBackend.outbox] == ["+31612345678"]
    assert [m.to for m in mail.outbox] == [[other.guardians.get().email]]
    fallback = _reminders().get(channel="email")
    assert (
        fallback.note
        == "Ouder koos WhatsApp (Schouder kan zo niet versturen); verstuurd per e-mail."
    )
