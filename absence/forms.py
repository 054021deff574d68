from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from absence.models import (
    DEFAULT_STEP_DAYS,
    STEP_ORDER,
    AbsenceSettings,
    LeaveKind,
    ProtocolStep,
    ReportKind,
    StepKind,
)
from absence.services import StepChoice
from parents.models import PupilGuardian

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# An employer's statement is a letter: a scan or a photo, not a video.
STATEMENT_TYPES = ("pdf", "jpg", "jpeg", "png")
STATEMENT_MAX_BYTES = 5 * 1024 * 1024


def _child_choices(links: Sequence[PupilGuardian]) -> list[tuple[int, str]]:
    return [(link.pupil_id, link.pupil.first_name) for link in links]


class ChildForm(forms.Form):
    """A form about one of the guardian's own children: the choice offers only those."""

    child = forms.TypedChoiceField(label=_("Welk kind?"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args: Any, links: Sequence[PupilGuardian], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.links = {link.pupil_id: link for link in links}
        self.fields["child"].choices = _child_choices(links)
        if len(links) == 1:
            self.fields["child"].initial = links[0].pupil_id

    def chosen_link(self) -> PupilGuardian:
        return self.links[self.cleaned_data["child"]]


class ReportForm(ChildForm):
    kind = forms.ChoiceField(
        label=_("Wat wilt u melden?"), choices=ReportKind.choices, widget=forms.RadioSelect
    )
    first_day = forms.DateField(label=_("Vanaf welke dag?"), widget=DATE)
    last_day = forms.DateField(
        label=_("Tot en met welke dag?"),
        required=False,
        widget=DATE,
        help_text=_("Weet u het nog niet? Laat dit leeg. Dan melden wij alleen de eerste dag."),
    )
    arrives_at = forms.TimeField(
        label=_("Hoe laat komt uw kind?"),
        required=False,
        widget=TIME,
        help_text=_("Alleen als uw kind later komt."),
    )
    note = forms.CharField(
        label=_("Opmerking voor de leerkracht"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LeaveForm(ChildForm):
    kind = forms.ChoiceField(
        label=_("Welk verlof?"), choices=LeaveKind.choices, widget=forms.RadioSelect
    )
    first_day = forms.DateField(label=_("Eerste dag"), widget=DATE)
    last_day = forms.DateField(label=_("Laatste dag"), widget=DATE)
    reason = forms.CharField(
        label=_("Waarom vraagt u verlof?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    work_prevents_holiday = forms.BooleanField(
        label=_(
            "Door mijn werk kan ik in geen enkele schoolvakantie op vakantie (alleen bij "
            "vakantieverlof)."
        ),
        required=False,
    )
    employer_statement = forms.FileField(
        label=_("Verklaring van uw werkgever (alleen bij vakantieverlof)"),
        required=False,
        help_text=_("Een pdf of een foto (jpg of png), niet groter dan 5 MB."),
    )

    def clean_employer_statement(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("employer_statement")
        if not upload:
            return None
        suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in STATEMENT_TYPES:
            raise forms.ValidationError(_("Stuur een pdf of een foto (jpg of png)."))
        if upload.size > STATEMENT_MAX_BYTES:
            raise forms.ValidationError(
                _("Dit bestand is groter dan 5 MB. Stuur een kleiner bestand.")
            )
        return upload


class DecisionForm(forms.Form):
    granted = forms.TypedChoiceField(
        label=_("Besluit"),
        choices=[("yes", _("Toestaan")), ("no", _("Weigeren"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Toelichting voor de ouder"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht bij een weigering. Schrijf kort en in gewone woorden."),
    )


class SettingsForm(forms.Form):
    late_after = forms.TimeField(label=_("Een melding voor vandaag is te laat na"), widget=TIME)
    wants_phone_call = forms.BooleanField(label=_("Ouders bellen ook"), required=False)
    phone = forms.CharField(label=_("Telefoon voor ziekmeldingen"), max_length=30, required=False)
    contact_person = forms.ModelChoiceField(
        label=_("Vaste contactpersoon bij verzuim"), queryset=None, required=False
    )

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_person"].queryset = staff
        for kind in STEP_ORDER:
            label = StepKind(kind).label
            self.fields[f"on_{kind}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"days_{kind}"] = forms.IntegerField(
                label=_("Na hoeveel schooldagen?"), min_value=0, max_value=40
            )
            self.fields[f"who_{kind}"] = forms.ModelChoiceField(
                label=_("Wie van school?"), queryset=staff, required=False
            )

    @classmethod
    def for_school(
        cls,
        settings: AbsenceSettings,
        steps: Sequence[ProtocolStep],
        data: Mapping[str, Any] | None = None,
    ) -> SettingsForm:
        staff = (
            get_user_model()
            .objects.filter(memberships__school=settings.school)
            .distinct()
            .order_by("first_name", "last_name")
        )
        initial = {
            "late_after": settings.late_after,
            "wants_phone_call": settings.wants_phone_call,
            "phone": settings.phone,
            "contact_person": settings.contact_person_id,
        }
        kept = {step.kind: step for step in steps}
        for kind in STEP_ORDER:
            step = kept.get(kind)
            initial[f"on_{kind}"] = step is not None
            initial[f"days_{kind}"] = step.after_school_days if step else DEFAULT_STEP_DAYS[kind]
            initial[f"who_{kind}"] = step.responsible_id if step else None
        return cls(data=data, initial=initial, staff=staff)

    def step_rows(self) -> list[tuple[StrOrPromise, BoundField, BoundField, BoundField]]:
        return [
            (StepKind(kind).label, self[f"on_{kind}"], self[f"days_{kind}"], self[f"who_{kind}"])
            for kind in STEP_ORDER
        ]

    def steps(self) -> list[StepChoice]:
        data = self.cleaned_data
        return [
            StepChoice(kind, data[f"days_{kind}"], data[f"who_{kind}"])
            for kind in STEP_ORDER
            if data[f"on_{kind}"]
        ]


class InfoCardForm(forms.Form):
    welcome = forms.CharField(
        label=_("Een woord van de school (mag leeg blijven)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Het verzuimprotocol, wie wat doet en de vakanties zet Schouder zelf op de kaart, "
            "in de taal van elk gezin. Deze tekst ziet iedereen zoals u hem schrijft."
        ),
    )
