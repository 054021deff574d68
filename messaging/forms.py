from django import forms
from django.utils.translation import gettext_lazy as _


class OwnTranslationForm(forms.Form):
    text = forms.CharField(
        label=_("Uw vertaling"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": _("Vul de vertaling in.")},
    )
