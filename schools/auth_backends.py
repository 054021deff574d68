"""The project's authentication backends: Django's and allauth's, each loading a logged-in user
together with the user's memberships in one query.

Every page of a logged-in user needs both (the middleware asks ``permissions.access_for`` before
any view runs); read apart, they cost a query each on every request. The rows of that query are
kept in the cache between requests (``permissions.signed_in_rows``), and every change of the user
or a membership makes the next request read them afresh, so a revoked role or a deactivated user
is gone on the very next request.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db import router

from schools.permissions import (
    MEMBERSHIP_COLUMNS,
    access_from_rows,
    membership_rows,
    signed_in_rows,
)


def user_with_access(user_id):
    """The user with ``user_id`` and its ``Access`` already computed, or None: one query (or
    none, from the cache), one row per membership (outer joins), the user's own columns repeated
    on each."""
    User = get_user_model()
    fields = [field.attname for field in User._meta.concrete_fields]

    def read() -> list[tuple]:
        return list(membership_rows(user_id, *fields))

    rows = signed_in_rows(user_id, (*fields, *MEMBERSHIP_COLUMNS), read)
    if not rows:
        return None
    user = User.from_db(router.db_for_read(User), fields, rows[0][: len(fields)])
    user._schouder_access = access_from_rows(row[len(fields) :] for row in rows)
    return user


class _WithAccess:
    def get_user(self, user_id):
        user = user_with_access(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_WithAccess, DjangoModelBackend):
    pass


class AuthenticationBackend(_WithAccess, AllauthBackend):
    pass
