"""The project's settings with the bench's URLs (the hello view); everything else, middleware
included, is what production runs."""

from partnership.settings import *  # noqa: F403

ROOT_URLCONF = "bench.http_urls"
