"""Scheduled work of the partnership app. Tasks are thin: they call a service."""

import logging

from celery import shared_task

from partnership import privacy

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def anonymise_left_pupils():
    """Nightly: anonymise pupils past the retention term. Idempotent, so a duplicate beat tick or a
    redelivered message does no harm."""
    report = privacy.anonymise_left_pupils(dry_run=False)
    privacy.remove_stale_import_batches()
    privacy.remove_old_audit_events()
    # Ids only in the log: names would defeat the purpose.
    logger.info("retention: %s pupils anonymised", len(report.pupils))
    return None


@shared_task(ignore_result=True)
def recount_dashboard_figures():
    """Early each morning: recount every school's kept board-dashboard figures, since contact
    moments turn due and overdue at midnight; the first director of the day then reads fresh
    rows instead of waiting for every school to be counted."""
    from partnership.dashboards.figures import recount_all_boards

    logger.info("dashboard figures recounted for %s schools", recount_all_boards())
