"""Photos of class news: scaled down on upload, stripped of what the camera wrote in them (the
place it was taken), and saved through Django's storage API under an opaque name: on disk by
default, in S3-compatible object storage in production (see the README's settings). Never in the
database, and never at a public address: ``class_views.class_post_photo`` checks who asks."""

import io
import uuid

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from partnership.services import PartnershipError

LONGEST_SIDE = 1600
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
JPEG_QUALITY = 85


def scaled_photo(upload) -> ContentFile:
    """The uploaded image as a JPEG of at most ``LONGEST_SIDE`` pixels a side, upright, without
    its metadata; a Dutch error for a file that is not a photo or is too large."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise PartnershipError(_("Deze foto is te groot. Kies een foto tot 15 MB."))
    try:
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
            out = io.BytesIO()
            # Saved without the original's EXIF data (GPS position, camera, time).
            image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise PartnershipError(
            _("Dit bestand is geen foto. Kies een JPEG- of PNG-foto.")
        ) from error
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


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
