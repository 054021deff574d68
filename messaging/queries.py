"""What the messages pages, the portal, the dashboards and the translation pages read about
conversations, messages from school and translated texts. Every list runs a fixed number of queries whatever its length.
"""

import datetime
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from messaging import translation
from messaging.models import Announcement, Post, PostKind, Recipient, Thread, Translation
from parents.models import Family, Guardian, Language
from reminders.models import Reminder, Status
from reminders.quiet import AMSTERDAM
from schools import audit
from schools.models import Board, Group, School, SchoolYear

PAGE_ROWS = 200


def translations_of_school(school_id: int, *, language: str = "", wanted: bool = False) -> QuerySet:
    """The school's texts in other languages: the ones nobody translated yet first, then the
    machine's, then the staff's own."""
    rows = Translation.objects.of_school(school_id).select_related("translated_by")
    if language:
        rows = rows.filter(language=language)
    if wanted:
        rows = rows.filter(text="")
    order = Case(
        When(text="", then=Value(0)),
        When(machine=True, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return rows.order_by(order, "language", "original", "pk")[:PAGE_ROWS]


ANNOUNCEMENT_RULE = "messaging.announcement"
DEFAULT_NOT_READ_DAYS = 3


# --- conversations --------------------------------------------------------------------------------


def _last_post(field_name: str) -> Subquery:
    return Subquery(
        Post.objects.filter(thread=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values(field_name)[:1]
    )


def threads_of_school(school: School, user: User, *, family: Family | None = None) -> list[Thread]:
    """The conversations about the school's pupils ``user`` sees (of one family, if given):
    waiting ones first, oldest term first; each with ``last_kind`` (who wrote last) and
    ``last_at``. Audit-logged: what parents tell the school is sensitive. Two queries."""
    threads = Thread.objects.visible_to(user).filter(school=school)
    if family is not None:
        threads = threads.filter(opening__guardian__family=family)
    rows = list(
        threads.select_related(
            "opening__guardian__family", "opening__pupil", "responsible", "group"
        )
        .annotate(last_kind=_last_post("kind"), last_at=_last_post("created_at"))
        .order_by(
            F("answered_at").asc(nulls_first=True),
            F("opening__handled_at").asc(nulls_first=True),
            "answer_by",
            "-opening__created_at",
        )
    )
    audit.record(
        user,
        audit.AuditAction.VIEW_MESSAGES,
        school=school,
        family=family,
        what=f"family:{family.pk}" if family else f"school:{school.pk}",
    )
    return rows


def thread_page(pk: int, user: User) -> Thread | None:
    """One conversation with its posts and the guardian's language and interpreter need, for
    staff; None when the user may not see it. Audit-logged."""
    thread = (
        Thread.objects.visible_to(user)
        .select_related(
            "opening__guardian__family", "opening__pupil", "responsible", "school", "group"
        )
        .prefetch_related(Prefetch("posts", queryset=Post.objects.select_related("author")))
        .filter(pk=pk)
        .first()
    )
    if thread is not None:
        audit.record(
            user,
            audit.AuditAction.VIEW_MESSAGES,
            pupil=thread.opening.pupil,
            family=thread.opening.guardian.family_id,
            what=f"thread:{thread.pk}",
        )
    return thread


def is_overdue(thread: Thread, today: datetime.date) -> bool:
    return (
        thread.answered_at is None
        and thread.opening.handled_at is None
        and thread.answer_by < today
    )


# --- the guardian's own messages ------------------------------------------------------------------


def guardian_threads(guardian: Guardian, user: User) -> list[Thread]:
    """The guardian's conversations about children they still see, newest first, with
    ``unread`` (an answer from school after they last looked). One query."""
    newer = Post.objects.filter(thread=OuterRef("pk"), kind=PostKind.STAFF).filter(
        Q(thread__guardian_read_at__isnull=True) | Q(created_at__gt=F("thread__guardian_read_at"))
    )
    return list(
        Thread.objects.visible_to(user)
        .filter(opening__guardian=guardian)
        .select_related("opening__pupil", "responsible")
        .annotate(unread=Exists(newer))
        .order_by("-opening__created_at")
    )


def guardian_thread(pk: int, guardian: Guardian, user: User) -> Thread | None:
    """The guardian's conversation with its posts. While it is open, its acknowledgement reads
    in the guardian's language of today: it is one of the fixed texts, so a guardian who changed
    their language after writing reads it in the new one (the stored text stays what was sent)."""
    from messaging.services import acknowledgement_text

    thread = (
        Thread.objects.visible_to(user)
        .filter(pk=pk, opening__guardian=guardian)
        .select_related("opening__pupil", "responsible", "school")
        .prefetch_related(Prefetch("posts", queryset=Post.objects.select_related("author")))
        .first()
    )
    if thread is not None and thread.opening.handled_at is None:
        for post in thread.posts.all():
            if post.kind == PostKind.ACKNOWLEDGEMENT:
                post.text = acknowledgement_text(thread, guardian.language)
    return thread


def guardian_announcements(guardian: Guardian) -> list[Recipient]:
    """The messages from school to this guardian that went out, newest first. One query."""
    return list(
        Recipient.objects.filter(guardian=guardian, announcement__send_at__lte=timezone.now())
        .select_related("announcement__school", "announcement__author")
        .order_by("-announcement__send_at")
    )


# --- messages from school -------------------------------------------------------------------------


def _outbox_status() -> Subquery:
    """The outbox status of a recipient's message (None while it is not queued yet)."""
    return Subquery(
        Reminder.objects.filter(
            rule=ANNOUNCEMENT_RULE,
            occurrence="1",
            object_ref=Concat(
                Value("messaging.recipient:"),
                Cast(OuterRef("pk"), CharField()),
                output_field=CharField(),
            ),
        ).values("status")[:1]
    )


def announcements_of_school(school: School, user: User) -> list[Announcement]:
    """The school's messages ``user`` sees, newest first, each with ``families``, ``delivered``
    and ``read`` (families: a family counts when one of its guardians got or opened it). Two
    queries."""
    announcements = list(
        Announcement.objects.visible_to(user)
        .filter(school=school)
        .select_related("author", "family")
        .order_by("-send_at", "-pk")[:200]
    )
    figures = {
        row["announcement"]: row
        for row in Recipient.objects.filter(announcement__in=[a.pk for a in announcements])
        .annotate(status=_outbox_status())
        .values("announcement")
        .annotate(
            families=Count("family", distinct=True),
            delivered=Count("family", filter=Q(status=Status.SENT), distinct=True),
            read=Count("family", filter=Q(opened_at__isnull=False), distinct=True),
        )
        .order_by()
    }
    for announcement in announcements:
        row = figures.get(announcement.pk, {})
        announcement.families = row.get("families", 0)
        announcement.delivered = row.get("delivered", 0)
        announcement.read = row.get("read", 0)
    return announcements


@dataclass
class FamilyRead:
    """One family's view of a message: its guardians, whether it reached them and was read."""

    family: object
    label: str = ""  # the family told apart from namesakes: "Gezin Bakker — Sem (5)"
    guardians: list = field(default_factory=list)
    delivered: bool = False
    failed: bool = False
    opened_at: datetime.datetime | None = None

    @property
    def languages(self) -> list[str]:
        return sorted({g.get_language_display() for g in self.guardians})

    @property
    def needs_interpreter(self) -> bool:
        return any(g.needs_interpreter for g in self.guardians)


def announcement_reads(announcement: Announcement, user: User, *, days: int) -> dict[str, object]:
    """Per family: delivered, failed, opened; and the families not reached ``days`` days after
    the message went out (not opened by any guardian), with language and phone so someone can
    call. Three queries (the rows, the families with their children); the read is audit-logged
    (it names families)."""
    rows = (
        Recipient.objects.filter(announcement=announcement)
        .select_related("guardian", "family")
        .annotate(status=_outbox_status())
        .order_by("family__name", "family_id", "guardian_id")
    )
    families: dict[int, FamilyRead] = {}
    for row in rows:
        entry = families.setdefault(row.family_id, FamilyRead(family=row.family))
        entry.guardians.append(row.guardian)
        entry.delivered = entry.delivered or row.status == Status.SENT
        entry.failed = entry.failed or row.status == Status.FAILED
        if row.opened_at and (entry.opened_at is None or row.opened_at < entry.opened_at):
            entry.opened_at = row.opened_at
    # Many households share a surname: each is named with the children the user may see.
    for family in Family.objects.filter(pk__in=list(families)).with_children(user):
        families[family.pk].label = family.label
    audit.record(
        user,
        audit.AuditAction.VIEW_LIST,
        school=announcement.school_id,
        what=f"announcement:{announcement.pk}",
    )
    everyone = list(families.values())
    past_days = timezone.now() >= announcement.send_at + datetime.timedelta(days=days)
    return {
        "families": everyone,
        "not_reached": [f for f in everyone if f.opened_at is None] if past_days else [],
        "past_days": past_days,
        "days": days,
        "read": sum(1 for f in everyone if f.opened_at),
        "delivered": sum(1 for f in everyone if f.delivered),
    }


@dataclass
class LanguagePreview:
    """Before sending: who reads the Dutch text, who gets a translation (when the school's
    translation service is on), who gets it in Dutch although they read another language, and
    who needs an interpreter or a call."""

    translating: bool = False
    dutch: list = field(default_factory=list)
    translated: list = field(default_factory=list)
    other_language: list = field(default_factory=list)
    interpreter: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(
            len(group)
            for group in (self.dutch, self.translated, self.other_language, self.interpreter)
        )


def language_preview(links: QuerySet) -> LanguagePreview:
    """Sort the guardians behind ``links`` (``services.audience_guardians``) by how the text
    reaches them. One query."""
    preview = LanguagePreview(translating=translation.backend() is not None)
    guardians = Guardian.objects.filter(pk__in=links.values("guardian_id")).select_related("family")
    for guardian in guardians.order_by("family__name", "last_name", "pk"):
        if guardian.needs_interpreter:
            preview.interpreter.append(guardian)
        elif guardian.language == Language.NL:
            preview.dutch.append(guardian)
        elif preview.translating and translation.translatable(guardian.language):
            preview.translated.append(guardian)
        else:
            preview.other_language.append(guardian)
    return preview


# --- response times, for the dashboards (figures, no names) ---------------------------------------


@dataclass
class ResponseFigures:
    messages: int = 0  # answered, or past their term
    within_term: int = 0
    open_overdue: int = 0
    hours: list = field(default_factory=list)

    @property
    def median_hours(self) -> float | None:
        return round(statistics.median(self.hours), 1) if self.hours else None

    @property
    def within_share(self) -> int | None:
        return round(100 * self.within_term / self.messages) if self.messages else None


def _response_rows(
    threads: QuerySet[Thread], keys: Sequence[str], today: datetime.date
) -> dict[tuple[object, ...], ResponseFigures]:
    """{key values: ResponseFigures} of ``threads`` grouped by the fields ``keys``."""
    figures = {}
    for row in threads.values_list(*keys, "opening__created_at", "answered_at", "answer_by"):
        *row_key, created, answered, answer_by = row
        entry = figures.setdefault(tuple(row_key), ResponseFigures())
        if answered is None:
            if answer_by < today:
                entry.messages += 1
                entry.open_overdue += 1
            continue
        entry.messages += 1
        entry.hours.append((answered - created).total_seconds() / 3600)
        if answered.astimezone(AMSTERDAM).date() <= answer_by:
            entry.within_term += 1
    return figures


def _year_threads(year: SchoolYear) -> QuerySet[Thread]:
    return Thread.objects.filter(
        opening__created_at__date__gte=year.start, opening__created_at__date__lte=year.end
    ).order_by()


def response_times_by_group(
    school: School, year: SchoolYear, group: Group | None = None
) -> dict[str, object]:
    """The school's response time to parents' messages in ``year``: per group and in total,
    the median hours to the first answer and the share answered within the term. One query."""
    today = timezone.localdate()
    threads = _year_threads(year).filter(school=school)
    if group is not None:
        threads = threads.filter(group=group)
    per_group = _response_rows(threads, ("group__lowest_grade", "group__name"), today)
    total = ResponseFigures()
    for entry in per_group.values():
        total.messages += entry.messages
        total.within_term += entry.within_term
        total.open_overdue += entry.open_overdue
        total.hours += entry.hours
    # Ordered as the school orders its groups; a child in no group last.
    rows = sorted(
        per_group.items(), key=lambda item: (item[0][1] is None, item[0][0] or 0, item[0][1] or "")
    )
    return {"rows": [(name, entry) for (_grade, name), entry in rows], "total": total}


def response_times_by_school(
    board: Board, year: SchoolYear, schools: Iterable[School]
) -> list[tuple[School, ResponseFigures]]:
    """[(school, ResponseFigures)] for ``schools`` of ``board``, in their order: numbers only,
    no names of families or staff. One query."""
    today = timezone.localdate()
    per_school = _response_rows(
        _year_threads(year).filter(school__board=board), ("school_id",), today
    )
    return [(school, per_school.get((school.pk,), ResponseFigures())) for school in schools]
