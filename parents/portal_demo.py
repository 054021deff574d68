"""Demo step: a few things parents told the school, so the staff list of messages is not empty."""

from django.db import transaction

from parents import portal_services
from parents.models import GuardianMessage, GuardianMessageKind, PupilGuardian

DEMO_MESSAGES = [
    (GuardianMessageKind.FILE_INFORMATION, "Ons kind draagt sinds deze week een bril."),
    (
        GuardianMessageKind.CALL_REQUEST,
        "Kunt u mij bellen over het huiswerk? Het liefst na 17 uur.",
    ),
    (GuardianMessageKind.FILE_INFORMATION, "Opa is overleden. Daarom is ons kind soms stil."),
]


def seed_guardian_messages(stdout=None, *, board_name, guardian_email):
    """Idempotent: only when no guardian of the demo board ``board_name`` has sent anything yet.
    The demo parent who logs in (``guardian_email``) is left out, so her own page starts empty.
    The demo passes both in: parents does not import the demo above it."""
    if GuardianMessage.objects.filter(guardian__family__board__name=board_name).exists():
        return
    links = (
        PupilGuardian.objects.filter(
            guardian__family__board__name=board_name,
            has_parental_authority=True,
            access_blocked_reason="",
        )
        .exclude(guardian__email=guardian_email)
        .select_related("guardian", "pupil")
        .order_by("pupil__school__name", "pupil__pk")[: len(DEMO_MESSAGES)]
    )
    with transaction.atomic():
        for link, (kind, text) in zip(links, DEMO_MESSAGES, strict=False):
            portal_services.send_guardian_message(
                guardian=link.guardian, pupil=link.pupil, kind=kind, text=text
            )
    if stdout:
        stdout.write(f"Demo: {len(DEMO_MESSAGES)} berichten van ouders.")
