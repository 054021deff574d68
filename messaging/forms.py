import datetime
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from messaging.models import AnnouncementKind, Audience
from parents.models import Family
from reminders.quiet import AMSTERDAM
from schools.models import Group, Pupil, School, SchoolYear


class OwnTranslationForm(forms.Form):
    text = forms.CharField(
        label=_("Uw vertaling"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": _("Vul de vertaling in.")},
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Uw antwoord"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Schrijf een bericht.")},
    )


class ReplyForm(AnswerForm):
    """The guardian's answer in their own conversation."""

    text = forms.CharField(
        label=_("Uw antwoord aan school"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Schrijf een bericht.")},
    )


class AnnouncementForm(forms.Form):
    """A message from school. Families and groups to choose from are only those the user sees
    at this school (a teacher: their own groups and the families of their pupils)."""

    audience = forms.ChoiceField(
        label=_("Aan wie?"), choices=Audience.choices, widget=forms.RadioSelect
    )
    family = forms.ModelChoiceField(
        label=_("Gezin"), queryset=Family.objects.none(), required=False
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Groepen"),
        queryset=Group.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(
        label=_("Soort"),
        choices=AnnouncementKind.choices,
        initial=AnnouncementKind.NEWS,
        widget=forms.RadioSelect,
        help_text=_("Goed nieuws gaat naar één gezin en telt als positief contact."),
    )
    subject = forms.CharField(label=_("Onderwerp"), max_length=150)
    body = forms.CharField(
        label=_("Bericht"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Schrijf kort en in eenvoudige zinnen."),
    )
    send_at = forms.DateTimeField(
        label=_("Later versturen op"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leeg: meteen versturen."),
    )

    def __init__(self, *args: Any, school: School, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        pupils = Pupil.objects.present().filter(school=school)
        self.fields["family"].queryset = (
            Family.objects.visible_to(user)
            .filter(
                pk__in=Family.objects.filter(guardians__pupil_links__pupil__in=pupils).values("pk")
            )
            .with_children(user, today=today)
            .order_by("name", "pk")
        )
        self.fields["family"].label_from_instance = lambda family: family.label
        self.fields["groups"].queryset = Group.objects.visible_to(user).filter(
            school=school, school_year=SchoolYear.for_date(today)
        )

    def clean_send_at(self) -> datetime.datetime | None:
        moment = self.cleaned_data.get("send_at")
        if moment is not None and timezone.is_naive(moment):
            moment = moment.replace(tzinfo=AMSTERDAM)
        return moment

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        audience = cleaned.get("audience")
        if audience == Audience.FAMILY and not cleaned.get("family"):
            self.add_error("family", _("Kies een gezin."))
        if audience == Audience.GROUPS and not cleaned.get("groups"):
            self.add_error("groups", _("Kies een of meer groepen."))
        return cleaned


def days_choice(value: str | None, default: int) -> int:
    """A whole number of days from the address (1-60), else ``default``."""
    try:
        days = int(value or "")  # no value: the default, as for a wrong one
    except (TypeError, ValueError):
        return default
    return days if 1 <= days <= 60 else default


class SchoolTermsForm(forms.Form):
    """The school's answer term and sending hours; the service checks the rules."""

    answer_term_days = forms.IntegerField(
        label=_("Ouders krijgen antwoord binnen (schooldagen)"),
        help_text=_(
            "Van 1 tot en met 10 schooldagen. Geldt voor berichten die vanaf nu binnenkomen."
        ),
        error_messages={
            "required": _("Vul het aantal schooldagen in."),
            "invalid": _("Vul een heel getal in, bijvoorbeeld 2."),
        },
    )
    sending_from = forms.TimeField(
        label=_("Berichten van school versturen vanaf"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Vul een begintijd in."),
            "invalid": _("Vul een tijd in als 07:30."),
        },
    )
    sending_until = forms.TimeField(
        label=_("Berichten van school versturen tot"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Vul een eindtijd in."),
            "invalid": _("Vul een tijd in als 21:00."),
        },
    )
