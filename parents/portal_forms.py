from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from parents.models import WRITTEN_MESSAGE_KINDS, Channel, GuardianMessageKind, PhotoPurpose
from reminders.channels import sendable_channels

AT_ONCE, DAILY = "now", "daily"
RHYTHM_CHOICES = [(AT_ONCE, _("Meteen")), (DAILY, _("Eén bericht per dag"))]
RHYTHM_LABELS = {
    Channel.EMAIL: _("Berichten per e-mail"),
    Channel.SMS: _("Berichten per sms"),
}


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Taal"), choices=settings.PARENT_LANGUAGES)
    channel = forms.ChoiceField(
        label=_("Hoe wilt u berichten van school krijgen?"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
    )
    wants_reminders = forms.BooleanField(
        label=_("Stuur mij een herinnering voor gesprekken en activiteiten"), required=False
    )
    quiet_hours_start = forms.TimeField(
        label=_("Geen berichten vanaf"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_hours_end = forms.TimeField(
        label=_("Weer berichten vanaf"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what the school can actually send by (reminders.channels).
        sendable = sendable_channels()
        self.fields["channel"].choices = [
            (value, label) for value, label in Channel.choices if value in sendable
        ]
        # Per channel: each message at once, or one a day (reminders gathers them).
        for channel in sendable:
            self.fields[f"daily_{channel}"] = forms.ChoiceField(
                label=RHYTHM_LABELS[channel],
                choices=RHYTHM_CHOICES,
                initial=AT_ONCE,
                required=False,  # not chosen: each message at once, as before
                widget=forms.RadioSelect,
                help_text=_("Eén bericht per dag: u krijgt 's ochtends alles in één bericht."),
            )

    def daily_channels(self):
        return [
            name.removeprefix("daily_")
            for name, value in self.cleaned_data.items()
            if name.startswith("daily_") and value == DAILY
        ]

    @classmethod
    def for_guardian(cls, guardian, data=None):
        sendable = sendable_channels()
        chosen = [c for c in guardian.preferred_channels if c in sendable]
        initial = {
            "language": guardian.language,
            "channel": (chosen or [Channel.EMAIL])[0],
            "wants_reminders": guardian.wants_reminders,
            "quiet_hours_start": guardian.quiet_hours_start,
            "quiet_hours_end": guardian.quiet_hours_end,
            **{f"daily_{channel}": DAILY for channel in guardian.daily_channels},
        }
        return cls(data=data, initial=initial)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("quiet_hours_start"), cleaned.get("quiet_hours_end")
        if (start is None) != (end is None):
            raise forms.ValidationError(_("Vul bij rustige uren een begintijd en een eindtijd in."))
        return cleaned


class GuardianMessageForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Wat wilt u de school laten weten?"),
        choices=[(kind.value, kind.label) for kind in WRITTEN_MESSAGE_KINDS],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Uw bericht"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Bij 'bel mij terug': schrijf wanneer u het beste kunt praten."),
    )

    def __init__(self, *args, may_change, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_change:
            # Without parental authority a guardian may ask to be called, not add to the file.
            self.fields["kind"].choices = [
                (value, label)
                for value, label in self.fields["kind"].choices
                if value != GuardianMessageKind.FILE_INFORMATION
            ]


class ContactDetailsForm(forms.Form):
    """A guardian's own phone, e-mail and address; checked again by ``change_contact_details``."""

    phone = forms.CharField(
        label=_("Telefoonnummer"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "dir": "ltr"}),
        help_text=_("Bijvoorbeeld: 06 12345678"),
    )
    email = forms.CharField(
        label=_("E-mailadres"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email", "dir": "ltr"}),
    )
    street = forms.CharField(
        label=_("Straat"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    house_number = forms.CharField(label=_("Huisnummer"), required=False, max_length=20)
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "dir": "ltr"}),
    )
    city = forms.CharField(
        label=_("Woonplaats"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )

    @classmethod
    def for_guardian(cls, guardian, data=None):
        fields = ("phone", "email", "street", "house_number", "postcode", "city")
        return cls(data=data, initial={name: getattr(guardian, name) for name in fields})


YES_NO = [("yes", _("Ja")), ("no", _("Nee"))]


class PhotoConsentForm(forms.Form):
    """Yes or no per purpose for one child; the field names carry the child's id so that one
    page holds a form per child."""

    def __init__(self, *args, pupil, answers=None, **kwargs):
        answers = answers or {}
        initial = {purpose: "yes" if given else "no" for purpose, given in answers.items()}
        super().__init__(*args, prefix=f"child-{pupil.pk}", initial=initial, **kwargs)
        self.pupil = pupil
        for purpose, label in PhotoPurpose.choices:
            self.fields[purpose] = forms.ChoiceField(
                label=label,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": _("Kies ja of nee.")},
            )

    def answers(self):
        return {purpose: value == "yes" for purpose, value in self.cleaned_data.items()}
