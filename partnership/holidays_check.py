"""The inclusive calendar: religious and cultural holidays of the school's families, and wording that
leaves families out.

Dates come from the ``holidays`` package, taken from a country that keeps each holiday as a public
day: Morocco and Turkey for the Eids, Israel for the Jewish high holidays, India for Diwali, Bulgaria
for Orthodox Easter, the Netherlands for Christmas. Ramadan is not a public holiday anywhere in the
package, so its evenings are derived: the 30 days before Eid al-Fitr. These are warnings for the
planner, never a refusal: the school decides.
"""

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# (country, name in the package's English, the name the planner reads)
SOURCES = [
    ("MA", "Eid al-Fitr", gettext_lazy("Suikerfeest (Eid al-Fitr)")),
    ("TR", "Eid al-Fitr", gettext_lazy("Suikerfeest (Eid al-Fitr)")),
    ("MA", "Eid al-Adha", gettext_lazy("Offerfeest (Eid al-Adha)")),
    ("TR", "Eid al-Adha", gettext_lazy("Offerfeest (Eid al-Adha)")),
    ("IL", "Rosh Hashanah", gettext_lazy("Rosj Hasjana (Joods nieuwjaar)")),
    ("IL", "Yom Kippur", gettext_lazy("Jom Kipoer (Grote Verzoendag)")),
    ("IN", "Diwali", gettext_lazy("Divali (lichtjesfeest)")),
    ("BG", "Easter", gettext_lazy("Orthodox Pasen")),
    ("NL", "Christmas", gettext_lazy("Kerstmis")),
    (
        "SR",
        "Day of Freedoms",
        gettext_lazy("Keti Koti (herdenking van de afschaffing van de slavernij)"),
    ),
    ("IL", "Pesach", gettext_lazy("Pesach (Joods paasfeest)")),
    ("SR", "Chinese New Year", gettext_lazy("Chinees Nieuwjaar")),
    ("IL", "Hanukkah", gettext_lazy("Chanoeka (Joods lichtfeest)")),
    ("SR", "Holi", gettext_lazy("Holi Phagwa")),
]
# Holidays that the source country keeps outside its public days (Hanukkah is a school holiday
# in Israel).
CATEGORIES = {"IL": ("public", "optional", "school")}
RAMADAN_DAYS = 30
# An activity within this many days of a holiday gets a warning too: families travel, cook, visit.
NEAR_DAYS = 1
# From this hour an activity counts as an evening activity (iftar falls in the evening).
EVENING_HOUR = 17


@dataclass(frozen=True)
class Holiday:
    date: datetime.date
    name: object  # a lazy translation: str() of it speaks the active language


@lru_cache(maxsize=32)
def _holidays_of(year):
    days = {}
    for country, package_name, name in SOURCES:
        calendar = holidays.country_holidays(
            country,
            years=year,
            language="en_US",
            categories=CATEGORIES.get(country, ("public",)),
        )
        for day in calendar.get_named(package_name, lookup="icontains"):
            # The lazy name: cached per process, it is translated where it is shown.
            days[day] = name
    return days


def holidays_between(start, end):
    """Every holiday of the inclusive calendar from ``start`` to ``end`` (dates), sorted."""
    found = []
    for year in range(start.year, end.year + 1):
        found += [Holiday(d, n) for d, n in _holidays_of(year).items() if start <= d <= end]
    return sorted(set(found), key=lambda h: h.date)


@lru_cache(maxsize=32)
def ramadan_periods(year):
    """Ramadan periods (first day, last day) that end in ``year``: the days before Eid al-Fitr."""
    calendar = holidays.country_holidays("MA", years=year, language="en_US")
    first_days = sorted(
        d for d in calendar.get_named("Eid al-Fitr", lookup="icontains") if d.year == year
    )
    periods = []
    for eid in first_days:
        if periods and (eid - periods[-1][1]).days <= 3:
            continue  # the second day of the same Eid
        periods.append((eid - datetime.timedelta(days=RAMADAN_DAYS), eid - datetime.timedelta(1)))
    return periods


def in_ramadan(day):
    # A Ramadan can start in December and end with an Eid in January.
    periods = ramadan_periods(day.year) + ramadan_periods(day.year + 1)
    return any(first <= day <= last for first, last in periods)


def is_evening(starts_at):
    return timezone.localtime(starts_at).hour >= EVENING_HOUR


def calendar_warnings(starts_at, ends_at):
    """Dutch warnings for an activity from ``starts_at`` to ``ends_at`` (aware datetimes)."""
    start = timezone.localtime(starts_at).date()
    end = timezone.localtime(ends_at).date()
    near = datetime.timedelta(days=NEAR_DAYS)
    # One warning per holiday, even when it lasts several days (Eid is two or three).
    by_name = {}
    for holiday in holidays_between(start - near, end + near):
        on_it = start <= holiday.date <= end
        if holiday.name not in by_name or (on_it and not by_name[holiday.name][0]):
            by_name[holiday.name] = (on_it, holiday.date)
    warnings = []
    for name, (on_it, day) in by_name.items():
        if on_it:
            text = _("Deze datum valt op %(name)s (%(date)s).")
        else:
            text = _("Deze datum ligt vlak bij %(name)s (%(date)s).")
        warnings.append(text % {"name": name, "date": day.strftime("%d-%m-%Y")})
    if is_evening(starts_at) and in_ramadan(start):
        warnings.append(
            _(
                "Dit is een avond in de ramadan: veel ouders eten dan samen (iftar). "
                "Kies liever een ochtend of een tijd na het eten."
            )
        )
    return warnings


# Words that tell part of the families that the activity is not for them, and a word that does not.
EXCLUDING_WORDS = {
    "kerstfeest": gettext_lazy("eindejaarsfeest"),
    "kerstdiner": gettext_lazy("eindejaarsdiner"),
    "kerstviering": gettext_lazy("eindejaarsviering"),
    "kerstmarkt": gettext_lazy("wintermarkt"),
    "kerstborrel": gettext_lazy("eindejaarsborrel"),
    "paasontbijt": gettext_lazy("lenteontbijt"),
    "vaderdag": gettext_lazy("dag voor je ouder of verzorger"),
    "moederdag": gettext_lazy("dag voor je ouder of verzorger"),
}
# A word with hyphens inside ("kerst-feest") counts as one word.
_WORD = re.compile(r"\w+(?:-\w+)*", re.UNICODE)


def _excluding_word(word):
    """The excluding word that ``word`` is or starts with: "kerstfeestje", "kerst-feest" and
    "kerstfeesten" are all "kerstfeest"."""
    word = word.replace("-", "")
    return next((key for key in EXCLUDING_WORDS if word.startswith(key)), None)


def wording_warnings(*texts):
    """Dutch suggestions for words in ``texts`` that may exclude families, each word once."""
    warnings = []
    seen = set()
    for text in texts:
        for found in _WORD.findall((text or "").lower()):
            word = _excluding_word(found)
            if word is not None and word not in seen:
                seen.add(word)
                warnings.append(
                    _("Het woord “%(word)s” sluit gezinnen uit. Schrijf bijvoorbeeld “%(better)s”.")
                    % {"word": word, "better": EXCLUDING_WORDS[word]}
                )
    return warnings


def year_overview(start, end):
    """The holidays of the inclusive calendar from ``start`` to ``end``, one line per holiday
    (a holiday of several days shows its first day), plus the Ramadan periods: for planning ahead."""
    seen, lines = set(), []
    for holiday in holidays_between(start, end):
        key = (holiday.name, holiday.date.year)
        if key not in seen:
            seen.add(key)
            lines.append((holiday.date, holiday.name))
    for year in range(start.year, end.year + 1):
        for first, last in ramadan_periods(year):
            if first <= end and last >= start:
                lines.append(
                    (
                        first,
                        _("Ramadan (tot en met %(last)s)") % {"last": last.strftime("%d-%m-%Y")},
                    )
                )
    return sorted(lines)
