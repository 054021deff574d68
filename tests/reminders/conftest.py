import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from reminders import registry
from tests.reminders.smtp import SmtpServer


@pytest.fixture
def rules():
    """Only the rules a test registers; the app's own rules come back afterwards."""
    saved = registry.rules()
    for name in saved:
        registry.unregister(name)
    yield registry
    for name in registry.rules():
        registry.unregister(name)
    for rule in saved.values():
        registry.register(rule)


@pytest.fixture
def smtp(settings):
    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
        yield server


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "reminders.channels.ConsoleSmsBackend"


TUESDAY_MORNING = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture
def world_today(db):
    """The fixture world, built on a Tuesday morning in the school year the rule tests use."""
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        from tests.world import build_world

        yield build_world()
