"""What one confirmed import changed, so that it can be undone as a whole within a week."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import School

UNDO_DAYS = 7


class ImportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(school__in=School.objects.visible_to(user))

    def undoable(self):
        return self.filter(
            undone_at__isnull=True,
            at__gte=timezone.now() - datetime.timedelta(days=UNDO_DAYS),
        )


class ImportRun(models.Model):
    """A confirmed import: the ids of the rows it added and the values it overwrote.

    ``changes`` holds ids per kind (``pupils``, ``enrolments``, ``families``, ``guardians``,
    ``links``, ``groups``, ``left``) and the earlier values of what it changed (``pupil_before``,
    ``enrolment_before``, ``guardian_before``). Kept a week, then removed (names in it are personal
    data with no purpose after that)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="import_runs")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("ingelezen op"), default=timezone.now)
    filename = models.CharField(_("bestand"), max_length=200, blank=True)
    summary = models.JSONField(default=dict)  # the counts shown to the staff member
    changes = models.JSONField(default=dict)
    undone_at = models.DateTimeField(_("teruggedraaid op"), null=True, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        app_label = "parents"
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.school} {self.at:%Y-%m-%d %H:%M}"
