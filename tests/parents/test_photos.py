"""Photo files and transactions (issue 21): a photo whose row is rolled back does not stay behind
in storage; a photo whose row is committed does."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError
from PIL import Image

from conversations.models import PortfolioItem
from parents import photos
from tests import factories as f


@pytest.fixture(autouse=True)
def _photos_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def scaled():
    out = io.BytesIO()
    Image.new("RGB", (800, 600), "blue").save(out, format="PNG")
    return photos.scaled_photo(ContentFile(out.getvalue(), name="werk.png"))


def save_item(conversation_id, keep):
    item = PortfolioItem(
        conversation_id=conversation_id, text="Mijn werk", added_by=f.UserFactory(), photo=scaled()
    )
    item.save()
    keep(item.photo)
    assert default_storage.exists(item.photo.name)  # storage knows no transactions
    return item.photo.name


@pytest.mark.django_db(transaction=True)
def test_a_photo_whose_row_fails_at_commit_is_removed_from_storage():
    name = ""
    # The conversation does not exist: PostgreSQL checks the (deferred) foreign key at commit,
    # after the file was written. The transaction rolls back, and the file must go with it.
    with pytest.raises(IntegrityError), photos.removed_on_rollback() as keep:
        name = save_item(conversation_id=2_000_000_000, keep=keep)
    assert name.startswith("portfolio/")
    assert not default_storage.exists(name)
    assert not PortfolioItem.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_photo_whose_row_is_refused_inside_the_block_is_removed_from_storage():
    from tests.conversations.factories import StartConversationFactory

    conversation = StartConversationFactory()
    name = ""
    with pytest.raises(ValueError, match="refused"), photos.removed_on_rollback() as keep:
        name = save_item(conversation_id=conversation.pk, keep=keep)
        raise ValueError("refused by a later rule")
    assert not default_storage.exists(name)
    assert not PortfolioItem.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_committed_photo_stays():
    from tests.conversations.factories import StartConversationFactory

    conversation = StartConversationFactory()
    with photos.removed_on_rollback() as keep:
        name = save_item(conversation_id=conversation.pk, keep=keep)
    assert default_storage.exists(name)
    assert PortfolioItem.objects.get().photo.name == name
