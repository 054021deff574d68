"""Undo a confirmed import as a whole: remove what it added, put back what it changed, in one
transaction. Refused when the added rows are in use since (a start conversation, a portal
account, a later import): then undoing would throw away someone's work."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parents.contact_details import reopen_changes
from parents.importing import ImportRefused
from parents.importing.models import UNDO_DAYS, ImportRun
from parents.models import Family, Guardian, PupilGuardian
from parents.reach import refresh_reach
from schools import audit
from schools.changes import marking
from schools.models import Enrolment, Group, Pupil

_IN_USE = gettext_lazy(
    "Sinds deze import is er al gewerkt met de leerlingen, ouders of groepen die erin nieuw "
    "waren. Terugdraaien kan niet meer; pas de gegevens zo nodig met de hand aan."
)

# Rows an import itself adds alongside: removed with the undo, never a reason to refuse it.
_OWN_ROWS = {Enrolment, PupilGuardian, Guardian}


def undo_import(*, run, by):
    """Undo ``run`` (an ImportRun of the last week, the school's latest). Raises ImportRefused
    with a Dutch message when it cannot; then nothing changed."""
    try:
        _undo(run, by)
    except (ProtectedError, RestrictedError, IntegrityError) as error:
        raise ImportRefused(_IN_USE) from error


def _undo(run, by):
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        _check_undoable(run)
        changes = run.changes
        links = PupilGuardian.objects.filter(pk__in=changes.get("links", []))
        families = set(links.values_list("guardian__family_id", flat=True))
        with marking(schools=[run.school_id]):
            links.delete()
            Enrolment.objects.filter(pk__in=changes.get("enrolments", [])).delete()
            added = [
                (Guardian, changes.get("guardians", [])),
                (Family, changes.get("families", [])),
                (Pupil, changes.get("pupils", [])),
                (Group, changes.get("groups", [])),
            ]
            for model, ids in added:
                _refuse_when_in_use(model, ids)
            for model, ids in added:
                model.objects.filter(pk__in=ids).delete()
            _restore(changes, left_on=run.at.astimezone(timezone.get_current_timezone()).date())
        reopen_changes(changes.get("settled_contact_changes", []))
        refresh_reach(families=families - set(changes.get("families", [])))
        run.undone_at = timezone.now()
        run.save(update_fields=["undone_at"])
        audit.record(by, audit.AuditAction.IMPORT, school=run.school, what=f"undo:{run.pk}")


def _check_undoable(run):
    if run.undone_at is not None:
        raise ImportRefused(_("Deze import is al teruggedraaid."))
    if run.at < timezone.now() - datetime.timedelta(days=UNDO_DAYS):
        raise ImportRefused(_("Een import kan tot een week later worden teruggedraaid."))
    later = ImportRun.objects.filter(school=run.school, at__gt=run.at, undone_at__isnull=True)
    if later.exists():
        raise ImportRefused(
            _("Na deze import is er opnieuw ingelezen. Draai eerst de nieuwste import terug.")
        )


def _refuse_when_in_use(model, ids):
    if not ids:
        return
    if model is Guardian and Guardian.objects.filter(pk__in=ids, user__isnull=False).exists():
        raise ImportRefused(
            _(
                "Een ouder uit deze import heeft al een account voor het ouderportaal. "
                "Terugdraaien kan niet meer; pas de gegevens zo nodig met de hand aan."
            )
        )
    for relation in model._meta.related_objects:
        if relation.related_model in _OWN_ROWS or relation.many_to_many:
            continue
        rows = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": ids})
        if rows.exists():
            raise ImportRefused(f"{_IN_USE} ({relation.related_model._meta.verbose_name_plural})")


def _restore(changes, *, left_on):
    before = changes.get("pupil_before", {})
    pupils = list(Pupil.objects.filter(pk__in=[int(pk) for pk in before]))
    for pupil in pupils:
        for name, value in before[str(pupil.pk)].items():
            if value is not None and name in ("date_of_birth", "left_on"):
                value = datetime.date.fromisoformat(value)
            setattr(pupil, name, value)
    if pupils:
        Pupil.objects.bulk_update(pupils, list(next(iter(before.values()))))
    # Only those still marked as left on the day of the import: a later change by hand stays.
    Pupil.objects.filter(pk__in=changes.get("left", []), left_on=left_on).update(left_on=None)
    enrolments = list(Enrolment.objects.filter(pk__in=changes.get("enrolment_before", {})))
    for enrolment in enrolments:
        enrolment.group_id = changes["enrolment_before"][str(enrolment.pk)]
    Enrolment.objects.bulk_update(enrolments, ["group"])
    guardian_before = changes.get("guardian_before", {})
    guardians = list(Guardian.objects.filter(pk__in=[int(pk) for pk in guardian_before]))
    for guardian in guardians:
        for name, value in guardian_before[str(guardian.pk)].items():
            setattr(guardian, name, value)
    if guardians:
        Guardian.objects.bulk_update(guardians, list(next(iter(guardian_before.values()))))
