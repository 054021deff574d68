import pytest

from parents.models import GuardianMessage
from partnership import demo
from partnership.demo import GUARDIAN_EMAIL

pytestmark = pytest.mark.django_db


def test_demo_messages_are_seeded_once_and_not_from_the_demo_parent():
    for step in demo.DEMO_STEPS:
        step()
    seeded = list(GuardianMessage.objects.values_list("pk", flat=True))
    for step in demo.DEMO_STEPS:
        step()
    assert sorted(GuardianMessage.objects.values_list("pk", flat=True)) == sorted(seeded)
    assert len(seeded) == 3
    assert not GuardianMessage.objects.filter(guardian__email=GUARDIAN_EMAIL).exists()
