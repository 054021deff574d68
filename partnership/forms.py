"""Forms of the partnership pages. Every field that chooses objects gets a queryset scoped to the
school (and through it to the user)."""

import datetime
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parents.forms import ChoicesLookedUpOneByOne, FamilyMultipleChoiceField, GuardianChoiceField
from parents.models import Family, Guardian, Language, PupilGuardian
from partnership.models import (
    FRAMEWORK_ITEMS,
    Activity,
    ActivityKind,
    Audience,
    BuddyReason,
    Goal,
    PartnerOrganisation,
    Partnership,
    PartnershipArea,
    PartnershipPlan,
    TopicStatus,
)
from partnership.queries import school_families
from schools.models import Group

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def school_staff(school):
    return (
        get_user_model()
        .objects.filter(memberships__school=school)
        .distinct()
        .order_by("first_name", "last_name")
    )


def _aware(day, time):
    return timezone.make_aware(datetime.datetime.combine(day, time))


class TimesMixin:
    """Date, start and end time on the form; aware datetimes for the service."""

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", _("Een activiteit moet eindigen na het begin."))
            else:
                data["starts_at"], data["ends_at"] = _aware(day, start), _aware(day, end)
        return data


class ActivityForm(TimesMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=ActivityKind.choices)
    partnership = forms.ChoiceField(label=_("Partnerschap"), choices=Partnership.choices)
    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(
        label=_("Beschrijving"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    date = forms.DateField(label=_("Datum (de eerste keer)"), widget=DATE)
    start_time = forms.TimeField(label=_("Van"), widget=TIME)
    end_time = forms.TimeField(label=_("Tot"), widget=TIME)
    weekly = forms.BooleanField(label=_("Elke week"), required=False)
    until = forms.DateField(
        label=_("Elke week tot en met"),
        required=False,
        widget=DATE,
        help_text=_("Uiterlijk het einde van het schooljaar. Schoolvakanties slaan we over."),
    )
    place = forms.CharField(label=_("Plaats"), max_length=200, required=False)
    audience = forms.ChoiceField(label=_("Voor wie"), choices=Audience.choices)
    groups = forms.ModelMultipleChoiceField(
        label=_("Groepen"), queryset=Group.objects.none(), required=False
    )
    families = FamilyMultipleChoiceField(
        label=_("Uitgenodigde gezinnen"),
        queryset=Family.objects.none(),
        required=False,
        help_text=_("Alleen als u kiest voor: uitgenodigde gezinnen."),
    )
    organiser = forms.ModelChoiceField(
        label=_("Organisator"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Leeg laten: u zelf."),
    )
    partners = forms.MultipleChoiceField(
        label=_("Partnerorganisaties"),
        choices=PartnerOrganisation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interpreter_languages = forms.MultipleChoiceField(
        label=_("Tolk aanwezig voor"),
        choices=[c for c in Language.choices if c[0] != "nl"],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    evening_option = forms.BooleanField(
        label=_("Ook een avondmoment voor ouders die overdag werken"), required=False
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Dient de doelen"), queryset=Goal.objects.none(), required=False
    )

    def __init__(self, *args, school, school_year, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = Group.objects.filter(
            school=school, school_year=school_year
        )
        self.fields["goals"].queryset = Goal.objects.filter(
            plan__school=school, plan__school_year=school_year
        )
        self.fields["families"].queryset = (
            school_families(school).with_children(user).order_by("name", "pk")
        )
        self.fields["organiser"].queryset = school_staff(school)

    def clean(self):
        data = super().clean()
        if data.get("weekly") and not data.get("until"):
            self.add_error("until", _("Een wekelijkse reeks heeft een einddatum nodig."))
        if data.get("audience") == Audience.GROUPS and not data.get("groups"):
            self.add_error("groups", _("Kies de groepen die u uitnodigt."))
        if data.get("audience") == Audience.INVITED and not data.get("families"):
            self.add_error("families", _("Kies de gezinnen die u uitnodigt."))
        return data

    def service_arguments(self):
        data = self.cleaned_data
        names = ["kind", "partnership", "title", "description", "place", "audience"]
        names += ["partners", "interpreter_languages", "evening_option"]
        arguments = {name: data[name] for name in names}
        arguments.update(
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            groups=list(data["groups"]),
            families=list(data["families"]) if data["audience"] == Audience.INVITED else [],
            goals=list(data["goals"]),
        )
        if data["organiser"]:
            arguments["organiser"] = data["organiser"]
        return arguments


class MoveForm(TimesMixin, forms.Form):
    date = forms.DateField(label=_("Nieuwe datum"), widget=DATE)
    start_time = forms.TimeField(label=_("Van"), widget=TIME)
    end_time = forms.TimeField(label=_("Tot"), widget=TIME)
    place = forms.CharField(label=_("Plaats"), max_length=200, required=False)

    @classmethod
    def for_activity(cls, activity, data=None):
        start, end = timezone.localtime(activity.starts_at), timezone.localtime(activity.ends_at)
        initial = {
            "date": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "place": activity.place,
        }
        return cls(data, initial=initial)


class TopicForm(forms.Form):
    text = forms.CharField(
        label=_("Onderwerp"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class GuardianTopicForm(TopicForm):
    school = forms.ModelChoiceField(label=_("School"), queryset=None, empty_label=None)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if schools.count() == 1:
            self.fields["school"].widget = forms.HiddenInput()
            self.fields["school"].initial = schools.get().pk


class TopicReviewForm(forms.Form):
    text = forms.CharField(label=_("Onderwerp"), max_length=300)
    status = forms.ChoiceField(label=_("Stand"), choices=TopicStatus.choices)


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # The weeks of a series share a title: the date tells them apart.
        return f"{obj.title} – {timezone.localtime(obj.starts_at):%d-%m-%Y}"


class TopicChooseForm(forms.Form):
    activity = ActivityChoiceField(label=_("Op de agenda van"), queryset=Activity.objects.none())

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = (
            Activity.objects.filter(school=school, kind="coffee_morning")
            .upcoming()
            .order_by("starts_at")
        )


class TopicRecordForm(forms.Form):
    discussed = forms.CharField(
        label=_("Wat is er besproken?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    school_action = forms.CharField(
        label=_("Wat doet de school ermee?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class PlanForm(forms.ModelForm):
    class Meta:
        model = PartnershipPlan
        fields = ["vision", "vision_written_with", "focus_points"]
        widgets = {
            "vision": forms.Textarea(attrs={"rows": 5}),
            "focus_points": forms.Textarea(attrs={"rows": 4}),
        }


class AreaForm(forms.ModelForm):
    class Meta:
        model = PartnershipArea
        fields = ["current_state", "ambition"]
        widgets = {
            "current_state": forms.Textarea(attrs={"rows": 3}),
            "ambition": forms.Textarea(attrs={"rows": 3}),
        }


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["description", "term", "owner", "status"]

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = school_staff(school)


class EvaluationForm(forms.Form):
    quarter = forms.TypedChoiceField(
        label=_("Kwartaal"), choices=[(n, n) for n in range(1, 5)], coerce=int
    )
    held_on = forms.DateField(label=_("Gehouden op"), widget=DATE)
    with_parents = forms.BooleanField(label=_("Met ouders"), required=False, initial=True)
    with_pupils = forms.BooleanField(label=_("Met leerlingen"), required=False)
    with_partners = forms.BooleanField(label=_("Met partners"), required=False)
    team_changes = forms.CharField(
        label=_("Wat verandert het team?"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Partnership.choices:
            # No score chosen beforehand: a rushed save must not record all ones.
            self.fields[f"score_{value}"] = forms.TypedChoiceField(
                label=label,
                choices=[("", _("— kies een cijfer —")), *[(n, n) for n in range(1, 6)]],
                coerce=int,
                error_messages={"required": _("Kies een cijfer van 1 tot 5.")},
            )
            self.fields[f"notes_{value}"] = forms.CharField(
                label=_("Toelichting"), required=False, max_length=1000
            )

    def scores(self):
        data = self.cleaned_data
        return {v: (data[f"score_{v}"], data[f"notes_{v}"]) for v in Partnership.values}

    def fields_for_service(self):
        names = ["quarter", "held_on", "with_parents", "with_pupils", "with_partners"]
        return {name: self.cleaned_data[name] for name in [*names, "team_changes"]}


class SelfAssessmentForm(forms.Form):
    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = FRAMEWORK_ITEMS[framework]
        for number, text in self.items.items():
            self.fields[f"score_{number}"] = forms.TypedChoiceField(
                label=f"{number}. {text}",
                choices=[(1, _("1 – nog niet")), (2, "2"), (3, "3"), (4, _("4 – helemaal"))],
                coerce=int,
            )
            self.fields[f"evidence_{number}"] = forms.CharField(
                label=_("Waaraan zie je dat?"), required=False, max_length=1000
            )

    def scores(self):
        data = self.cleaned_data
        return {n: (data[f"score_{n}"], data[f"evidence_{n}"]) for n in self.items}

    def rows(self, facts: dict[int, Any]) -> list[tuple[int, Any, Any, Any]]:
        """(item number, score field, evidence field, the item's facts or None) per item: the
        page shows the facts kept elsewhere beside the item they are about."""
        return [(n, self[f"score_{n}"], self[f"evidence_{n}"], facts.get(n)) for n in self.items]


def school_guardians(school, user):
    """Guardians of the school's present pupils: whom the ouder-coördinator may couple, each
    with the children ``user`` may see, to tell namesakes apart."""
    links = PupilGuardian.objects.filter(pupil__school=school, pupil__left_on__isnull=True)
    return (
        Guardian.objects.filter(pk__in=links.values("guardian_id"))
        .with_children(user)
        .order_by("last_name", "first_name", "pk")
    )


class KeyFigureForm(forms.Form):
    guardian = GuardianChoiceField(label=_("Ouder"), queryset=Guardian.objects.none())
    reaches = forms.CharField(
        label=_("Bereikt"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: Turkse moeders, vaders van groep 8"),
    )

    def __init__(self, *args, school, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardian"].queryset = school_guardians(school, user)


class BuddyForm(ChoicesLookedUpOneByOne, forms.Form):
    guardian_a = GuardianChoiceField(label=_("Ouder"), queryset=Guardian.objects.none())
    guardian_b = GuardianChoiceField(label=_("Buddy"), queryset=Guardian.objects.none())
    reason = forms.ChoiceField(label=_("Waarom"), choices=BuddyReason.choices)
    note = forms.CharField(label=_("Toelichting"), max_length=200, required=False)

    def __init__(self, *args, school, user, **kwargs):
        super().__init__(*args, **kwargs)
        guardians = school_guardians(school, user)
        self.fields["guardian_a"].queryset = guardians
        self.fields["guardian_b"].queryset = guardians
