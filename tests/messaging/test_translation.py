"""Staff-written text in the parent's language: through DeepL or LibreTranslate (local stand-ins
speaking their protocols), once per text and language, the staff's own translation first, and
the original whenever the service cannot help."""

import logging
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation as django_translation

from messaging.models import Translation
from messaging.translation import translated
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

TITLE = "Koffieochtend voor ouders"


@pytest.fixture
def school():
    return SchoolFactory()


def test_deepl_is_asked_in_its_own_protocol_and_its_answer_shown(deepl, school):
    result = translated(TITLE, "tr", school_id=school.pk)
    assert (result.text, result.original, result.machine) == (
        "Veliler için kahve sabahı",
        TITLE,
        True,
    )
    assert result.language == "tr"
    [(path, headers, body)] = deepl.requests
    assert path == "/v2/translate"
    assert headers["Authorization"] == "DeepL-Auth-Key test-key:fx"
    assert body == {"text": [TITLE], "source_lang": "NL", "target_lang": "TR"}


def test_deepl_gets_british_english_as_target(deepl, school):
    translated(TITLE, "en", school_id=school.pk)
    assert deepl.requests[0][2]["target_lang"] == "EN-GB"


def test_libretranslate_is_asked_in_its_own_protocol_and_its_answer_shown(libretranslate, school):
    result = translated(TITLE, "ar", school_id=school.pk)
    assert (result.text, result.machine) == ("صباح القهوة للأهل", True)
    [(path, _headers, body)] = libretranslate.requests
    assert path == "/translate"
    assert body == {
        "q": TITLE,
        "source": "nl",
        "target": "ar",
        "format": "text",
        "api_key": "school-key",
    }


def test_a_text_is_requested_once_per_language_and_then_read_from_the_database(deepl, school):
    first = translated(TITLE, "tr", school_id=school.pk)
    again = translated(TITLE, "tr", school_id=school.pk)
    assert again == first
    assert len(deepl.requests) == 1
    translated(TITLE, "ar", school_id=school.pk)
    assert len(deepl.requests) == 2  # another language is another translation
    assert Translation.objects.filter(school=school).count() == 2


def test_a_page_with_many_texts_reads_the_stored_ones_in_one_query(deepl, school):
    texts = [f"Afspraak {n}" for n in range(5)]
    for text in texts:
        translated(text, "tr", school_id=school.pk)
    memo = {}
    with CaptureQueriesContext(connection) as queries:
        shown = [translated(text, "tr", school_id=school.pk, memo=memo).text for text in texts]
    assert shown == [f"[tr] {text}" for text in texts]
    assert len(queries) == 1 and len(deepl.requests) == 5


def test_two_parents_opening_the_same_page_at_once_cost_one_request(
    deepl, school, transactional_db
):
    deepl.hold = threading.Event()
    results = []

    def read():
        results.append(translated(TITLE, "tr", school_id=school.pk).text)
        connection.close()

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    while not deepl.requests:  # the first reader is at the service, holding the row
        threading.Event().wait(0.01)
    deepl.hold.set()
    for reader in readers:
        reader.join()
    assert results == ["Veliler için kahve sabahı"] * 2
    assert len(deepl.requests) == 1


def test_a_staff_translation_wins_and_is_never_replaced_by_the_machine(deepl, school):
    from messaging.services import save_own_translation

    translated(TITLE, "tr", school_id=school.pk)
    row = Translation.objects.get()
    save_own_translation(translation=row, text="Kahve sabahı (velilerle)", by=UserFactory())
    result = translated(TITLE, "tr", school_id=school.pk)
    assert (result.text, result.machine) == ("Kahve sabahı (velilerle)", False)
    assert len(deepl.requests) == 1


def test_the_source_language_and_an_empty_text_come_back_untouched(deepl, school):
    assert translated(TITLE, "nl", school_id=school.pk).text == TITLE
    assert translated("  ", "tr", school_id=school.pk).text == "  "
    assert deepl.requests == []


def test_with_the_backend_off_the_original_is_shown_and_noted_for_staff(settings, school):
    settings.TRANSLATION_BACKEND = ""
    result = translated(TITLE, "tr", school_id=school.pk)
    assert (result.text, result.language, result.is_translated) == (TITLE, "nl", False)
    wanted = Translation.objects.get()
    assert (wanted.language, wanted.original, wanted.text) == ("tr", TITLE, "")


@pytest.mark.parametrize("protocol", ["deepl", "libretranslate"])
def test_a_failing_service_shows_the_original_logs_it_and_is_left_alone(
    protocol, request, school, caplog
):
    service = request.getfixturevalue(protocol)
    service.status = 500
    with caplog.at_level(logging.WARNING, logger="messaging.translation"):
        result = translated(TITLE, "tr", school_id=school.pk)
    assert result.text == TITLE and not result.is_translated
    assert "the original is shown" in caplog.text and "HTTP 500" in caplog.text
    translated("Informatieavond", "tr", school_id=school.pk)
    assert len(service.requests) == 1  # paused: the next texts do not wait for it too


def test_a_slow_service_shows_the_original_after_the_timeout(deepl, school, settings, caplog):
    settings.TRANSLATION_TIMEOUT = 0.2
    deepl.hold = threading.Event()  # the service never answers in time
    with caplog.at_level(logging.WARNING, logger="messaging.translation"):
        result = translated(TITLE, "tr", school_id=school.pk)
    assert result.text == TITLE
    assert "timed out" in caplog.text
    assert Translation.objects.get().text == ""


def test_a_wrong_key_shows_the_original(deepl, school, settings):
    settings.DEEPL_AUTH_KEY = "someone-elses-key"
    assert translated(TITLE, "tr", school_id=school.pk).text == TITLE


def test_machine_translation_is_labelled_in_the_readers_language_with_the_original(deepl, school):
    with django_translation.override("tr"):
        html = str(translated(TITLE, "tr", school_id=school.pk))
    assert '<bdi lang="tr">Veliler için kahve sabahı</bdi>' in html
    assert "(otomatik çeviri)" in html
    assert '<details class="translated-original">' in html
    assert f'<bdi lang="nl">{TITLE}</bdi>' in html


def test_an_untranslated_dutch_text_is_isolated_in_its_own_direction(settings, school):
    settings.TRANSLATION_BACKEND = ""
    html = str(translated("Juf <Anna>", "ar", school_id=school.pk))
    assert html == '<bdi lang="nl">Juf &lt;Anna&gt;</bdi>'


def test_a_parents_message_is_translated_for_staff_the_other_way(deepl, school):
    result = translated("Mijn zoon is ziek.", "nl", school_id=school.pk, source="tr")
    assert (result.text, result.language, result.original) == (
        "[nl] Mijn zoon is ziek.",
        "nl",
        "Mijn zoon is ziek.",
    )
    assert deepl.requests[0][2]["source_lang"] == "TR"


def test_the_template_tag_speaks_the_pages_language_and_takes_a_source(deepl, school, rf):
    from django.template import Context, Template

    template = Template(
        "{% load translation %}{% translated text school_id %}|"
        '{% translated note school_id source="ar" as message %}{{ message.text_html }}'
    )
    request = rf.get("/")
    with django_translation.override("nl"):
        html = template.render(
            Context({"text": TITLE, "note": "رسالة", "school_id": school.pk, "request": request})
        )
    assert html.startswith(f'<bdi lang="nl">{TITLE}</bdi>|')  # Dutch page, Dutch text
    assert html.endswith('<bdi lang="nl">[nl] رسالة</bdi>')  # an Arabic message, for staff
