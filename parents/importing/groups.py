"""Groups the way schools name them: "Groep 3", "groep 3" and "3" are one group, as are "1-2",
"1/2" and "Groep 1/2"; "Groep 1/2A" is "1/2a". A file's group is matched to the school's group of
the same normalised name; a group the school does not have yet is planned (never saved before the
confirmation)."""

import re
import unicodedata

from schools.models import Group

MAX_NAME = Group._meta.get_field("name").max_length


def group_key(name):
    """The normalised name: lower case, without "groep"/"klas", "1-2" and "1 / 2" as "1/2"."""
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    text = re.sub(r"^(groep|klas|gr\.)\s*", "", text)
    text = re.sub(r"\s*[-/+&]\s*", "/", text)
    return re.sub(r"\s+", "", text)


def new_group_name(spelling):
    """The name a new group gets: the file's spelling without "Groep", "1-2" as "1/2", and a
    plain code like "4A" written as the school writes its groups ("4a")."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", spelling)).strip()
    text = re.sub(r"^(groep|klas|gr\.)\s*", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s*[-/+&]\s*", "/", text)
    if re.fullmatch(r"[\d/]+\s?[A-Za-z]?", text):
        text = text.replace(" ", "").lower()
    return text


def grades_in(name):
    """The year levels a group's name speaks of ("1/2a" -> 1, 2); (0, 0) when it names none."""
    levels = [int(d) for d in re.findall(r"\d+", name)]
    return (min(levels), max(levels)) if levels else (0, 0)


def existing_groups(school, year):
    """Normalised name -> the school's group of that year."""
    groups = {}
    for group in Group.objects.filter(school=school, school_year=year).order_by("pk"):
        groups.setdefault(group_key(group.name), group)
    return groups


def planned_group(*, school, year, spelling, grades=None):
    name = new_group_name(spelling)
    low, high = grades or grades_in(name)
    return Group(
        school=school, school_year=year, name=name, lowest_grade=low, highest_grade=max(low, high)
    )
