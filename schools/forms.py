from django import forms
from django.utils.translation import gettext_lazy as _

from schools.models import StaffMembership


class WhoDoesWhatForm(forms.ModelForm):
    class Meta:
        model = StaffMembership
        fields = ["task_description", "phone", "reachable"]
        widgets = {"task_description": forms.Textarea(attrs={"rows": 4})}


class MyMessagesForm(forms.Form):
    """A staff member's own settings: when they answer parents, and how reminders reach them."""

    starts = forms.TimeField(
        label=_("Ik antwoord ouders vanaf"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    ends = forms.TimeField(
        label=_("tot"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Op schooldagen. Ouders zien deze tijden bij 'Wie doet wat'."),
    )
    daily_digest = forms.TypedChoiceField(
        label=_("Herinneringen"),
        choices=[
            ("1", _("Eén overzicht per dag, om 8 uur")),
            ("0", _("Elke herinnering meteen")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if (starts is None) != (ends is None):
            raise forms.ValidationError(_("Vul een begintijd en een eindtijd in."))
        if starts and ends and starts >= ends:
            raise forms.ValidationError(_("De begintijd moet voor de eindtijd liggen."))
        return cleaned
