"""Photos of class news (issue 21, part 4): scaled down on upload, stored through the storage API
(never in the database), without the camera's metadata, and shown only to whom the page is for."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from partnership import class_services
from partnership.class_models import ClassPost
from partnership.services import PartnershipError
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _photos_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def camera_photo(width=4000, height=3000):
    """A large JPEG as a phone makes it, with a GPS position in its EXIF data."""
    image = Image.new("RGB", (width, height), "green")
    exif = Image.Exif()
    exif[0x8825] = {2: (52.0, 4.0, 0.0)}  # GPSInfo: a latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return ContentFile(out.getvalue(), name="IMG_0042.jpg")


def test_a_photo_is_scaled_down_stripped_and_stored_outside_the_database(world):
    post = class_services.post_class_news(
        group=world.s1.group, text="Onze moestuin", by=world.users["teacher"], photo=camera_photo()
    )
    post.refresh_from_db()
    assert post.photo.name.startswith("class-news/") and "IMG_0042" not in post.photo.name
    assert default_storage.exists(post.photo.name)
    with default_storage.open(post.photo.name) as stored, Image.open(stored) as image:
        assert max(image.size) == 1600
        assert image.format == "JPEG"
        assert not image.getexif().get(0x8825)
    assert (post.photo_width, post.photo_height) == (1600, 1200)


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_stored(world):
    with pytest.raises(PartnershipError, match="geen foto"):
        class_services.post_class_news(
            group=world.s1.group,
            text="Bijlage",
            by=world.users["teacher"],
            photo=ContentFile(b"%PDF-1.4 not an image", name="brief.jpg"),
        )
    assert not ClassPost.objects.exists()


def test_the_photo_is_served_to_the_groups_parents_and_not_to_another_group(client, world):
    post = class_services.post_class_news(
        group=world.s1.group, text="Moestuin", by=world.users["teacher"], photo=camera_photo()
    )
    url = reverse("partnership:class-post-photo", args=[post.pk])
    client.force_login(world.s1.guardian.user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    assert url in client.get(reverse("partnership:class-page", args=[world.s1.group.pk])).text

    elsewhere = f.GuardianFactory(user=f.UserFactory())
    pupil = f.PupilFactory(school=world.s1.school)
    f.EnrolmentFactory(pupil=pupil, group=world.s1.other_group)
    f.PupilGuardianFactory(pupil=pupil, guardian=elsewhere)
    client.force_login(elsewhere.user)
    assert client.get(url).status_code == 404


def test_a_waiting_message_photo_stays_hidden_from_parents_until_approved(client, world):
    class_parent = class_services.appoint_class_parent(
        group=world.s1.group, guardian=world.s1.guardian, by=world.users["teacher"]
    )
    post = class_services.write_class_message(
        class_parent=class_parent, text="Kijk, de taart", photo=camera_photo(800, 600)
    )
    url = reverse("partnership:class-post-photo", args=[post.pk])
    reader = f.GuardianFactory(user=f.UserFactory())
    f.PupilGuardianFactory(pupil=world.s1.pupil, guardian=reader)
    client.force_login(reader.user)
    assert client.get(url).status_code == 404
    class_services.approve_class_message(post=post, by=world.users["teacher"])
    assert client.get(url).status_code == 200


def test_the_teacher_uploads_a_photo_with_the_news(client, world):
    client.force_login(world.users["teacher"])
    photo = camera_photo(2000, 1000)
    photo.content_type = "image/jpeg"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("foto.jpg", photo.read(), content_type="image/jpeg")
    response = client.post(
        reverse("partnership:class-manage", args=[world.s1.group.pk]),
        {"text": "Sportdag", "photo": upload},
    )
    assert response.status_code == 302
    post = ClassPost.objects.get()
    assert (post.photo_width, post.photo_height) == (1600, 800)


def test_the_teacher_is_warned_about_children_who_may_not_appear_in_class_news(world, client):
    from parents.consent import PURPOSES, answer_photo_consent

    group, year = world.s1.group, world.s1.group.school_year
    answers = dict.fromkeys(PURPOSES, True)
    for name, portal in (("Noor", False), ("Daan", True)):
        link = f.PupilGuardianFactory(
            pupil=f.PupilFactory(school=world.s1.school, first_name=name),
            guardian=f.GuardianFactory(user=f.UserFactory()),
        )
        f.EnrolmentFactory(pupil=link.pupil, group=group)
        answer_photo_consent(
            guardian=link.guardian,
            pupil=link.pupil,
            year=year,
            answers={**answers, "portal": portal},
            by=link.guardian.user,
        )
    client.force_login(world.users["teacher"])

    page = client.get(reverse("partnership:class-manage", args=[group.pk])).content.decode()

    warning = page.split("Geen toestemming voor foto's in het ouderportaal")[1].split("</div>")[0]
    assert "Noor" in warning and "Daan" not in warning
