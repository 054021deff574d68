"""Issue 19: a mother answers the photo question and corrects her phone number on a 320 px phone,
in Arabic; both pages pass axe-core in Dutch and Arabic."""

import pytest
from playwright.sync_api import expect

from parents.models import Guardian, PhotoConsent
from partnership.demo import GUARDIAN_EMAIL
from tests.browser.test_parent_portal import axe as axe  # the fixtures of the portal's tests
from tests.browser.test_parent_portal import guardian_login as guardian_login
from tests.browser.test_parent_portal import switch_language

pytestmark = pytest.mark.browser


def fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} scrolls sideways: {width}px"


def test_parent_answers_photo_consent_and_changes_phone_on_a_phone_in_arabic(
    demo,
    guardian_login,  # noqa: F811
    axe,  # noqa: F811
    page,
    live_server,
):
    page.set_viewport_size({"width": 320, "height": 640})
    guardian_login()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.goto(f"{live_server.url}/ouders/foto-toestemming/")
    expect(page.get_by_role("heading", level=1)).to_have_text("صور طفلك ومقاطع الفيديو")
    fits_the_phone(page)
    axe(page)

    samira = Guardian.objects.get(email=GUARDIAN_EMAIL)
    yasmina = samira.pupil_links.get(pupil__first_name="Yasmina").pupil
    card = page.locator(f"section[data-child='{yasmina.pk}']")
    for purpose in (
        "موقع المدرسة على الإنترنت",
        "النشرة الإخبارية",
        "بوابة أولياء الأمور وأخبار الصف",
        "دليل المدرسة المطبوع",
    ):
        card.get_by_role("group", name=purpose).get_by_label("نعم").check()
    card.get_by_role("group", name="وسائل التواصل الاجتماعي للمدرسة").get_by_label("لا").check()
    card.get_by_role("button", name="احفظ لـ Yasmina").click()
    expect(page.get_by_text("شكراً لك. تم حفظ إجابتك بخصوص Yasmina.")).to_be_visible()
    answers = dict(
        PhotoConsent.objects.filter(guardian=samira, pupil=yasmina).values_list("purpose", "given")
    )
    assert answers == {
        "website": True,
        "social_media": False,
        "newsletter": True,
        "portal": True,
        "school_guide": True,
    }
    # Her answer shows when she comes back, and she can change it.
    expect(
        card.get_by_role("group", name="وسائل التواصل الاجتماعي للمدرسة").get_by_label("لا")
    ).to_be_checked()
    fits_the_phone(page)
    axe(page)

    page.goto(f"{live_server.url}/ouders/contactgegevens/")
    expect(page.get_by_role("heading", level=1)).to_have_text("بيانات الاتصال الخاصة بي")
    fits_the_phone(page)
    axe(page)
    page.get_by_label("رقم الهاتف").fill("12")
    page.get_by_role("button", name="حفظ").click()
    expect(page.get_by_text("'12' ليس رقم هاتف. اكتبه هكذا: 06 12345678.")).to_be_visible()
    page.get_by_label("رقم الهاتف").fill("06 98 76 54 32")
    page.get_by_role("button", name="حفظ").click()
    expect(page.get_by_text("شكراً لك. يمكن للمدرسة الآن رؤية بياناتك الجديدة.")).to_be_visible()
    samira.refresh_from_db()
    assert samira.phone == "+31698765432"
    fits_the_phone(page)
    axe(page)

    # The same pages in Dutch.
    switch_language(page, "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn contactgegevens")
    axe(page)
    page.goto(f"{live_server.url}/ouders/foto-toestemming/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Foto's en video's van uw kind")
    fits_the_phone(page)
    axe(page)
