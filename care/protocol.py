"""The school's protocol for aggression by parents: its own text, or a sound default until the
director writes one."""

from dataclasses import asdict, dataclass

from care.models import SafetyProtocol
from schools.models import School

# After the national guidance for schools on aggression by parents: stop it, report it, take
# care of the colleague, repair with the parent, evaluate.
DEFAULT_STEPS = """1. Blijf rustig, zeg dat dit gedrag niet kan en stop het gesprek als het nodig is.
2. Bij direct gevaar: bel 112. Haal een collega erbij.
3. Meld het incident dezelfde dag in Schouder en vertel het de directeur.
4. De directeur belt of spreekt de medewerker nog dezelfde dag: wij staan achter je.
5. De directeur besluit over maatregelen: een gesprek, een schriftelijke waarschuwing, een
   schoolverbod met einddatum of aangifte bij de politie.
6. De directeur plant nazorg voor de medewerker en een herstelgesprek met de ouder: hoe gaan we
   verder?
7. Na een paar weken evalueren we: is het veilig, werkt de afspraak?
8. Wil de medewerker met iemand anders praten? Bel de vertrouwenspersoon."""
DEFAULT_POLICE = "Bij direct gevaar: 112. Geen spoed: 0900-8844."


@dataclass(frozen=True)
class Protocol:
    steps: str
    confidant: str
    director_phone: str
    police: str
    is_default: bool

    def as_initial(self) -> dict:
        initial = asdict(self)
        initial.pop("is_default")
        return initial


def of_school(school: School) -> Protocol:
    saved = SafetyProtocol.objects.filter(school=school).first()
    if saved is None:
        return Protocol(DEFAULT_STEPS, "", "", DEFAULT_POLICE, is_default=True)
    return Protocol(
        saved.steps, saved.confidant, saved.director_phone, saved.police, is_default=False
    )
