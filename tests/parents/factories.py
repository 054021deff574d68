import datetime

import factory

from parents.models import Agreement, CommunicationPlan, ContactLog
from schools.models import ReportDate, SchoolYear
from tests import factories as f


class CommunicationPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunicationPlan

    family = factory.SubFactory(f.FamilyFactory)
    school_year = factory.LazyFunction(SchoolYear.current)
    agreed_on = factory.LazyAttribute(lambda o: o.school_year.start)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    plan = factory.SubFactory(CommunicationPlanFactory)
    what = factory.Sequence(lambda n: f"Bellen {n}")
    pupil = factory.SubFactory(f.PupilFactory)
    channel = "phone"
    responsible = factory.SubFactory(f.UserFactory)
    schedule = "once"
    on_date = datetime.date(2026, 10, 1)


class ContactLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactLog

    family = factory.SubFactory(f.FamilyFactory)
    by = factory.SubFactory(f.UserFactory)
    happened_on = datetime.date(2026, 9, 1)
    channel = "phone"
    tone = "neutral"
    summary = "Even gebeld"


class ReportDateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportDate

    school = factory.SubFactory(f.SchoolFactory)
    school_year = factory.LazyFunction(SchoolYear.current)
    date = datetime.date(2027, 2, 12)
    name = "rapport"
