"""The form with which the ouder-coördinator asks for helpers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnership.helper_models import HelperTaskKind


class HelperTaskForm(forms.Form):
    kind = forms.ChoiceField(label=_("Taak"), choices=HelperTaskKind.choices)
    needed = forms.IntegerField(label=_("Hoeveel ouders?"), min_value=1, max_value=50, initial=3)
