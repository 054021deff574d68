"""Photos of children's school life (class news, portfolio items): scaled down on upload,
stripped of what the camera wrote in them (the place it was taken), and saved through Django's
storage API under an opaque name: on disk by default, in S3-compatible object storage in
production (see the README's settings). Never in the database, never at a public address.

It lives beside photo consent (``parents.consent``) so that every app that shows children can use
it; each app turns ``PhotoError`` into its own domain error."""

import io
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

LONGEST_SIDE = 1600
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
JPEG_QUALITY = 85


class PhotoError(Exception):
    """The upload is not a photo we can keep; the message (Dutch) says what to do."""


def scaled_photo(upload) -> ContentFile:
    """The uploaded image as a JPEG of at most ``LONGEST_SIDE`` pixels a side, upright, without
    its metadata; a Dutch error for a file that is not a photo or is too large."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise PhotoError(_("Deze foto is te groot. Kies een foto tot 15 MB."))
    try:
        with Image.open(upload) as original:
            image = ImageOps.exif_transpose(original).convert("RGB")
            image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
            out = io.BytesIO()
            # Saved without the original's EXIF data (GPS position, camera, time).
            image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise PhotoError(_("Dit bestand is geen foto. Kies een JPEG- of PNG-foto.")) from error
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


@contextmanager
def removed_on_rollback() -> Iterator[Callable[[FieldFile], None]]:
    """A transaction in which stored photos do not outlive a rollback.

    Saving a model writes its file to storage before the row reaches the database, and storage
    knows no transactions: when the row is rolled back (a refused rule, a constraint, a deferred
    foreign key at commit) the file would stay behind, nameless to every page. Inside this block,
    pass each saved file to the function it yields; if the block does not commit, those files
    are deleted again. Called inside a larger transaction (the test set-up, a bigger service),
    the block is a savepoint: its own failures still remove the files, but a later rollback of
    the outer transaction cannot be seen from here, which is why the services call it outermost."""
    stored: list[FieldFile] = []
    try:
        with transaction.atomic():
            yield stored.append
    except BaseException:
        for file in stored:
            if file.name:
                file.storage.delete(file.name)
        raise
