"""Translation of what staff write, for parents who read another language, and back.

One public function, ``translated``: the text in the language asked for, or the original
untouched when the school translates nothing (``TRANSLATION_BACKEND`` off, the default), when the
language is the text's own, or when the service fails. Each text of a school is translated once
per language and kept (``messaging.models.Translation``); a translation a staff member wrote
wins over the machine's and is never replaced by it.

The service is the school's choice, for privacy: DeepL's API, or a LibreTranslate that the school
or its board runs itself. A service that fails or is slow makes the page show the original, never
an error; the failure is logged and the service is left alone for a minute, so that a page with
twenty texts does not wait twenty times.
"""

import hashlib
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.html import format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from messaging.models import Translation

logger = logging.getLogger(__name__)

PAUSED = "messaging:translation-paused"


class TranslationUnavailable(Exception):
    """The service did not answer with a translation."""


@dataclass(frozen=True)
class Translated:
    """A text as a reader gets it: ``text`` in ``language``, and always the ``original``."""

    text: str
    original: str
    language: str  # the language of ``text``
    source: str  # the language of ``original``
    machine: bool = False
    multiline: bool = False

    @property
    def is_translated(self) -> bool:
        return self.language != self.source

    def isolated_text(self) -> str:
        """The text in Unicode isolates (FSI … PDI): for plain strings such as a button label,
        where no ``<bdi>`` can go."""
        return f"\u2068{self.text}\u2069"

    def text_html(self) -> SafeString:
        """The text, isolated from the sentence around it (Dutch inside an Arabic page)."""
        return _isolated(self.text, self.language, self.multiline)

    def note_html(self) -> SafeString:
        """The label "automatically translated" and the original, one tap away."""
        if not self.is_translated:
            return mark_safe("")
        label = (
            format_html(
                ' <small class="translated-label">({})</small>', gettext("automatisch vertaald")
            )
            if self.machine
            else ""
        )
        return format_html(
            '{}<details class="translated-original"><summary>{}</summary>{}</details>',
            label,
            gettext("Bekijk de oorspronkelijke tekst"),
            _isolated(self.original, self.source, self.multiline),
        )

    def __html__(self) -> SafeString:
        return self.text_html() + self.note_html()

    def __str__(self) -> str:
        return self.__html__()


def _isolated(text: str, language: str, multiline: bool) -> SafeString:
    if multiline:
        return format_html(
            '<div lang="{}" dir="auto">{}</div>', language, mark_safe(linebreaks(text, True))
        )
    return format_html('<bdi lang="{}">{}</bdi>', language, text)


# --- The services ---------------------------------------------------------------------------


def _post_json(url: str, payload: dict, headers: dict, timeout: float) -> dict:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:200].decode(errors="replace")
        raise TranslationUnavailable(f"HTTP {exc.code}: {detail}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:  # down, slow, or not JSON
        raise TranslationUnavailable(f"{type(exc).__name__}: {exc}") from exc


class DeepL:
    """DeepL's API: ``POST /v2/translate``, the key in the Authorization header."""

    name = "deepl"

    def __init__(self, *, url: str, key: str, timeout: float) -> None:
        self.url = url.rstrip("/") + "/v2/translate"
        self.key = key
        self.timeout = timeout

    @staticmethod
    def language_code(language: str, *, target: bool) -> str:
        # DeepL wants a variant for English as a target; British English for Dutch schools.
        if target and language == "en":
            return "EN-GB"
        return language.upper()

    def translate(self, text: str, *, source: str, target: str) -> str:
        answer = _post_json(
            self.url,
            {
                "text": [text],
                "source_lang": self.language_code(source, target=False),
                "target_lang": self.language_code(target, target=True),
            },
            {"Authorization": f"DeepL-Auth-Key {self.key}"},
            self.timeout,
        )
        try:
            return answer["translations"][0]["text"]
        except (KeyError, IndexError, TypeError) as exc:
            raise TranslationUnavailable(f"Onverwacht antwoord: {answer!r:.200}") from exc


class LibreTranslate:
    """A LibreTranslate server: ``POST /translate`` with the text in ``q``."""

    name = "libretranslate"

    def __init__(self, *, url: str, key: str, timeout: float) -> None:
        self.url = url.rstrip("/") + "/translate"
        self.key = key
        self.timeout = timeout

    def translate(self, text: str, *, source: str, target: str) -> str:
        payload = {"q": text, "source": source, "target": target, "format": "text"}
        if self.key:
            payload["api_key"] = self.key
        answer = _post_json(self.url, payload, {}, self.timeout)
        try:
            return answer["translatedText"]
        except (KeyError, TypeError) as exc:
            raise TranslationUnavailable(f"Onverwacht antwoord: {answer!r:.200}") from exc


def backend() -> DeepL | LibreTranslate | None:
    """The service the school chose in ``TRANSLATION_BACKEND``, or None (off)."""
    choice = (settings.TRANSLATION_BACKEND or "").strip().lower()
    timeout = settings.TRANSLATION_TIMEOUT
    if choice == "deepl":
        return DeepL(url=settings.DEEPL_API_URL, key=settings.DEEPL_AUTH_KEY, timeout=timeout)
    if choice == "libretranslate":
        return LibreTranslate(
            url=settings.LIBRETRANSLATE_URL, key=settings.LIBRETRANSLATE_API_KEY, timeout=timeout
        )
    return None


# --- Translated, once ---------------------------------------------------------------------------


def translatable(language: str) -> bool:
    """Translations are asked in and from the languages of Schouder's own pages only: a parent
    who reads another language gets the original (and, on the staff's side, an interpreter)."""
    return language in dict(settings.PARENT_LANGUAGES)


def source_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def translated(
    text: str,
    language: str,
    *,
    school_id: int | None,
    source: str = "nl",
    multiline: bool = False,
    memo: dict | None = None,
) -> Translated:
    """``text`` (written in ``source`` at school ``school_id``) for a reader of ``language``.

    A stored translation is used as it is; otherwise the service is asked once and its answer
    kept. Without a service, or when it fails, the original comes back untouched and the text is
    noted as wanted, so staff can translate it themselves. ``memo`` (a dict kept for one request)
    makes a page with many texts read the stored translations in one query.
    """
    original = text or ""
    untouched = Translated(
        text=original, original=original, language=source, source=source, multiline=multiline
    )
    if (
        not original.strip()
        or not school_id
        or language == source
        or not (translatable(language) and translatable(source))
    ):
        return untouched
    digest = source_hash(original)
    shelf = _shelf(school_id, source, language, {} if memo is None else memo)
    row = shelf.get(digest)
    if row is None or not row.text:
        row = _translate(school_id, digest, original, source, language, exists=row is not None)
        shelf[digest] = row
    if not row.text:
        return untouched
    return Translated(
        text=row.text,
        original=original,
        language=language,
        source=source,
        machine=row.machine,
        multiline=multiline,
    )


def _shelf(school_id: int, source: str, language: str, memo: dict) -> dict:
    key = (school_id, source, language)
    if key not in memo:
        memo[key] = {
            row.source_hash: row
            for row in Translation.objects.filter(
                school_id=school_id, source_language=source, language=language
            )
        }
    return memo[key]


def _translate(
    school_id: int, digest: str, original: str, source: str, language: str, *, exists: bool
) -> Translation:
    """The stored row for this text, translated by the service when it can."""
    lookup = {
        "school_id": school_id,
        "source_hash": digest,
        "source_language": source,
        "language": language,
    }
    client = backend()
    if client is None or cache.get(PAUSED):
        if not exists:
            Translation.objects.bulk_create(
                [Translation(**lookup, original=original)], ignore_conflicts=True
            )
        return Translation(**lookup, original=original)
    with transaction.atomic():
        Translation.objects.bulk_create(
            [Translation(**lookup, original=original)], ignore_conflicts=True
        )
        # Whoever holds the row asks the service; a page that waits here then reads the answer,
        # so two parents opening the same page at once cost one request.
        row = Translation.objects.select_for_update().get(**lookup)
        if row.text:
            return row
        try:
            text = client.translate(original, source=source, target=language).strip()
            if not text:
                raise TranslationUnavailable("Lege vertaling.")
        except TranslationUnavailable as exc:
            logger.warning(
                "translation: %s failed (%s → %s), the original is shown: %s",
                client.name,
                source,
                language,
                exc,
            )
            cache.set(PAUSED, True, timeout=settings.TRANSLATION_PAUSE_AFTER_FAILURE)
            return row
        row.text = text
        row.machine = True
        row.save(update_fields=["text", "machine", "updated_at"])
    return row
