"""State changes of messaging: a staff member's own translation of a text."""

from django.db import transaction

from messaging.models import Translation


class TranslationError(Exception):
    pass


def save_own_translation(*, translation: Translation, text: str, by) -> Translation:
    """Keep ``text`` as the school's own translation: it wins over the machine's from now on."""
    text = text.strip()
    if not text:
        raise TranslationError("Vul de vertaling in.")
    with transaction.atomic():
        translation.text = text
        translation.machine = False
        translation.translated_by = by
        translation.save(update_fields=["text", "machine", "translated_by", "updated_at"])
    return translation
