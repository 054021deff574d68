#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnership.settings")
    # manage.py is the developer's tool: development settings unless DEBUG=0 is said. The web
    # server (wsgi/asgi) and Celery get no such default and refuse to start without SECRET_KEY.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
