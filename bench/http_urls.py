"""The project's URLs plus a hello view, for the HTTP figures only (``bench.http_settings``)."""

from django.http import HttpResponse
from django.urls import include, path

HELLO_PATH = "/bench/hello/"


def hello(request):
    """Like /healthz without the database and broker checks: a plain "ok" that still passes
    every middleware of the project, so it measures the cost of Django's request cycle."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path(HELLO_PATH.strip("/") + "/", hello, name="bench-hello"),
    path("", include("partnership.urls")),
]
