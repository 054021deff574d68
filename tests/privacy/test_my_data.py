"""'Mijn gegevens' as a parent reads it, the staff's family export with Dutch labels, and what
is never shown or kept: the court-order reason to the parent it concerns, signed-in pages in a
cache, the admin to anyone but a superuser, proxy headers without a proxy."""

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from partnership.privacy import display as privacy_display

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
MY_DATA = reverse("privacy:my-data")
COURT = "Besluit van de rechter"


def labels_and_values(page):
    text = page.content.decode()
    labels = [html.unescape(x) for x in re.findall(r"<dt[^>]*>(.*?)</dt>", text)]
    values = [html.unescape(x) for x in re.findall(r"<dd[^>]*>(.*?)</dd>", text, re.S)]
    return labels, values


def test_my_data_is_grouped_per_child_under_labels_a_parent_understands(world, client_for):
    client = client_for("guardian")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    page = client.get(MY_DATA)
    text = page.content.decode()

    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", text)
    assert headings == ["U en uw gezin", world.s1.pupil.full_name]
    labels, values = labels_and_values(page)
    known = {str(label) for label in privacy_display.LABELS.values()}
    assert set(labels) <= known | {str(x) for x in privacy_display.MODEL_LABELS.values()}
    assert {"Voornaam", "E-mailadres", "Geboortedatum", "Relatie"} <= set(labels)
    assert not {"True", "False", "None", "[]"} & set(values)
    assert world.s1.guardian.email in values
    # Ids are no values a parent can use.
    assert str(world.s1.pupil.pk) not in values and str(world.s1.family.pk) not in values


def test_my_data_is_in_the_guardians_language(world, client_for):
    client = client_for("guardian")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = client.get(MY_DATA)
    labels, values = labels_and_values(page)
    assert "الاسم الأول" in labels and "Voornaam" not in labels
    assert '<html lang="ar" dir="rtl">' in page.content.decode()
    assert "نعم" in values or "لا" in values  # yes and no, in words


def test_the_json_download_stays_machine_readable(world, client_for):
    download = client_for("guardian").get(MY_DATA + "?format=json")
    data = json.loads(download.content)["data"]
    (guardian,) = data["parents.guardian"]
    assert guardian["first_name"] == world.s1.guardian.first_name
    assert guardian["id"] == world.s1.guardian.pk
    links = data["parents.pupilguardian"]
    assert links and all(link["has_parental_authority"] in (True, False) for link in links)


def test_the_court_order_reason_is_never_shown_to_the_parent_it_concerns(world, client_for):
    blocked = client_for("blocked_guardian")
    for url in (MY_DATA, MY_DATA + "?format=json"):
        page = blocked.get(url)
        assert page.status_code == 200
        assert COURT not in page.content.decode()
    json_text = blocked.get(MY_DATA + "?format=json").content.decode()
    assert "access_blocked_reason" not in json_text
    # The school keeps it, and sees it in the family's export.
    staff_json = client_for("director").get(
        reverse("privacy:family-export", kwargs={"pk": world.s1.family.pk}) + "?format=json"
    )
    assert COURT in staff_json.content.decode()


def test_the_staff_family_export_has_dutch_labels(world, client_for):
    client = client_for("director")
    page = client.get(reverse("privacy:family-export", kwargs={"pk": world.s1.family.pk}))
    labels, values = labels_and_values(page)
    assert {"Voornaam", "Achternaam", "E-mailadres", "Gezag", "Recht op informatie"} <= set(labels)
    assert not {"True", "False", "None"} & set(values)
    text = page.content.decode()
    assert "Ouders/verzorgers" in text and world.s1.pupil.full_name in text


def test_signed_in_pages_and_downloads_are_not_stored_but_static_files_are(world, client_for):
    client = client_for("director")
    pupil_page = client.get(reverse("schools:pupil-detail", kwargs={"pk": world.s1.pupil.pk}))
    export = client.get(
        reverse("privacy:family-export", kwargs={"pk": world.s1.family.pk}) + "?format=json"
    )
    for response in (pupil_page, export):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
    portal = client_for("guardian").get(reverse("parents:portal-home"))
    assert "no-store" in portal["Cache-Control"]
    static = client.get("/static/css/schouder.css")
    assert static.status_code == 200 and "no-store" not in static.get("Cache-Control", "")


def test_the_admin_is_for_superusers_only(world, client_for, django_user_model):
    director = world.users["director"]
    director.is_staff = True  # even with Django's staff flag
    director.save()
    response = client_for("director").get("/beheer/")
    assert response.status_code == 302 and "login" in response.url
    admin = django_user_model.objects.create_superuser("beheer", "beheer@example.test", "x" * 20)
    client = client_for("anonymous")
    client.force_login(admin)
    assert client.get("/beheer/").status_code == 200


PROBE = """
import django
django.setup()
from allauth.account.adapter import get_adapter
from django.test import RequestFactory
request = RequestFactory().get(
    "/", HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_FOR="203.0.113.9",
    REMOTE_ADDR="198.51.100.7",
)
print(request.is_secure(), get_adapter().get_client_ip(request))
"""


@pytest.mark.parametrize(
    ("proxies", "answer"), [("0", "False 198.51.100.7"), ("1", "True 203.0.113.9")]
)
def test_forwarded_headers_are_believed_only_behind_a_trusted_proxy(tmp_path, proxies, answer):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "proxy-probe-" + "k" * 50,
        "DJANGO_SETTINGS_MODULE": "partnership.settings",
        "TRUSTED_PROXY_COUNT": proxies,
        "VAR_DIR": str(tmp_path),
        "STATIC_MANIFEST": "0",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip() == answer, result.stderr
