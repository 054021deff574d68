from django import forms
from django.utils.translation import gettext_lazy as _

from partnership.forms import DATE, TIME


class ReceptionForm(forms.Form):
    day = forms.DateField(label=_("Datum"), widget=DATE)
    first_start = forms.TimeField(label=_("Eerste groep begint om"), widget=TIME)
    minutes = forms.IntegerField(
        label=_("Minuten per groep"), min_value=15, max_value=120, initial=45
    )
    place = forms.CharField(label=_("Plaats"), max_length=200, required=False)
