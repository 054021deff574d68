"""Who may open the class page, the helpers' pages and the receptions (issue 21). A parent sees
the class page of their own children's groups only: another group of the same school is 404; the
teacher manages the class page of the groups they teach; the board sees no names at all."""

from tests.access.matrix import GUARDIAN_ONLY, STAFF_ONLY, WHOLE_SCHOOL_ONLY, Case, expect

OWN_PAGES = expect(anonymous=302, guardian=200, blocked_guardian=200)
PLANNERS = expect(anonymous=302, ouder_coordinator=200, director=200, board=404)


def group_pk(side, group="group"):
    return lambda w: {"pk": getattr(getattr(w, side), group).pk}


def _class_parent(side):
    from partnership.class_models import ClassParent

    return ClassParent.objects.get_or_create(group=side.group, guardian=side.guardian)[0]


def class_parent_group(side):
    def kwargs(w):
        return {"pk": _class_parent(getattr(w, side)).group_id}

    return kwargs


def class_parent_pk(side):
    return lambda w: {"pk": _class_parent(getattr(w, side)).pk}


def post_pk(side):
    def kwargs(w):
        from partnership.class_models import ClassPost

        class_parent = _class_parent(getattr(w, side))
        post = ClassPost.objects.create(
            group=class_parent.group, text="Wie rijdt er mee?", written_by_parent=class_parent
        )
        return {"pk": post.pk}

    return kwargs


CASES = [
    Case("partnership:class-list", own=lambda w: {}, expect=OWN_PAGES),
    Case(
        "partnership:class-sharing",
        own=lambda w: {},
        expect=expect(anonymous=302, guardian=200),
        methods=("post",),
    ),
    Case(
        "partnership:class-page",
        own=group_pk("s1"),
        foreign=group_pk("s3"),
        expect=GUARDIAN_ONLY,
    ),
    Case(
        "partnership:class-page",
        label="a group without a child of the guardian",
        own=group_pk("s1", "other_group"),
        expect=expect(anonymous=302),
    ),
    Case(
        "partnership:class-message-create",
        own=class_parent_group("s1"),
        foreign=class_parent_group("s3"),
        expect=GUARDIAN_ONLY,
        methods=("get", "post"),
    ),
    Case(
        "partnership:class-message-create",
        label="a parent who is not klassenouder",
        own=group_pk("s1"),
        expect=expect(anonymous=302),
    ),
    Case(
        "partnership:class-manage",
        own=group_pk("s1"),
        foreign=group_pk("s3"),
        expect=STAFF_ONLY,
        methods=("get", "post"),
    ),
    Case(
        "partnership:class-manage",
        label="a group the teacher does not teach",
        own=group_pk("s1", "other_group"),
        expect=WHOLE_SCHOOL_ONLY,
    ),
    Case(
        "partnership:class-parent-appoint",
        own=group_pk("s1"),
        foreign=group_pk("s3"),
        expect=STAFF_ONLY,
        methods=("post",),
    ),
    Case(
        "partnership:class-parent-end",
        own=class_parent_pk("s1"),
        foreign=class_parent_pk("s3"),
        expect=STAFF_ONLY,
        methods=("post",),
    ),
    Case(
        "partnership:class-post-review",
        own=post_pk("s1"),
        foreign=post_pk("s3"),
        expect=STAFF_ONLY,
        methods=("post",),
    ),
]


def _activity(side):
    from tests.partnership.factories import ActivityFactory, InvitationFactory

    activity = ActivityFactory(school=side.school, title=f"Voorleesochtend {side.school.name}")
    InvitationFactory(activity=activity, family=side.family)
    activity.helper_tasks.create(kind="reading", needed=3)
    return activity


def helped_activity(side):
    return lambda w: {"pk": _activity(getattr(w, side)).pk}


def uninvited_activity(side):
    def kwargs(w):
        from tests.partnership.factories import ActivityFactory

        return {"pk": ActivityFactory(school=getattr(w, side).school).pk}

    return kwargs


CASES += [
    Case(
        "partnership:helper-tasks",
        own=helped_activity("s1"),
        foreign=helped_activity("s3"),
        expect=PLANNERS,
        methods=("get", "post"),
    ),
    Case(
        "partnership:helper-signup",
        own=helped_activity("s1"),
        foreign=helped_activity("s3"),
        expect=GUARDIAN_ONLY,
        methods=("get", "post"),
    ),
    Case(
        "partnership:helper-signup",
        label="an activity the household is not invited to",
        own=uninvited_activity("s1"),
        expect=expect(anonymous=302),
        methods=("get", "post"),
    ),
]

CASES += [
    Case(
        "partnership:reception-plan",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=PLANNERS,
        methods=("get", "post"),
    ),
]


def photo_post_pk(side):
    def kwargs(w):
        import io

        from django.core.files.base import ContentFile
        from PIL import Image

        from partnership import class_services

        out = io.BytesIO()
        Image.new("RGB", (40, 30), "orange").save(out, format="PNG")
        post = class_services.post_class_news(
            group=getattr(w, side).group,
            text="Foto van de les",
            by=None,
            photo=ContentFile(out.getvalue(), name="les.png"),
        )
        return {"pk": post.pk}

    return kwargs


CASES += [
    Case(
        "partnership:class-post-photo",
        own=photo_post_pk("s1"),
        foreign=photo_post_pk("s3"),
        expect=expect(
            anonymous=302,
            guardian=200,
            teacher=200,
            intern_begeleider=200,
            ouder_coordinator=200,
            director=200,
            board=404,
        ),
    ),
]
