"""The families' data: what Schouder holds about them (the right of access, art. 15 AVG), how long
(retention), and who may see it (a guardian's access blocked by a court order).

Personal data is found by introspection, not by a list someone must remember to update: every
installed model with a relation path (through foreign keys, one-to-ones or many-to-manys) to a
pupil, guardian or family is exported, unless ``EXPORT_EXCLUDED`` gives a reason not to. A test
fails when a model points at personal data by a path longer than the search goes
(``unreached_models``). Anonymising walks the same paths and every text
column of every model, so rows that later apps add are covered too, without a list of their own.
"""

import dataclasses
import datetime
from collections import deque
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection, models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.translation import gettext as _

from absence import services as absence_services
from schools import audit, audit_chain
from schools.models import Anonymisation, AuditAction, Pupil

PERSON_MODELS = ("schools.pupil", "parents.guardian", "parents.family")
MAX_DEPTH = 3

# model label -> why it is not part of a family's export
EXPORT_EXCLUDED = {
    "schools.anonymisation": "Bewijs van anonimisering; bevat alleen ids van leerlingen die al "
    "geanonimiseerd zijn.",
}
# model label -> fields a guardian's own export leaves out. The reason a court blocked a parent's
# access is the school's to keep: showing it to that parent could endanger the child or the
# other parent.
HIDDEN_FROM_GUARDIAN = {"parents.pupilguardian": ("access_blocked_reason",)}
# model label -> the field naming the guardian whose answer a row is: a guardian's own export
# holds their own answers, not the other parent's (separated parents each decide for themselves).
OWN_ANSWERS = {"parents.photoconsent": "guardian", "care.supportplananswer": "guardian"}
# Tables the text sweep leaves alone: framework bookkeeping, never personal text.
SWEEP_SKIPPED_APPS = {"contenttypes", "sessions", "admin", "auth", "migrations"}
ANONYMOUS = "[geanonimiseerd]"


class PrivacyError(Exception):
    pass


# --- Discovery ------------------------------------------------------------------------------------


def _relations(model):
    for field in model._meta.get_fields():
        if (
            field.is_relation
            and field.concrete
            and (field.many_to_one or field.one_to_one or field.many_to_many)
        ):
            if field.related_model is not None:
                yield field


def person_paths(model):
    """{person model label: [lookup path, ...]} for the relation paths from ``model`` to a pupil,
    guardian or family, breadth first, at most MAX_DEPTH hops (a model is its own path "pk")."""
    found = {}
    label = model._meta.label_lower
    if label in PERSON_MODELS:
        found[label] = ["pk"]
    queue = deque([(model, "", 0, {label})])
    while queue:
        current, prefix, depth, seen = queue.popleft()
        if depth == MAX_DEPTH:
            continue
        for field in _relations(current):
            target = field.related_model
            target_label = target._meta.label_lower
            path = f"{prefix}{field.name}"
            if target_label in PERSON_MODELS:
                found.setdefault(target_label, []).append(path)
            elif target_label not in seen and target._meta.app_label != "auth":
                queue.append((target, f"{path}__", depth + 1, seen | {target_label}))
    return found


def personal_models():
    """Every installed model with a path to a person: label -> paths."""
    result = {}
    for model in apps.get_models():
        paths = person_paths(model)
        if paths:
            result[model._meta.label_lower] = paths
    return result


def unreached_models():
    """Models that point at a model with personal data but were not found to hold any
    themselves: the path from them to a person is longer than MAX_DEPTH, so the export would
    leave them out without a word. Raise MAX_DEPTH (or exclude them with a reason) when this
    is not empty."""
    personal = set(personal_models())
    return sorted(
        label
        for model in apps.get_models()
        if (label := model._meta.label_lower) not in personal
        and any(field.related_model._meta.label_lower in personal for field in _relations(model))
    )


def exported_models():
    return {
        label: paths for label, paths in personal_models().items() if label not in EXPORT_EXCLUDED
    }


# --- Export ---------------------------------------------------------------------------------------


@dataclass
class ExportSection:
    label: str
    title: str
    columns: list  # verbose names
    rows: list  # lists of display values
    records: list  # dicts for JSON
    objects: list = dataclasses.field(default_factory=list)  # the instances, for privacy_display


def family_members(family, pupils=None, guardian=None):
    guardian_model = apps.get_model("parents", "Guardian")
    if guardian is not None:
        guardians = [guardian]
    else:
        guardians = list(guardian_model.objects.filter(family=family))
    family_pupils = Pupil.objects.filter(guardian_links__guardian__in=guardians).distinct()
    if pupils is not None:
        family_pupils = family_pupils.filter(pk__in=pupils)
    return guardians, list(family_pupils)


def export_family(family, *, pupils=None, guardian=None):
    """Every row of every personal model that belongs to the family's guardians, their household
    or their children. ``pupils`` limits the children to those the requester may see; ``guardian``
    limits the adults to that one guardian (their own request: no other adult's details)."""
    guardians, children = family_members(family, pupils, guardian)
    ids = {
        "schools.pupil": [p.pk for p in children],
        "parents.guardian": [g.pk for g in guardians],
        "parents.family": [family.pk],
    }
    sections = []
    for label, paths in sorted(exported_models().items()):
        model = apps.get_model(label)
        if label in PERSON_MODELS:
            # A person is exported as themself, not as everyone who shares a household with them.
            paths = {label: ["pk"]}
        condition = Q(pk__in=[])
        for person, lookups in paths.items():
            for lookup in lookups:
                condition |= Q(**{f"{lookup}__in": ids[person]})
        queryset = model._default_manager.filter(condition).distinct().order_by("pk")
        if guardian is not None and label in OWN_ANSWERS:
            queryset = queryset.filter(**{OWN_ANSWERS[label]: guardian})
        # A model whose rows may be withheld on a recorded legal ground (an incident with a
        # parent, say) tells which rows go out with a queryset method ``for_export``.
        if hasattr(queryset, "for_export"):
            queryset = queryset.for_export()
        hidden = HIDDEN_FROM_GUARDIAN.get(label, ()) if guardian is not None else ()
        sections.append(_section(model, queryset, hidden=hidden))
    return {
        "family": family.pk,
        "generated_at": timezone.now().isoformat(),
        "sections": [s for s in sections if s.rows],
    }


def _fields(model):
    return [
        f
        for f in model._meta.concrete_fields
        if not isinstance(f, models.BinaryField) and f.name not in ("password",)
    ]


def _section(model, queryset, *, hidden=()):
    fields = [f for f in _fields(model) if f.name not in hidden]
    rows, records = [], []
    queryset = list(queryset)
    for obj in queryset:
        record = {f.name: _json_value(f.value_from_object(obj)) for f in fields}
        records.append(record)
        rows.append([_display(obj, f) for f in fields])
    return ExportSection(
        label=model._meta.label_lower,
        title=str(model._meta.verbose_name_plural),
        columns=[str(f.verbose_name) for f in fields],
        rows=rows,
        records=records,
        objects=queryset,
    )


def _json_value(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, str | int | float | bool | list | dict) or value is None:
        return value
    return str(value)


def _display(obj, field):
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    value = field.value_from_object(obj)
    return "" if value is None else value


def export_as_json(export):
    return {
        "family": export["family"],
        "generated_at": export["generated_at"],
        "data": {s.label: s.records for s in export["sections"]},
    }


# --- Blocking a guardian's access -----------------------------------------------------------------


def set_guardian_access(*, link, reason, by):
    """Block (a reason given) or restore (no reason) a guardian's access to one child, as a court
    order demands. The reason is kept on the link; the audit log records that it happened."""
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise PrivacyError(_("Schrijf de reden in hoogstens 200 tekens."))
    with transaction.atomic():
        link.access_blocked_reason = reason
        link.save(update_fields=["access_blocked_reason"])
        audit.record(
            by,
            AuditAction.BLOCK_ACCESS if reason else AuditAction.UNBLOCK_ACCESS,
            pupil=link.pupil,
            family=link.guardian.family_id,
            what=f"guardian:{link.guardian_id}",
        )


def decide_information_request(*, link, granted, by):
    """A parent without parental authority asked the school for information about the child
    (art. 1:377c BW): the school grants it, or withdraws it again. Granted, the parent gets the
    same information as the parent with authority (portal, reminders), never the other parent's
    contact details. The decision is in the audit log."""
    from parents.models import GuardianMessageKind, InformationRight

    if link.information_right not in (InformationRight.ON_REQUEST, InformationRight.GRANTED):
        raise PrivacyError(
            _("Deze ouder heeft gezag of een besluit van de rechter: er valt niets te beslissen.")
        )
    with transaction.atomic():
        link.information_right = (
            InformationRight.GRANTED if granted else InformationRight.ON_REQUEST
        )
        link.save(update_fields=["information_right"])
        # The decision answers the parent's open request, if they asked through the portal.
        link.guardian.messages.open().filter(
            pupil=link.pupil, kind=GuardianMessageKind.INFORMATION_REQUEST
        ).update(handled_at=timezone.now(), handled_by=getattr(by, "user", by))
        audit.record(
            by,
            AuditAction.GRANT_INFORMATION if granted else AuditAction.WITHDRAW_INFORMATION,
            pupil=link.pupil,
            family=link.guardian.family_id,
            what=f"guardian:{link.guardian_id}",
        )


# --- Retention ------------------------------------------------------------------------------------


def remove_stale_import_batches(now=None):
    """Uploaded files nobody confirmed within a day hold pupils' data for no purpose: remove them.
    So do the records of confirmed imports once their week for undoing has passed."""
    from parents.importing.models import UNDO_DAYS, ImportRun
    from schools.models import ImportBatch

    now = now or timezone.now()
    ImportRun.objects.filter(at__lt=now - datetime.timedelta(days=UNDO_DAYS)).delete()
    deleted, _by_model = ImportBatch.objects.filter(
        uploaded_at__lt=now - datetime.timedelta(days=1)
    ).delete()
    return deleted


def remove_old_audit_events(now=None):
    """The audit log is personal data too (who looked at which child): events older than
    ``AUDIT_RETENTION_YEARS`` (default 5) are removed, then a signed checkpoint of the log is
    written (nightly, as part of the retention task). Returns how many were removed."""
    from schools.models import AuditEvent

    now = now or timezone.now()
    years = getattr(settings, "AUDIT_RETENTION_YEARS", 5)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The log's trigger lets only this transaction delete (schools migration 0007).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL schouder.audit_retention = 'on'")
        deleted, _by_model = AuditEvent.objects.filter(
            at__lt=now - datetime.timedelta(days=365 * years + years // 4)
        ).delete()
        # Every run signs where the log now begins and ends, so verify_audit_log can tell this
        # removal from rows removed behind the application's back.
        audit_chain.write_checkpoint()
    return deleted


def retention_cutoff(today=None):
    """Pupils who left on or before this date are past the retention term."""
    today = today or timezone.localdate()
    years = getattr(settings, "RETENTION_YEARS_AFTER_LEAVING", 2)
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def pupils_due(today=None):
    return Pupil.objects.filter(
        left_on__isnull=False, left_on__lte=retention_cutoff(today), anonymisation__isnull=True
    ).order_by("pk")


@dataclass
class AnonymisationReport:
    pupils: list  # (pupil id, school id, left_on)
    guardians_removed: int = 0
    families_removed: int = 0
    text_fields_scrubbed: int = 0
    dry_run: bool = True

    def lines(self):
        verb = _("zou anonimiseren") if self.dry_run else _("geanonimiseerd")
        yield _("%(verb)s: %(n)s leerlingen") % {"verb": verb, "n": len(self.pupils)}
        for pupil_id, school_id, left_on in self.pupils:
            yield _("leerling %(id)s (school %(school)s), van school af op %(date)s") % {
                "id": pupil_id,
                "school": school_id,
                "date": left_on.isoformat(),
            }
        if not self.dry_run:
            yield _(
                "ouders verwijderd: %(g)s, gezinnen verwijderd: %(f)s, tekstvelden opgeschoond: %(t)s"
            ) % {
                "g": self.guardians_removed,
                "f": self.families_removed,
                "t": self.text_fields_scrubbed,
            }


def anonymise_left_pupils(*, today=None, dry_run=True):
    """Anonymise every pupil who left longer ago than the retention term. Idempotent: a pupil is
    done once (an Anonymisation row records it), and a second run finds nobody.

    The dry run lists who would be anonymised (ids only) and changes nothing.
    """
    due = list(pupils_due(today))
    report = AnonymisationReport(
        pupils=[(p.pk, p.school_id, p.left_on) for p in due], dry_run=dry_run
    )
    if dry_run or not due:
        return report
    with transaction.atomic():
        for pupil in due:
            _anonymise_pupil(pupil, report)
    return report


def _name_variants(person):
    full = " ".join(p for p in (person.first_name, person.infix, person.last_name) if p)
    short = f"{person.first_name} {person.last_name}"
    return sorted({v for v in (full, short) if len(v) > 3}, key=len, reverse=True)


def _anonymise_pupil(pupil, report):
    guardian_model = apps.get_model("parents", "Guardian")
    names = _name_variants(pupil)
    guardians = list(
        guardian_model.objects.filter(pupil_links__pupil=pupil).exclude(
            pupil_links__pupil__left_on__isnull=True
        )
    )
    # A guardian with another child still at a school of ours stays; the others go.
    leaving_guardians = [
        g
        for g in guardians
        if not Pupil.objects.filter(guardian_links__guardian=g)
        .exclude(pk=pupil.pk)
        .filter(anonymisation__isnull=True)
        .exists()
    ]
    for guardian in leaving_guardians:
        names += _name_variants(guardian)
        for value in (guardian.email, guardian.phone):
            if value and len(value) > 3:
                names.append(value)
    # Before the guardians go: their leave requests go with them, the files would stay behind.
    absence_services.remove_employer_statements(pupil=pupil)
    for part in (pupil.first_name, pupil.last_name):
        report.text_fields_scrubbed += _scrub_related_text(pupil, part)
    report.text_fields_scrubbed += _sweep(names)
    _remove_guardians(leaving_guardians, report)
    Pupil.objects.filter(pk=pupil.pk).update(
        first_name=_("Leerling"),
        infix="",
        last_name=f"#{pupil.pk}",
        pupil_number=f"anon-{pupil.pk}",
        eck_id="",
        date_of_birth=datetime.date(pupil.date_of_birth.year, 1, 1)
        if pupil.date_of_birth
        else None,  # unknown in some EDEXML exports
    )
    Anonymisation.objects.create(pupil=pupil, school_id=pupil.school_id, left_on=pupil.left_on)
    # The scheduled task acts for nobody in particular: the event has no user.
    audit.record(AnonymousUser(), AuditAction.ANONYMISE, pupil=pupil, what=f"pupil:{pupil.pk}")


def _text_fields(model):
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not f.primary_key
    ]


def _sweep(names):
    """Replace the names (and contact details) in every text column of every table."""
    changed = 0
    for model in apps.get_models():
        if model._meta.app_label in SWEEP_SKIPPED_APPS or not model._meta.managed:
            continue
        for name in _text_fields(model):
            for value in names:
                changed += model._default_manager.filter(**{f"{name}__contains": value}).update(
                    **{name: Replace(F(name), Value(value), Value(ANONYMOUS))}
                )
    return changed


def _scrub_related_text(pupil, name):
    """In rows about this pupil, a first or last name alone is enough to recognise the child
    (elsewhere a surname alone may be another family's)."""
    if len(name) < 2:
        return 0
    changed = 0
    for label, paths in personal_models().items():
        model = apps.get_model(label)
        if model is Pupil or label in PERSON_MODELS:
            continue
        lookups = paths.get("schools.pupil", [])
        if not lookups:
            continue
        condition = Q(pk__in=[])
        for lookup in lookups:
            condition |= Q(**{lookup: pupil.pk})
        for field in _text_fields(model):
            changed += model._default_manager.filter(
                condition, **{f"{field}__contains": name}
            ).update(**{field: Replace(F(field), Value(name), Value(ANONYMOUS))})
    return changed


def _remove_guardians(guardians, report):
    if not guardians:
        return
    family_model = apps.get_model("parents", "Family")
    family_ids = {g.family_id for g in guardians}
    user_ids = [g.user_id for g in guardians if g.user_id]
    for guardian in guardians:
        guardian.delete()
    report.guardians_removed += len(guardians)
    empty = family_model.objects.filter(pk__in=family_ids, guardians__isnull=True)
    report.families_removed += empty.count()
    empty.delete()
    # The portal account carried the e-mail address as its name: it goes too.
    user_model = get_user_model()
    for user in user_model.objects.filter(pk__in=user_ids):
        user.delete()
