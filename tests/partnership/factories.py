"""Factories of the partnership app."""

import datetime

import factory
from django.utils import timezone

from partnership.models import Activity, Invitation, TopicSuggestion
from schools.models import SchoolYear
from tests.factories import SchoolFactory


def local(day, hour, minute=0):
    """An aware datetime at the school's wall-clock time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    school = factory.SubFactory(SchoolFactory)
    kind = "coffee_morning"
    partnership = "informal"
    title = factory.Sequence(lambda n: f"Koffieochtend {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=1))
    school_year = factory.LazyAttribute(
        lambda o: SchoolYear.for_date(timezone.localtime(o.starts_at).date())
    )


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    activity = factory.SubFactory(ActivityFactory)
    family = factory.SubFactory("tests.factories.FamilyFactory")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopicSuggestion

    school = factory.SubFactory(SchoolFactory)
    text = factory.Sequence(lambda n: f"Onderwerp {n}")
