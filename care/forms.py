import datetime
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from care.models import (
    FOLLOW_UP_STEPS,
    FeedbackKind,
    Incident,
    IncidentKind,
    MeetingKind,
    PlanAnswer,
)
from parents.forms import ChoicesLookedUpOneByOne, DateInput, GuardianChoiceField, StaffChoiceField
from parents.models import Guardian
from schools.models import School


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class IncidentForm(forms.Form):
    """Every choice is scoped: the parents of the school's children the user sees, the staff of
    the school."""

    guardian = GuardianChoiceField(label=_("Ouder"), queryset=Guardian.objects.none())
    staff_member = StaffChoiceField(
        label=_("Wie overkwam het?"), queryset=get_user_model().objects.none()
    )
    kind = forms.ChoiceField(
        label=_("Soort"), choices=IncidentKind.choices, widget=forms.RadioSelect
    )
    day = forms.DateField(label=_("Datum"), widget=DateInput())
    time = forms.TimeField(label=_("Tijd"), widget=TimeInput())
    place = forms.CharField(label=_("Waar"), max_length=200)
    what_happened = forms.CharField(
        label=_("Wat gebeurde er?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    witnesses = forms.CharField(
        label=_("Getuigen"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    measure_conversation = forms.BooleanField(label=_("Gesprek met de ouder"), required=False)
    measure_written_warning = forms.BooleanField(
        label=_("Schriftelijke waarschuwing"), required=False
    )
    access_ban_until = forms.DateField(
        label=_("Schoolverbod tot en met"), required=False, widget=DateInput()
    )
    police_report = forms.BooleanField(label=_("Aangifte bij de politie"), required=False)

    def __init__(
        self, *args: Any, guardians: QuerySet[Guardian], staff: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guardian"].queryset = guardians
        self.fields["staff_member"].queryset = staff

    def incident_data(self) -> dict:
        data = dict(self.cleaned_data)
        day, time = data.pop("day"), data.pop("time")
        data["occurred_at"] = timezone.make_aware(datetime.datetime.combine(day, time))
        return data


class FollowUpForm(ChoicesLookedUpOneByOne, forms.Form):
    """Who does the aftercare, the repair conversation and the evaluation, when, and when it was
    done: three fields per step of ``FOLLOW_UP_STEPS``."""

    def __init__(
        self, *args: Any, staff: QuerySet[User], incident: Incident, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for step, label in FOLLOW_UP_STEPS:
            self.fields[f"{step}_by"] = StaffChoiceField(
                label=_("%(step)s: wie") % {"step": label},
                queryset=staff,
                required=False,
                initial=getattr(incident, f"{step}_by_id"),
            )
            self.fields[f"{step}_on"] = forms.DateField(
                label=_("%(step)s: wanneer") % {"step": label},
                required=False,
                widget=DateInput(),
                initial=getattr(incident, f"{step}_on"),
            )
            self.fields[f"{step}_done_on"] = forms.DateField(
                label=_("%(step)s: gedaan op") % {"step": label},
                required=False,
                widget=DateInput(),
                initial=getattr(incident, f"{step}_done_on"),
            )


class ReaderForm(forms.Form):
    reader = StaffChoiceField(label=_("Collega"), queryset=get_user_model().objects.none())

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reader"].queryset = staff


class WithholdForm(forms.Form):
    ground = forms.CharField(
        label=_("Wettelijke grond om niet te verstrekken"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Leeg: het incident staat in het inzageverzoek van het gezin. Ingevuld: het blijft "
            "eruit, met deze grond (bijvoorbeeld art. 41 UAVG, bescherming van de medewerker)."
        ),
    )


class ArrangementForm(forms.Form):
    text = forms.CharField(
        label=_("Contactafspraak voor collega's"),
        max_length=300,
        required=False,
        help_text=_(
            "Collega's zien alleen deze afspraak op de gezinspagina, niet het incident. Leeg: "
            "geen afspraak."
        ),
    )


class ProtocolForm(forms.Form):
    steps = forms.CharField(
        label=_("Wie doet wat"), max_length=5000, widget=forms.Textarea(attrs={"rows": 10})
    )
    confidant = forms.CharField(
        label=_("Vertrouwenspersoon (naam en telefoon)"), max_length=200, required=False
    )
    director_phone = forms.CharField(label=_("Telefoon directeur"), max_length=30, required=False)
    police = forms.CharField(label=_("Politie"), max_length=200)


class FeedbackForm(forms.Form):
    """A parent's idea or complaint; the school is asked only when their children go to more
    than one."""

    kind = forms.ChoiceField(
        label=_("Wat wilt u delen?"), choices=FeedbackKind.choices, widget=forms.RadioSelect
    )
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    text = forms.CharField(
        label=_("Uw bericht"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Schrijf in uw eigen taal. Noem geen gegevens van andere kinderen."),
    )

    def __init__(self, *args: Any, schools: QuerySet[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        only = list(schools[:2])
        if len(only) == 1:
            self.fields["school"].initial = only[0].pk
            self.fields["school"].widget = forms.HiddenInput()


class AssignForm(forms.Form):
    to = StaffChoiceField(label=_("Wie behandelt dit?"), queryset=get_user_model().objects.none())

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = staff


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Antwoord aan de ouder"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("De ouder leest dit in het ouderportaal. Schrijf kort en in gewone woorden."),
    )
    change_made = forms.CharField(
        label=_("Wat we hierdoor veranderen"),
        max_length=300,
        required=False,
        help_text=_(
            "Komt zonder naam in 'Wat we veranderden dankzij u' voor alle ouders. Leeg: niets."
        ),
    )


class ComplaintsProcedureForm(forms.Form):
    url = forms.URLField(
        label=_("Adres van de klachtenregeling"), required=False, assume_scheme="https"
    )
    contact = forms.CharField(
        label=_("Contactpersoon voor klachten"), max_length=200, required=False
    )
    answer_days = forms.IntegerField(
        label=_("Antwoord binnen (schooldagen)"), min_value=1, max_value=30
    )


class ChangesForm(forms.Form):
    introduction = forms.CharField(
        label=_("Inleiding"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- the support plan (opp) and meetings about a child --------------------------------------------


class SupportPlanForm(forms.Form):
    goals = forms.CharField(
        label=_("Doelen"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In gewone woorden: wat gaat het kind leren? De ouders lezen dit."),
    )
    support = forms.CharField(
        label=_("Ondersteuning: wat doet de school?"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    evaluation_on = forms.DateField(label=_("Evaluatie op"), widget=DateInput())
    document = forms.FileField(
        label=_("Of: het document van het opp"),
        required=False,
        help_text=_("Een PDF- of Word-bestand tot 10 MB."),
    )


class PlanAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Bent u het eens met het plan?"),
        choices=PlanAnswer.choices,
        widget=forms.RadioSelect,
    )
    remarks = forms.CharField(
        label=_("Uw opmerkingen"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("U mag in uw eigen taal schrijven."),
    )


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort overleg"), choices=MeetingKind.choices)
    purpose = forms.CharField(
        label=_("Waarom dit overleg?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("De ouders lezen dit in de uitnodiging."),
    )
    day = forms.DateField(label=_("Datum"), required=False, widget=DateInput())
    time = forms.TimeField(label=_("Tijd"), required=False, widget=TimeInput())
    place = forms.CharField(label=_("Plaats"), max_length=200, required=False)

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if bool(data.get("day")) != bool(data.get("time")):
            raise forms.ValidationError(_("Vul de datum én de tijd in, of laat beide leeg."))
        return data

    def starts_at(self) -> datetime.datetime | None:
        day, time = self.cleaned_data.get("day"), self.cleaned_data.get("time")
        if not (day and time):  # both or neither (clean)
            return None
        return timezone.make_aware(datetime.datetime.combine(day, time))


class ScheduleForm(forms.Form):
    day = forms.DateField(label=_("Datum"), widget=DateInput())
    time = forms.TimeField(label=_("Tijd"), widget=TimeInput())
    place = forms.CharField(label=_("Plaats"), max_length=200, required=False)

    @staticmethod
    def starts_at_of(data: dict) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(data["day"], data["time"]))


class AttendeeForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=150)
    role = forms.CharField(
        label=_("Rol"),
        max_length=150,
        help_text=_("Bijvoorbeeld: jeugdverpleegkundige van de GGD."),
    )
    is_external = forms.BooleanField(label=_("Van buiten de school"), required=False)


class BringForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=150)
    role = forms.CharField(
        label=_("Wie is deze persoon voor u?"),
        max_length=150,
        help_text=_("Bijvoorbeeld: mijn zus, een tolk, een vriendin."),
    )


class InvolvementForm(forms.Form):
    service = forms.CharField(
        label=_("Welke hulp?"),
        max_length=150,
        help_text=_("Bijvoorbeeld: schoolmaatschappelijk werk, het jeugdteam, de GGD."),
    )
    what = forms.CharField(
        label=_("Wat gaat er gebeuren?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    why = forms.CharField(
        label=_("Waarom?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    meldcode_reason = forms.CharField(
        label=_("Uitzondering volgens de meldcode"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Alleen invullen als het kind onveilig is en u Veilig Thuis inschakelt zonder de "
            "ouders vooraf te vertellen. Schrijf de reden op. De ouders krijgen dan geen bericht "
            "en zien dit nooit."
        ),
    )
