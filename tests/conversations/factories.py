"""Factories of the start conversations. Rounds default to the school year 2026-2027 (window
from 31 August 2026, the first school day in region midden)."""

import datetime

import factory
from django.utils import timezone

from conversations.models import Round, Slot, StartConversation
from tests import factories as f

WINDOW_START = datetime.date(2026, 8, 31)


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    school = factory.SubFactory(f.SchoolFactory)
    school_year = factory.SubFactory(f.SchoolYearFactory)
    window_start = WINDOW_START
    window_end = WINDOW_START + datetime.timedelta(days=20)
    modes = ["school", "home_visit", "phone", "video"]
    created_by = factory.SubFactory(f.UserFactory)
    opened_at = factory.LazyFunction(timezone.now)
    booking_opens_on = WINDOW_START - datetime.timedelta(days=14)


def at(day, hour, minute=0):
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    round = factory.SubFactory(RoundFactory)
    staff = factory.SubFactory(f.UserFactory)
    starts_at = factory.Sequence(lambda n: at(WINDOW_START, 8) + datetime.timedelta(minutes=20 * n))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=20))


class StartConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StartConversation

    round = factory.SubFactory(RoundFactory)
    pupil = factory.SubFactory(f.PupilFactory, school=factory.SelfAttribute("..round.school"))
    school_year = factory.SelfAttribute("round.school_year")
    group = factory.SubFactory(
        f.GroupFactory,
        school=factory.SelfAttribute("..round.school"),
        school_year=factory.SelfAttribute("..round.school_year"),
    )
