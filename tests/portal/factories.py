import factory

from parents.models import GuardianMessage, GuardianMessageKind


class GuardianMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuardianMessage

    # guardian and pupil are always given: the guardian must be linked to the pupil.
    kind = GuardianMessageKind.CALL_REQUEST
    text = "Graag een telefoontje na 17 uur."
