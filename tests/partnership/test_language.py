"""The language of the pages: dates in the active language (Polish and Ukrainian months in the
genitive), languages by name, no score chosen beforehand, and an inclusive calendar that knows
more holidays and the variants of a word."""

import datetime

import pytest
from django.utils import timezone, translation

from conversations.forms import slot_label
from parents.templatetags.languages import language_names
from partnership.forms import EvaluationForm
from partnership.holidays_check import holidays_between, wording_warnings
from tests import factories as f
from tests.conversations.factories import SlotFactory


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "maandag 7 december, 13:00"),
        ("pl", "Poniedziałek 7 grudnia, 13:00"),
        ("uk", "Понеділок 7 грудня, 13:00"),
    ],
)
def test_a_slot_reads_in_the_active_language_with_the_month_in_the_genitive(db, language, expected):
    start = timezone.make_aware(datetime.datetime(2026, 12, 7, 13, 0))
    slot = SlotFactory(starts_at=start, staff=f.UserFactory(first_name="Anna", last_name="Wit"))
    with translation.override(language):
        assert slot_label(slot).startswith(expected)
        assert "Grudzień" not in slot_label(slot)


def test_languages_show_by_their_name_in_the_page_language():
    with translation.override("nl"):
        assert language_names(["ar", "tr"]) == "Arabisch, Turks"
    with translation.override("en"):
        assert language_names(["ar", "tr"]) == "Arabic, Turkish"


def test_the_evaluation_form_chooses_no_score_beforehand():
    with translation.override("nl"):
        form = EvaluationForm()
        assert 'value="" selected' in str(form["score_pedagogical"])
        bound = EvaluationForm(
            data={"quarter": 1, "held_on": "2026-10-01", "team_changes": "Meer koffie"}
        )
        assert not bound.is_valid()
        assert bound.errors["score_pedagogical"] == ["Kies een cijfer van 1 tot 5."]


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (datetime.date(2027, 7, 1), "Keti Koti"),
        (datetime.date(2027, 4, 22), "Pesach"),
        (datetime.date(2027, 2, 6), "Chinees Nieuwjaar"),
        (datetime.date(2026, 12, 5), "Chanoeka"),
        (datetime.date(2027, 3, 22), "Holi Phagwa"),
    ],
)
def test_the_inclusive_calendar_knows_more_holidays(day, name):
    with translation.override("nl"):
        names = [str(h.name) for h in holidays_between(day, day)]
    assert any(name in found for found in names), names


@pytest.mark.parametrize("text", ["Ons kerstfeestje", "Het kerst-feest", "De kerstfeesten"])
def test_variants_of_an_excluding_word_are_found_once(text):
    with translation.override("nl"):
        warnings = wording_warnings(text, text)
    assert len(warnings) == 1 and "eindejaarsfeest" in warnings[0]
