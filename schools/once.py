"""One click, one record. A form that saves something carries a token made when the form was
shown; the first submission with that token saves, a repeat (a double click, a retry after a
slow answer, the same form sent from two tabs) is recognised and saves nothing.

The token is claimed in the shared cache (an atomic add), only once the form is valid, so a form
sent back with errors can be sent again with the same token.
"""

import uuid

from django import forms
from django.core.cache import cache

KEEP_SECONDS = 24 * 60 * 60


class OnceField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            max_length=64,
            widget=forms.HiddenInput,
            initial=lambda: uuid.uuid4().hex,
            **kwargs,
        )


def _key(scope, token):
    return f"once:{scope}:{token}"


def first_time(token, *, scope):
    """True for the first submission with ``token`` (and for a form without one)."""
    if not token:
        return True
    return cache.add(_key(scope, token), True, timeout=KEEP_SECONDS)


def forget(token, *, scope):
    """The save failed after all: the same form may be sent again."""
    if token:
        cache.delete(_key(scope, token))
