from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from schools import permissions
from schools.models import Pupil


@login_required
def portal_home(request):
    """The guardian's start page: their children and their schools."""
    if not permissions.is_guardian(request.user):
        raise Http404
    children = (
        Pupil.objects.visible_to(request.user)
        .present()
        .select_related("school")
        .order_by("first_name")
    )
    schools = {child.school for child in children}
    return render(
        request,
        "parents/portal_home.html",
        {
            "guardian": request.user.guardian,
            "children": children,
            "schools": sorted(schools, key=str),
        },
    )
