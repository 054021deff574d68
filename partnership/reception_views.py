"""The ouder-coördinator plans the new-year receptions of all groups in one step."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from partnership.models import can_plan
from partnership.reception_forms import ReceptionForm
from partnership.receptions import plan_new_year_receptions
from partnership.services import PartnershipError
from schools.models import School


@login_required
def reception_plan(request, pk):
    school = get_object_or_404(School.objects.records_visible_to(request.user), pk=pk)
    if not can_plan(request.user, school):
        raise Http404
    form = ReceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            receptions, warnings = plan_new_year_receptions(
                school=school, by=request.user, **form.cleaned_data
            )
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            for text in warnings:
                messages.warning(request, text)
            messages.success(
                request,
                _("%(count)s recepties staan in de planning, elk voor één groep.")
                % {"count": len(receptions)},
            )
            return redirect("partnership:activity-list", pk=school.pk)
    return render(request, "partnership/reception_plan.html", {"school": school, "form": form})
