"""Write a plan in one transaction, a batch of rows per query (never a query per row)."""

import datetime
import json
from dataclasses import asdict, dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parents.contact_details import settle_changes
from parents.importing import ImportRefused
from parents.importing.models import UNDO_DAYS, ImportRun
from parents.importing.plan import PUPIL_FIELDS, make_plan, pupil_values
from parents.models import Family, Guardian, PupilGuardian, Relation
from parents.reach import refresh_reach
from schools import audit
from schools.changes import marking
from schools.models import Enrolment, Group, Pupil

GUARDIAN_FIELDS = ["first_name", "last_name", "email", "phone"]

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
    groups_added: int = 0
    run_id: int | None = None


def import_table(*, school, table, columns, **options):
    """Plan the table against the database as it is now and write it (see ``confirm_import``)."""
    return confirm_import(
        make=lambda: make_plan(school=school, table=table, columns=columns), **options
    )


def confirm_import(
    *,
    make,
    by=None,
    only_good_rows=False,
    mark_leavers=False,
    today=None,
    filename="",
    keep_parent_values=True,
):
    """Make the plan (``make()``) and write it, all in one transaction, recorded for its undo.

    A file with errors writes nothing, unless ``only_good_rows``: then the rows with errors are left
    out (their pupils are not marked as left either). Pupils missing from the file are marked as
    left only with ``mark_leavers``: a partial file must never empty a school by accident. A phone
    number or e-mail address a parent changed in the portal stays the parent's
    (``plan.parent_values``), unless staff choose the file's (``keep_parent_values=False``).
    """
    try:
        with transaction.atomic():
            plan = make()
            if plan.has_errors and not only_good_rows:
                raise ImportRefused(
                    _("Het bestand heeft %(n)s fouten. Er is niets ingelezen.")
                    % {"n": len(plan.errors)}
                    + " "
                    + "; ".join(str(e) for e in plan.errors[:5])
                )
            if not mark_leavers:
                plan.leaving = []
            result, changes = write_plan(
                plan, today=today or timezone.localdate(), keep_parent_values=keep_parent_values
            )
            user = getattr(by, "user", by)
            # Undo records past their week hold names for no purpose (the nightly task too).
            ImportRun.objects.filter(
                at__lt=timezone.now() - datetime.timedelta(days=UNDO_DAYS)
            ).delete()
            run = ImportRun.objects.create(
                school=plan.school,
                by=user if getattr(user, "is_authenticated", False) else None,
                filename=filename[:200],
                summary=asdict(result),
                changes=changes,
            )
            result.run_id = run.pk
            if by is not None:
                audit.record(by, audit.AuditAction.IMPORT, school=plan.school)
            return result
    except IntegrityError as error:
        # Someone imported or changed the same pupils at the same moment: nothing was written.
        raise ImportRefused(
            _("Tegelijk is er iets anders veranderd. Er is niets ingelezen; probeer het opnieuw.")
        ) from error


# From this many new rows on, PostgreSQL gets fresh statistics once the import is committed.
ANALYZE_AFTER_ROWS = 500


def write_plan(plan, *, today, keep_parent_values=True):
    """Write the plan; returns the result and the changes (ids added, values before), for undo."""
    changes = {}
    # Only now, after the confirmation, do the planned groups exist.
    new_groups = Group.objects.bulk_create(list(plan.new_groups.values()))
    changes["groups"] = [g.pk for g in new_groups]
    with marking(schools=[plan.school]):
        pupils = _write_pupils(plan, today, changes)
        guardians_added, links_added = _write_guardians(plan, pupils, changes, keep_parent_values)
    # A new link to a child who was already at school can reach a family through what the child
    # already had (a held conversation); a new pupil has no history, so most imports skip this.
    linked = {pupils[number] for number, _ref in plan.new_links} - set(changes["pupils"])
    if linked:
        refresh_reach(families=_families_of(linked))
    _couple_teachers(plan)
    if len(plan.added) + guardians_added + links_added >= ANALYZE_AFTER_ROWS:
        transaction.on_commit(refresh_statistics)
    result = ImportResult(
        added=len(plan.added),
        changed=len(plan.changed),
        unchanged=len(plan.unchanged),
        left=len(plan.leaving),
        guardians_added=guardians_added,
        links_added=links_added,
        skipped_rows=len(plan.error_rows),
        groups_added=len(new_groups),
    )
    return result, changes


def _families_of(pupil_ids):
    return (
        PupilGuardian.objects.filter(pupil_id__in=pupil_ids)
        .values("guardian__family_id")
        .distinct()
        .order_by()
    )


def refresh_statistics():
    """ANALYZE the tables an import fills. Until then PostgreSQL's planner takes them for as
    small as they were before the import and may pick nested loops that run for minutes on the
    next page that joins them."""
    if connection.vendor != "postgresql":
        return
    models = [Pupil, Enrolment, Family, Guardian, PupilGuardian]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def insert_rows(model, rows):
    """Insert rows (dicts of attribute name -> value, ``family_id`` for a foreign key) and return
    their new ids, in order. A field a row does not name gets the model's own default, so a field
    added to a model later never arrives as NULL.

    On PostgreSQL one statement per 10,000 rows, one array per column (INSERT ... SELECT FROM
    unnest), with no model instance per row: building 95,000 instances was most of an import's
    time. Elsewhere Django's bulk_create in batches.
    """
    if not rows:
        return []
    columns = [field for field in model._meta.concrete_fields if not field.primary_key]
    defaults = {c.attname: c.get_default() for c in columns if c.attname not in rows[0]}
    if connection.vendor != "postgresql":
        objects = [model(**{**defaults, **row}) for row in rows]
        model._default_manager.bulk_create(objects, batch_size=BATCH)
        return [obj.pk for obj in objects]
    quote = connection.ops.quote_name
    selects, arrays = [], []
    for i, column in enumerate(columns):
        db_type = column.db_type(connection)
        if db_type == "jsonb":  # sent as text, cast in the database
            selects.append(f"c{i}::jsonb")
            arrays.append("%s::text[]")
        else:
            selects.append(f"c{i}")
            arrays.append(f"%s::{db_type}[]")
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(c.column) for c in columns)}) "
        f"SELECT {', '.join(selects)} FROM unnest({', '.join(arrays)}) "
        f"AS t({', '.join(f'c{i}' for i in range(len(columns)))}) "
        f"RETURNING {quote(model._meta.pk.column)}"
    )
    names = [column.attname for column in columns]
    json_columns = [i for i, c in enumerate(columns) if c.db_type(connection) == "jsonb"]
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10_000):
            chunk = rows[start : start + 10_000]
            values = [[row.get(name, defaults.get(name)) for row in chunk] for name in names]
            for i in json_columns:
                values[i] = [json.dumps(v) for v in values[i]]
            cursor.execute(sql, values)
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


def _write_pupils(plan, today, changes):
    """Returns pupil number -> pupil id for every row of the file."""
    new_ids = insert_rows(
        Pupil,
        [
            {
                "school_id": plan.school.pk,
                "pupil_number": row.pupil_number,
                "first_name": row.first_name,
                "infix": row.infix,
                "last_name": row.last_name,
                "date_of_birth": row.date_of_birth,
                "eck_id": row.eck_id,
            }
            for row in plan.added
        ],
    )
    changes["pupils"] = new_ids
    changes["pupil_before"] = {
        pupil.pk: {
            **{name: _json(getattr(pupil, name)) for name in PUPIL_FIELDS},
            "left_on": _json(pupil.left_on),
        }
        for pupil, _row, _changes in plan.changed
    }
    changes["left"] = [p.pk for p in plan.leaving]
    changed = []
    for pupil, row, _changes in plan.changed:
        for name, value in pupil_values(row).items():
            setattr(pupil, name, value)
        pupil.left_on = None
        changed.append(pupil)
    Pupil.objects.bulk_update(changed, [*PUPIL_FIELDS, "left_on"], batch_size=BATCH)
    Pupil.objects.filter(pk__in=[p.pk for p in plan.leaving]).update(left_on=today)

    ids = {row.pupil_number: pk for row, pk in zip(plan.added, new_ids, strict=True)}
    ids.update({p.pupil_number: p.pk for p in changed})
    ids.update({p.pupil_number: p.pk for p in plan.unchanged})
    rows = [(row, ids[row.pupil_number]) for row in plan.added] + [
        (row, pupil.pk) for pupil, row, _c in plan.changed
    ]
    create, update, enrolment_before = [], [], {}
    for row, pupil_id in rows:
        group = plan.groups[row.group_name]
        enrolment = plan.enrolments.get(pupil_id)
        if enrolment is None:
            create.append(
                {"pupil_id": pupil_id, "group_id": group.pk, "school_year_id": plan.year.pk}
            )
        elif enrolment.group_id != group.pk:
            enrolment_before[enrolment.pk] = enrolment.group_id
            enrolment.group = group
            update.append(enrolment)
    changes["enrolment_before"] = enrolment_before
    changes["enrolments"] = insert_rows(Enrolment, create)
    Enrolment.objects.bulk_update(update, ["group"], batch_size=BATCH)
    return ids


def _write_guardians(plan, pupil_ids, changes, keep_parent_values):
    tokens = sorted({n.family_token for n in plan.new_guardians.values() if n.family_id is None})
    names = {n.family_token: n.family_name[:200] for n in plan.new_guardians.values()}
    family_ids = dict(
        zip(
            tokens,
            insert_rows(
                Family, [{"board_id": plan.school.board_id, "name": names[t]} for t in tokens]
            ),
            strict=True,
        )
    )

    changes["families"] = list(family_ids.values())
    keys = list(plan.new_guardians)
    guardian_rows = []
    for key in keys:
        new = plan.new_guardians[key]
        guardian_rows.append(
            {
                "family_id": new.family_id or family_ids[new.family_token],
                "first_name": new.data.first_name,
                # A parent's surname is often not in the export: the household's name stands in.
                "last_name": new.data.last_name or new.family_name.split(" ", 1)[-1][:100],
                "email": new.data.email,
                "phone": new.data.phone,
            }
        )
    guardian_ids = dict(zip(keys, insert_rows(Guardian, guardian_rows), strict=True))

    changes["guardians"] = list(guardian_ids.values())
    changes["guardian_before"] = {
        guardian.pk: {name: getattr(guardian, name) for name in GUARDIAN_FIELDS}
        for guardian, _data in plan.guardian_updates.values()
    }
    parent_values = getattr(plan, "parent_values", [])
    kept = {(p.guardian.pk, p.field) for p in parent_values} if keep_parent_values else set()
    updated = []
    for guardian, data in plan.guardian_updates.values():
        for name in GUARDIAN_FIELDS:
            if getattr(data, name) and (guardian.pk, name) not in kept:
                setattr(guardian, name, getattr(data, name))
        updated.append(guardian)
    Guardian.objects.bulk_update(updated, GUARDIAN_FIELDS, batch_size=BATCH)
    # The administration now has what the parent wrote, or staff chose the administration's value:
    # either way the parent's change no longer counts as newer.
    settled = set(getattr(plan, "settled_changes", ()))
    if not keep_parent_values:
        settled |= {p.change.pk for p in parent_values}
    changes["settled_contact_changes"] = settle_changes(settled)

    # Authority, information right and the rest: the model's defaults, as for a parent added by hand.
    links = [
        {
            "pupil_id": pupil_ids[number],
            "guardian_id": guardian_ids[ref] if isinstance(ref, tuple) else ref,
            "relation": Relation.PARENT.value,
        }
        for number, ref in plan.new_links
    ]
    changes["links"] = insert_rows(PupilGuardian, links)
    return len(guardian_ids), len(links)


def _json(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _couple_teachers(plan):
    """EDEXML names each group's teachers: couple those who work at the school, by e-mail."""
    if not plan.teachers:
        return
    users = {
        u.email.lower(): u
        for u in get_user_model().objects.filter(
            email__in=[email for email, _g in plan.teachers if email],
            memberships__school=plan.school,
        )
    }
    through = Group.teachers.through
    links = [
        through(group_id=plan.groups[name].pk, user_id=users[email].pk)
        for email, names in plan.teachers
        if email in users
        for name in names
        if name in plan.groups
    ]
    through.objects.bulk_create(links, ignore_conflicts=True)
