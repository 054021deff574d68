"""Factories for the tests: each builds a valid object with as little as possible said."""

import datetime

import factory
from django.contrib.auth import get_user_model

from parents.models import Family, Guardian, PupilGuardian
from schools.models import Board, Enrolment, Group, Pupil, School, SchoolYear, StaffMembership


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}@example.test")
    email = factory.SelfAttribute("username")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.django.Password("schouder-test")


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    name = factory.Sequence(lambda n: f"Bestuur {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"Basisschool {n}")
    brin = factory.Sequence(lambda n: f"{n % 100:02d}{chr(65 + (n // 100) % 26)}{chr(65 + n % 26)}")
    location_code = "00"
    sector = "PO"
    city = "Den Haag"


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear
        django_get_or_create = ("label",)

    label = "2026-2027"
    start = datetime.date(2026, 8, 1)
    end = datetime.date(2027, 7, 31)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    school = factory.SubFactory(SchoolFactory)
    school_year = factory.LazyFunction(SchoolYear.current)
    name = factory.Sequence(lambda n: f"{n % 8 + 1}{chr(97 + n % 26)}{n}")
    lowest_grade = 5
    highest_grade = 5


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    board = factory.SelfAttribute("school.board")
    role = "teacher"


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    school = factory.SubFactory(SchoolFactory)
    pupil_number = factory.Sequence(lambda n: str(200000 + n))
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    date_of_birth = datetime.date(2017, 5, 1)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    pupil = factory.SubFactory(PupilFactory)
    group = factory.SubFactory(GroupFactory, school=factory.SelfAttribute("..pupil.school"))
    school_year = factory.SelfAttribute("group.school_year")


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"Gezin {n}")


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    family = factory.SubFactory(FamilyFactory)
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"ouder{n}@example.test")
    phone = "0612345678"


class PupilGuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PupilGuardian

    pupil = factory.SubFactory(PupilFactory)
    guardian = factory.SubFactory(GuardianFactory)
    relation = "mother"
