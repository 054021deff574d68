"""Every text a parent can read exists in every parent language; every text exists in English."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django import forms
from django.conf import settings
from django.utils import translation

from conversations import reminder_rules as conversation_reminders
from conversations.forms import WishForm
from conversations.models import Mode
from messaging import reminder_rules as messaging_reminders
from messaging import services as messaging_services
from messaging.forms import ReplyForm
from parents import reminder_rules as parent_reminders
from parents.models import Channel, ContactChannel, Language, PhotoPurpose
from parents.portal_forms import YES_NO, ContactDetailsForm
from partnership import reminder_rules as activity_reminders
from partnership.forms import GuardianTopicForm
from partnership.models import RSVP
from reminders import texts as reminder_texts

LOCALE = Path(settings.BASE_DIR) / "locale"
# Files whose texts parents read: the portal, the login-by-code pages, the page frame.
PARENT_SOURCES = (
    "templates/parents/portal_",
    "templates/account/",
    "templates/base.html",
    "templates/navigation.html",
    "templates/schools/who_does_what.html",
    "templates/schools/no_access.html",
    "parents/portal_",
    # Start conversations: booking, asking for another time, the calendar file, the move/cancel e-mail.
    "templates/conversations/portal_",
    "conversations/notifications.py",
    "conversations/ics.py",
    # Activities: invitations, the RSVP page and suggesting a topic.
    "templates/partnership/invitation_",
    "templates/partnership/topic_suggest.html",
    # Staff-written text in the parent's language, and reading a page aloud.
    "messaging/translation.py",
    "templates/messaging/_read_aloud.html",
    # Conversations with the school and messages from school.
    "templates/messaging/portal_",
    "messaging/portal.py",
)
# Choice labels and form fields the parent pages above show, wherever they are defined.
PARENT_CHOICES = (Channel, ContactChannel, Language, Mode, RSVP, PhotoPurpose)
PARENT_FORMS = (WishForm, GuardianTopicForm, ContactDetailsForm, ReplyForm)
# Messages the parent pages above show from views and services that also serve staff.
PARENT_NOTICES = (
    "Dank u wel! Uw gesprek staat vast.",
    "Dank u wel! De school neemt contact met u op.",
    "Dit tijdstip is niet meer vrij. Kies een ander.",
    "U kunt alleen een gesprek boeken voor uw eigen kind.",
    "U kunt nog niet boeken.",
    "Dit tijdstip hoort bij een andere ronde.",
    "Dit tijdstip is al voorbij.",
    "Dit tijdstip valt buiten de periode van de startgesprekken.",
    "Dit tijdstip is net door iemand anders gekozen. Kies een ander.",
    "Het startgesprek van dit kind is al gehouden.",
    "Voor dit kind is al een gesprek gepland.",
    "Uw gezin heeft voor dit kind al een gesprek gepland.",
    "Kies een tijdstip.",
    "Kies voor elk kind een ander tijdstip.",
    "Deze uitnodiging is niet voor u.",
    "Schrijf op wat u wilt.",
    "Dank u wel voor uw antwoord.",
    "Dank u wel! De ouder-coördinator leest uw onderwerp en zet het op de agenda.",
    "Deze uitnodiging is niet voor uw gezin.",
    "Kies: ik kom, ik kom niet of misschien.",
    "Deze activiteit is al voorbij.",
    "Schrijf een onderwerp.",
    "De inschrijving voor de startgesprekken is gesloten. Bel de school als u nog een gesprek wilt.",
    "U hebt al informatie over uw kinderen, of de school mag die niet geven.",
    "Dank u. De school beslist over uw verzoek en laat het u weten.",
    "De school heeft uw verzoek al. U hoort het besluit.",
    # Logging in with a code by text message (parents/login.py).
    "Vul uw mobiele nummer in, bijvoorbeeld 06 12345678.",
    "Uw code voor Schouder: %(code)s. De code werkt 15 minuten.",
    "Vul uw e-mailadres of uw 06-nummer in.",
    # Photo consent and the guardian's own contact details (parents/consent.py,
    # parents/contact_details.py, the photo consent form's yes/no).
    "Alleen een ouder met gezag beslist over foto's en video's van het kind.",
    "Kies bij elke vraag ja of nee.",
    "Kies ja of nee.",
    *(str(label) for _value, label in YES_NO),
    "'%(v)s' is geen telefoonnummer. Schrijf het zo: 06 12345678.",
    "'%(v)s' is geen e-mailadres. Schrijf het zo: naam@voorbeeld.nl.",
    "Vul een telefoonnummer of een e-mailadres in. Anders kan de school u niet bereiken.",
    # Reminders to parents, written when the reminder is made, in the parent's language.
    *parent_reminders.CONSENT_TEXTS,
    *parent_reminders.CONSENT_REPEAT_TEXTS,
    *parent_reminders.WELCOME,
    *parent_reminders.WELCOME_REPEAT,
    *(text for words in conversation_reminders.TEXTS.values() for text in words.to_parents),
    *conversation_reminders.WHERE.values(),
    *activity_reminders.INVITATION,
    *activity_reminders.COMING,
    reminder_texts.STOP,
    *reminder_texts.STOP_PAGE,
    # Conversations: the acknowledgement, answers and messages from school.
    messaging_services.ACKNOWLEDGEMENT,
    messaging_services.ACKNOWLEDGEMENT_NOBODY,
    *messaging_reminders.ACKNOWLEDGEMENT_TEXTS,
    *messaging_reminders.ANSWER_TEXTS,
    *messaging_reminders.ANNOUNCEMENT_TEXTS,
    "Uw bericht is te lang. Houd het korter dan 4000 tekens.",
    "Dit gesprek vinden wij niet bij uw account.",
    "Dank u. De school heeft uw antwoord gekregen.",
)
PARENT_LANGUAGES = ["en", "ar", "tr", "pl", "bg", "uk"]


def catalog(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po_file:
        return read_po(po_file, locale=language)


def parent_messages():
    """The source texts of PARENT_CHOICES, PARENT_FORMS and PARENT_NOTICES (the msgids)."""
    texts = set()
    with translation.override(None):
        for choices in PARENT_CHOICES:
            texts.update(str(label) for label in choices.labels)
        for form_class in PARENT_FORMS:
            for field in form_class.base_fields.values():
                texts.update(str(text) for text in (field.label, field.help_text) if text)
                if isinstance(field, forms.ChoiceField) and not isinstance(
                    field, forms.ModelChoiceField
                ):
                    texts.update(str(label) for _value, label in field.choices)
    texts.update(PARENT_NOTICES)
    texts.discard("")
    return texts


PARENT_MESSAGES = parent_messages()


def is_parent_text(message):
    return message.id in PARENT_MESSAGES or any(
        path.startswith(PARENT_SOURCES) for path, _line in message.locations
    )


@pytest.mark.parametrize("language", PARENT_LANGUAGES)
def test_every_parent_text_is_translated(language):
    untranslated = [
        message.id
        for message in catalog(language)
        if message.id and is_parent_text(message) and not message.string
    ]
    assert not untranslated, f"{language}: {untranslated}"


def test_every_text_has_an_english_translation():
    untranslated = [
        message.id
        for message in catalog("en")
        if message.id and not (all(message.string) if message.pluralizable else message.string)
    ]
    assert not untranslated


@pytest.mark.parametrize("language", PARENT_LANGUAGES)
def test_placeholders_survive_translation(language):
    broken = [
        message.id
        for message in catalog(language)
        if message.id
        and not message.pluralizable
        and message.string
        and sorted(_placeholders(message.id)) != sorted(_placeholders(message.string))
    ]
    assert not broken, f"{language}: {broken}"


def _placeholders(text):
    return re.findall(r"%\(\w+\)s|\{\w+\}", text)


@pytest.mark.django_db
def test_the_portal_speaks_arabic_right_to_left(client, world):
    client.force_login(world.s1.guardian.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = client.get("/ouders/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "bootstrap.rtl.min.css" in page
    assert "أطفالي" in page  # "Mijn kinderen"
