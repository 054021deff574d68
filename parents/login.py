"""How guardians log in: with a one-time code by e-mail or by text message, through allauth.

The account adapter and the code form live here, above ``schools``, because they need the
guardians: a guardian's account is made the first time they ask for a code (``accounts``), and
a code by text message goes to the number the school has for them. The code arrives in the
guardian's own language, whatever language the page was in when they asked.

Staff never get a code: they read pupil files, and a mailbox alone is no proof of who is at
the keyboard. They log in with their password (and TOTP where set or mandated by the board);
asking for a code with a staff address sends a mail that says so, never a code.
"""

from allauth.account.forms import EmailField as AllauthEmailField
from allauth.account.forms import LoginForm, RequestLoginCodeForm
from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from parents import accounts
from parents.models import Guardian
from parents.portal_services import PARENT_LANGUAGE_CODES
from reminders.channels import sms_backend
from schools.adapters import SchoolAccountAdapter
from schools.models import StaffMembership

LOGIN_CODE_MAIL = "account/email/login_code"
UNKNOWN_ACCOUNT_MAIL = "account/email/unknown_account"
STAFF_USE_PASSWORD_MAIL = "account/email/staff_use_password"


def is_staff_account(user):
    """Anyone with a role at a school or board, and Django's staff and superusers."""
    return (
        user.is_staff
        or user.is_superuser
        or StaffMembership.objects.filter(user_id=user.pk).exists()
    )


def _guardian_language(**lookup):
    """The language the guardian chose (``Guardian.language``), or None."""
    language = (
        Guardian.objects.filter(**lookup).exclude(language="").values_list("language", flat=True)
    ).first()
    return language if language in PARENT_LANGUAGE_CODES else None


def _staff_with_email(email):
    users = get_user_model().objects.filter(email__iexact=email)
    return next((user for user in users if is_staff_account(user)), None)


class MobileNumberField(forms.CharField):
    """A Dutch or international mobile number, as people type it; cleaned to "+31612345678"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Uw 06-nummer"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        number = accounts.mobile_number(value)
        if not number:
            raise forms.ValidationError(
                _("Vul uw mobiele nummer in, bijvoorbeeld 06 12345678."), code="invalid_phone"
            )
        return number


class PortalAccountAdapter(SchoolAccountAdapter):
    """Phone numbers are the guardians' own, as the school has them; staff log in by e-mail."""

    def phone_form_field(self, **kwargs):
        return MobileNumberField(**kwargs)

    def get_user_by_phone(self, phone):
        return accounts.account_for_phone(phone)

    def get_phone(self, user):
        guardian = Guardian.objects.filter(user=user).first()
        number = accounts.mobile_number(guardian.phone) if guardian else ""
        return (number, True) if number else None

    def set_phone(self, user, phone, verified):
        # The number comes from the school's records; a login never changes it.
        pass

    def set_phone_verified(self, user, phone):
        pass

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        language = _guardian_language(user=user) or translation.get_language()
        with translation.override(language):
            text = str(_("Uw code voor Schouder: %(code)s. De code werkt 15 minuten."))
        sms_backend().send(to=phone, body=text % {"code": code}, reference=f"login:{user.pk}")

    def send_mail(self, template_prefix, email, context):
        language = None
        if template_prefix == LOGIN_CODE_MAIL:
            language = _guardian_language(user__email__iexact=email)
        elif template_prefix == UNKNOWN_ACCOUNT_MAIL and _staff_with_email(email):
            # The form refused the staff account a code; tell them how they do log in.
            template_prefix = STAFF_USE_PASSWORD_MAIL
            request = context.get("request")
            login = reverse("account_login")
            context = {
                **context,
                "login_url": request.build_absolute_uri(login) if request else login,
            }
        with translation.override(language or translation.get_language()):
            super().send_mail(template_prefix, email, context)


class StaffLoginForm(LoginForm):
    """Staff log in with their e-mail address and password; the phone is for the parents' codes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"] = AllauthEmailField()
        self.order_fields(["login", "password", "remember"])


class GuardianRequestLoginCodeForm(RequestLoginCodeForm):
    """A code by e-mail or by text message; the guardian's account is made on first use."""

    def clean_email(self):
        email = self.cleaned_data.get("email")
        if email:
            accounts.account_for_email(email)
        return super().clean_email()

    def clean(self):
        cleaned = super().clean()
        if getattr(self, "_user", None) is not None and is_staff_account(self._user):
            # No code for staff. The page answers as for any address (no enumeration); the
            # mail that goes out instead points to the password login.
            self._user = None
        if not cleaned.get("email") and not cleaned.get("phone") and not self.errors:
            raise forms.ValidationError(
                _("Vul uw e-mailadres of uw 06-nummer in."), code="required"
            )
        return cleaned
