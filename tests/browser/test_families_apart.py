"""At the door the ouder-coördinator tells the demo's households named Bouzid apart by their
children, and ticks the one that came."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from parents.models import Family
from partnership.models import Activity, Attendance

pytestmark = pytest.mark.browser


def test_the_right_family_bouzid_is_ticked_at_the_door(demo, login, live_server):
    activity = Activity.objects.filter(kind="coffee_morning").order_by("starts_at").first()
    Attendance.objects.filter(invitation__activity=activity).delete()
    page = login("oudercoordinator@demo.test")
    page.goto(f"{live_server.url}/activiteiten/{activity.pk}/aanwezig/")
    buttons = page.locator("#door-list button", has_text="Gezin Bouzid —")
    texts = [" ".join(text.split()) for text in buttons.all_inner_texts()]
    assert len(texts) >= 2 and len(set(texts)) == len(texts), texts

    buttons.nth(1).click()
    expect(buttons.nth(1)).to_have_attribute("aria-pressed", "true")
    expect(buttons.nth(0)).to_have_attribute("aria-pressed", "false")
    came = Attendance.objects.get(invitation__activity=activity).invitation.family
    user = get_user_model().objects.get(email="oudercoordinator@demo.test")
    label = Family.objects.with_children(user).get(pk=came.pk).label
    assert label in " ".join(buttons.nth(1).inner_text().split())
