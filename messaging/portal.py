"""What messaging adds to the parent portal's pages that belong to the parents app."""

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from messaging.models import Post, PostKind, Recipient, Thread
from parents.models import Guardian, GuardianMessage


def thread_page(message: GuardianMessage) -> str | None:
    """Where a guardian lands after writing: the conversation their message opened."""
    thread = Thread.objects.filter(opening=message).values_list("pk", flat=True).first()
    return reverse("messaging:portal-thread-detail", args=[thread]) if thread else None


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """The number of rows of ``queryset`` as a subquery (0 when none)."""
    counted = queryset.order_by().annotate(one=F("pk") * 0).values("one").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")[:1], output_field=IntegerField()), 0)


def unread_total(guardian: Guardian) -> int:
    """Answers from school the guardian has not read plus messages from school not opened yet:
    one query."""
    answers = Post.objects.filter(
        thread__opening__guardian_id=OuterRef("pk"), kind=PostKind.STAFF
    ).filter(
        Q(thread__guardian_read_at__isnull=True) | Q(created_at__gt=F("thread__guardian_read_at"))
    )
    news = Recipient.objects.filter(
        guardian_id=OuterRef("pk"),
        opened_at__isnull=True,
        announcement__send_at__lte=timezone.now(),
    )
    row = (
        Guardian.objects.filter(pk=guardian.pk)
        .annotate(answers=_count(answers), news=_count(news))
        .values_list("answers", "news")
        .first()
    )
    return sum(row) if row else 0


def home_section(*, guardian: Guardian, user: User) -> dict[str, Any]:
    """On the portal's start page, a link to the messages when something new waits there."""
    new = unread_total(guardian)
    if not new:
        return {}
    label = _("Nieuwe berichten van school: %(count)s") % {"count": new}
    return {"actions": [{"url": reverse("messaging:portal-inbox"), "label": label}]}
