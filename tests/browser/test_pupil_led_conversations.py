"""Issue 21, item 3: Ilyas's teacher puts a piece of work with a photo in his portfolio, and his
mother sees it in the portal on her phone, in Arabic and right to left, before the conversation."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from conversations.models import StartConversation
from partnership.demo import GUARDIAN_EMAIL
from tests.browser.test_parent_portal import axe as axe  # the fixtures of the portal's tests
from tests.browser.test_parent_portal import guardian_login as guardian_login

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _photos_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def drawing() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), "skyblue").save(out, format="PNG")
    return out.getvalue()


def test_teacher_adds_a_portfolio_item_and_the_mother_sees_it_on_her_phone(
    demo,
    login,
    guardian_login,  # noqa: F811
    axe,  # noqa: F811
    page,
    live_server,
):
    conversation = StartConversation.objects.get(
        round__kind="pupil_led",
        pupil__first_name="Ilyas",
        pupil__guardian_links__guardian__email=GUARDIAN_EMAIL,
    )
    login("groep6@demo.test")  # Rachid Amrani teaches Ilyas's group
    page.goto(f"{live_server.url}/kindgesprekken/{conversation.pk}/portfolio/")
    page.get_by_label("Wat laat het kind zien?").fill("Mijn tekening van de Hofvijver")
    page.get_by_label("Foto (mag leeg blijven)").set_input_files(
        {"name": "hofvijver.png", "mimeType": "image/png", "buffer": drawing()}
    )
    page.get_by_role("button", name="Stuk toevoegen").click()
    expect(page.get_by_text("Het stuk staat in het portfolio.")).to_be_visible()
    page.get_by_label("Wat wil ik hierna leren?").fill("Ik wil leren schaken.")
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_text("Opgeslagen.")).to_be_visible()
    axe(page)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 320, "height": 640})
    guardian_login()
    page.goto(f"{live_server.url}/ouders/kindgesprekken/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("لقاء يقوده الطفل")
    ilyas = page.locator(f"section[data-child='{conversation.pupil_id}']")
    expect(ilyas.get_by_text("Mijn tekening van de Hofvijver")).to_be_visible()
    expect(ilyas.get_by_text("Ik wil leren schaken.")).to_be_visible()
    photo = ilyas.get_by_role("img", name="Mijn tekening van de Hofvijver")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe(page)
