"""Forms of the class page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnership.class_services import MAX_POST_LENGTH


class ClassPostForm(forms.Form):
    text = forms.CharField(
        label=_("Uw bericht"),
        max_length=MAX_POST_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Schrijf een bericht.")},
    )
    photo = forms.ImageField(
        label=_("Foto (mag ook zonder)"),
        required=False,
        error_messages={
            "invalid_image": _("Dit bestand is geen foto. Kies een JPEG- of PNG-foto.")
        },
    )


class SharingForm(forms.Form):
    share = forms.BooleanField(
        label=_("Andere ouders van de klas mogen onze voornamen zien"), required=False
    )
    share_email = forms.BooleanField(label=_("Ook ons e-mailadres"), required=False)
    share_phone = forms.BooleanField(label=_("Ook ons telefoonnummer"), required=False)

    @classmethod
    def for_sharing(cls, sharing, data=None):
        initial = {
            "share": sharing is not None,
            "share_email": bool(sharing and sharing.share_email),
            "share_phone": bool(sharing and sharing.share_phone),
        }
        return cls(data=data, initial=initial)
