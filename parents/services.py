"""State changes of the communication plan: agreeing a plan, its agreements and their moments, and
logging contacts. Each function checks the rule, writes in one transaction, and raises PlanError
with a Dutch message when the rule says no. Nothing here sends anything: reminders read
``parents.queries``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from zeal import zeal_ignore

from parents.models import (
    CHANNELS_NEEDING_EMAIL,
    CHANNELS_NEEDING_PHONE,
    Agreement,
    CalendarFeed,
    CommunicationPlan,
    ContactLog,
    ContactMoment,
    Family,
    MomentStatus,
    Tone,
)
from parents.reach import refresh_reach
from parents.schedule import RuleError, expand
from schools import audit, permissions
from schools.calendar import SchoolCalendar
from schools.changes import school_data_changed
from schools.models import AuditAction, Pupil

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from schools.models import SchoolYear

AGREEMENT_FIELDS = (
    "what",
    "pupil",
    "channel",
    "with_child",
    "responsible",
    "schedule",
    "on_date",
    "interval_weeks",
)


class PlanError(Exception):
    """A change the plan's rules refuse; the message is Dutch and says what to do."""


def _require_family_access(family: Family, by: User) -> None:
    """Staff who cannot see the family get the same answer as for a family that does not exist."""
    if not (
        permissions.is_staff_member(by)
        and Family.objects.visible_to(by).filter(pk=family.pk).exists()
    ):
        raise PlanError(_("U heeft geen rechten op dit gezin."))


def _check_channel(family: Family, channel: str) -> None:
    guardians = list(family.guardians.values_list("email", "phone"))
    if channel in CHANNELS_NEEDING_PHONE and not any(phone for _email, phone in guardians):
        raise PlanError(
            _(
                "Geen ouder in dit gezin heeft een telefoonnummer. Kies een ander kanaal of vul "
                "eerst een nummer in."
            )
        )
    if channel in CHANNELS_NEEDING_EMAIL and not any(email for email, _phone in guardians):
        raise PlanError(
            _(
                "Geen ouder in dit gezin heeft een e-mailadres. Kies een ander kanaal of vul eerst "
                "een adres in."
            )
        )


def _check_pupil(family: Family, pupil: Pupil) -> None:
    if not Pupil.objects.filter(pk=pupil.pk, guardian_links__guardian__family=family).exists():
        raise PlanError(_("Dit kind hoort niet bij dit gezin."))


def _schedule_moments(agreement: Agreement, *, start: datetime.date) -> list[datetime.date]:
    """Create the planned moments of ``agreement`` from ``start`` on; the rule decides the dates.

    A one-off date before ``start`` plans nothing: that day is history, not an overdue moment."""
    if agreement.schedule == "once" and agreement.on_date and agreement.on_date < start:
        return []
    calendar = SchoolCalendar.build(agreement.pupil.school, agreement.plan.school_year)
    try:
        dates = expand(agreement, calendar, start=start)
    except RuleError as error:
        raise PlanError(str(error)) from error
    existing = set(agreement.moments.filter(due_on__gte=start).values_list("due_on", flat=True))
    school_data_changed(schools=[agreement.pupil.school_id])  # bulk_create sends no signals
    ContactMoment.objects.bulk_create(
        ContactMoment(agreement=agreement, due_on=day) for day in dates if day not in existing
    )
    return dates


def _check_date_ahead(
    plan: CommunicationPlan, values: dict[str, Any], start: datetime.date
) -> None:
    """A one-off agreement is about a day from ``start`` on (the plan's day, or the day the
    agreement is made). A contact on a day gone by is logged as a contact, so that it never
    shows as an overdue moment."""
    on_date = values.get("on_date")
    if values.get("schedule") != "once" or on_date is None or on_date >= start:
        return
    if on_date < plan.agreed_on:
        raise PlanError(
            _("De datum %(date)s ligt voor %(start)s. Kies een latere datum.")
            % {
                "date": on_date.strftime("%d-%m-%Y"),
                "start": plan.agreed_on.strftime("%d-%m-%Y"),
            }
        )
    raise PlanError(
        _(
            "De datum %(date)s is al voorbij. Een afspraak gaat over later. Was er op die dag "
            "contact? Leg het vast als contact bij het gezin."
        )
        % {"date": on_date.strftime("%d-%m-%Y")}
    )


def _validate_agreement(plan: CommunicationPlan, values: dict[str, Any]) -> None:
    _check_pupil(plan.family, values["pupil"])
    _check_channel(plan.family, values["channel"])
    if values.get("schedule") == "once" and values.get("on_date") is None:
        raise PlanError(_("Kies een datum voor deze afspraak."))
    if values.get("schedule") == "every_n_weeks" and not values.get("interval_weeks"):
        raise PlanError(_("Vul in om de hoeveel weken."))
    # The responsible colleague must see this child, or the moment would never reach their list.
    responsible = values["responsible"]
    if not Pupil.objects.visible_to(responsible).filter(pk=values["pupil"].pk).exists():
        raise PlanError(
            _("%(name)s heeft geen rechten op dit kind. Kies een andere collega.")
            % {"name": responsible.get_full_name() or responsible}
        )


def _plans_from(plan: CommunicationPlan, made_on: datetime.date | None) -> datetime.date:
    """The first day a rule made on ``made_on`` plans for: that day, never before it, and never
    before the plan itself."""
    return max(plan.agreed_on, made_on or timezone.localdate())


@transaction.atomic
def add_agreement(
    *, plan: CommunicationPlan, by: User, made_on: datetime.date | None = None, **values: Any
) -> Agreement:
    """Add an agreement to ``plan`` and plan its moments from the day it is made (``made_on``,
    default today) on: an agreement made today never has a moment before today."""
    _require_family_access(plan.family, by)
    _validate_agreement(plan, values)
    start = _plans_from(plan, made_on)
    _check_date_ahead(plan, values, start)
    agreement = Agreement.objects.create(plan=plan, **values)
    _schedule_moments(agreement, start=start)
    return agreement


@transaction.atomic
def change_agreement(
    *, agreement: Agreement, by: User, today: datetime.date | None = None, **values: Any
) -> Agreement:
    """Change an agreement. Moments before ``today`` and moments already held, missed or moved by
    hand stay as they were; the rule's planned moments from today on are planned anew."""
    plan = agreement.plan
    _require_family_access(plan.family, by)
    # One change at a time per agreement, so that two re-plannings never interleave.
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    merged = {name: getattr(agreement, name) for name in AGREEMENT_FIELDS} | values
    _validate_agreement(plan, merged)
    start = _plans_from(plan, today)
    if merged.get("on_date") != agreement.on_date or merged["schedule"] != agreement.schedule:
        _check_date_ahead(plan, merged, start)
    for name, value in values.items():
        setattr(agreement, name, value)
    agreement.save()
    agreement.moments.filter(
        due_on__gte=start, status=MomentStatus.PLANNED, from_rule=True
    ).delete()
    _schedule_moments(agreement, start=start)
    return agreement


# What add_agreement and change_agreement read for each agreement of agree_plan.
EACH_AGREEMENT_ON_ITS_OWN = [
    {"model": "parents.CommunicationPlan", "field": "*"},
    {"model": "parents.Agreement", "field": "moments"},
    {"model": "parents.Family", "field": "guardians"},
    {"model": "schools.Pupil", "field": "school"},
    {"model": "schools.School", "field": "closures"},
]


@transaction.atomic
def agree_plan(
    *,
    family: Family,
    school_year: SchoolYear,
    agreed_on: datetime.date,
    by: User,
    agreements: Iterable[dict[str, Any]] = (),
    language: str | None = None,
    needs_interpreter: bool | None = None,
    preferred_channels: list[str] | None = None,
    contact_person: User | None = None,
    notes: str | None = None,
    made_on: datetime.date | None = None,
) -> CommunicationPlan:
    """Create or update the family's plan for ``school_year`` and add its agreements.

    This is the one door for other apps (the start conversation hands its agreements over here).

    - ``agreements``: dicts with the keys ``what``, ``pupil``, ``channel``, ``responsible``,
      ``schedule`` ("once", "weekly", "every_n_weeks", "monthly", "after_report", "term_start"),
      and as the rule needs ``on_date``, ``interval_weeks``, ``with_child`` (default True).
    - An agreement with the same child and the same ``what`` as one already in the plan is that
      agreement: its other fields are updated (and its future moments re-planned when the rule
      changed), never duplicated. Calling twice with the same input changes nothing.
    - Agreements already in the plan but not passed stay; this function never deletes.
    - ``language``, ``needs_interpreter``, ``preferred_channels``, ``contact_person``, ``notes``:
      None leaves
      the value as it is; a new plan takes the language, interpreter and channels of the family's
      first guardian.
    - ``agreed_on`` of an existing plan moves only earlier, so that no held moment falls before it.
    - The agreements are made on ``made_on`` (default today): their moments start that day, also
      in a plan agreed earlier in the year. A one-off date before it is refused.

    Raises PlanError (Dutch message) when ``by`` may not see the family, a rule gives no dates, a
    date lies before the plan was agreed, or a channel needs contact details the family lacks;
    then nothing is saved.
    """
    _require_family_access(family, by)
    first = family.guardians.order_by("pk").first()
    plan, created = CommunicationPlan.objects.select_for_update().get_or_create(
        family=family,
        school_year=school_year,
        defaults={
            "agreed_on": agreed_on,
            "language": first.language if first else "",
            "needs_interpreter": first.needs_interpreter if first else False,
            "preferred_channels": list(first.preferred_channels) if first else [],
        },
    )
    changes = {
        "language": language,
        "needs_interpreter": needs_interpreter,
        "preferred_channels": preferred_channels,
        "contact_person": contact_person,
        "notes": notes,
    }
    for name, value in changes.items():
        if value is not None:
            setattr(plan, name, value)
    if agreed_on < plan.agreed_on:
        plan.agreed_on = agreed_on
    if not created:
        plan.version = F("version") + 1
    plan.save()
    plan.refresh_from_db()
    # Each agreement goes through the one service that checks and schedules an agreement; a
    # plan holds a handful, so its queries per agreement are the price of that one place.
    with zeal_ignore(EACH_AGREEMENT_ON_ITS_OWN):
        for values in agreements:
            values = {"with_child": True, "on_date": None, "interval_weeks": None, **values}
            existing = plan.agreements.filter(pupil=values["pupil"], what=values["what"]).first()
            if existing is None:
                add_agreement(plan=plan, by=by, made_on=made_on, **values)
            elif any(getattr(existing, k) != v for k, v in values.items()):
                change_agreement(agreement=existing, by=by, today=made_on, **values)
    return plan


@transaction.atomic
def save_plan(
    *, plan: CommunicationPlan, by: User, version: int, **values: Any
) -> CommunicationPlan:
    """Save the plan's own fields, only when nobody saved it since ``version`` was read.

    The version check and the write are one conditional UPDATE, so two colleagues saving at once
    cannot both win: the second gets a PlanError and keeps their input on screen.
    """
    _require_family_access(plan.family, by)
    updated = CommunicationPlan.objects.filter(pk=plan.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **values
    )
    if not updated:
        raise PlanError(
            _(
                "Een collega heeft dit plan net ook aangepast. Uw wijziging is niet opgeslagen: "
                "bekijk het plan opnieuw en voer uw wijziging dan nog eens in."
            )
        )
    plan.refresh_from_db()
    return plan


def _check_follow_up(
    tone: str, follow_up_on: datetime.date | None, happened_on: datetime.date
) -> None:
    if happened_on > timezone.localdate():
        raise PlanError(_("Een contact kan niet in de toekomst liggen."))
    if tone == Tone.CONCERN and follow_up_on is None:
        raise PlanError(_("Bij een zorg hoort meteen een datum voor het vervolg."))
    if follow_up_on is not None and follow_up_on < happened_on:
        raise PlanError(_("Het vervolg kan niet voor het contact liggen."))


@transaction.atomic
def log_contact(
    *,
    family: Family,
    by: User,
    channel: str,
    tone: str,
    summary: str = "",
    happened_on: datetime.date | None = None,
    pupil: Pupil | None = None,
    follow_up_on: datetime.date | None = None,
) -> ContactLog:
    """Write down a contact with the family, planned or not. A concern needs a follow-up date."""
    _require_family_access(family, by)
    happened_on = happened_on or timezone.localdate()
    _check_follow_up(tone, follow_up_on, happened_on)
    if pupil is not None:
        _check_pupil(family, pupil)
    log = ContactLog.objects.create(
        family=family,
        pupil=pupil,
        by=by,
        happened_on=happened_on,
        channel=channel,
        tone=tone,
        summary=summary,
        follow_up_on=follow_up_on,
    )
    refresh_reach(families=[family])
    return log


@transaction.atomic
def hold_moment(
    *,
    moment: ContactMoment,
    by: User,
    tone: str,
    summary: str = "",
    happened_on: datetime.date | None = None,
    follow_up_on: datetime.date | None = None,
) -> ContactLog:
    """Mark a planned moment as held and log the contact (in the agreement's channel).

    Safe against a double click: a moment that is no longer planned is refused.
    """
    moment = (
        ContactMoment.objects.select_for_update()
        .select_related("agreement__plan")
        .get(pk=moment.pk)
    )
    family = moment.agreement.plan.family
    _require_family_access(family, by)
    if moment.status != MomentStatus.PLANNED:
        raise PlanError(_("Dit moment is al afgehandeld."))
    happened_on = happened_on or timezone.localdate()
    _check_follow_up(tone, follow_up_on, happened_on)
    moment.status = MomentStatus.HELD
    moment.save(update_fields=["status"])
    log = ContactLog.objects.create(
        family=family,
        pupil=moment.agreement.pupil,
        moment=moment,
        by=by,
        happened_on=happened_on,
        channel=moment.agreement.channel,
        tone=tone,
        summary=summary,
        follow_up_on=follow_up_on,
    )
    refresh_reach(families=[family])
    return log


@transaction.atomic
def miss_moment(*, moment: ContactMoment, by: User) -> None:
    """The moment did not happen (nobody answered, nobody came)."""
    _require_family_access(moment.agreement.plan.family, by)
    updated = ContactMoment.objects.filter(pk=moment.pk, status=MomentStatus.PLANNED).update(
        status=MomentStatus.MISSED
    )
    if not updated:
        raise PlanError(_("Dit moment is al afgehandeld."))
    school_data_changed(
        schools=Pupil.objects.filter(agreements=moment.agreement_id).values("school")
    )


@transaction.atomic
def move_moment(*, moment: ContactMoment, by: User, to: datetime.date) -> ContactMoment:
    """Move a moment to another day: the old one stays as 'moved', a new one is planned."""
    plan = moment.agreement.plan
    _require_family_access(plan.family, by)
    if to < plan.agreed_on or to > plan.school_year.end:
        raise PlanError(
            _("Kies een dag tussen de afspraak over het plan en het eind van het schooljaar.")
        )
    updated = ContactMoment.objects.filter(pk=moment.pk, status=MomentStatus.PLANNED).update(
        status=MomentStatus.MOVED
    )
    if not updated:
        raise PlanError(_("Dit moment is al afgehandeld."))
    try:
        with transaction.atomic():
            return ContactMoment.objects.create(
                agreement=moment.agreement, due_on=to, from_rule=False
            )
    except IntegrityError as error:
        raise PlanError(_("Op die dag staat al een moment voor deze afspraak.")) from error


@transaction.atomic
def unplan_moments_made_too_early(
    *, made_on: dict[int, datetime.date], dry_run: bool
) -> dict[str, int]:
    """Repair for plans made before plans started on the day they were agreed: a moment the rule
    planned before its agreement was made (``made_on``: {agreement id: date}) and that is still
    open becomes "vervallen", so it no longer shows or counts as overdue. Held, missed and moved
    moments stay as they are. Returns {school name: number of moments}; ``dry_run`` changes
    nothing."""
    ids = list(made_on)
    early, counts = [], {}
    for offset in range(0, len(ids), 500):  # in parts, so that no statement gets too long
        rows = ContactMoment.objects.filter(
            agreement_id__in=ids[offset : offset + 500],
            status=MomentStatus.PLANNED,
            from_rule=True,
        ).values_list("pk", "agreement_id", "due_on", "agreement__pupil__school__name")
        for pk, agreement_id, due_on, school in rows:
            if due_on < made_on[agreement_id]:
                early.append(pk)
                counts[school] = counts.get(school, 0) + 1
    if not dry_run:
        for offset in range(0, len(early), 500):
            ContactMoment.objects.filter(pk__in=early[offset : offset + 500]).update(
                status=MomentStatus.UNPLANNED
            )
    return dict(sorted(counts.items()))


def _audit_feed(feed: CalendarFeed, by: User) -> None:
    family = feed.guardian.family_id if feed.guardian_id else None
    audit.record(by, AuditAction.RENEW_FEED, family=family, what=f"feed:{feed.pk}")


@transaction.atomic
def calendar_feed_for(*, by: User, guardian: Any = None) -> CalendarFeed:
    """The private calendar address of the staff member ``by``, or of ``guardian`` (``by`` is
    then their own account); made on first use, which is audit-logged like a renewal."""
    owner = {"guardian": guardian} if guardian is not None else {"user": by}
    feed, created = CalendarFeed.objects.get_or_create(**owner)
    if created:
        _audit_feed(feed, by)
    return feed


@transaction.atomic
def renew_calendar_feed(*, feed: CalendarFeed, by: User) -> CalendarFeed:
    """A new address: the old one stops working at once (someone may have seen it)."""
    feed.renew()
    _audit_feed(feed, by)
    return feed
