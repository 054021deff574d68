"""Who may see and change what: the one place that answers it.

Every page fetches its objects through a queryset scoped here (``Model.objects.visible_to(user)``),
so an object outside the user's reach is simply not found (404, no hint that it exists).

- Staff see the schools where they hold a membership; the board role sees every school of its board.
- Teachers and mentors see the pupils of the groups they teach; the other school roles see the
  whole school.
- A guardian sees their own children, unless the school blocked their access or the law gives no
  information right (then nothing at all).

Guardians and their links live in the ``parents`` app; this module only follows their relation names
(``guardian_links``, ``guardian``) so that ``schools`` imports nothing above it.
"""

from dataclasses import dataclass, field

from django.db.models import Q

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
# Roles that may change a school's own settings ("Wie doet wat", rounds, plans of the school).
MANAGING_ROLES = frozenset({"director"})
VISIBLE_INFORMATION_RIGHTS = ("full", "granted")


@dataclass(frozen=True)
class Access:
    """What one user's memberships add up to; computed once per request."""

    roles_by_school: dict = field(default_factory=dict)  # school id -> set of roles
    board_ids: frozenset = frozenset()
    is_guardian: bool = False
    mfa_required: bool = False  # a board of this user demands a second factor

    @property
    def is_staff_member(self):
        return bool(self.roles_by_school) or bool(self.board_ids)

    def roles_at(self, school_id):
        return self.roles_by_school.get(school_id, set())

    @property
    def whole_school_ids(self):
        return {sid for sid, roles in self.roles_by_school.items() if roles & WHOLE_SCHOOL_ROLES}

    @property
    def group_school_ids(self):
        return {sid for sid, roles in self.roles_by_school.items() if roles & GROUP_ROLES}

    @property
    def all_roles(self):
        roles = set().union(*self.roles_by_school.values()) if self.roles_by_school else set()
        if self.board_ids:
            roles.add("board")
        return roles


def access_for(user):
    """The user's memberships, cached on the user object for the rest of the request."""
    if not user.is_authenticated or not user.is_active:
        return Access()
    cached = getattr(user, "_schouder_access", None)
    if cached is not None:
        return cached
    access = access_from_rows(_memberships_rows(user))
    user._schouder_access = access
    return access


# The columns of one membership row, read from the user's side (see ``_memberships_rows``).
MEMBERSHIP_COLUMNS = (
    "memberships__school_id",
    "memberships__board_id",
    "memberships__role",
    "memberships__board__mfa_required",
    "guardian__pk",
)


def access_from_rows(rows):
    """The ``Access`` of rows of ``MEMBERSHIP_COLUMNS``: one per membership, or one row of Nones
    besides the guardian id when the user holds none. Also used by the authentication backends,
    which read these columns with the user's own (``schools.auth_backends``)."""
    roles_by_school = {}
    board_ids = set()
    mfa_required = False
    is_guardian = False
    for school_id, board_id, role, board_requires_mfa, guardian_id in rows:
        is_guardian = is_guardian or guardian_id is not None
        if role is None:  # the user row itself, when the user holds no membership
            continue
        mfa_required = mfa_required or board_requires_mfa
        if role == "board":
            board_ids.add(board_id)
        else:
            roles_by_school.setdefault(school_id, set()).add(role)
    return Access(roles_by_school, frozenset(board_ids), is_guardian, mfa_required)


def _memberships_rows(user):
    """One row per membership of the user, each with the id of the user's guardian record (or
    None); a single row of Nones besides that id when the user holds no membership.

    Read from the user's side with outer joins, so that whether the user is a guardian costs no
    query of its own."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        ._default_manager.filter(pk=user.pk)
        .values_list(*MEMBERSHIP_COLUMNS)
        .order_by()
    )


def _school_filter(user, prefix):
    """A Q object for rows whose school (reached through ``prefix``) the staff user may see."""
    access = access_for(user)
    return Q(**{f"{prefix}id__in": set(access.roles_by_school)}) | Q(
        **{f"{prefix}board_id__in": access.board_ids}
    )


def scope_schools(queryset, user):
    access = access_for(user)
    if not access.is_staff_member:
        return queryset.none()
    return queryset.filter(_school_filter(user, ""))


def _model(app_label, name):
    # Looked up at call time: parents sits above schools and is not imported here.
    from django.apps import apps

    return apps.get_model(app_label, name)


def _board_school_ids(access):
    return _model("schools", "School").objects.filter(board_id__in=access.board_ids).values("pk")


def whole_school_filter(user, prefix):
    """Q for rows of schools where the user sees everything (whole-school roles and board).

    Written as ``school_id IN (...)`` without joins: the planner then never multiplies rows,
    whatever the size of the board."""
    access = access_for(user)
    condition = Q(**{f"{prefix}school_id__in": access.whole_school_ids})
    if access.board_ids:
        condition |= Q(**{f"{prefix}school_id__in": _board_school_ids(access)})
    return condition


def _taught_group_ids(user, access):
    through = _model("schools", "Group").teachers.through
    return through.objects.filter(user=user, group__school_id__in=access.group_school_ids).values(
        "group_id"
    )


def scope_groups(queryset, user):
    access = access_for(user)
    if not access.is_staff_member:
        return queryset.none()
    condition = whole_school_filter(user, "")
    if access.group_school_ids:
        condition |= Q(pk__in=_taught_group_ids(user, access))
    return queryset.filter(condition)


def _pupil_filter(user):
    access = access_for(user)
    condition = Q(pk__in=[])
    if access.is_staff_member:
        condition |= whole_school_filter(user, "")
        if access.group_school_ids:
            enrolments = _model("schools", "Enrolment").objects.filter(
                group_id__in=_taught_group_ids(user, access)
            )
            condition |= Q(pk__in=enrolments.values("pupil_id"))
    if access.is_guardian:
        links = _model("parents", "PupilGuardian").objects.filter(
            guardian__user=user,
            access_blocked_reason="",
            information_right__in=VISIBLE_INFORMATION_RIGHTS,
        )
        condition |= Q(pk__in=links.values("pupil_id"))
    return condition


def scope_pupils(queryset, user):
    access = access_for(user)
    if not (access.is_staff_member or access.is_guardian):
        return queryset.none()
    return queryset.filter(_pupil_filter(user))


def visible_pupil_ids(user):
    """A subquery of the pupil ids the user may see, for filtering other apps' rows."""
    return scope_pupils(_model("schools", "Pupil").objects.all(), user).values("pk")


def scope_guardians(queryset, user):
    """Staff see the guardians of the pupils they see; a guardian sees only themself."""
    access = access_for(user)
    condition = Q(pk__in=[])
    if access.is_staff_member:
        links = _model("parents", "PupilGuardian").objects.filter(
            pupil_id__in=visible_pupil_ids(user)
        )
        condition |= Q(pk__in=links.values("guardian_id"))
    if access.is_guardian:
        condition |= Q(user=user)
    return queryset.filter(condition)


def scope_families(queryset, user):
    """Staff see the families of the pupils they see; a guardian sees their own household."""
    access = access_for(user)
    condition = Q(pk__in=[])
    guardians = _model("parents", "Guardian").objects
    if access.is_staff_member:
        condition |= Q(pk__in=scope_guardians(guardians.all(), user).values("family_id"))
    if access.is_guardian:
        condition |= Q(pk__in=guardians.filter(user=user).values("family_id"))
    return queryset.filter(condition)


def can_manage_school(user, school):
    """Directors change their school's settings; board members those of the board's schools."""
    access = access_for(user)
    return bool(access.roles_at(school.pk) & MANAGING_ROLES) or school.board_id in access.board_ids


def is_staff_member(user):
    return access_for(user).is_staff_member


def is_guardian(user):
    return access_for(user).is_guardian


# Roles that keep a school's pupil records: import from the administration, block a guardian.
RECORD_KEEPING_ROLES = frozenset({"director", "intern_begeleider"})


def can_keep_records(user, school):
    """Directors and IB'ers of the school, and the board, may change the pupil records.
    ``school`` is a School or its id; only an id asked about by a board member costs a query."""
    school_id = getattr(school, "pk", school)
    access = access_for(user)
    if access.roles_at(school_id) & RECORD_KEEPING_ROLES:
        return True
    if not access.board_ids:
        return False
    if hasattr(school, "board_id"):
        return school.board_id in access.board_ids
    from schools.models import School

    return School.objects.filter(pk=school_id, board_id__in=access.board_ids).exists()
