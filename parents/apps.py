from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParentsConfig(AppConfig):
    name = "parents"
    verbose_name = _("Ouders en gezinnen")

    def ready(self):
        from parents import reminder_rules as rules
        from parents import signals  # noqa: F401  (connects the login receiver)
        from parents.models import guardian_pupil_ids
        from reminders import registry
        from schools import permissions

        permissions.register_guardian_pupils(guardian_pupil_ids)

        registry.register(rules.WelcomeRule())
        registry.register(rules.WelcomeRepeatRule())
        registry.register(rules.PhotoConsentRule())
        registry.register(rules.ContactMomentRule())
        registry.register(rules.ContactMomentEscalationRule())
        registry.register(rules.ConcernFollowUpRule())
        registry.register(rules.NoPositiveContactRule())
        registry.register(rules.NotReachedRule())
        registry.register_digest_choice(rules.guardians_wanting_one_message_a_day)

        from parents import home
        from schools.home import register_home_section

        for section in (
            home.moments_section,
            home.concerns_section,
            home.messages_section,
            home.positive_contact_section,
        ):
            register_home_section(section)

        from django.db.models import Q

        from parents.models import (
            Agreement,
            CommunicationPlan,
            ContactLog,
            ContactMoment,
            PupilGuardian,
        )
        from schools import changes
        from schools.models import Pupil

        # The dashboards count families through the guardian links, so a guardian row itself
        # changes no figure; deleting one deletes its links, which mark their schools.
        changes.track(
            PupilGuardian, lambda pg: Pupil.objects.filter(pk=pg.pupil_id).values("school")
        )
        changes.track(
            CommunicationPlan,
            lambda plan: Pupil.objects.filter(
                guardian_links__guardian__family=plan.family_id
            ).values("school"),
        )
        changes.track(
            ContactMoment,
            lambda m: Agreement.objects.filter(pk=m.agreement_id).values("pupil__school"),
        )

        def contact_schools(log: ContactLog) -> Any:
            """A contact counts at its child's school, and as its moment's log at the moment's."""
            about = Q(pk=log.pupil_id)  # no child: matches no pupil
            if log.moment_id:
                about |= Q(agreements__moments=log.moment_id)
            return Pupil.objects.filter(about).values("school")

        changes.track(ContactLog, contact_schools)
