"""'Deze week' lists the moments with buttons; a button unfolds a short form in its own row."""

import datetime

from django.urls import reverse

from parents.models import MomentStatus
from tests.parents.factories import AgreementFactory, CommunicationPlanFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def _moments(home, count):
    plan = CommunicationPlanFactory(family=home.family, school_year=home.year)
    return [
        AgreementFactory(
            plan=plan, pupil=home.pupil, responsible=home.teacher, what=f"Bellen {n}"
        ).moments.create(due_on=datetime.date(2026, 9, 15 + n))
        for n in range(count)
    ]


def test_the_week_shows_buttons_not_a_form_per_row(home, today, client):
    _moments(home, 3)
    client.force_login(home.teacher)
    page = client.get(reverse("parents:this-week")).content.decode()
    assert page.count("data-moment") == 3
    assert page.count("Gehouden…") == 3 and page.count("Verzetten…") == 3
    assert 'name="tone"' not in page and 'name="to"' not in page
    assert "vandaag" in page and "woensdag 16 september" in page


def test_a_button_unfolds_the_hold_form_in_its_row_and_saving_folds_it(home, today, client):
    first, second = _moments(home, 2)
    client.force_login(home.teacher)
    url = reverse("parents:this-week")
    row = client.get(f"{url}?moment={first.pk}&open=hold", **HTMX).content.decode()
    assert "<html" not in row and f'id="moment-{first.pk}"' in row
    assert 'name="tone"' in row and "Opslaan als gehouden" in row
    # Without script the same address shows the list, with only that row unfolded.
    page = client.get(f"{url}?moment={first.pk}&open=hold").content.decode()
    assert page.count('name="tone"') == 3 and page.count("Gehouden…") == 1
    saved = client.post(
        reverse("parents:moment-hold", args=[first.pk]), {"tone": "positive"}, **HTMX
    ).content.decode()
    assert 'name="tone"' not in saved and "gehouden" in saved
    first.refresh_from_db()
    assert first.status == MomentStatus.HELD


def test_the_move_form_unfolds_and_a_wrong_day_keeps_it_open(home, today, client):
    (moment,) = _moments(home, 1)
    client.force_login(home.teacher)
    row = client.get(
        f"{reverse('parents:this-week')}?moment={moment.pk}&open=move", **HTMX
    ).content.decode()
    assert 'name="to"' in row
    answer = client.post(
        reverse("parents:moment-move", args=[moment.pk]), {"to": "2027-09-01"}, **HTMX
    ).content.decode()
    assert "Kies een dag tussen" in answer and 'name="to"' in answer


def test_another_teachers_moment_does_not_unfold(home, today, client):
    from tests import factories as f

    (moment,) = _moments(home, 1)
    client.force_login(f.StaffMembershipFactory(role="teacher").user)
    url = f"{reverse('parents:this-week')}?moment={moment.pk}&open=hold"
    assert client.get(url, **HTMX).status_code == 404
