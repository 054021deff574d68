"""Demo data of care and safety: an idea the school answered (and the change it brought) and an
open complaint, both from the demo guardian; a support plan waiting for the parents' answer with
a zorgoverleg next week, for a child of another family. Idempotent: a second run adds nothing."""

import datetime
from io import TextIOBase

from django.contrib.auth import get_user_model
from django.utils import timezone

from care import services
from care.models import Feedback, SupportPlan
from parents.models import Guardian, PupilGuardian

# The demo guardian and director of ``partnership.demo`` (which sits above this app).
DEMO_GUARDIAN_EMAIL = "ouder@demo.test"
DEMO_DIRECTOR_EMAIL = "directeur@demo.test"
DEMO_IB_EMAIL = "ib@demo.test"


def seed_care(stdout: TextIOBase | None = None) -> None:
    seed_feedback(stdout)
    seed_support(stdout)


def seed_feedback(stdout: TextIOBase | None = None) -> None:
    guardian = Guardian.objects.filter(email=DEMO_GUARDIAN_EMAIL).first()
    director = get_user_model().objects.filter(email=DEMO_DIRECTOR_EMAIL).first()
    if guardian is None or director is None or Feedback.objects.filter(guardian=guardian).exists():
        return
    school = guardian.pupil_links.select_related("pupil__school").first().pupil.school
    idea = services.submit_feedback(
        guardian=guardian,
        school=school,
        kind="idea",
        text="Kunnen de ouders op vrijdag even mee de klas in, om te zien wat de kinderen maakten?",
    )
    services.answer_feedback(
        feedback=idea,
        by=director,
        answer="Goed idee! Vanaf de volgende maand is de klas op vrijdag om 14.45 uur open voor "
        "ouders.",
        change_made="Op vrijdag om 14.45 uur mogen ouders de klas in.",
    )
    services.submit_feedback(
        guardian=guardian,
        school=school,
        kind="complaint",
        text="De nieuwsbrief komt alleen in het Nederlands. Ik kan hem niet goed lezen.",
    )
    if stdout:
        stdout.write("Zorg en veiligheid: een idee en een klacht van de demo-ouder.\n")


def seed_support(stdout: TextIOBase | None = None) -> None:
    """The IB'er's plan for a child in the demo guardian's school (not hers: her portal stays as
    the other demos expect), with a zorgoverleg next week and its attendees."""
    ib = get_user_model().objects.filter(email=DEMO_IB_EMAIL).first()
    guardian = Guardian.objects.filter(email=DEMO_GUARDIAN_EMAIL).first()
    if ib is None or guardian is None or SupportPlan.objects.exists():
        return
    school_id = guardian.pupil_links.values_list("pupil__school_id", flat=True).first()
    link = (
        PupilGuardian.objects.filter(
            pupil__school_id=school_id, has_parental_authority=True, guardian__email__gt=""
        )
        .exclude(guardian__family_id=guardian.family_id)
        .select_related("pupil")
        .order_by("pupil__pupil_number")
        .first()
    )
    if link is None:
        return
    pupil = link.pupil
    services.record_support_plan(
        pupil=pupil,
        by=ib,
        goals=f"{pupil.first_name} rekent aan het eind van het schooljaar tot 100 en kent de "
        "tafels van 1 tot en met 5.",
        support="Drie keer per week een half uur rekenen in een klein groepje, met materiaal "
        "om te tellen.",
        evaluation_on=timezone.localdate() + datetime.timedelta(days=120),
    )
    next_week = timezone.localtime() + datetime.timedelta(days=7)
    meeting = services.plan_meeting(
        pupil=pupil,
        kind="zorgoverleg",
        purpose="Het plan bespreken: wat werkt al, wat is nog moeilijk?",
        by=ib,
        starts_at=next_week.replace(hour=15, minute=0, second=0, microsecond=0),
        place="Kamer van de IB'er",
    )
    services.add_attendee(
        meeting=meeting, name="Marinka de Boer", role="leerkracht van de groep", by=ib
    )
    if stdout:
        stdout.write("Zorg en veiligheid: een opp en een zorgoverleg.\n")
