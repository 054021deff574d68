"""What reminders say to parents, in their own language.

Every text is a Dutch source string marked with ``gettext_noop`` and translated in ``locale/``
like the rest of Schouder, so translators work in one place and the translation test checks
these texts too. A reminder's text is looked up once, when the reminder is made, and kept in its
row: a later change of wording never changes a message that is waiting to go out.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop


def language_of_message(language: str) -> str:
    """The language a message goes out in: the parent's, or Dutch when Schouder has no texts in
    that language."""
    return language if language in dict(settings.LANGUAGES) else "nl"


def in_language(language: str, *sources: str) -> tuple[str, ...]:
    """The Dutch ``sources`` translated into ``language`` (see ``language_of_message``)."""
    with translation.override(language_of_message(language)):
        return tuple(gettext(source) for source in sources)


# The few words ``reminders`` adds to every message itself.
STOP = gettext_noop("Wilt u dit soort berichten niet meer krijgen? Klik hier")
DIGEST_SUBJECT = gettext_noop("Uw herinneringen van vandaag ({count})")

# The page behind the stop link: (question, button, done), in the language of the message.
STOP_PAGE = (
    gettext_noop("Wilt u dit soort berichten van de school niet meer krijgen?"),
    gettext_noop("Ja, stop deze berichten"),
    gettext_noop("Gelukt. U krijgt dit soort berichten niet meer."),
)
