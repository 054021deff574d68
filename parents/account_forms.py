"""allauth's login-code form, with the guardian's account made on first use (see accounts)."""

from allauth.account.forms import RequestLoginCodeForm

from parents import accounts


class GuardianRequestLoginCodeForm(RequestLoginCodeForm):
    def clean_email(self):
        email = self.cleaned_data.get("email")
        if email:
            accounts.account_for_email(email)
        return super().clean_email()
