"""The Celery app. Beat only says "go and look" on a fixed interval; the database holds the schedule."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnership.settings")

app = Celery("partnership")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
