from allauth.account.adapter import DefaultAccountAdapter


class SchoolAccountAdapter(DefaultAccountAdapter):
    """Accounts are made by the school (staff) or the import (guardians); nobody signs up alone."""

    def is_open_for_signup(self, request):
        return False
