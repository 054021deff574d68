"""State changes of the class page: class parents, what a household shares with the class, and
class news. Each is one transaction and says no in Dutch."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parents.models import Guardian
from parents.photos import removed_on_rollback
from partnership.class_models import ClassParent, ClassPost, HouseholdSharing, PostStatus
from partnership.class_queries import guardians_of_group
from partnership.photos import scaled_photo
from partnership.services import PartnershipError
from schools.models import Group

MAX_POST_LENGTH = 2000


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise PartnershipError(_("Schrijf een bericht."))
    if len(text) > MAX_POST_LENGTH:
        raise PartnershipError(
            _("Een bericht is hoogstens %(max)s tekens. Maak het wat korter.")
            % {"max": MAX_POST_LENGTH}
        )
    return text


@transaction.atomic
def appoint_class_parent(*, group: Group, guardian: Guardian, by) -> ClassParent:
    """Make a parent of the group its klassenouder. Appointing twice changes nothing."""
    if not guardians_of_group(group).filter(pk=guardian.pk).exists():
        raise PartnershipError(_("Deze ouder heeft geen kind in deze groep."))
    class_parent, _created = ClassParent.objects.get_or_create(
        group=group, guardian=guardian, defaults={"appointed_by": by}
    )
    return class_parent


@transaction.atomic
def end_class_parent(*, class_parent: ClassParent) -> None:
    """The parent stops as klassenouder; messages they wrote stay, without their role."""
    class_parent.delete()


@transaction.atomic
def share_with_class(*, guardian: Guardian, share_email: bool, share_phone: bool):
    """The household agrees that the other parents of its children's classes see the first names
    of its guardians, and the e-mail addresses and phone numbers it chose."""
    sharing, _created = HouseholdSharing.objects.update_or_create(
        family_id=guardian.family_id,
        defaults={
            "share_email": share_email,
            "share_phone": share_phone,
            "agreed_by": guardian,
            "agreed_at": timezone.now(),
        },
    )
    return sharing


@transaction.atomic
def stop_sharing_with_class(*, guardian: Guardian) -> None:
    """Withdraw the household's consent: from now on other parents see nothing of it."""
    HouseholdSharing.objects.filter(family_id=guardian.family_id).delete()


def _with_photo(post: ClassPost, photo) -> ClassPost:
    """Save the post; a photo is scaled (and refused when it is none) before anything is written,
    then stored through the storage API under an opaque name, and removed again when the post's
    transaction does not commit."""
    scaled = scaled_photo(photo) if photo else None
    with removed_on_rollback() as keep:
        if scaled:
            post.photo = scaled
        post.save()
        keep(post.photo)
    return post


def post_class_news(*, group: Group, text: str, by, photo=None) -> ClassPost:
    """News from the school to the group's parents (optionally with a photo): published at once."""
    now = timezone.now()
    post = ClassPost(
        group=group,
        text=_clean_text(text),
        written_by_staff=by,
        status=PostStatus.PUBLISHED,
        reviewed_by=by,
        reviewed_at=now,
        created_at=now,
    )
    return _with_photo(post, photo)


def write_class_message(*, class_parent: ClassParent, text: str, photo=None) -> ClassPost:
    """A practical message from a klassenouder: it waits until the teacher approves it."""
    post = ClassPost(
        group_id=class_parent.group_id,
        text=_clean_text(text),
        written_by_parent=class_parent,
        status=PostStatus.WAITING,
    )
    return _with_photo(post, photo)


def _review(post: ClassPost, status: str, by) -> ClassPost:
    if post.status != PostStatus.WAITING:
        raise PartnershipError(_("Dit bericht is al beoordeeld."))
    post.status = status
    post.reviewed_by = by
    post.reviewed_at = timezone.now()
    post.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return post


@transaction.atomic
def approve_class_message(*, post: ClassPost, by) -> ClassPost:
    """The teacher approves a class parent's message: the group's parents see it now."""
    return _review(ClassPost.objects.select_for_update().get(pk=post.pk), PostStatus.PUBLISHED, by)


@transaction.atomic
def reject_class_message(*, post: ClassPost, by) -> ClassPost:
    return _review(ClassPost.objects.select_for_update().get(pk=post.pk), PostStatus.REJECTED, by)
