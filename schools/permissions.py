"""Who may see and change what: the one place that answers it.

Every page fetches its objects through a queryset scoped here (``Model.objects.visible_to(user)``),
so an object outside the user's reach is simply not found (404, no hint that it exists). Which
role may do what is decided by the named role sets below, and asked through one helper:
``holds_role(user, ROLES, school)`` -- "does this user hold one of these roles at this school".

- Staff of a school see its records: teachers and mentors the pupils of the groups they teach, the
  other school roles the whole school.
- The board steers; the school keeps the records (AVG data minimisation). A board member sees the
  figures of the board's schools and compares them, never a child's or parent's name, contact
  data, notes or exports. A board member who also works at a school sees that school's records
  through that school role, like any colleague there.
- A guardian sees their own children, unless the school blocked their access or the law gives no
  information right (then nothing at all).

Guardians and their links live in the ``parents`` app; this module only follows their relation names
(``guardian_links``, ``guardian``) so that ``schools`` imports nothing above it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Q, QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from schools.models import School

_QS = TypeVar("_QS", bound=QuerySet[Any, Any])

BOARD = "board"
# Roles that see every pupil of their school; teachers and mentors see their own groups.
WHOLE_SCHOOL_ROLES = frozenset(
    {
        "director",
        "intern_begeleider",
        "ouder_coordinator",
        "social_worker",
        "behaviour_coach",
        "care_coordinator",
    }
)
GROUP_ROLES = frozenset({"teacher", "mentor"})

# --- The role sets: who may do what. The board is in a set only where it needs no names. -------

# Who sees children and parents by name: every role at a school, never the board as such.
NAME_READERS = WHOLE_SCHOOL_ROLES | GROUP_ROLES
# Who plans a school's start-conversation round (open it, offer slots for others, book by phone).
ROUND_PLANNERS = frozenset({"director", "intern_begeleider"})
# Who plans activities, takes attendance, reviews parents' topics, writes the partnership plan.
ACTIVITY_PLANNERS = frozenset({"director", "ouder_coordinator"})
# Who reads a school's dashboard figures: counts, no names.
DASHBOARD_READERS = frozenset({"director", "intern_begeleider", BOARD})
# Who opens the lists and exports behind those figures: they name families and children.
DASHBOARD_LIST_READERS = DASHBOARD_READERS - {BOARD}
# Who reads the families not reached, by name, to approach them: the list readers and the
# ouder-coordinator, whose job is reaching every family.
REACH_READERS = DASHBOARD_LIST_READERS | {"ouder_coordinator"}
# Who sees, on their home, the few school figures that need attention.
ATTENTION_READERS = frozenset({"director"})
# Who keeps the pupil records: import from the administration, block a guardian, export a family.
RECORD_KEEPERS = frozenset({"director", "intern_begeleider"})
# Who reads the audit log of a pupil.
AUDIT_READERS = frozenset({"director"})
# Who reads the home situation written in a conversation log (besides who held it).
HOME_SITUATION_READERS = frozenset(
    {"director", "intern_begeleider", "care_coordinator", "social_worker"}
)
# Who oversees the reminders sent to a school's families (the outbox names every recipient).
REMINDER_OVERSEERS = WHOLE_SCHOOL_ROLES
# Who translates the texts staff wrote for parents: agreements of every family among them.
TRANSLATORS = WHOLE_SCHOOL_ROLES
# Who changes a school's own settings ("Wie doet wat", which reminders run).
SCHOOL_MANAGERS = frozenset({"director", BOARD})
# Who decides on leave (Leerplichtwet art. 11 and 14: the head of the school) and writes the
# school's attendance protocol and information card.
ABSENCE_MANAGERS = frozenset({"director"})
# Who sets the school's answer term for parents' messages and its sending hours.
MESSAGING_TERM_KEEPERS = frozenset({"director"})
# Whom a parent turns to at the school; teachers and mentors only for their own child's group,
# and the board is not a first contact.
SCHOOL_CONTACTS = frozenset(WHOLE_SCHOOL_ROLES)

# Who sees every incident with a parent at the school and decides its follow-up (aftercare,
# repair, evaluation, who else reads it). Other staff see an incident only as the staff member it
# happened to, its reporter, or a reader the director added; colleagues see only the contact
# arrangement on the family page.
INCIDENT_OVERSEERS = frozenset({"director"})
# Who reads the incident figures: counts per school and kind, no names.
INCIDENT_FIGURE_READERS = frozenset({"director", BOARD})
# Who handles the ideas and complaints of parents: acknowledges, assigns, answers.
FEEDBACK_HANDLERS = frozenset({"director", "intern_begeleider", "ouder_coordinator"})
# Who records a pupil's support plan (opp) and sees the parents' answers.
SUPPORT_PLANNERS = frozenset({"intern_begeleider", "care_coordinator", "director"})
# Who records that the school involved Veilig Thuis without telling the parents first (meldcode).
MELDCODE_DECIDERS = frozenset({"intern_begeleider", "director"})

VISIBLE_INFORMATION_RIGHTS = ("full", "granted")


@dataclass(frozen=True)
class Access:
    """What one user's memberships add up to; computed once per request."""

    roles_by_school: dict = field(default_factory=dict)  # school id -> set of roles
    board_ids: frozenset = frozenset()
    is_guardian: bool = False
    mfa_required: bool = False  # a board of this user demands a second factor
    has_authenticator: bool = False  # the user has set up a second factor (app, key, codes)

    @property
    def is_staff_member(self) -> bool:
        return bool(self.roles_by_school) or bool(self.board_ids)

    def roles_at(self, school_id: int) -> set[str]:
        return self.roles_by_school.get(school_id, set())

    @property
    def whole_school_ids(self) -> set[int]:
        return {sid for sid, roles in self.roles_by_school.items() if roles & WHOLE_SCHOOL_ROLES}

    @property
    def group_school_ids(self) -> set[int]:
        return {sid for sid, roles in self.roles_by_school.items() if roles & GROUP_ROLES}

    @property
    def name_school_ids(self) -> set[int]:
        """The schools whose records (children and parents by name) the user sees."""
        return {sid for sid, roles in self.roles_by_school.items() if roles & NAME_READERS}

    def holds(
        self, roles: AbstractSet[str], school_id: int | None = None, board_id: int | None = None
    ) -> bool:
        """One of ``roles`` at the school (its board's id decides the board role), or at any
        school when ``school_id`` is None."""
        if school_id is None:
            held = self.all_roles
        else:
            held = set(self.roles_at(school_id))
            if board_id in self.board_ids:
                held.add(BOARD)
        return bool(held & roles)

    @property
    def all_roles(self) -> set[str]:
        roles = set().union(*self.roles_by_school.values()) if self.roles_by_school else set()
        if self.board_ids:
            roles.add("board")
        return roles


def access_for(user: Any) -> Access:  # a user or AnonymousUser; the access is cached on it
    """The user's memberships, cached on the user object for the rest of the request."""
    if not user.is_authenticated or not user.is_active:
        return Access()
    cached = getattr(user, "_schouder_access", None)
    if cached is not None:
        return cached
    access = access_from_rows(membership_rows(user.pk))
    user._schouder_access = access
    return access


# The columns of one membership row, read from the user's side (see ``_memberships_rows``).
MEMBERSHIP_COLUMNS = (
    "memberships__school_id",
    "memberships__board_id",
    "memberships__role",
    "memberships__board__mfa_required",
    "guardian__pk",
    "has_authenticator",
)


def membership_rows(user_id: Any, *user_columns: str) -> QuerySet[Any, tuple[Any, ...]]:
    """One row per membership of the user: ``user_columns`` (the user's own, repeated on each)
    and then ``MEMBERSHIP_COLUMNS``; a single row of Nones besides the guardian id and the
    authenticator fact when the user holds no membership.

    Read from the user's side with outer joins and one subquery, so that whether the user is a
    guardian or has a second factor costs no query of its own."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    return (
        get_user_model()
        ._default_manager.filter(pk=user_id)
        .annotate(has_authenticator=Exists(Authenticator.objects.filter(user=OuterRef("pk"))))
        .values_list(*user_columns, *MEMBERSHIP_COLUMNS)
        .order_by()
    )


def access_from_rows(rows: Iterable[tuple[Any, ...]]) -> Access:
    """The ``Access`` of rows of ``MEMBERSHIP_COLUMNS``: one per membership, or one row of Nones
    besides the guardian id when the user holds none. Also used by the authentication backends,
    which read these columns with the user's own (``schools.auth_backends``)."""
    roles_by_school = {}
    board_ids = set()
    mfa_required = False
    is_guardian = False
    has_authenticator = False
    for school_id, board_id, role, board_requires_mfa, guardian_id, authenticator in rows:
        is_guardian = is_guardian or guardian_id is not None
        has_authenticator = has_authenticator or authenticator
        if role is None:  # the user row itself, when the user holds no membership
            continue
        mfa_required = mfa_required or board_requires_mfa
        if role == "board":
            board_ids.add(board_id)
        else:
            roles_by_school.setdefault(school_id, set()).add(role)
    return Access(
        roles_by_school, frozenset(board_ids), is_guardian, mfa_required, has_authenticator
    )


# --- The signed-in user, kept between requests --------------------------------------------------
#
# Every request of a signed-in user needs the user's row and memberships before its view runs
# (``auth_backends.user_with_access``). They are kept in the cache (Redis in production), so such
# a request makes no query at all. Whatever changes them -- the user (deactivated, a new
# password), a membership, a board's second-factor rule, a guardian record, an authenticator --
# gives the user a
# new generation, and a kept copy of another generation is never used. The new generation is set
# at once and again after the commit: a request that read the database just before the commit
# stored its copy under the generation of that moment, which the commit then replaces.

# A backstop for changes that pass the model signals (raw SQL, ``QuerySet.update``).
SIGNED_IN_TIMEOUT = 10 * 60


def _signed_in_keys(user_id: Any) -> tuple[str, str]:
    """The cache keys of the user's generation and kept rows. The database's name is part of
    them: two sites (or a scratch database beside the real one) may share one cache."""
    from django.contrib.auth import get_user_model
    from django.db import connections, router

    database = connections[router.db_for_read(get_user_model())].settings_dict["NAME"]
    return f"signed-in:{database}:{user_id}:generation", f"signed-in:{database}:{user_id}:rows"


def _new_generation() -> str:
    import uuid

    return uuid.uuid4().hex


def signed_in_rows(
    user_id: Any, columns: tuple[str, ...], read: Callable[[], list[tuple]]
) -> list[tuple]:
    """The rows ``read`` returns for the user (``columns`` names them): the kept copy when it
    belongs to the user's current generation (one cache round trip), else read and kept."""
    from django.core.cache import cache

    generation_key, rows_key = _signed_in_keys(user_id)
    kept = cache.get_many([generation_key, rows_key])
    generation, copy = kept.get(generation_key), kept.get(rows_key)
    if generation is not None and copy is not None and copy[:2] == (generation, columns):
        return copy[2]
    if generation is None and not cache.add(generation_key, generation := _new_generation(), None):
        generation = cache.get(generation_key)  # another request started one just now
    rows = read()
    if generation is not None:
        cache.set(rows_key, (generation, columns, rows), SIGNED_IN_TIMEOUT)
    return rows


def forget_signed_in(user_ids: Iterable[Any]) -> None:
    """The users' kept rows are no longer used: their next request reads the database."""
    from django.core.cache import cache
    from django.db import transaction

    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return

    def renew() -> None:
        cache.set_many({_signed_in_keys(i)[0]: _new_generation() for i in ids}, timeout=None)

    renew()
    transaction.on_commit(renew)


def _forget_user(sender: Any, instance: Any, **kwargs: Any) -> None:
    forget_signed_in([instance.pk])


def _forget_member(sender: Any, instance: Any, **kwargs: Any) -> None:
    forget_signed_in([instance.user_id])


def _forget_authenticator_user(
    sender: Any, instance: Any, created: bool = True, **kwargs: Any
) -> None:
    """Whether the user has a second factor is in the kept rows; a used one (its last-used time,
    a spent recovery code) is saved again but changes nothing there."""
    if created:
        forget_signed_in([instance.user_id])


def _forget_board_members(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """A board's second-factor rule is part of every member's kept rows."""
    if not created:
        forget_signed_in(instance.memberships.values_list("user_id", flat=True).distinct())


def forget_signed_in_on_change() -> None:
    """Connect the signals that end a kept copy (``SchoolsConfig.ready``). An app with a model
    in the kept rows (a guardian record) connects its own with ``forget_signed_in``."""
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.db.models.signals import post_delete, post_save

    from schools.models import Board, StaffMembership

    for signal in (post_save, post_delete):
        signal.connect(_forget_user, sender=settings.AUTH_USER_MODEL, dispatch_uid="signed-in-user")
        signal.connect(_forget_member, sender=StaffMembership, dispatch_uid="signed-in-member")
        signal.connect(
            _forget_authenticator_user, sender=Authenticator, dispatch_uid="signed-in-authenticator"
        )
    post_save.connect(_forget_board_members, sender=Board, dispatch_uid="signed-in-board")


def _school_filter(user: User | AnonymousUser, prefix: str) -> Q:
    """A Q object for rows whose school (reached through ``prefix``) the staff user may see."""
    access = access_for(user)
    return Q(**{f"{prefix}id__in": set(access.roles_by_school)}) | Q(
        **{f"{prefix}board_id__in": access.board_ids}
    )


def scope_schools(queryset: _QS, user: User | AnonymousUser) -> _QS:
    access = access_for(user)
    if not access.is_staff_member:
        return queryset.none()
    return queryset.filter(_school_filter(user, ""))


def scope_record_schools(queryset: _QS, user: User | AnonymousUser) -> _QS:
    """Schools whose records the user sees: where they hold a school role. The board's schools
    are not among them (the board sees their figures through ``scope_schools``)."""
    return queryset.filter(pk__in=access_for(user).name_school_ids)


def _model(app_label: str, name: str) -> Any:
    # Looked up at call time: schools.models imports this module.
    from django.apps import apps

    return apps.get_model(app_label, name)


def whole_school_filter(user: User | AnonymousUser, prefix: str) -> Q:
    """Q for rows of schools where the user sees every pupil: the whole-school roles. Not the
    board: it reads figures, not records.

    Written as ``school_id IN (...)`` without joins: the planner then never multiplies rows,
    whatever the size of the school."""
    return Q(**{f"{prefix}school_id__in": access_for(user).whole_school_ids})


def _taught_group_ids(user: User | AnonymousUser, access: Access) -> QuerySet[Any, dict[str, Any]]:
    through = _model("schools", "Group").teachers.through
    return through.objects.filter(user=user, group__school_id__in=access.group_school_ids).values(
        "group_id"
    )


def scope_groups(queryset: _QS, user: User | AnonymousUser) -> _QS:
    access = access_for(user)
    if not access.is_staff_member:
        return queryset.none()
    condition = whole_school_filter(user, "")
    if access.group_school_ids:
        condition |= Q(pk__in=_taught_group_ids(user, access))
    return queryset.filter(condition)


# Which pupils a user sees as a guardian is the parents app's knowledge (their links to the
# children, blocked or not). It registers the answer at start-up, the same way apps register their
# reminder rules, so schools imports no app above it.
_guardian_pupils: list[Callable[[Any], QuerySet[Any, Any]]] = []


def register_guardian_pupils(
    function: Callable[[Any], QuerySet[Any, Any]],
) -> Callable[[Any], QuerySet[Any, Any]]:
    """``function(user)``: a queryset of the ids of the pupils ``user`` may see as a guardian."""
    _guardian_pupils[:] = [function]
    return function


def _pupil_filter(user: User | AnonymousUser) -> Q:
    access = access_for(user)
    condition = Q(pk__in=[])
    if access.is_staff_member:
        condition |= whole_school_filter(user, "")
        if access.group_school_ids:
            enrolments = _model("schools", "Enrolment").objects.filter(
                group_id__in=_taught_group_ids(user, access)
            )
            condition |= Q(pk__in=enrolments.values("pupil_id"))
    if access.is_guardian and _guardian_pupils:
        condition |= Q(pk__in=_guardian_pupils[0](user))
    return condition


def scope_pupils(queryset: _QS, user: User | AnonymousUser) -> _QS:
    access = access_for(user)
    if not (access.is_staff_member or access.is_guardian):
        return queryset.none()
    return queryset.filter(_pupil_filter(user))


def visible_pupil_ids(user: User | AnonymousUser) -> QuerySet[Any, dict[str, Any]]:
    """A subquery of the pupil ids the user may see, for filtering other apps' rows."""
    return scope_pupils(_model("schools", "Pupil").objects.all(), user).values("pk")


def holds_role(user: User | AnonymousUser, roles: AbstractSet[str], school: Any = None) -> bool:
    """Does ``user`` hold one of ``roles`` at ``school`` (a School or its id)? With no school:
    at any school. The board role counts at every school of the member's board; only an id
    asked about by a board member costs a query."""
    access = access_for(user)
    if school is None:
        return access.holds(roles)
    school_id = getattr(school, "pk", school)
    if access.holds(roles, school_id):
        return True
    if BOARD not in roles or not access.board_ids:
        return False
    board_id = getattr(school, "board_id", None)
    if board_id is None:
        from schools.models import School

        board_id = School.objects.filter(pk=school_id).values_list("board_id", flat=True).first()
    return board_id in access.board_ids


def require_role(
    user: User | AnonymousUser, roles: AbstractSet[str], school: School | int | None = None
) -> None:
    """``holds_role`` or 404: a page that is not for this user does not exist for them."""
    if not holds_role(user, roles, school):
        raise Http404


def schools_where(user: User | AnonymousUser, roles: AbstractSet[str]) -> QuerySet[Any]:
    """A queryset of the schools where ``user`` holds one of ``roles`` (the board role: every
    school of the member's boards). No query until it is read."""
    access = access_for(user)
    own = [sid for sid, held in access.roles_by_school.items() if held & roles]
    condition = Q(pk__in=own)
    if BOARD in roles and access.board_ids:
        condition |= Q(board_id__in=access.board_ids)
    return _model("schools", "School").objects.filter(condition)


def guardian_or_404(user: Any) -> Any:  # a parents.Guardian, an app above this one
    """The user's own guardian record, for the pages of the parent portal; 404 for others."""
    if not access_for(user).is_guardian:
        raise Http404
    return user.guardian


def can_manage_school(user: User | AnonymousUser, school: School | int) -> bool:
    """Directors change their school's settings; board members those of the board's schools."""
    return holds_role(user, SCHOOL_MANAGERS, school)


def is_staff_member(user: User | AnonymousUser) -> bool:
    """Staff of a school or a board member: someone who works for the schools, not a parent."""
    return access_for(user).is_staff_member


def reads_names(user: User | AnonymousUser, school: School | int | None = None) -> bool:
    """Does the user see children and parents by name (at ``school``, or anywhere)?"""
    return holds_role(user, NAME_READERS, school)


def is_guardian(user: User | AnonymousUser) -> bool:
    return access_for(user).is_guardian


def can_keep_records(user: User | AnonymousUser, school: School | int) -> bool:
    """Directors and IB'ers of the school keep its pupil records (import, blocking, export); the
    board steers and keeps none (AVG data minimisation)."""
    return holds_role(user, RECORD_KEEPERS, school)
