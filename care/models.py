"""Care and safety with parents: incidents, the school's protocol, contact arrangements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schools import permissions
from schools.models import School

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import StrOrPromise

# --- Incidents with a parent ----------------------------------------------------------------------


class IncidentKind(models.TextChoices):
    """The four kinds of aggression the national guidance for schools names."""

    VERBAL = "verbal", _("verbaal")
    NON_VERBAL = "non_verbal", _("non-verbaal")
    PHYSICAL = "physical", _("fysiek")
    DIGITAL = "digital", _("digitaal")


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        """The director sees every incident of the school; anyone else of the school only the
        incidents that happened to them, that they reported, or that the director let them
        read. The board sees none (it reads counts, see ``queries.incident_counts``)."""
        access = permissions.access_for(user)
        if not access.roles_by_school:
            return self.none()
        overseen = [
            sid
            for sid, roles in access.roles_by_school.items()
            if roles & permissions.INCIDENT_OVERSEERS
        ]
        readers = Incident.readers.through.objects.filter(user_id=user.pk).values("incident_id")
        concerned = Q(staff_member_id=user.pk) | Q(reported_by_id=user.pk) | Q(pk__in=readers)
        return self.filter(
            Q(school_id__in=overseen) | (Q(school_id__in=list(access.roles_by_school)) & concerned)
        )

    def for_export(self) -> Self:
        """The rows that go into a family's data export: not those the director withholds on a
        recorded legal ground (art. 15 lid 4 AVG, art. 41 UAVG)."""
        return self.filter(withheld_ground="")


class Incident(models.Model):
    """Aggression by a parent against a staff member, with what the school did about it and the
    follow-up it owes the staff member ("we staan achter je") and the parent ("hoe gaan we
    verder?")."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(
        "parents.Guardian",
        on_delete=models.CASCADE,
        related_name="incidents",
        verbose_name=_("ouder"),
    )
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("medewerker die het overkwam"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gemeld door"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=IncidentKind.choices)
    occurred_at = models.DateTimeField(_("wanneer"))
    place = models.CharField(_("waar"), max_length=200)
    what_happened = models.TextField(_("wat er gebeurde"), max_length=5000)
    witnesses = models.TextField(_("getuigen"), max_length=1000, blank=True)

    measure_conversation = models.BooleanField(_("gesprek met de ouder"), default=False)
    measure_written_warning = models.BooleanField(_("schriftelijke waarschuwing"), default=False)
    access_ban_until = models.DateField(_("schoolverbod tot en met"), null=True, blank=True)
    police_report = models.BooleanField(_("aangifte bij de politie"), default=False)

    aftercare_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nazorg door"),
    )
    aftercare_on = models.DateField(_("nazorg op"), null=True, blank=True)
    aftercare_done_on = models.DateField(_("nazorg gedaan op"), null=True, blank=True)
    repair_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("herstelgesprek door"),
    )
    repair_on = models.DateField(_("herstelgesprek op"), null=True, blank=True)
    repair_done_on = models.DateField(_("herstelgesprek gehouden op"), null=True, blank=True)
    evaluation_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evaluatie door"),
    )
    evaluation_on = models.DateField(_("evaluatie op"), null=True, blank=True)
    evaluation_done_on = models.DateField(_("geëvalueerd op"), null=True, blank=True)

    readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("mag ook lezen"),
    )
    withheld_ground = models.TextField(
        _("wettelijke grond om niet te verstrekken"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Alleen invullen als dit incident niet in het inzageverzoek van de ouder mag staan, "
            "met de grond uit de wet (bijvoorbeeld art. 41 UAVG: bescherming van de medewerker)."
        ),
    )
    created_at = models.DateTimeField(_("gemeld op"), auto_now_add=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident met een ouder")
        verbose_name_plural = _("incidenten met ouders")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["school", "-occurred_at"], name="incident_school_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"

    @property
    def measures(self) -> list[str]:
        """The measures taken, in words, for lists and the detail page."""
        taken = []
        if self.measure_conversation:
            taken.append(str(_("gesprek met de ouder")))
        if self.measure_written_warning:
            taken.append(str(_("schriftelijke waarschuwing")))
        if self.access_ban_until:
            taken.append(
                str(_("schoolverbod tot en met %(date)s")) % {"date": self.access_ban_until}
            )
        if self.police_report:
            taken.append(str(_("aangifte bij de politie")))
        return taken


# The follow-up steps of an incident, each with who, when and when done; the reminders and the
# detail page walk this one list.
FOLLOW_UP_STEPS = (
    ("aftercare", _("Nazorg voor de medewerker")),
    ("repair", _("Herstelgesprek met de ouder")),
    ("evaluation", _("Evaluatie")),
)


class ContactArrangement(models.Model):
    """What colleagues must know when they meet this family, agreed after an incident ("alleen
    met twee collega's"): shown on the family page to every staff member who sees the family,
    without the incident itself."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    family = models.ForeignKey(
        "parents.Family", on_delete=models.CASCADE, related_name="contact_arrangements"
    )
    text = models.CharField(
        _("contactafspraak"),
        max_length=300,
        help_text=_("Bijvoorbeeld: alleen met twee collega's; gesprekken alleen op afspraak."),
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contactafspraak")
        verbose_name_plural = _("contactafspraken")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "family"], name="contact_arrangement_one_per_family"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class SafetyProtocol(models.Model):
    """The school's protocol for aggression by parents: who does what and whom to call. A school
    without one sees the default text (``care.protocol``)."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="+")
    steps = models.TextField(_("wie doet wat"), max_length=5000)
    confidant = models.CharField(
        _("vertrouwenspersoon (naam en telefoon)"), max_length=200, blank=True
    )
    director_phone = models.CharField(_("telefoon directeur"), max_length=30, blank=True)
    police = models.CharField(
        _("politie"),
        max_length=200,
        default="Bij direct gevaar: 112. Geen spoed: 0900-8844.",
        blank=True,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("protocol agressie door ouders")
        verbose_name_plural = _("protocollen agressie door ouders")

    def __str__(self) -> str:
        return str(self.school_id)


# --- Ideas and complaints -------------------------------------------------------------------------


class FeedbackKind(models.TextChoices):
    IDEA = "idea", _("idee")
    COMPLAINT = "complaint", _("klacht")


class FeedbackStatus(models.TextChoices):
    """The steps a parent follows; each is the moment of one field (see ``Feedback.status``)."""

    RECEIVED = "received", _("ontvangen")
    ASSIGNED = "assigned", _("in behandeling")
    ANSWERED = "answered", _("beantwoord")
    CLOSED = "closed", _("afgesloten")


class FeedbackQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        """Those who handle ideas and complaints at the school, whom one is assigned to, and
        the guardian who sent it. Not the board: it reads the counts on the dashboard."""
        access = permissions.access_for(user)
        condition = Q(pk__in=[])
        if access.roles_by_school:
            handled = [
                sid
                for sid, roles in access.roles_by_school.items()
                if roles & permissions.FEEDBACK_HANDLERS
            ]
            condition |= Q(school_id__in=handled)
            condition |= Q(school_id__in=list(access.roles_by_school), assigned_to_id=user.pk)
        if access.is_guardian:
            condition |= Q(guardian__user_id=user.pk)
        return self.filter(condition)

    def open(self) -> Self:
        return self.filter(closed_at__isnull=True)


class Feedback(models.Model):
    """An idea or a complaint from a parent: a chance to improve, handled openly. The parent
    follows each step in the portal; the school answers within its term of school days."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(
        "parents.Guardian",
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("ouder"),
    )
    kind = models.CharField(_("soort"), max_length=10, choices=FeedbackKind.choices)
    text = models.TextField(_("wat de ouder schreef"), max_length=3000)
    # The language the parent wrote in (their portal language then), so staff know what they
    # read and answer in kind.
    language = models.CharField(_("taal"), max_length=3)
    created_at = models.DateTimeField(_("ontvangen op"), auto_now_add=True)
    answer_due_on = models.DateField(_("antwoord uiterlijk op"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("behandeld door"),
    )
    assigned_at = models.DateTimeField(_("toegewezen op"), null=True, blank=True)
    answer = models.TextField(_("antwoord"), max_length=3000, blank=True)
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beantwoord door"),
    )
    change_made = models.CharField(
        _("wat we hierdoor veranderen"),
        max_length=300,
        blank=True,
        help_text=_(
            "Komt zonder naam in 'Wat we veranderden dankzij u' voor alle ouders. Leeg: niets."
        ),
    )
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("idee of klacht")
        verbose_name_plural = _("ideeën en klachten")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "-created_at"], name="feedback_school_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="feedback_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(answered_at__isnull=False),
                name="feedback_closed_after_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"

    @property
    def status(self) -> str:
        if self.closed_at:
            return FeedbackStatus.CLOSED
        if self.answered_at:
            return FeedbackStatus.ANSWERED
        if self.assigned_at:
            return FeedbackStatus.ASSIGNED
        return FeedbackStatus.RECEIVED

    def get_status_display(self) -> StrOrPromise:
        return FeedbackStatus(self.status).label

    @property
    def is_complaint(self) -> bool:
        return self.kind == FeedbackKind.COMPLAINT


class ComplaintsProcedure(models.Model):
    """Where the school's complaints procedure (klachtenregeling) is and whom to ask: named to
    every parent who files a complaint, with the national complaints committee."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="+")
    url = models.URLField(_("adres van de klachtenregeling"), blank=True)
    contact = models.CharField(
        _("contactpersoon voor klachten"),
        max_length=200,
        blank=True,
        help_text=_("Naam en hoe ouders deze persoon bereiken."),
    )
    answer_days = models.PositiveSmallIntegerField(_("antwoord binnen (schooldagen)"), default=10)

    class Meta:
        verbose_name = _("klachtenregeling")
        verbose_name_plural = _("klachtenregelingen")

    def __str__(self) -> str:
        return str(self.school_id)


class ChangesReport(models.Model):
    """Once a year the school tells its parents "wat we veranderden dankzij u": the changes the
    year's ideas and complaints brought, without names."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey(
        "schools.SchoolYear", on_delete=models.PROTECT, related_name="+"
    )
    introduction = models.TextField(_("inleiding"), max_length=2000, blank=True)
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("wat we veranderden dankzij u")
        verbose_name_plural = _("wat we veranderden dankzij u")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"], name="changes_report_once_a_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.school_year_id}"


# --- The support plan (opp) and meetings about a child ------------------------------------------


def care_condition(user: User) -> Q:
    """Who reads a child's support plan and the meetings about the child: the support planners
    of the school (IB'er, zorgcoördinator, director), the teachers and mentors of the child's
    own group, and each guardian with parental authority whose access is not blocked. Not the
    board, not a teacher of another group."""
    access = permissions.access_for(user)
    condition = Q(pk__in=[])
    if access.roles_by_school:
        planned = [
            sid
            for sid, roles in access.roles_by_school.items()
            if roles & permissions.SUPPORT_PLANNERS
        ]
        condition |= Q(school_id__in=planned)
        condition |= Q(
            school_id__in=list(access.group_school_ids),
            pupil_id__in=permissions.visible_pupil_ids(user),
        )
    if access.is_guardian:
        condition |= decided_by(user)
    return condition


def decided_by(user: User) -> Q:
    """The rows about the children ``user`` decides about as a guardian: with parental authority
    and access not blocked. They are the parents the school's care messages go to."""
    from parents.models import PupilGuardian

    return Q(
        pupil_id__in=PupilGuardian.objects.filter(
            guardian__user_id=user.pk, has_parental_authority=True, access_blocked_reason=""
        ).values("pupil_id")
    )


class PupilCareQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        return self.filter(care_condition(user))


class SupportPlan(models.Model):
    """The handelingsdeel of a pupil's ontwikkelingsperspectiefplan (opp): goals, support and the
    evaluation date, written here or in an attached document. The parents with parental
    authority must agree to it (WPO art. 40a); a new version is a new row, so the history of
    versions and answers stays."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(
        "schools.Pupil", on_delete=models.CASCADE, related_name="support_plans"
    )
    goals = models.TextField(_("doelen"), max_length=5000, blank=True)
    support = models.TextField(_("ondersteuning: wat de school doet"), max_length=5000, blank=True)
    evaluation_on = models.DateField(_("evaluatie op"))
    document = models.FileField(_("document"), upload_to="opp/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    objects = PupilCareQuerySet.as_manager()

    class Meta:
        verbose_name = _("ontwikkelingsperspectiefplan (handelingsdeel)")
        verbose_name_plural = _("ontwikkelingsperspectiefplannen (handelingsdeel)")
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(goals="", document=""), name="support_plan_has_content"
            ),
        ]

    def __str__(self) -> str:
        return f"opp {self.pupil_id} {self.recorded_at:%Y-%m-%d}"


class PlanAnswer(models.TextChoices):
    AGREE = "agree", _("Akkoord")
    AGREE_WITH_REMARKS = "remarks", _("Akkoord, met opmerkingen")
    DISAGREE = "disagree", _("Niet akkoord")


class SupportPlanAnswer(models.Model):
    """One guardian's answer to one version of the plan; each guardian with parental authority
    answers for themselves."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="answers")
    guardian = models.ForeignKey(
        "parents.Guardian", on_delete=models.CASCADE, related_name="+", verbose_name=_("ouder")
    )
    answer = models.CharField(_("antwoord"), max_length=10, choices=PlanAnswer.choices)
    remarks = models.TextField(_("opmerkingen"), max_length=3000, blank=True)
    answered_at = models.DateTimeField(_("beantwoord op"), auto_now_add=True)

    class Meta:
        verbose_name = _("antwoord op het opp")
        verbose_name_plural = _("antwoorden op het opp")
        ordering = ["answered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "guardian"], name="plan_answer_once"),
            models.CheckConstraint(
                condition=~Q(answer="remarks", remarks=""), name="plan_answer_remarks_written"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.answer}"


class MeetingKind(models.TextChoices):
    CARE_MEETING = "zorgoverleg", _("zorgoverleg")
    MDO = "mdo", _("MDO (overleg met deskundigen van binnen en buiten de school)")
    IB = "ib", _("gesprek met de IB'er")
    EXTERNAL = "external", _("gesprek met deskundigen van buiten de school")


class CareMeeting(models.Model):
    """A meeting about a child with its purpose and every attendee: the parents know beforehand
    who will be there. A meeting the parents asked for by disagreeing with the plan starts
    without a date; the IB'er sees it on their home until it is planned."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(
        "schools.Pupil", on_delete=models.CASCADE, related_name="care_meetings"
    )
    kind = models.CharField(_("soort overleg"), max_length=12, choices=MeetingKind.choices)
    purpose = models.TextField(_("waarom dit overleg"), max_length=2000)
    starts_at = models.DateTimeField(_("datum en tijd"), null=True, blank=True)
    place = models.CharField(_("plaats"), max_length=200, blank=True)
    # Raised each time the date is set or moved: every new date is a new invitation.
    times_scheduled = models.PositiveSmallIntegerField(default=0)
    support_plan = models.ForeignKey(
        SupportPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PupilCareQuerySet.as_manager()

    class Meta:
        verbose_name = _("overleg over een kind")
        verbose_name_plural = _("overleggen over een kind")
        ordering = [models.F("starts_at").asc(nulls_first=True), "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pupil_id}"


class MeetingAttendee(models.Model):
    """Someone at the meeting, with their role. ``announced`` marks an attendee added after the
    parents were invited: they are told at once, by name (``care.reminder_rules``)."""

    meeting = models.ForeignKey(CareMeeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(_("naam"), max_length=150)
    role = models.CharField(
        _("rol"), max_length=150, help_text=_("Bijvoorbeeld: jeugdverpleegkundige van de GGD.")
    )
    is_external = models.BooleanField(_("van buiten de school"), default=False)
    brought_by = models.ForeignKey(
        "parents.Guardian",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("meegenomen door ouder"),
    )
    announced = models.BooleanField(default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deelnemer aan een overleg")
        verbose_name_plural = _("deelnemers aan een overleg")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class InvolvementQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        """Only the support planners of the school: a meldcode record must never reach the
        parents, and the others are told to them by message."""
        return self.filter(
            school_id__in=[
                sid
                for sid, roles in permissions.access_for(user).roles_by_school.items()
                if roles & permissions.SUPPORT_PLANNERS
            ]
        )

    def told_to(self, user: User) -> Self:
        """What the school told ``user`` as a parent: not a meldcode exception, about a child
        they decide about (the parents ``OutsideInvolvementRule`` writes to). Not the staff's
        reach: a teacher who is also a parent sees only their own children's here."""
        return self.filter(decided_by(user), meldcode_reason="")

    def for_export(self) -> Self:
        """The meldcode exception stays out of a family's data export: telling the parents
        could put the child in danger (Wet meldcode; art. 41 UAVG)."""
        return self.filter(meldcode_reason="")


class OutsideInvolvement(models.Model):
    """The school involves a service outside the school (school social work, the youth team,
    the GGD). The parents are told what and why first; only the meldcode exception (Veilig
    Thuis when a child is unsafe) skips that, with its reason recorded."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(
        "schools.Pupil", on_delete=models.CASCADE, related_name="outside_involvements"
    )
    service = models.CharField(_("welke hulp"), max_length=150)
    what = models.TextField(_("wat gaat er gebeuren"), max_length=2000)
    why = models.TextField(_("waarom"), max_length=2000)
    meldcode_reason = models.TextField(
        _("reden om de ouders niet vooraf te vertellen (meldcode)"), max_length=2000, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = InvolvementQuerySet.as_manager()

    class Meta:
        verbose_name = _("hulp van buiten de school")
        verbose_name_plural = _("hulp van buiten de school")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return self.service

    @property
    def parents_told(self) -> bool:
        return not self.meldcode_reason
