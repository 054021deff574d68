"""How guardians log in: with a one-time code by e-mail or by text message, through allauth.

The account adapter and the code form live here, above ``schools``, because they need the
guardians: a guardian's account is made the first time they ask for a code (``accounts``), and
a code by text message goes to the number the school has for them.
"""

from allauth.account.forms import EmailField as AllauthEmailField
from allauth.account.forms import LoginForm, RequestLoginCodeForm
from django import forms
from django.utils.translation import gettext_lazy as _

from parents import accounts
from parents.models import Guardian
from reminders.channels import sms_backend
from schools.adapters import SchoolAccountAdapter


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
        text = _("Uw code voor Schouder: %(code)s. De code werkt 15 minuten.") % {"code": code}
        sms_backend().send(to=phone, body=str(text), reference=f"login:{user.pk}")


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
        if not cleaned.get("email") and not cleaned.get("phone") and not self.errors:
            raise forms.ValidationError(
                _("Vul uw e-mailadres of uw 06-nummer in."), code="required"
            )
        return cleaned
