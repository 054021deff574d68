from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from parents.importing.mapping import FIELDS, REQUIRED
from parents.importing.tabular import max_bytes

ALLOWED_SUFFIXES = {".csv", ".txt", ".xlsx", ".xml"}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand uit de leerlingadministratie"),
        help_text=_("CSV, Excel (.xlsx) of EDEXML (.xml), hoogstens 10 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(_("Het bestand is te groot."))
        if Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(
                _("Kies een CSV-, Excel- (.xlsx) of EDEXML-bestand (.xml).")
            )
        return upload


class ImportColumnsForm(forms.Form):
    """One choice per field of ours: which column of the file holds it."""

    def __init__(self, *args, headers, initial_columns, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("(niet in het bestand)"))] + [(h, h) for h in headers]
        for name, (label, _known) in FIELDS.items():
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=name in REQUIRED,
                initial=initial_columns.get(name, ""),
            )

    def clean(self):
        cleaned = super().clean()
        chosen = [value for value in cleaned.values() if value]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(_("Elke kolom mag maar bij één veld horen."))
        return cleaned

    @property
    def columns(self):
        return {name: value for name, value in self.cleaned_data.items() if value}
