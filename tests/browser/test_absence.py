"""A morning at the demo school, time frozen: at 07:50 the demo mother reports Yasmina sick on her
phone, in Arabic; at 08:30 Yasmina's teacher sees it on 'Deze week' and the group's page; Ilyas's
teacher marks him absent without a report, the protocol starts, and his mother gets the first
step's message in Arabic. The new parent pages pass axe-core at 320 px in Dutch and Arabic."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from absence import services
from absence.models import AbsenceReport
from parents.models import Guardian
from reminders.dispatch import scan
from reminders.models import Reminder
from schools.calendar import SchoolCalendar
from schools.models import Pupil, School, SchoolYear
from tests.browser.test_parent_portal import (  # noqa: F401
    GUARDIAN,
    axe,
    guardian_login,
    switch_language,
)

pytestmark = pytest.mark.browser


def next_school_day():
    """The first school day after today in region midden (the demo schools' region)."""
    day = timezone.localdate() + datetime.timedelta(days=1)
    first = day.year if day.month >= 8 else day.year - 1
    year = SchoolYear(start=datetime.date(first, 8, 1), end=datetime.date(first + 1, 7, 31))
    calendar = SchoolCalendar.build(School(holiday_region="midden"), year, closures=[])
    return calendar.next_school_day(day) or day


def moment(day, hour, minute):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def mother_child(first_name):
    return Pupil.objects.get(first_name=first_name, guardian_links__guardian__email=GUARDIAN)


def staff_login(page, live_server, email):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill("schouder-demo")
    page.get_by_role("button", name="Inloggen").click()


@pytest.fixture
def school_day():
    day = next_school_day()
    with time_machine.travel(moment(day, 7, 0), tick=True):
        yield day


def test_sick_at_750_seen_at_830_and_absent_without_report_starts_the_protocol(
    school_day,
    demo,
    guardian_login,  # noqa: F811
    page,
    live_server,
):
    # 07:50, on a 390 px phone, in Arabic: she reports Yasmina sick.
    page.set_viewport_size({"width": 390, "height": 844})
    with time_machine.travel(moment(school_day, 7, 50), tick=True):
        guardian_login()
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        page.goto(f"{live_server.url}{reverse('absence:portal-overview')}")
        page.get_by_role("link", name="طفلي مريض أو سيأتي متأخرًا").click()
        page.get_by_label("Yasmina").check()
        page.get_by_label("مريض", exact=True).check()
        page.get_by_label("ملاحظة للمعلم").fill("حمى منذ الليلة")
        page.get_by_role("button", name="إرسال البلاغ").click()
        expect(page.locator(".alert-success")).to_contain_text("Yasmina")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
    report = AbsenceReport.objects.get(pupil__first_name="Yasmina", guardian__email=GUARDIAN)
    assert timezone.localtime(report.reported_at).strftime("%H:%M") == "07:50"
    assert not report.reported_late

    # 08:30: her teacher sees it on 'Deze week' (on the classroom computer) and opens the
    # group's reports of today.
    page.set_viewport_size({"width": 1280, "height": 900})
    with time_machine.travel(moment(school_day, 8, 30), tick=True):
        staff_login(page, live_server, "groep3@demo.test")
        page.get_by_role("link", name="Deze week", exact=True).click()
        page.get_by_role("link", name="Groep 3: 1 kind vandaag ziek of later gemeld").click()
        row = page.locator(f"#pupil-{report.pupil_id}")
        expect(row).to_contain_text("Yasmina Bouzid")
        expect(row).to_contain_text("ziek")
        expect(row).to_contain_text("Gemeld om 07:50")
        expect(row).to_contain_text("حمى منذ الليلة")

        # Ilyas is not there and nobody reported him: his teacher starts the protocol.
        staff_login(page, live_server, "groep6@demo.test")
        page.get_by_role("link", name="Deze week", exact=True).click()
        page.get_by_role("link", name="Groep 6: 0 kinderen vandaag ziek of later gemeld").click()
        ilyas = mother_child("Ilyas")
        page.locator(f"#pupil-{ilyas.pk}").get_by_role(
            "button", name="Ilyas Bouzid is afwezig zonder melding"
        ).click()
        expect(page.locator(".alert-success")).to_contain_text("verzuimprotocol is gestart")

        # The first step is told to his mother at once, in Arabic, before the teacher calls.
        scan(now=timezone.now())
    mother = Guardian.objects.get(email=GUARDIAN)
    message = Reminder.objects.get(
        rule="absence.protocol_step", recipient_key=f"parents.guardian:{mother.pk}"
    )
    assert message.language == "ar"
    assert "سيتصل بك المعلم." in message.body  # what: the teacher calls you
    assert "Ilyas" in message.body

    # In the portal, the step is there in her language too.
    page.context.clear_cookies()
    guardian_login()
    page.goto(f"{live_server.url}{reverse('absence:portal-overview')}")
    expect(page.get_by_text("سيتصل بك المعلم.")).to_be_visible()


def test_new_parent_pages_pass_axe_at_320_pixels_in_dutch_and_arabic(
    demo,
    guardian_login,  # noqa: F811
    axe,  # noqa: F811
    page,
    live_server,
):
    mother = Guardian.objects.select_related("user").get(email=GUARDIAN)
    school = mother.pupil_links.first().pupil.school
    director = school.memberships.filter(role="director").first().user
    services.publish_info_card(school=school, year=SchoolYear.current(), by=director)
    page.set_viewport_size({"width": 320, "height": 640})
    guardian_login()
    pages = [
        reverse("absence:portal-overview"),
        reverse("absence:portal-report"),
        reverse("absence:portal-leave"),
        reverse("absence:portal-info-card", args=[school.pk]),
    ]
    for language in ("nl", "ar"):
        switch_language(page, language)
        for url in pages:
            page.goto(f"{live_server.url}{url}")
            expect(page.locator("html")).to_have_attribute("lang", language)
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
            axe(page)
    # A refusal with its legal reason is on the page and passes as well.
    page.goto(f"{live_server.url}{reverse('absence:portal-leave')}")
    page.get_by_label("Yasmina").check()
    page.locator("input[name=kind][value=holiday]").check()
    far = SchoolYear.current().end - datetime.timedelta(days=40)
    page.locator("input[name=first_day]").fill(far.isoformat())
    page.locator("input[name=last_day]").fill((far + datetime.timedelta(days=20)).isoformat())
    page.locator("textarea[name=reason]").fill("عمل")
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator(".alert-danger")).to_contain_text("13a")
    axe(page)
