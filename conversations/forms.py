from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from conversations.models import (
    LOG_FIELDS,
    ConversationAgreement,
    Mode,
    Round,
    StartConversation,
)
from parents.forms import FamilyChoiceField
from parents.models import Channel, Guardian, Language, Schedule


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


def staff_of_school(school):
    return (
        get_user_model()
        .objects.filter(memberships__school=school)
        .distinct()
        .order_by("first_name", "last_name")
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class RoundForm(forms.ModelForm):
    modes = forms.MultipleChoiceField(
        label=_("Vormen"),
        choices=Mode.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[m.value for m in Mode],
    )

    class Meta:
        model = Round
        fields = [
            "window_start",
            "window_end",
            "slot_minutes",
            "pause_minutes",
            "modes",
            "sibling_head_start",
            "households_book_separately",
            "without_authority_may_book",
        ]
        widgets = {"window_start": DateInput, "window_end": DateInput}
        help_texts = {
            "window_start": _("Leeg laten: de eerste schooldag na de zomervakantie."),
            "window_end": _("Leeg laten: drie weken na de eerste dag."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window_start"].required = False
        self.fields["window_end"].required = False


class AssignmentForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Groep"), queryset=None)
    staff = StaffChoiceField(label=_("Medewerker"), queryset=None)
    joins = forms.BooleanField(label=_("Sluit alleen aan waar nodig"), required=False)

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = round.school.groups.filter(school_year=round.school_year)
        self.fields["staff"].queryset = staff_of_school(round.school)


class SlotForm(forms.Form):
    staff = StaffChoiceField(label=_("Wie voert de gesprekken?"), queryset=None)
    day = forms.DateField(label=_("Dag"), widget=DateInput)
    start = forms.TimeField(label=_("Van"), widget=TimeInput)
    end = forms.TimeField(label=_("Tot"), widget=TimeInput)
    mode = forms.ChoiceField(label=_("Vorm"), choices=Mode.choices)
    place = forms.CharField(label=_("Plaats"), max_length=100, required=False)

    def __init__(self, *args, round, user, **kwargs):
        super().__init__(*args, **kwargs)
        staff = staff_of_school(round.school)
        if not round.may_plan(user):
            staff = staff.filter(pk=user.pk)
        self.fields["staff"].queryset = staff
        self.fields["staff"].initial = user.pk
        self.fields["mode"].choices = [c for c in Mode.choices if c[0] in round.modes]


def slot_label(slot) -> str:
    """ "dinsdag 1 september, 08:20 · Anna de Wit · op school", in the active language."""
    start = date_format(timezone.localtime(slot.starts_at), "l j E, H:i")
    return f"{start} · {slot.staff.get_full_name()} · {slot.get_mode_display()}"


class SlotChoiceField(forms.ModelChoiceField):
    # The usual reason a slot is no longer among the choices: someone else took it just now.
    default_error_messages = {
        "invalid_choice": _("Dit tijdstip is net door iemand anders gekozen. Kies een ander."),
    }

    def label_from_instance(self, obj):
        return slot_label(obj)


class BookForm(forms.Form):
    """Book by phone: the child's own teacher's free times first, the others after them; with
    siblings still to plan, their adjacent times as one choice."""

    family = FamilyChoiceField(label=_("Gezin"), queryset=None)
    together = forms.ChoiceField(
        label=_("Broers en zussen aansluitend"), widget=forms.RadioSelect, required=False
    )
    slot = SlotChoiceField(label=_("Of alleen voor dit kind"), queryset=None, required=False)

    def __init__(self, *args, families, slots, own_slots=(), runs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family"].queryset = families
        if families.count() == 1:
            self.fields["family"].initial = families.first().pk
        slot_field = self.fields["slot"]
        slot_field.queryset = slots
        own = {slot.pk for slot in own_slots}
        others = [(s.pk, slot_label(s)) for s in slots if s.pk not in own]
        slot_field.choices = [
            ("", "—"),
            (_("Bij de eigen leerkracht"), [(s.pk, slot_label(s)) for s in own_slots]),
            *([(_("Andere tijden"), others)] if others else []),
        ]
        self.runs = {"-".join(str(slot.pk) for _c, slot in run): run for run in runs}
        if runs:
            self.fields["together"].choices = [
                (key, "; ".join(f"{c.pupil.first_name}: {slot_label(s)}" for c, s in run))
                for key, run in self.runs.items()
            ]
        else:
            del self.fields["together"]
            slot_field.label = _("Tijdstip")

    def clean(self):
        cleaned = super().clean()
        run = self.runs.get(cleaned.get("together") or "")
        if run is None and not cleaned.get("slot") and not self.errors:
            raise forms.ValidationError(_("Kies een tijdstip."))
        cleaned["run"] = run
        return cleaned


class MoveForm(forms.Form):
    slot = SlotChoiceField(label=_("Nieuw tijdstip"), queryset=None)

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots


class LogForm(forms.ModelForm):
    child_present = forms.TypedChoiceField(
        label=_("Was het kind erbij?"),
        choices=[("", "—"), ("True", _("ja")), ("False", _("nee"))],
        coerce=lambda value: value == "True",
        empty_value=None,
        required=False,
    )
    guardians_present = forms.ModelMultipleChoiceField(
        label=_("Welke ouders waren erbij?"),
        queryset=Guardian.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    preferred_channels = forms.MultipleChoiceField(
        label=_("Liefst contact via"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = StartConversation
        fields = ["guardians_present", *LOG_FIELDS]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3, "data-keep-draft": ""})
            for name in (
                "qualities",
                "needs",
                "parents_expectations",
                "school_expectations",
                "ambition",
                "support_needs",
                "home_situation",
            )
        }

    def __init__(self, *args, show_home_situation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardians_present"].queryset = Guardian.objects.filter(
            pupil_links__pupil=self.instance.pupil_id, pupil_links__access_blocked_reason=""
        )
        self.fields["interpreter_language"].choices = [("", "—"), *Language.choices]
        if not show_home_situation:
            del self.fields["home_situation"]


class AgreementForm(forms.ModelForm):
    responsible = StaffChoiceField(label=_("Wie van school"), queryset=None)

    class Meta:
        model = ConversationAgreement
        fields = [
            "what",
            "channel",
            "with_child",
            "responsible",
            "schedule",
            "interval_weeks",
            "due_on",
        ]
        widgets = {"due_on": DateInput}
        help_texts = {
            "interval_weeks": _("Alleen bij 'om de zoveel weken'."),
            "due_on": _("Alleen bij 'op een datum'."),
        }

    def __init__(self, *args, school, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = staff_of_school(school)
        self.fields["responsible"].initial = user.pk

    def clean(self):
        # The same rules as the database checks, said on the form.
        cleaned = super().clean()
        schedule = cleaned.get("schedule")
        if schedule == Schedule.ONCE and not cleaned.get("due_on"):
            self.add_error("due_on", _("Kies een datum voor deze afspraak."))
        if schedule == Schedule.EVERY_N_WEEKS and not cleaned.get("interval_weeks"):
            self.add_error("interval_weeks", _("Vul in om de hoeveel weken."))
        # A date or a number that the schedule does not use would only confuse later readers.
        if schedule and schedule != Schedule.ONCE:
            cleaned["due_on"] = None
        if schedule and schedule != Schedule.EVERY_N_WEEKS:
            cleaned["interval_weeks"] = None
        return cleaned


class WishForm(forms.Form):
    wish = forms.CharField(
        label=_("Wanneer kunt u wel?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )
    home_visit = forms.BooleanField(
        label=_("Ik wil liever een gesprek bij ons thuis"), required=False
    )
    interpreter_language = forms.ChoiceField(
        label=_("Ik wil graag een tolk in deze taal"),
        choices=[("", _("geen tolk nodig")), *Language.choices],
        required=False,
    )


class PortfolioItemForm(forms.Form):
    text = forms.CharField(
        label=_("Wat laat het kind zien?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Een korte zin in de woorden van het kind, bijvoorbeeld 'Mijn werkstuk over bijen'."
        ),
    )
    photo = forms.ImageField(
        label=_("Foto (mag leeg blijven)"),
        required=False,
        help_text=_("Van het werk, of van het kind aan het werk. Geen andere kinderen op de foto."),
    )
    photo_shows_child = forms.BooleanField(
        label=_("Het kind staat zelf op de foto"), required=False
    )


class PupilVoiceForm(forms.ModelForm):
    class Meta:
        model = StartConversation
        fields = ["pupil_proud_of", "pupil_learn_next"]
        widgets = {
            "pupil_proud_of": forms.Textarea(attrs={"rows": 3}),
            "pupil_learn_next": forms.Textarea(attrs={"rows": 3}),
        }
