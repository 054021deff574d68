"""The class page: for the parents of a group (their own children's groups only), and for the
group's teachers, who appoint class parents and approve their messages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from partnership import class_queries, class_services
from partnership.class_forms import ClassPostForm, SharingForm
from partnership.class_models import ClassParent, ClassPost, HouseholdSharing
from partnership.photos import pupils_without_photo_consent
from partnership.services import PartnershipError
from schools import permissions
from schools.models import Group

# --- For parents ---------------------------------------------------------------------------------


def _own_group(request, pk):
    guardian = permissions.guardian_or_404(request.user)
    return guardian, get_object_or_404(class_queries.groups_of_guardian(request.user), pk=pk)


@never_cache
@login_required
def class_list(request):
    guardian = permissions.guardian_or_404(request.user)
    sharing = HouseholdSharing.objects.filter(family_id=guardian.family_id).first()
    context = {
        "groups": class_queries.groups_of_guardian(request.user),
        "form": SharingForm.for_sharing(sharing),
        "sharing": sharing,
    }
    return render(request, "partnership/class_list.html", context)


@never_cache
@login_required
def class_page(request, pk):
    guardian, group = _own_group(request, pk)
    context = class_queries.class_page(group, guardian)
    return render(request, "partnership/class_page.html", context)


@login_required
@require_POST
def class_sharing(request):
    """The household's opt-in to be seen by the other parents of the class, or its withdrawal."""
    guardian = permissions.guardian_or_404(request.user)
    if not class_queries.groups_of_guardian(request.user).exists():
        raise Http404  # only a parent who sees a child in a class decides for the household
    form = SharingForm(request.POST)
    form.is_valid()  # three check boxes: always valid
    data = form.cleaned_data
    if data.get("share"):
        class_services.share_with_class(
            guardian=guardian, share_email=data["share_email"], share_phone=data["share_phone"]
        )
        messages.success(request, _("Bewaard. Andere ouders van de klas zien nu uw voornamen."))
    else:
        class_services.stop_sharing_with_class(guardian=guardian)
        messages.success(request, _("Bewaard. Andere ouders van de klas zien niets van u."))
    return redirect("partnership:class-list")


@never_cache
@login_required
def class_message_create(request, pk):
    """A class parent writes a practical message; the teacher approves it first."""
    guardian, group = _own_group(request, pk)
    class_parent = get_object_or_404(ClassParent, group=group, guardian=guardian)
    form = ClassPostForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            class_services.write_class_message(
                class_parent=class_parent,
                text=form.cleaned_data["text"],
                photo=form.cleaned_data["photo"],
            )
        except PartnershipError as error:
            form.add_error("text", str(error))
        else:
            messages.success(
                request, _("Dank u. De leerkracht leest uw bericht en zet het dan op de pagina.")
            )
            return redirect("partnership:class-page", pk=group.pk)
    return render(request, "partnership/class_message_form.html", {"group": group, "form": form})


# --- For the group's teachers --------------------------------------------------------------------


def _taught_group(request, pk):
    """Teachers of the group and the whole-school roles; not the board (names)."""
    return get_object_or_404(
        Group.objects.visible_to(request.user).select_related("school", "school_year"), pk=pk
    )


@never_cache
@login_required
def class_manage(request, pk):
    group = _taught_group(request, pk)
    form = ClassPostForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            class_services.post_class_news(
                group=group,
                text=form.cleaned_data["text"],
                by=request.user,
                photo=form.cleaned_data["photo"],
            )
        except PartnershipError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, _("Het bericht staat op de klassenpagina."))
            return redirect("partnership:class-manage", pk=group.pk)
    context = {
        "group": group,
        "form": form,
        "without_photo_consent": pupils_without_photo_consent(group),
        **class_queries.class_overview(group),
    }
    return render(request, "partnership/class_manage.html", context)


@login_required
@require_POST
def class_parent_appoint(request, pk):
    group = _taught_group(request, pk)
    guardian = get_object_or_404(
        class_queries.guardians_of_group(group), pk=request.POST.get("guardian") or 0
    )
    try:
        class_services.appoint_class_parent(group=group, guardian=guardian, by=request.user)
    except PartnershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s is klassenouder.") % {"name": guardian.full_name})
    return redirect("partnership:class-manage", pk=group.pk)


@login_required
@require_POST
def class_parent_end(request, pk):
    class_parent = get_object_or_404(
        ClassParent.objects.filter(group__in=Group.objects.visible_to(request.user)), pk=pk
    )
    group_pk = class_parent.group_id
    class_services.end_class_parent(class_parent=class_parent)
    messages.success(request, _("Deze ouder is geen klassenouder meer."))
    return redirect("partnership:class-manage", pk=group_pk)


@login_required
@require_POST
def class_post_review(request, pk):
    post = get_object_or_404(
        ClassPost.objects.filter(group__in=Group.objects.visible_to(request.user)), pk=pk
    )
    review = (
        class_services.approve_class_message
        if request.POST.get("decision") == "approve"
        else class_services.reject_class_message
    )
    try:
        review(post=post, by=request.user)
    except PartnershipError as error:
        messages.error(request, str(error))
    return redirect("partnership:class-manage", pk=post.group_id)


@login_required
def class_post_photo(request, pk):
    """The photo of a class post, only for whom the post is (never a public media address)."""
    post = get_object_or_404(class_queries.posts_visible_to(request.user).exclude(photo=""), pk=pk)
    response = FileResponse(post.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
