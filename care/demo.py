"""Demo data of care and safety: an idea the school answered (and the change it brought) and an
open complaint, both from the demo guardian. Idempotent: a second run adds nothing."""

from django.contrib.auth import get_user_model

from care import services
from care.models import Feedback
from parents.models import Guardian

# The demo guardian and director of ``partnership.demo`` (which sits above this app).
DEMO_GUARDIAN_EMAIL = "ouder@demo.test"
DEMO_DIRECTOR_EMAIL = "directeur@demo.test"


def seed_care(stdout=None):
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
