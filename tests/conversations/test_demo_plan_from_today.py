"""The demo teacher logs a start conversation with a fortnightly agreement: the family's plan
was agreed on the first school day, yet "Deze week" shows nothing overdue from the new rule."""

import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from conversations import services
from conversations.demo import seed_start_conversations
from conversations.models import StartConversation
from parents.demo import seed_communication_plans
from parents.models import Agreement, CommunicationPlan
from partnership.demo import seed_organisation

TUESDAY = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
WHAT = "Om de twee weken even bellen"


def test_a_fortnightly_agreement_from_the_demo_teacher_is_not_overdue(db, client):
    with time_machine.travel(TUESDAY, tick=False):
        seed_organisation()
        seed_communication_plans()
        seed_start_conversations()
        teacher = get_user_model().objects.get(email="leerkracht@demo.test")
        planned_families = CommunicationPlan.objects.values("family")
        conversation = (
            StartConversation.objects.filter(
                group__name="5",
                status="to_plan",
                pupil__guardian_links__guardian__family__in=planned_families,
            )
            .order_by("pk")
            .first()
        )
        guardians = list(conversation.pupil.guardian_links.values_list("guardian", flat=True)[:1])
        services.save_draft(
            conversation=conversation,
            by=teacher,
            values={"child_present": True, "qualities": "Vertelt mooie verhalen"},
            guardians=guardians,
        )
        services.add_agreement(
            conversation=conversation,
            by=teacher,
            what=WHAT,
            channel="phone",
            responsible=teacher,
            schedule="every_n_weeks",
            interval_weeks=2,
        )
        services.complete_conversation(conversation=conversation, by=teacher)
        agreement = Agreement.objects.get(what=WHAT, pupil=conversation.pupil)
        assert agreement.plan.agreed_on < datetime.date(2026, 9, 15)  # agreed long before
        client.force_login(teacher)
        page = client.get(reverse("parents:this-week")).content.decode()

    moments = list(agreement.moments.order_by("due_on"))
    assert moments[0].due_on == datetime.date(2026, 11, 24)
    # Today's moment is on the list, and not as overdue; nothing else of the rule is.
    start = page.index(f'id="moment-{moments[0].pk}"')
    row = page[start : page.index("</div>", page.index(WHAT, start))]
    assert "te laat" not in row
    assert page.count(WHAT) == 1
