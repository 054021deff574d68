from django import forms

from schools.models import StaffMembership


class WhoDoesWhatForm(forms.ModelForm):
    class Meta:
        model = StaffMembership
        fields = ["task_description", "phone", "reachable"]
        widgets = {"task_description": forms.Textarea(attrs={"rows": 4})}
