"""Start conversations: a round per school and year, the slots staff offer, the families invited,
the bookings they make, and the conversation that is held and logged (with its agreements)."""

from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parents.models import ContactChannel, Family, Guardian, Language, Schedule
from schools import permissions
from schools.models import Group, Pupil, School, SchoolYear

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class Mode(models.TextChoices):
    SCHOOL = "school", _("op school")
    HOME_VISIT = "home_visit", _("huisbezoek")
    PHONE = "phone", _("telefoon")
    VIDEO = "video", _("videobellen")


class RoundKind(models.TextChoices):
    START = "start", _("startgesprekken")
    PUPIL_LED = "pupil_led", _("kindgesprekken")


# A pupil-led round lies in one term of the year; the school holds this many by default.
PUPIL_LED_ROUNDS_PER_YEAR = 3


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        """Staff of the school: a round names the families it invites, so not the board."""
        return self.filter(school__in=School.objects.records_visible_to(user))


class Round(models.Model):
    """The start conversations of one school in one school year."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="conversation_rounds")
    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.PROTECT, related_name="conversation_rounds"
    )
    # db_default: the release still running while ``migrate`` runs creates rounds without it.
    kind = models.CharField(
        _("soort gesprek"),
        max_length=10,
        choices=RoundKind.choices,
        default=RoundKind.START,
        db_default=RoundKind.START,
    )
    # Which of the year's pupil-led rounds (1, 2, 3); empty for the start conversations.
    number = models.PositiveSmallIntegerField(_("ronde"), null=True, blank=True)
    window_start = models.DateField(_("eerste dag"))
    window_end = models.DateField(_("laatste dag"))
    slot_minutes = models.PositiveSmallIntegerField(_("minuten per gesprek"), default=20)
    pause_minutes = models.PositiveSmallIntegerField(
        _("minuten pauze tussen gesprekken"), default=0
    )
    modes = models.JSONField(_("vormen"), default=list)
    sibling_head_start = models.BooleanField(
        _("gezinnen met meer kinderen mogen een dag eerder boeken"), default=True
    )
    households_book_separately = models.BooleanField(
        _("gescheiden ouders mogen elk een eigen gesprek boeken"), default=False
    )
    without_authority_may_book = models.BooleanField(
        _("ouders zonder gezag mogen ook boeken"), default=False
    )
    booking_opens_on = models.DateField(_("ouders kunnen boeken vanaf"), null=True, blank=True)
    opened_at = models.DateTimeField(_("open voor ouders sinds"), null=True, blank=True)
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("ronde startgesprekken")
        verbose_name_plural = _("rondes startgesprekken")
        ordering = ["-school_year__start", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"],
                condition=Q(kind="start"),
                name="round_one_start_per_school_year",
                violation_error_message=_("Deze school heeft dit schooljaar al een ronde."),
            ),
            models.UniqueConstraint(
                fields=["school", "school_year", "number"],
                condition=Q(kind="pupil_led"),
                name="round_pupil_led_numbered_once",
                violation_error_message=_("Deze ronde kindgesprekken bestaat al."),
            ),
            models.CheckConstraint(
                condition=(Q(kind="start") & Q(number__isnull=True))
                | (Q(kind="pupil_led") & Q(number__gte=1)),
                name="round_number_only_when_pupil_led",
            ),
            models.CheckConstraint(
                condition=Q(window_end__gte=models.F("window_start")),
                name="round_window_in_order",
                violation_error_message=_("De laatste dag mag niet voor de eerste dag liggen."),
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5) & Q(slot_minutes__lte=120),
                name="round_slot_length_sane",
                violation_error_message=_("Een gesprek duurt tussen 5 en 120 minuten."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.school}"

    @property
    def is_pupil_led(self) -> bool:
        return self.kind == RoundKind.PUPIL_LED

    @property
    def title(self) -> str:
        """ "Startgesprekken 2026-2027" or "Kindgesprekken 2026-2027, ronde 2"."""
        if self.is_pupil_led:
            return _("Kindgesprekken %(year)s, ronde %(number)s") % {
                "year": self.school_year,
                "number": self.number,
            }
        return _("Startgesprekken %(year)s") % {"year": self.school_year}

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None and self.closed_at is None

    def may_plan(self, user: User) -> bool:
        """The round planners plan the round; teachers only their own slots."""
        return permissions.holds_role(user, permissions.ROUND_PLANNERS, self.school_id)

    def opens_for(self, children_count: int) -> datetime.date | None:
        """The day a household with this many children in the round may start booking."""
        if self.booking_opens_on is None:
            return None
        if self.sibling_head_start and children_count > 1:
            return self.booking_opens_on - datetime.timedelta(days=1)
        return self.booking_opens_on

    def contains(self, moment: datetime.datetime) -> bool:
        day = timezone.localtime(moment).date()
        return self.window_start <= day <= self.window_end


class Assignment(models.Model):
    """Who holds the conversations of a group in a round (and who joins where needed)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    joins = models.BooleanField(_("sluit aan waar nodig"), default=False)

    class Meta:
        verbose_name = _("wie voert de gesprekken")
        verbose_name_plural = _("wie voert de gesprekken")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "group", "staff"],
                name="assignment_unique",
                violation_error_message=_("Deze medewerker staat al bij deze groep."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} – {self.group}"


class SlotQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        return self.filter(round__in=Round.objects.visible_to(user))

    def free(self) -> Self:
        return self.filter(booking__isnull=True)


class Slot(models.Model):
    """Time one staff member offers for one conversation. On PostgreSQL an exclusion constraint
    (migration 0002) refuses two slots of the same person that overlap, in any round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="slots")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conversation_slots"
    )
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    mode = models.CharField(_("vorm"), max_length=12, choices=Mode.choices, default=Mode.SCHOOL)
    place = models.CharField(_("plaats"), max_length=100, blank=True)

    objects = SlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("tijdstip")
        verbose_name_plural = _("tijdstippen")
        ordering = ["starts_at", "staff_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="slot_ends_after_start",
                violation_error_message=_("Een gesprek moet eindigen na het begin."),
            ),
            models.UniqueConstraint(
                fields=["staff", "starts_at"],
                name="slot_unique_start_per_staff",
                violation_error_message=_("Deze medewerker heeft op dit tijdstip al een gesprek."),
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{local:%d-%m-%Y %H:%M} ({self.get_mode_display()})"


class ConversationStatus(models.TextChoices):
    TO_PLAN = "to_plan", _("nog plannen")
    BOOKED = "booked", _("gepland")
    HELD = "held", _("gehouden")
    NOT_REACHED = "not_reached", _("niet bereikt")


class StartConversationQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        return self.filter(pupil__in=permissions.visible_pupil_ids(user))


# What a start conversation's log holds: what the staff member fills in and a draft keeps.
LOG_FIELDS = (
    "child_present",
    "child_absent_reason",
    "interpreter_language",
    "qualities",
    "needs",
    "parents_expectations",
    "school_expectations",
    "ambition",
    "support_needs",
    "home_situation",
    "wish_without_child",
    "wish_collective_information",
    "preferred_channels",
    "preferred_moments",
)


class StartConversation(models.Model):
    """The one start conversation of a pupil in a school year, from invitation to log."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="conversations")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="start_conversations")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("stand"), max_length=12, choices=ConversationStatus.choices, default="to_plan"
    )
    held_at = models.DateTimeField(_("gehouden op"), null=True, blank=True)
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gevoerd door"),
    )
    guardians_present = models.ManyToManyField(
        Guardian, blank=True, related_name="+", verbose_name=_("ouders bij het gesprek")
    )
    child_present = models.BooleanField(_("kind was erbij"), null=True, blank=True)
    child_absent_reason = models.CharField(
        _("waarom was het kind er niet bij?"), max_length=200, blank=True
    )
    interpreter_language = models.CharField(
        _("tolk in de taal"), max_length=3, choices=Language.choices, blank=True
    )
    qualities = models.TextField(_("waar is het kind goed in?"), blank=True)
    needs = models.TextField(_("wat heeft het kind nodig, en van wie?"), blank=True)
    parents_expectations = models.TextField(_("wat verwachten de ouders?"), blank=True)
    school_expectations = models.TextField(_("wat verwacht de school?"), blank=True)
    ambition = models.TextField(_("wat willen we dit jaar bereiken?"), blank=True)
    support_needs = models.TextField(_("ondersteuning die nodig is"), blank=True)
    home_situation = models.TextField(
        _("thuissituatie"),
        blank=True,
        help_text=_(
            "Alleen zichtbaar voor de leerkracht, wie het gesprek voerde, de IB'er, de directie "
            "en de zorg."
        ),
    )
    wish_without_child = models.BooleanField(
        _("ouders willen ook gesprekken zonder kind"), default=False
    )
    wish_collective_information = models.BooleanField(
        _("ouders willen naar informatiebijeenkomsten"), default=False
    )
    preferred_channels = models.JSONField(_("liefst contact via"), default=list, blank=True)
    preferred_moments = models.CharField(_("liefst op deze momenten"), max_length=200, blank=True)
    # A pupil-led conversation: the pupil's own words, typed by the teacher in class beforehand.
    pupil_proud_of = models.TextField(
        _("waar ben ik trots op?"), blank=True, max_length=1000, default="", db_default=""
    )
    pupil_learn_next = models.TextField(
        _("wat wil ik hierna leren?"), blank=True, max_length=1000, default="", db_default=""
    )
    draft_saved_at = models.DateTimeField(null=True, blank=True)

    objects = StartConversationQuerySet.as_manager()

    class Meta:
        verbose_name = _("startgesprek")
        verbose_name_plural = _("startgesprekken")
        ordering = ["pupil__last_name", "pupil__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "round"],
                name="conversation_one_per_pupil_round",
                violation_error_message=_("Deze leerling heeft in deze ronde al een gesprek."),
            ),
            models.CheckConstraint(
                condition=~Q(status="held")
                | (Q(held_at__isnull=False) & Q(child_present__isnull=False)),
                name="conversation_held_is_logged",
                violation_error_message=_(
                    "Een gehouden gesprek heeft een datum en of het kind erbij was."
                ),
            ),
            models.CheckConstraint(
                # Drafts may be incomplete; a held conversation may not.
                condition=~Q(status="held") | ~Q(child_present=False) | ~Q(child_absent_reason=""),
                name="conversation_absent_child_has_reason",
                violation_error_message=_("Schrijf op waarom het kind er niet bij was."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} {self.school_year}"

    @property
    def is_held(self) -> bool:
        return self.status == ConversationStatus.HELD

    @property
    def is_in_window(self) -> bool:
        return self.held_at is not None and self.round.contains(self.held_at)

    def shows_home_situation_to(self, user: User) -> bool:
        """The home situation is for who held the conversation and the roles that need it."""
        if user.pk == self.conducted_by_id:
            return True
        if permissions.holds_role(user, permissions.HOME_SITUATION_READERS, self.round.school_id):
            return True
        # The teacher or mentor of the child's group holds the conversation.
        return self.group.teachers.filter(pk=user.pk).exists()


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("uitgenodigd")
    BOOKED = "booked", _("geboekt")
    OTHER_TIME = "other_time", _("vraagt een ander moment")


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        return self.filter(round__in=Round.objects.visible_to(user))


def _token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """One household invited to book in a round: both households of separated parents get one.

    The reminders app sends them (see ``queries.unbooked_invitations``); ``sent_at`` is set there."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(_("taal"), max_length=3, choices=Language.choices)
    status = models.CharField(
        _("stand"), max_length=12, choices=InvitationStatus.choices, default="invited"
    )
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    wish = models.TextField(_("wens van de ouders"), blank=True)
    wants_home_visit = models.BooleanField(_("wil een huisbezoek"), default=False)
    interpreter_language = models.CharField(
        _("tolk gevraagd in"), max_length=3, choices=Language.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "family"],
                name="invitation_one_per_household",
                violation_error_message=_("Dit gezin is al uitgenodigd."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family} – {self.round}"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("geboekt")
    NO_SHOW = "no_show", _("niet gekomen")


class BookingQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        return self.filter(conversation__in=StartConversation.objects.visible_to(user))


class Booking(models.Model):
    """A household booked a slot for one child. One slot holds one booking: the database says so
    (the one-to-one key), however many guardians click at the same moment."""

    slot = models.OneToOneField(Slot, on_delete=models.PROTECT, related_name="booking")
    conversation = models.ForeignKey(
        StartConversation, on_delete=models.CASCADE, related_name="bookings"
    )
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("stand"), max_length=10, choices=BookingStatus.choices, default="booked"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(auto_now_add=True)
    by_staff = models.BooleanField(_("geboekt door school"), default=False)
    uid = models.CharField(max_length=40, unique=True, default=_token, editable=False)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "family"],
                condition=Q(status="booked"),
                name="booking_one_open_per_household",
                violation_error_message=_("Dit gezin heeft voor dit kind al een afspraak."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conversation.pupil} – {self.slot}"


class ConversationAgreement(models.Model):
    """An agreement made in the start conversation; the communication plan picks these up."""

    conversation = models.ForeignKey(
        StartConversation, on_delete=models.CASCADE, related_name="agreements"
    )
    what = models.CharField(_("wat spreken we af?"), max_length=300)
    channel = models.CharField(_("hoe"), max_length=12, choices=ContactChannel.choices)
    with_child = models.BooleanField(_("met het kind erbij"), default=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("wie van school"),
    )
    # When, in the plan's own terms, so that completing the conversation hands it over unchanged.
    schedule = models.CharField(
        _("wanneer"), max_length=20, choices=Schedule.choices, default=Schedule.ONCE
    )
    due_on = models.DateField(_("op datum"), null=True, blank=True)
    interval_weeks = models.PositiveSmallIntegerField(_("elke zoveel weken"), null=True, blank=True)

    class Meta:
        verbose_name = _("afspraak uit het startgesprek")
        verbose_name_plural = _("afspraken uit het startgesprek")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(schedule="once") | Q(due_on__isnull=False),
                name="conversation_agreement_once_has_date",
                violation_error_message=_("Kies een datum voor deze afspraak."),
            ),
            models.CheckConstraint(
                condition=~Q(schedule="every_n_weeks") | Q(interval_weeks__gte=1),
                name="conversation_agreement_interval_given",
                violation_error_message=_("Vul in om de hoeveel weken."),
            ),
        ]

    def __str__(self) -> str:
        return self.what


class CalendarFeed(models.Model):
    """A staff member's private calendar address: whoever has the link sees the bookings, so the
    token is long and can be renewed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_feed"
    )
    token = models.CharField(max_length=40, unique=True, default=_token)

    class Meta:
        verbose_name = _("agenda-adres")
        verbose_name_plural = _("agenda-adressen")

    def __str__(self) -> str:
        return str(self.user)


# The pupil-led conversation's portfolio keeps its model in a module of its own.
from conversations.portfolio_models import PortfolioItem  # noqa: E402, F401
