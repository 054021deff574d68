from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from zeal import zeal_ignore

from parents.models import Agreement, CommunicationPlan, ContactChannel, ContactLog, Tone
from schools.models import Pupil
from schools.once import OnceField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def staff_of_schools(schools):
    """The colleagues who can be responsible: everyone with a role at one of these schools."""
    return (
        get_user_model()
        .objects.filter(memberships__school__in=schools, is_active=True)
        .distinct()
        .order_by("first_name", "last_name")
    )


class ChoicesLookedUpOneByOne:
    """For a form with several choices of one model: each choice is looked up on its own when
    the form is checked (a few rows, not a query per row of a list)."""

    def full_clean(self):
        with zeal_ignore([{"model": "*", "field": "get()"}]):
            super().full_clean()


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class FamilyChoiceField(forms.ModelChoiceField):
    """Choose a household told apart from others of the same name: give it a queryset
    ``.with_children(user)`` and each option reads "Gezin Bouzid — Amira (5), Youssef (3)"."""

    def label_from_instance(self, obj):
        return obj.label


class FamilyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.label


# A parent is chosen the same way: give it guardians ``.with_children(user)``.
GuardianChoiceField = FamilyChoiceField


class FollowUpMixin:
    """A concern asks for the follow-up date on the same form, right away."""

    def clean(self):
        data = super().clean()
        if data.get("tone") == Tone.CONCERN and not data.get("follow_up_on"):
            self.add_error(
                "follow_up_on", _("Bij een zorg hoort meteen een datum voor het vervolg.")
            )
        return data


class ContactLogForm(FollowUpMixin, forms.ModelForm):
    class Meta:
        model = ContactLog
        fields = ["happened_on", "channel", "tone", "pupil", "summary", "follow_up_on"]
        widgets = {
            "happened_on": DateInput(),
            "follow_up_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 2, "data-keep-draft": ""}),
            "tone": forms.RadioSelect,
        }

    # The children are on the family page already: choices from them cost no query of their own.
    pupil = forms.TypedChoiceField(label=_("over kind"), required=False, coerce=int)
    once = OnceField()  # a double click saves one contact (schools/once.py)

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {child.pk: child for child in children}
        self.fields["pupil"].choices = [
            ("", "---------"),
            *((child.pk, str(child)) for child in children),
        ]
        self.fields["tone"].choices = Tone.choices  # no blank radio button: a tone is a choice

    def clean_pupil(self):
        pk = self.cleaned_data["pupil"]
        return self.children[pk] if pk not in ("", None) else None


class HoldMomentForm(FollowUpMixin, forms.Form):
    tone = forms.ChoiceField(
        label=_("Hoe ging het?"), choices=Tone.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label=_("Kort verslag"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up_on = forms.DateField(label=_("Vervolg op"), required=False, widget=DateInput())


class MoveMomentForm(forms.Form):
    to = forms.DateField(label=_("Nieuwe dag"), widget=DateInput())


class PlanForm(forms.ModelForm):
    preferred_channels = forms.MultipleChoiceField(
        label=_("Liefst via"),
        choices=ContactChannel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CommunicationPlan
        fields = [
            "agreed_on",
            "contact_person",
            "language",
            "needs_interpreter",
            "preferred_channels",
            "notes",
        ]
        field_classes = {"contact_person": StaffChoiceField}
        widgets = {"agreed_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_person"].queryset = staff_of_schools(schools)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = [
            "what",
            "pupil",
            "channel",
            "with_child",
            "responsible",
            "schedule",
            "on_date",
            "interval_weeks",
        ]
        field_classes = {"responsible": StaffChoiceField}
        widgets = {"on_date": DateInput()}

    def __init__(self, *args, children, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = Pupil.objects.filter(pk__in=[c.pk for c in children])
        self.fields["responsible"].queryset = staff_of_schools(schools)

    def clean(self):
        data = super().clean()
        if data.get("schedule") == "once" and not data.get("on_date"):
            self.add_error("on_date", _("Kies een datum voor deze afspraak."))
        if data.get("schedule") == "every_n_weeks" and not data.get("interval_weeks"):
            self.add_error("interval_weeks", _("Vul in om de hoeveel weken."))
        return data
