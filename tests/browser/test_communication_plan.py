import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from parents import queries
from parents.models import Family

pytestmark = pytest.mark.browser

NO_POSITIVE = "Deze periode nog geen positief contact"


def _moment_of_a_family_without_good_news(teacher):
    """A moment on the teacher's list this week whose family heard nothing positive this term
    (the demo makes sure there is one)."""
    today = timezone.localdate()
    for moment in queries.this_week(teacher, today):
        family_pk = moment.agreement.plan.family_id
        start = queries.term_start(moment.agreement.pupil.school, today)
        family = queries.families_with_signals(
            Family.objects.filter(pk=family_pk), today=today, term_start=start
        ).get()
        if not family.positive_this_term:
            return moment
    raise AssertionError("the demo has no family without positive contact this term")


def test_teacher_logs_a_held_positive_moment_and_the_signal_disappears(demo, login):
    teacher = get_user_model().objects.get(email="leerkracht@demo.test")
    moment = _moment_of_a_family_without_good_news(teacher)
    family_name = moment.agreement.plan.family.name

    page = login("leerkracht@demo.test")
    page.get_by_role("link", name="Deze week", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze week")
    row = page.locator(f"#moment-{moment.pk}")
    row.get_by_role("link", name=family_name).click()
    expect(page.get_by_text(NO_POSITIVE)).to_be_visible()

    page.go_back()
    row = page.locator(f"#moment-{moment.pk}")
    row.get_by_role("link", name="Gehouden…").click()  # unfolds the short form in the row
    row.get_by_label("positief", exact=True).check()
    row.get_by_label("Kort verslag").fill("Trots verteld over de spreekbeurt")
    row.get_by_role("button", name="Gehouden").click()
    expect(page.locator(f"#moment-{moment.pk}")).to_contain_text("gehouden")
    expect(page.locator(f"#moment-{moment.pk}").get_by_role("button")).to_have_count(0)

    page.locator(f"#moment-{moment.pk}").get_by_role("link", name=family_name).click()
    expect(page.get_by_text("Trots verteld over de spreekbeurt")).to_be_visible()
    expect(page.get_by_text(NO_POSITIVE)).to_have_count(0)
