"""Photos of class news, through ``parents.photos`` (scaling, storage, and no file left behind
by a rolled-back transaction): never in the database, and never at a public address:
``class_views.class_post_photo`` checks who asks."""

from django.core.files.base import ContentFile

from parents import photos
from partnership.services import PartnershipError


def scaled_photo(upload) -> ContentFile:
    """The upload scaled and stripped by ``parents.photos``; its refusal as a PartnershipError."""
    try:
        return photos.scaled_photo(upload)
    except photos.PhotoError as error:
        raise PartnershipError(str(error)) from error


def pupils_without_photo_consent(group) -> list:
    """The present pupils of ``group`` who may not appear in the parent portal and class news
    this school year (``parents.consent``: the strictest answer of the guardians holds), so the
    teacher is warned before posting a class photo. Three queries."""
    from parents.consent import refusals
    from parents.models import PhotoPurpose
    from schools.models import Pupil

    pupils = list(
        Pupil.objects.filter(enrolments__group=group).present().order_by("first_name", "pk")
    )
    consent = refusals([p.pk for p in pupils], group.school_year)
    return [p for p in pupils if not consent[p.pk].may_appear(PhotoPurpose.PORTAL)]
