"""The support plan and meetings in the browser: a mother reads her daughter's plan in Arabic on a
phone, with the glossary, and disagrees; the IB'er finds the conversation to plan on "Wat nu?".
The IB'er adds a youth nurse to a planned zorgoverleg; the parents get a message naming her, and
the mother says in the portal whom she brings."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from care import services
from care.models import CareMeeting
from parents.models import Guardian
from tests.browser.outbox import send_everything
from tests.browser.test_parent_portal import axe, guardian_login  # noqa: F401

pytestmark = pytest.mark.browser


def _yasmina():
    samira = Guardian.objects.get(email="ouder@demo.test")
    return samira.pupil_links.select_related("pupil").get(pupil__first_name="Yasmina").pupil


def _ib():
    return get_user_model().objects.get(email="ib@demo.test")


def test_mother_reads_the_plan_in_arabic_disagrees_and_the_ib_sees_the_conversation(  # noqa: F811
    demo,
    guardian_login,  # noqa: F811
    login,
    page,
    axe,  # noqa: F811
    live_server,
):
    services.record_support_plan(
        pupil=_yasmina(),
        by=_ib(),
        goals="Yasmina leest in juni op niveau E4.",
        support="Elke ochtend 20 minuten lezen met de onderwijsassistent.",
        evaluation_on=timezone.localdate() + datetime.timedelta(days=90),
    )
    page.set_viewport_size({"width": 320, "height": 640})
    guardian_login()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_role("link", name="اقرؤوا الخطة الخاصة بـYasmina وأعطوا ردكم").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("الخطة الخاصة بـYasmina")
    glossary = page.locator("#glossary")
    expect(glossary.get_by_role("heading")).to_have_text("ماذا تعني الكلمات؟")
    expect(glossary).to_contain_text("handelingsdeel")
    expect(glossary).to_contain_text("جزء الـopp الذي فيه الأهداف والمساعدة")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the plan scrolls sideways: {width}px"
    axe(page)

    page.get_by_label("غير موافق").check()
    page.locator("#id_remarks").fill("نريد أن نتحدث أولًا.")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#own-answer")).to_contain_text("غير موافق")
    axe(page)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    login("ib@demo.test")
    item = page.get_by_role("link", name="Plan een gesprek over het opp van Yasmina")
    expect(item).to_be_visible()
    item.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Yasmina")
    expect(page.get_by_text("Nog te plannen")).to_be_visible()
    meeting = CareMeeting.objects.get(pupil=_yasmina())
    assert meeting.support_plan is not None and meeting.starts_at is None


def test_adding_a_youth_nurse_to_a_zorgoverleg_tells_the_parents_by_name(  # noqa: F811
    demo,
    login,
    guardian_login,  # noqa: F811
    page,
    axe,  # noqa: F811
    live_server,
):
    meeting = services.plan_meeting(
        pupil=_yasmina(),
        kind="zorgoverleg",
        purpose="Wat helpt Yasmina bij het lezen?",
        by=_ib(),
        starts_at=timezone.now() + datetime.timedelta(days=7),
    )
    send_everything()
    login("ib@demo.test")
    page.goto(f"{live_server.url}{reverse('care:meeting-detail', args=[meeting.pk])}")
    page.get_by_label("Naam").fill("Sanne de Vries")
    page.get_by_label("Rol").fill("jeugdverpleegkundige GGD")
    page.get_by_label("Van buiten de school").check()
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.locator("#attendees")).to_contain_text("Sanne de Vries, jeugdverpleegkundige GGD")

    mail.outbox.clear()
    send_everything()
    [message] = [m for m in mail.outbox if "Sanne de Vries" in m.body]
    assert message.to == ["ouder@demo.test"]
    assert "- Sanne de Vries, jeugdverpleegkundige GGD" in message.body

    # The mother opens the meeting on her phone, in Arabic, and says she brings her sister.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 320, "height": 640})
    guardian_login()
    page.goto(f"{live_server.url}{reverse('care:meeting-portal-detail', args=[meeting.pk])}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#attendees")).to_contain_text("Sanne de Vries")
    axe(page)
    page.locator("#id_name").fill("Fatima")
    page.locator("#id_role").fill("أختي")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#attendees")).to_contain_text("Fatima")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the meeting scrolls sideways: {width}px"
