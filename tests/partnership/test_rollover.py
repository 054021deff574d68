"""The year rollover: the next school year and each school's round are made ready, and the year
that runs stays exactly as it was."""

import datetime
import io

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from conversations.models import Round
from partnership.backup import table_counts
from partnership.demo import DEMO_STEPS
from schools.models import School, SchoolYear

pytestmark = pytest.mark.django_db

# A Tuesday in the demo's school year 2026-2027.
NOW = datetime.datetime(2026, 11, 24, 9, 0, tzinfo=datetime.UTC)


def rollover(*args):
    out = io.StringIO()
    call_command("rollover_school_year", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo():
    with time_machine.travel(NOW, tick=False):
        for step in DEMO_STEPS:
            step()
        yield


def test_dry_run_lists_what_it_would_do_and_writes_nothing(demo):
    before = table_counts()

    out = rollover("--dry-run")

    assert table_counts() == before
    assert "Schooljaar 2027-2028 (01-08-2027 t/m 31-07-2028): zou nieuw." in out
    # Den Haag is in region midden: its summer holiday of 2027 ends on Sunday 29 August.
    assert (
        "Basisschool De Regenboog: eerste schooldag 30-08-2027 (regio midden); "
        "ronde startgesprekken 30-08-2027 t/m 19-09-2027 (nog niet open)"
    ) in out
    assert out.count("eerste schooldag") == School.objects.count() == 3
    assert out.count("geen directeur of IB'er: de school maakt de ronde zelf") == 2
    assert "komen uit de volgende import" in out
    assert "Proefdraai: er is niets geschreven." in out


def test_rollover_makes_next_year_ready_and_leaves_this_year_as_it_was(demo, client):
    before = table_counts()
    this_year = SchoolYear.objects.get(label="2026-2027")
    rounds_now = list(Round.objects.order_by("pk").values())

    with time_machine.travel(NOW, tick=False):
        rollover()

    new_year = SchoolYear.objects.get(label="2027-2028")
    assert (new_year.start, new_year.end) == (datetime.date(2027, 8, 1), datetime.date(2028, 7, 31))
    new_rounds = Round.objects.filter(school_year=new_year)
    # Only De Regenboog has a director or IB'er in the demo: the board plans no rounds, and the
    # other schools make theirs when their planners are in Schouder.
    assert [r.school.name for r in new_rounds] == ["Basisschool De Regenboog"]
    assert {r.window_start for r in new_rounds} == {datetime.date(2027, 8, 30)}
    assert not any(r.opened_at for r in new_rounds)  # nobody is invited before the school does
    after = table_counts()
    assert after.pop("schools_schoolyear") == before.pop("schools_schoolyear") + 1
    assert after.pop("conversations_round") == before.pop("conversations_round") + 1
    assert after == before  # groups, pupils, plans, conversations, reminders: as they were
    assert list(Round.objects.exclude(school_year=new_year).order_by("pk").values()) == rounds_now

    # The year that ends stays readable: its dashboard still shows its conversations.
    school = School.objects.get(name="Basisschool De Regenboog")
    client.force_login(get_user_model().objects.get(email="directeur@demo.test"))
    with time_machine.travel(NOW, tick=False):
        page = client.get(
            reverse("dashboard:school-dashboard", args=[school.pk]), {"jaar": this_year.pk}
        )
    assert page.status_code == 200
    assert "2026-2027" in page.content.decode()

    # Twice is once.
    with time_machine.travel(NOW, tick=False):
        out = rollover()
    assert "bestaat al" in out
    assert Round.objects.filter(school_year=new_year).count() == 1


def test_a_wrong_year_is_refused_with_a_clear_message(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Schrijf het zo: 2027-2028"):
        rollover("--year", "2027-2029", "--dry-run")
