"""What the class page reads: a group's teachers, class parents, coming activities, class news and
the households that agreed to be seen by the other parents of the class.

A guardian reaches a group only through a child of theirs in it whom they may see; the other
parents of a group appear only when their household opted in (``HouseholdSharing``).
"""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from parents.models import Guardian, PupilGuardian
from partnership.class_models import ClassParent, ClassPost, HouseholdSharing
from partnership.models import Activity, Audience
from schools import permissions
from schools.models import Enrolment, Group

COMING_ACTIVITIES_SHOWN = 5
POSTS_SHOWN = 20


def _seen_links() -> QuerySet:
    """Links through which a guardian sees a present child."""
    return PupilGuardian.objects.filter(
        access_blocked_reason="",
        information_right__in=permissions.VISIBLE_INFORMATION_RIGHTS,
        pupil__left_on__isnull=True,
    )


def _current_enrolments(today: datetime.date) -> QuerySet:
    return Enrolment.objects.filter(school_year__start__lte=today, school_year__end__gte=today)


def groups_of_guardian(user, *, today: datetime.date | None = None) -> QuerySet:
    """The groups of this school year in which the guardian ``user`` sees a child of theirs."""
    if not permissions.is_guardian(user):
        return Group.objects.none()
    today = today or timezone.localdate()
    pupils = _seen_links().filter(guardian__user=user).values("pupil_id")
    enrolled = _current_enrolments(today).filter(pupil__in=pupils).values("group_id")
    return (
        Group.objects.filter(pk__in=enrolled)
        .select_related("school")
        .order_by("school__name", "lowest_grade", "name")
    )


def guardians_of_group(group: Group) -> QuerySet:
    """The guardians who see a present child in ``group``."""
    pupils = Enrolment.objects.filter(group=group).values("pupil_id")
    return Guardian.objects.filter(
        pk__in=_seen_links().filter(pupil__in=pupils).values("guardian_id")
    )


def is_class_parent(guardian: Guardian, group: Group) -> bool:
    return ClassParent.objects.filter(group=group, guardian=guardian).exists()


def coming_activities(group: Group, *, now: datetime.datetime | None = None) -> list:
    """The school's coming activities for the whole school or for this group, soonest first."""
    now = now or timezone.now()
    return list(
        Activity.objects.filter(school_id=group.school_id, ends_at__gte=now)
        .filter(Q(audience=Audience.WHOLE_SCHOOL) | Q(audience=Audience.GROUPS, groups=group))
        .distinct()
        .order_by("starts_at")[:COMING_ACTIVITIES_SHOWN]
    )


def class_page(group: Group, guardian: Guardian) -> dict:
    """Everything on a group's class page for one of its guardians. Seven queries, whatever the
    size of the group."""
    parents = guardians_of_group(group)
    shared = HouseholdSharing.objects.filter(family_id=OuterRef("family_id"))
    sharing = list(
        parents.annotate(shares=Exists(shared))
        .filter(shares=True)
        .select_related("family__class_sharing")
        .order_by("first_name", "pk")
    )
    class_parents = list(
        ClassParent.objects.filter(group=group).select_related("guardian").order_by("since", "pk")
    )
    return {
        "group": group,
        "teachers": list(group.teachers.order_by("first_name", "pk")),
        "class_parents": class_parents,
        "is_class_parent": any(cp.guardian_id == guardian.pk for cp in class_parents),
        "activities": coming_activities(group),
        "posts": list(
            ClassPost.objects.published()
            .filter(group=group)
            .select_related("written_by_staff", "written_by_parent__guardian")[:POSTS_SHOWN]
        ),
        "sharing": sharing,
        "own_sharing": HouseholdSharing.objects.filter(family_id=guardian.family_id).first(),
    }


def class_overview(group: Group) -> dict:
    """The teacher's page of a group's class page: class parents, messages waiting for approval,
    the published news, and the guardians who could become class parent."""
    posts = ClassPost.objects.filter(group=group).select_related(
        "written_by_staff", "written_by_parent__guardian"
    )
    return {
        "class_parents": list(
            ClassParent.objects.filter(group=group).select_related("guardian").order_by("pk")
        ),
        "waiting": list(posts.filter(status="waiting").order_by("created_at", "pk")),
        "published": list(posts.published()[:POSTS_SHOWN]),
        "candidates": list(
            guardians_of_group(group)
            .exclude(class_roles__group=group)
            .prefetch_related(
                Prefetch(
                    "pupil_links",
                    queryset=PupilGuardian.objects.filter(
                        pupil__enrolments__group=group
                    ).select_related("pupil"),
                    to_attr="links_in_group",
                )
            )
            .order_by("first_name", "last_name", "pk")
        ),
        "sharing_count": HouseholdSharing.objects.filter(
            family__in=guardians_of_group(group).values("family_id")
        ).count(),
    }


def posts_visible_to(user) -> QuerySet:
    """Class posts ``user`` may see: staff those of the groups they see (waiting ones too), a
    guardian the published posts of their children's groups."""
    return ClassPost.objects.filter(
        Q(group__in=Group.objects.visible_to(user))
        | Q(status="published", group__in=groups_of_guardian(user))
    )
