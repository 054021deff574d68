"""A family's data export (``privacy.export_family``) as a person reads it: first what belongs to
the adults and the household, then one part per child; every value in words ("ja", a date in
the reader's language, a teacher's name), under a label a parent understands.

Only fields with a label here are shown on the page. The rest (ids, links between records,
time stamps of the software) stay in the machine-readable file (``?format=json``), which holds
everything; a field a later app adds appears there at once and on the page once it has a label.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import prefetch_related_objects
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from parents.models import Channel
from partnership import privacy

# The order of the sections on the page, and their titles.
SECTION_TITLES = {
    "parents.guardian": _("Ouders/verzorgers"),
    "parents.family": _("Gezin"),
    "schools.pupil": _("Gegevens van het kind"),
    "schools.enrolment": _("Groep"),
    "parents.pupilguardian": _("Ouder en kind"),
    "parents.communicationplan": _("Communicatieplan"),
    "conversations.invitation": _("Uitnodiging voor het startgesprek"),
    "conversations.booking": _("Afspraak voor het startgesprek"),
    "conversations.startconversation": _("Startgesprek"),
    "conversations.conversationagreement": _("Afspraken uit het startgesprek"),
    "parents.agreement": _("Afspraken met school"),
    "parents.contactmoment": _("Geplande contactmomenten"),
    "parents.contactlog": _("Contact met school"),
    "parents.guardianmessage": _("Berichten aan school"),
    "partnership.invitation": _("Uitnodigingen voor activiteiten"),
    "partnership.attendance": _("Aanwezig bij activiteiten"),
    "partnership.topicsuggestion": _("Voorgestelde onderwerpen"),
    "parents.photoconsent": _("Foto's en video's"),
    "parents.contactchange": _("Wijzigingen van contactgegevens"),
}

# A guardian reads about themself.
OWN_TITLES = {"parents.guardian": _("Uw gegevens"), "parents.family": _("Uw gezin")}

# Field name -> label, the same wherever the field appears.
LABELS = {
    "first_name": _("Voornaam"),
    "infix": _("Tussenvoegsel"),
    "last_name": _("Achternaam"),
    "email": _("E-mailadres"),
    "phone": _("Telefoonnummer"),
    "language": _("Taal"),
    "needs_interpreter": _("Tolk nodig"),
    "preferred_channels": _("Liefst contact via"),
    "availability": _("Wanneer bereikbaar"),
    "wants_reminders": _("Herinneringen ontvangen"),
    "quiet_hours_start": _("Geen berichten vanaf"),
    "quiet_hours_end": _("Weer berichten vanaf"),
    "name": _("Naam"),
    "school": _("School"),
    "school_year": _("Schooljaar"),
    "group": _("Groep"),
    "pupil_number": _("Leerlingnummer"),
    "date_of_birth": _("Geboortedatum"),
    "left_on": _("Van school af op"),
    "relation": _("Relatie"),
    "has_parental_authority": _("Gezag"),
    "lives_with": _("Kind woont bij deze ouder"),
    "information_right": _("Recht op informatie"),
    "agreed_on": _("Afgesproken op"),
    "contact_person": _("Vaste contactpersoon"),
    "notes": _("Notities"),
    "what": _("Wat"),
    "channel": _("Hoe"),
    "with_child": _("Met het kind erbij"),
    "responsible": _("Wie van school"),
    "schedule": _("Wanneer"),
    "on_date": _("Datum"),
    "due_on": _("Datum"),
    "happened_on": _("Datum"),
    "status": _("Stand"),
    "tone": _("Soort contact"),
    "summary": _("Wat er besproken is"),
    "kind": _("Soort bericht"),
    "text": _("Tekst"),
    "sent_at": _("Verstuurd op"),
    "wish": _("Wens"),
    "wants_home_visit": _("Huisbezoek gevraagd"),
    "interpreter_language": _("Tolk in de taal"),
    "held_at": _("Gehouden op"),
    "slot": _("Tijd"),
    "conducted_by": _("Gesprek met"),
    "child_present": _("Kind was erbij"),
    "qualities": _("Waar is het kind goed in?"),
    "needs": _("Wat heeft het kind nodig?"),
    "parents_expectations": _("Wat verwachten de ouders?"),
    "school_expectations": _("Wat verwacht de school?"),
    "ambition": _("Wat willen we dit jaar bereiken?"),
    "support_needs": _("Ondersteuning"),
    "home_situation": _("Thuissituatie"),
    "activity": _("Activiteit"),
    "rsvp": _("Antwoord"),
    "answered_at": _("Geantwoord op"),
    "registered_at": _("Aanwezig op"),
    "street": _("Straat"),
    "house_number": _("Huisnummer"),
    "postcode": _("Postcode"),
    "city": _("Woonplaats"),
    "purpose": _("Waarvoor"),
    "given": _("Toestemming"),
    "old_value": _("Was"),
    "new_value": _("Is nu"),
    "changed_at": _("Gewijzigd op"),
}
# (model, field) -> label, where one name means something else in one model.
MODEL_LABELS = {
    ("parents.guardianmessage", "created_at"): _("Verstuurd op"),
    ("partnership.topicsuggestion", "created_at"): _("Voorgesteld op"),
    ("partnership.attendance", "invitation"): _("Activiteit"),
    ("parents.contactchange", "field"): _("Wat"),
}

# Relations a value reads beyond the field itself.
PREFETCH = {"partnership.attendance": ["invitation__activity"]}


@dataclass
class Section:
    label: str
    title: str
    records: list = field(default_factory=list)  # each a list of (label, value in words)

    @property
    def compact(self):
        """Many short records (ten coffee mornings) read best as a list, one line each."""
        return len(self.records) > 2 and all(len(record) <= 3 for record in self.records)


@dataclass
class Part:
    title: str
    sections: list = field(default_factory=list)


def readable_export(export, *, own):
    """``export`` (from ``privacy.export_family``) as parts: the household first, then one per
    child of the export, in the order of their names. ``own``: a guardian reads their own."""
    household_title = _("U en uw gezin") if own else _("Het gezin")
    children = {}
    household = Part(title=household_title)
    for section in export["sections"]:
        labelled = _labelled_fields(section.label)
        if not labelled:
            continue
        objects = section.objects
        related = [f.name for f in labelled if f.is_relation] + PREFETCH.get(section.label, [])
        prefetch_related_objects(objects, *related)
        owners = _child_of(section.label, objects)
        for obj in objects:
            record = [(label, v) for f, label in labelled.items() if (v := _value(obj, f))]
            if not record:
                continue
            child = owners.get(obj.pk)
            part = household
            if child is not None:
                part = children.setdefault(child.pk, Part(title=child.full_name))
            _section_in(part, section.label, own).records.append(record)
    parts = [household] if household.sections else []
    parts += sorted(children.values(), key=lambda part: part.title)
    order = list(SECTION_TITLES)
    for part in parts:
        part.sections.sort(key=lambda section: order.index(section.label))
    return parts


def _labelled_fields(label):
    from django.apps import apps

    model = apps.get_model(label)
    fields = {}
    for f in privacy._fields(model):
        text = MODEL_LABELS.get((label, f.name)) or LABELS.get(f.name)
        if text is not None and label in SECTION_TITLES:
            fields[f] = text
    return fields


def _section_in(part, label, own):
    for section in part.sections:
        if section.label == label:
            return section
    title = (OWN_TITLES.get(label) if own else None) or SECTION_TITLES[label]
    section = Section(label=label, title=str(title))
    part.sections.append(section)
    return section


def _child_of(label, objects):
    """{object pk: the pupil it is about} for the objects that concern one child."""
    from django.apps import apps

    from schools.models import Pupil

    model = apps.get_model(label)
    if label == "schools.pupil":
        return {obj.pk: obj for obj in objects}
    paths = privacy.person_paths(model).get("schools.pupil", [])
    if not paths or not objects:
        return {}
    pairs = model._default_manager.filter(pk__in=[o.pk for o in objects]).values_list(
        "pk", paths[0]
    )
    pupil_ids = {pk: pupil_id for pk, pupil_id in pairs if pupil_id is not None}
    pupils = Pupil.objects.in_bulk(set(pupil_ids.values()))
    return {pk: pupils[pupil_id] for pk, pupil_id in pupil_ids.items()}


def _value(obj, f):
    """The field's value in words, or "" when there is nothing to show."""
    if f.choices:
        return obj._get_FIELD_display(f) if f.value_from_object(obj) not in ("", None) else ""
    value = getattr(obj, f.name) if f.is_relation else f.value_from_object(obj)
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, datetime.time):
        return formats.time_format(value, "TIME_FORMAT")
    if isinstance(value, list):
        labels = dict(Channel.choices)
        return ", ".join(str(labels.get(item, item)) for item in value)
    if isinstance(value, get_user_model()):
        return value.get_full_name()
    if hasattr(value, "activity"):  # an attendance shows the activity it was for
        value = value.activity
    if isinstance(getattr(value, "starts_at", None), datetime.datetime):
        # Ten coffee mornings differ only by their day.
        day = formats.date_format(timezone.localtime(value.starts_at), "DATE_FORMAT")
        return f"{value}, {day}"
    return str(value)
