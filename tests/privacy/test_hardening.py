"""RELIABILITY B1, B4, B5, C2, C3: deploy checks, MFA per board, idle sessions, formula injection,
mail headers, security.txt."""

import csv
import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import BadHeaderError, EmailMessage
from django.test import override_settings
from django.urls import reverse

from schools.checks import content_security_policy
from schools.spreadsheets import csv_bytes, safe_cell

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_dangerous_first_character_is_escaped(start):
    assert safe_cell(f'{start}HYPERLINK("http://x")') == f'\'{start}HYPERLINK("http://x")'


def test_ordinary_values_are_kept():
    assert [safe_cell(v) for v in ("Müller", "van 't Hof", 12, None, "a=b")] == [
        "Müller",
        "van 't Hof",
        12,
        "",
        "a=b",
    ]


def test_csv_export_escapes_every_cell():
    names = ["=1+1", "+31612345678", "-2", "@SUM(A1)", "Çelik", "\0=cmd"]
    data = csv_bytes([[n] for n in names]).decode("utf-8-sig")
    cells = [row[0] for row in csv.reader(io.StringIO(data), delimiter=";")]
    assert cells == ["'=1+1", "'+31612345678", "'-2", "'@SUM(A1)", "Çelik", "'=cmd"]
    assert not [c for c in cells if c[:1] in "=+-@"]


def test_mail_headers_refuse_injected_lines():
    message = EmailMessage(
        subject="Uitnodiging\r\nBcc: iedereen@example.test", body="x", to=["a@example.test"]
    )
    with pytest.raises(BadHeaderError):
        message.send()
    assert mail.outbox == []


def test_custom_deploy_check_fails_without_csp_directives():
    assert content_security_policy(None) == []
    policy = {"DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", "'nonce'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        ids = {e.id for e in content_security_policy(None)}
    assert ids == {"schouder.E002"}


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-0123456789",
        "ALLOWED_HOSTS": "schouder.example.nl",
        "VAR_DIR": str(tmp_path),
        "STATIC_MANIFEST": "0",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # The browser tests' conftest allows sync database calls under Playwright's event loop;
    # a production process never has that.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    settings_out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='partnership.settings';django.setup();from django.conf import settings as s;print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.split()
    assert settings_out == ["__Host-sessionid", "__Host-csrftoken", "True", "True", "31536000"]


@pytest.mark.django_db
def test_staff_of_a_board_requiring_mfa_is_sent_to_set_it_up(world, client):
    world.b1.mfa_required = True
    world.b1.save()
    client.force_login(world.users["teacher"])
    response = client.get(reverse("schools:pupil-detail", kwargs={"pk": world.s1.pupil.pk}))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    # A board without the demand lets its staff in.
    client.force_login(world.users["foreign_director"])
    assert (
        client.get(reverse("schools:pupil-detail", kwargs={"pk": world.s3.pupil.pk})).status_code
        == 200
    )


@pytest.mark.django_db
def test_idle_staff_session_expires_but_a_guardians_does_not(world, client, time_machine, settings):
    settings.STAFF_IDLE_TIMEOUT = 30 * 60
    time_machine.move_to(datetime.datetime(2026, 11, 24, 9, tzinfo=datetime.UTC))
    client.force_login(world.users["teacher"])
    url = reverse("schools:pupil-detail", kwargs={"pk": world.s1.pupil.pk})
    assert client.get(url).status_code == 200
    time_machine.move_to(datetime.datetime(2026, 11, 24, 9, 25, tzinfo=datetime.UTC))
    assert client.get(url).status_code == 200  # active: the clock starts again
    time_machine.move_to(datetime.datetime(2026, 11, 24, 9, 56, tzinfo=datetime.UTC))
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client.get(url).status_code == 302  # logged out for good

    client.force_login(world.users["guardian"])
    portal = reverse("parents:portal-home")
    assert client.get(portal).status_code == 200
    time_machine.move_to(datetime.datetime(2026, 11, 24, 11, tzinfo=datetime.UTC))
    assert client.get(portal).status_code == 200


def test_security_txt(client):
    body = client.get("/.well-known/security.txt").content.decode()
    assert body.startswith("Contact: mailto:")
    assert "Expires: " in body


def test_uploads_are_held_to_a_size(settings):
    assert settings.IMPORT_MAX_BYTES <= 10 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
