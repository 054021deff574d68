"""State changes of the parent portal: a guardian's preferences and what they tell the school."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parents.models import (
    WRITTEN_MESSAGE_KINDS,
    Channel,
    GuardianMessage,
    GuardianMessageKind,
    InformationRight,
    PupilGuardian,
)
from reminders.channels import sendable_channels

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from parents.models import Guardian
    from schools.models import Pupil

PARENT_LANGUAGE_CODES = {code for code, _name in settings.PARENT_LANGUAGES}
# A guardian logs in on their own phone and should not need a new code every day; a staff session
# carries many families' data and ends the same day.
GUARDIAN_SESSION_AGE = datetime.timedelta(days=30)
STAFF_SESSION_AGE = datetime.timedelta(hours=12)


class PortalError(Exception):
    """A rule of the portal said no; the message is for the guardian."""


def set_guardian_language(*, guardian: Guardian, language: str) -> None:
    """Remember the language a guardian chose; messages to them follow it."""
    if language not in PARENT_LANGUAGE_CODES:
        raise PortalError(_("Deze taal kunnen wij nog niet tonen."))
    if guardian.language != language:
        guardian.language = language
        guardian.save(update_fields=["language"])


@transaction.atomic
def save_guardian_preferences(
    *,
    guardian: Guardian,
    language: str,
    channel: str,
    wants_reminders: bool,
    quiet_hours_start: datetime.time | None,
    quiet_hours_end: datetime.time | None,
    daily_channels: Iterable[str] = (),
) -> Guardian:
    """Store a guardian's own preferences. The chosen channel goes first; the others they had
    named keep their order behind it. Over ``daily_channels`` the guardian gets one message a
    day instead of each message at once."""
    if channel not in Channel.values or channel not in sendable_channels():
        raise PortalError(_("Kies een manier waarop de school u bereikt."))
    if (quiet_hours_start is None) != (quiet_hours_end is None):
        raise PortalError(_("Vul bij rustige uren een begintijd en een eindtijd in."))
    set_guardian_language(guardian=guardian, language=language)
    others = [c for c in guardian.preferred_channels if c != channel]
    guardian.preferred_channels = [channel, *others]
    guardian.wants_reminders = wants_reminders
    guardian.quiet_hours_start = quiet_hours_start
    guardian.quiet_hours_end = quiet_hours_end
    guardian.daily_channels = sorted(set(daily_channels) & set(sendable_channels()))
    guardian.save(
        update_fields=[
            "preferred_channels",
            "wants_reminders",
            "quiet_hours_start",
            "quiet_hours_end",
            "daily_channels",
        ]
    )
    return guardian


# Apps above parents (messaging) act on every message that arrives: they register a receiver in
# their AppConfig.ready(), called as receiver(message=) inside the transaction that saves it.
ARRIVAL_RECEIVERS = []


def register_arrival_receiver(receiver: Callable[..., object]) -> None:
    ARRIVAL_RECEIVERS.append(receiver)


@transaction.atomic
def send_guardian_message(
    *, guardian: Guardian, pupil: Pupil, kind: str, text: str
) -> GuardianMessage:
    """Record what a guardian tells the school about one of their children."""
    link = PupilGuardian.objects.select_for_update().filter(guardian=guardian, pupil=pupil).first()
    if link is None or not link.sees_child:
        raise PortalError(_("Dit kind vinden wij niet bij uw account."))
    if kind not in WRITTEN_MESSAGE_KINDS:
        raise PortalError(_("Kies wat u de school wilt laten weten."))
    text = text.strip()
    if not text:
        raise PortalError(_("Schrijf een bericht."))
    message = GuardianMessage(guardian=guardian, pupil=pupil, kind=kind, text=text)
    if message.needs_parental_authority and not link.may_change:
        raise PortalError(
            _(
                "U hebt geen gezag over dit kind. Daarom kunt u niets aan het dossier toevoegen. "
                "U kunt wel vragen of de school u belt."
            )
        )
    message.save()
    for receiver in ARRIVAL_RECEIVERS:
        receiver(message=message)
    return message


# The request's text is fixed and for the school's staff, in Dutch: the parent writes nothing.
INFORMATION_REQUEST_TEXT = (
    "Ik heb geen gezag over mijn kind en vraag de school om informatie (artikel 1:377c BW)."
)


@transaction.atomic
def request_information(*, guardian: Guardian) -> int:
    """A parent without parental authority asks the schools of their children for information.
    One open request per child; the director decides on the guardian's access page. Returns
    the number of children asked about (0 when every request is still open)."""
    links = PupilGuardian.objects.filter(
        guardian=guardian, information_right=InformationRight.ON_REQUEST, access_blocked_reason=""
    ).select_for_update()
    pupils = [link.pupil_id for link in links]
    if not pupils:
        raise PortalError(
            _("U hebt al informatie over uw kinderen, of de school mag die niet geven.")
        )
    asked = set(
        GuardianMessage.objects.open()
        .filter(guardian=guardian, kind=GuardianMessageKind.INFORMATION_REQUEST)
        .values_list("pupil_id", flat=True)
    )
    new = [
        GuardianMessage(
            guardian=guardian,
            pupil_id=pupil,
            kind=GuardianMessageKind.INFORMATION_REQUEST,
            text=INFORMATION_REQUEST_TEXT,
        )
        for pupil in pupils
        if pupil not in asked
    ]
    GuardianMessage.objects.bulk_create(new)
    return len(new)


def may_request_information(guardian: Guardian) -> bool:
    return PupilGuardian.objects.filter(
        guardian=guardian, information_right=InformationRight.ON_REQUEST, access_blocked_reason=""
    ).exists()


@transaction.atomic
def mark_message_handled(*, message: GuardianMessage, by: User) -> bool:
    """Staff confirm they read and handled a guardian's message; the first confirmation counts."""
    updated = GuardianMessage.objects.filter(pk=message.pk, handled_at__isnull=True).update(
        handled_at=timezone.now(), handled_by=by
    )
    message.refresh_from_db()
    return bool(updated)
