from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from messaging import queries, services
from messaging.forms import OwnTranslationForm
from messaging.models import Translation
from schools import permissions
from schools.models import School


def _school_for_translators(user, school_id):
    school = get_object_or_404(School.objects.visible_to(user), pk=school_id)
    permissions.require_role(user, permissions.TRANSLATORS, school)
    return school


@login_required
def translation_list(request, school_id):
    school = _school_for_translators(request.user, school_id)
    languages = [(code, name) for code, name in settings.PARENT_LANGUAGES if code != "nl"]
    language = request.GET.get("taal", "")
    language = language if language in dict(languages) else ""
    wanted = request.GET.get("open") == "1"
    return render(
        request,
        "messaging/translation_list.html",
        {
            "school": school,
            "languages": languages,
            "language": language,
            "wanted": wanted,
            "rows": queries.translations_of_school(school.pk, language=language, wanted=wanted),
            "backend_on": bool(settings.TRANSLATION_BACKEND),
        },
    )


@login_required
def translation_edit(request, school_id, pk):
    school = _school_for_translators(request.user, school_id)
    row = get_object_or_404(Translation.objects.of_school(school.pk), pk=pk)
    form = OwnTranslationForm(request.POST or None, initial={"text": row.text})
    form.fields["text"].widget.attrs.update(lang=row.language, dir="auto")
    if request.method == "POST" and form.is_valid():
        try:
            services.save_own_translation(
                translation=row, text=form.cleaned_data["text"], by=request.user
            )
        except services.TranslationError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, _("Uw vertaling is bewaard. Ouders lezen voortaan deze."))
            return redirect("messaging:translation-list", school_id=school.pk)
    return render(
        request,
        "messaging/translation_edit.html",
        {
            "school": school,
            "row": row,
            "form": form,
            "language_name": dict(settings.PARENT_LANGUAGES).get(row.language, row.language),
        },
    )
