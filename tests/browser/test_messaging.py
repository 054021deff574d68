"""Two-way with every family, in the browser: a parent writes and is acknowledged at once, the
teacher answers, the parent reads it; a message to group 5 with its read figures and the families
to call; good news that clears "no positive contact". The new parent pages pass axe-core at
320 px in Dutch and Arabic."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from messaging import services
from messaging.models import Announcement, Thread
from parents.models import Guardian
from parents.queries import families_without_positive_contact
from schools.models import Group, SchoolYear
from tests.browser.outbox import send_everything
from tests.browser.test_parent_portal import GUARDIAN, axe, guardian_login, switch_language

pytestmark = pytest.mark.browser
__all__ = ["axe", "guardian_login"]

QUESTION = "Kunt u mij bellen over de zwemles van Yasmina?"
LINK = re.compile(r"https?://\S+/bericht/\S+/")


def log_out(page):
    """A new person at the same phone: the session ends (the button sits behind the menu at
    320 px)."""
    page.context.clear_cookies()


def test_a_parent_is_acknowledged_at_once_and_reads_the_teachers_answer(
    demo, guardian_login, login, page, live_server, axe
):
    page.set_viewport_size({"width": 320, "height": 640})
    samira = Guardian.objects.get(email=GUARDIAN)
    school = samira.pupil_links.first().pupil.school
    services.send_announcement(
        school=school,
        by=school.memberships.get(role="director").user,
        audience="family",
        family=samira.family,
        subject="Zwemles gaat door",
        body="De zwemles gaat ook in december gewoon door.",
    )

    guardian_login()
    switch_language(page, "nl")
    page.get_by_role("link", name="Yasmina", exact=True).click()
    page.get_by_role("link", name="Iets laten weten aan school").click()
    page.get_by_label("bel mij terug").check()
    page.get_by_label("Uw bericht").fill(QUESTION)
    page.get_by_role("button", name="Versturen").click()

    # At once, on the conversation page: who answers, and by when.
    thread = Thread.objects.select_related("responsible").get(opening__text=QUESTION)
    teacher = thread.responsible
    acknowledgement = page.locator("[data-acknowledgement]")
    expect(acknowledgement).to_contain_text(f"{teacher.get_full_name()} antwoordt u uiterlijk")
    axe(page)
    switch_language(page, "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("رسالتك إلى المدرسة")
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    # The teacher answers from the conversation page.
    log_out(page)
    login(teacher.email)
    page.goto(f"{live_server.url}/berichten/gesprekken/{thread.pk}/")
    expect(page.get_by_text("tolk nodig")).to_be_visible()
    page.get_by_label("Uw antwoord").fill("Ik bel u morgen om 17 uur, met een tolk.")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_text("Uw antwoord is verstuurd.")).to_be_visible()

    # The parent sees a new answer in her messages, in Arabic, and reads it.
    log_out(page)
    guardian_login()
    # Her start page says something new waits: the answer and the message from school.
    page.get_by_role("link", name="رسائل جديدة من المدرسة: 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("الرسائل")
    expect(page.get_by_text("رد جديد")).to_be_visible()
    axe(page)
    page.locator(f"a[href$='/ouders/berichten/gesprekken/{thread.pk}/']").click()
    expect(page.get_by_text("Ik bel u morgen om 17 uur, met een tolk.")).to_be_visible()
    axe(page)
    page.goto(f"{live_server.url}/ouders/berichten/")
    page.get_by_role("link", name="Zwemles gaat door").click()
    expect(page.get_by_text("De zwemles gaat ook in december gewoon door.")).to_be_visible()
    axe(page)
    switch_language(page, "nl")
    for path in ("/ouders/berichten/", f"/ouders/berichten/gesprekken/{thread.pk}/"):
        page.goto(f"{live_server.url}{path}")
        axe(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_a_message_to_group_5_shows_who_read_it_and_good_news_clears_the_signal(
    demo, login, page, live_server
):
    group = Group.objects.get(
        name="5", school_year=SchoolYear.current(), teachers__email="leerkracht@demo.test"
    )
    school = group.school
    login("leerkracht@demo.test")
    page.goto(f"{live_server.url}/scholen/{school.pk}/berichten/nieuw/")
    page.get_by_label("een of meer groepen").check()
    page.get_by_label("5", exact=True).check()
    page.get_by_label("Onderwerp").fill("Studiedag vrijdag")
    page.locator("#id_body").fill("Vrijdag zijn alle kinderen vrij.")
    page.get_by_role("button", name="Bekijk wie het krijgt").click()
    # Before sending: who reads Dutch, who gets Dutch in another language, who needs a call.
    expect(page.locator("#preview")).to_contain_text("Tolk of telefoontje nodig")
    expect(page.locator("[data-preview=other] li").first).to_be_visible()
    page.get_by_role("button", name="Versturen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Studiedag vrijdag")
    announcement = Announcement.objects.get(subject="Studiedag vrijdag")

    # The outbox sends it; one parent follows the link in the e-mail.
    mail.outbox.clear()
    send_everything()
    ours = [m for m in mail.outbox if "Vrijdag zijn alle kinderen vrij." in m.body]
    assert ours
    page.goto(LINK.search(ours[0].body).group(0).replace("http://127.0.0.1:8000", live_server.url))
    expect(page.get_by_text("Vrijdag zijn alle kinderen vrij.")).to_be_visible()
    reader = announcement.recipients.get(opened_at__isnull=False).family

    with time_machine.travel(timezone.now() + datetime.timedelta(days=4), tick=True):
        login("leerkracht@demo.test")
        page.goto(f"{live_server.url}/berichten/{announcement.pk}/?dagen=3")
        per_family = page.locator("#per-family")
        expect(per_family.locator(f"tr[data-family='{reader.pk}']")).to_contain_text("ja")
        not_reached = page.locator("#not-reached")
        expect(not_reached.locator(f"tr[data-family='{reader.pk}']")).to_have_count(0)
        unread = announcement.recipients.filter(opened_at__isnull=True).select_related(
            "guardian", "family"
        )
        sample = next(r for r in unread if r.guardian.phone and r.family_id != reader.pk)
        row = not_reached.locator(f"tr[data-family='{sample.family_id}']")
        expect(row).to_contain_text(sample.guardian.get_language_display())
        expect(row).to_contain_text(sample.guardian.phone)

    # Good news for a family of group 5 that heard nothing positive this term (the teacher is
    # still logged in).
    quiet = (
        families_without_positive_contact(school, timezone.localdate())
        .filter(guardians__pupil_links__pupil__enrolments__group=group)
        .order_by("name", "pk")
        .first()
    )
    page.goto(f"{live_server.url}/gezinnen/{quiet.pk}/")
    expect(page.locator("[data-signal=no_positive]")).to_be_visible()
    page.get_by_role("link", name="Berichten met dit gezin").click()
    page.get_by_role("link", name="Goed nieuws sturen").click()
    page.get_by_label("Onderwerp").fill("Knap gelezen!")
    page.locator("#id_body").fill("Uw kind las vandaag voor aan de hele klas.")
    page.get_by_role("button", name="Bekijk wie het krijgt").click()
    page.get_by_role("button", name="Versturen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Knap gelezen!")
    page.goto(f"{live_server.url}/gezinnen/{quiet.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(quiet.name)
    expect(page.locator("[data-signal=no_positive]")).to_have_count(0)
