"""A guardian's portal account is made the first time they ask for a login code.

The import brings guardians with an e-mail address or a phone number from the school's
administration, not accounts, and nobody signs up alone. So when someone asks for a code with an
address that belongs to a guardian without an account, the account is made then: the code that
follows proves the address is theirs. Nothing shows whether an address was known (allauth's
enumeration prevention answers the same either way).
"""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from parents.models import Guardian


def account_for_email(email):
    """The account of the guardian with this e-mail address, made now when they have none yet.
    None when no guardian has it, or when an account already uses the address (allauth finds
    that one by itself)."""
    User = get_user_model()
    if EmailAddress.objects.filter(email__iexact=email).exists():
        return None
    if User.objects.filter(email__iexact=email).exists():
        return None
    guardian = (
        Guardian.objects.filter(email__iexact=email, user__isnull=True).order_by("pk").first()
    )
    # allauth looks addresses up in lower case.
    return _make_account(guardian, email=guardian.email.lower()) if guardian else None


@transaction.atomic
def _make_account(guardian, *, email=""):
    # The row lock makes two requests at the same moment end with one account.
    guardian = Guardian.objects.select_for_update().get(pk=guardian.pk)
    if guardian.user_id is not None:
        return guardian.user
    user = get_user_model().objects.create_user(
        username=f"ouder-{guardian.pk}",
        email=email,
        first_name=guardian.first_name[:150],
        last_name=guardian.last_name[:150],
    )  # no password: guardians log in with a code
    if email:
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    guardian.user = user
    guardian.save(update_fields=["user"])
    return user


def mobile_number(value):
    """A phone number as written in a school's records ("06 12345678", "+31 6 1234 5678",
    "0031612345678") in international form ("+31612345678"), or "" when it is none."""
    digits = "".join(c for c in value if c.isdigit() or c == "+")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+31" + digits[1:]
    if not digits.startswith("+") or "+" in digits[1:] or not 9 <= len(digits) <= 16:
        return ""
    return digits


def guardian_by_phone(number):
    """The guardian whose phone number is ``number`` (international form), or None. Numbers
    are stored as the school typed them ("06 12 34 56 78"), so the few that end in the same
    four digits, whatever stands between them, are compared in their international form."""
    last_four = r"\D*".join(number[-4:]) + r"\D*$"
    candidates = Guardian.objects.filter(phone__regex=last_four).order_by("pk")
    return next((g for g in candidates if mobile_number(g.phone) == number), None)


def account_for_phone(number):
    """The account of the guardian with this phone number, made now when they have none yet."""
    guardian = guardian_by_phone(number)
    if guardian is None:
        return None
    return guardian.user if guardian.user_id else _make_account(guardian)
