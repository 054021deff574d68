import datetime

import factory
from django.utils import timezone

from care.models import Incident
from tests import factories as f


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    school = factory.SubFactory(f.SchoolFactory)
    guardian = factory.SubFactory(f.GuardianFactory)
    staff_member = factory.SubFactory(f.UserFactory)
    reported_by = factory.SelfAttribute("staff_member")
    kind = "verbal"
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=2))
    place = "Schoolplein"
    what_happened = "De ouder schreeuwde en schold de leerkracht uit."
