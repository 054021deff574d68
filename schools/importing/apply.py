"""Write a plan in one transaction, a batch of rows per query (never a query per row)."""

from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schools.importing import ImportRefused
from schools.importing.plan import make_plan
from schools.models import Enrolment, Pupil

# Rows per statement; SQLite lowers it to its own parameter limit by itself.
BATCH = 1000


@dataclass
class ImportResult:
    added: int
    changed: int
    unchanged: int
    left: int
    guardians_added: int
    links_added: int
    skipped_rows: int


def import_table(*, school, table, columns, by=None, only_good_rows=False, today=None):
    """Plan the table against the database as it is now and write it, all in one transaction.

    A file with errors writes nothing, unless ``only_good_rows``: then the rows with errors are left
    out (their pupils are not marked as left either).
    """
    with transaction.atomic():
        plan = make_plan(school=school, table=table, columns=columns)
        if plan.has_errors and not only_good_rows:
            raise ImportRefused(
                _("Het bestand heeft %(n)s fouten. Er is niets ingelezen.")
                % {"n": len(plan.errors)}
            )
        result = write_plan(plan, today=today or timezone.localdate())
        if by is not None:
            from schools import audit

            audit.record(by, audit.AuditAction.IMPORT, school=school)
        return result


def write_plan(plan, *, today):
    pupils = _write_pupils(plan, today)
    guardians_added, links_added = _write_guardians(plan, pupils)
    return ImportResult(
        added=len(plan.added),
        changed=len(plan.changed),
        unchanged=len(plan.unchanged),
        left=len(plan.leaving),
        guardians_added=guardians_added,
        links_added=links_added,
        skipped_rows=len(plan.error_rows),
    )


def _write_pupils(plan, today):
    """Returns pupil number -> pupil id for every row of the file."""
    new = [
        Pupil(
            school=plan.school,
            pupil_number=row.pupil_number,
            first_name=row.first_name,
            infix=row.infix,
            last_name=row.last_name,
            date_of_birth=row.date_of_birth,
        )
        for row in plan.added
    ]
    Pupil.objects.bulk_create(new, batch_size=BATCH)
    changed = []
    for pupil, row, _changes in plan.changed:
        for name in ("first_name", "infix", "last_name", "date_of_birth"):
            setattr(pupil, name, getattr(row, name))
        pupil.left_on = None
        changed.append(pupil)
    Pupil.objects.bulk_update(
        changed, ["first_name", "infix", "last_name", "date_of_birth", "left_on"], batch_size=BATCH
    )
    Pupil.objects.filter(pk__in=[p.pk for p in plan.leaving]).update(left_on=today)

    ids = {p.pupil_number: p.pk for p in new}
    ids.update({p.pupil_number: p.pk for p in changed})
    ids.update({p.pupil_number: p.pk for p in plan.unchanged})
    rows = [(row, ids[row.pupil_number]) for row in plan.added] + [
        (row, pupil.pk) for pupil, row, _c in plan.changed
    ]
    create, update = [], []
    for row, pupil_id in rows:
        group = plan.groups[row.group_name]
        enrolment = plan.enrolments.get(pupil_id)
        if enrolment is None:
            create.append(Enrolment(pupil_id=pupil_id, group=group, school_year=plan.year))
        elif enrolment.group_id != group.pk:
            enrolment.group = group
            update.append(enrolment)
    Enrolment.objects.bulk_create(create, batch_size=BATCH)
    Enrolment.objects.bulk_update(update, ["group"], batch_size=BATCH)
    return ids


def _write_guardians(plan, pupil_ids):
    family_model = apps.get_model("parents", "Family")
    guardian_model = apps.get_model("parents", "Guardian")
    link_model = apps.get_model("parents", "PupilGuardian")

    new_families = {}
    for new in plan.new_guardians.values():
        if new.family_id is None and new.family_token not in new_families:
            new_families[new.family_token] = family_model(
                board_id=plan.school.board_id, name=new.family_name[:200]
            )
    family_model.objects.bulk_create(new_families.values(), batch_size=BATCH)

    guardians = {}
    for key, new in plan.new_guardians.items():
        family_id = new.family_id or new_families[new.family_token].pk
        guardians[key] = guardian_model(
            family_id=family_id,
            first_name=new.data.first_name,
            # A parent's surname is often not in the export: the household's name stands in.
            last_name=new.data.last_name or new.family_name.split(" ", 1)[-1][:100],
            email=new.data.email,
            phone=new.data.phone,
        )
    guardian_model.objects.bulk_create(guardians.values(), batch_size=BATCH)

    updated = []
    for guardian, data in plan.guardian_updates.values():
        for name in ("first_name", "last_name", "email", "phone"):
            if getattr(data, name):
                setattr(guardian, name, getattr(data, name))
        updated.append(guardian)
    guardian_model.objects.bulk_update(
        updated, ["first_name", "last_name", "email", "phone"], batch_size=BATCH
    )

    links = [
        link_model(
            pupil_id=pupil_ids[number],
            guardian_id=guardians[ref].pk if isinstance(ref, tuple) else ref,
            relation="parent",
        )
        for number, ref in plan.new_links
    ]
    link_model.objects.bulk_create(links, batch_size=BATCH)
    return len(guardians), len(links)
