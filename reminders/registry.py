"""Rules: how other apps tell ``reminders`` what to send. ``reminders`` imports none of them.

An app that wants reminders writes a rule in ``<app>/reminder_rules.py`` and registers it from its
``AppConfig.ready()``::

    from reminders.registry import Item, Rule, register

    class BookingInvitation(Rule):
        name = "conversations.invitation"          # stable: stored in the outbox and opt-outs
        label = "Uitnodiging startgesprek"          # Dutch, shown on the school page
        audience = "parents"                        # or "staff"

        def due(self, now):
            # Yield an Item for everything that is due at or before ``now`` (a little later is
            # fine too). Yield it again on every scan while it stays due: the outbox ignores
            # what it already holds, so the scan may run any number of times.
            for slot in ...:
                yield Item(...)

        def recheck(self, reminders):
            # Called right before sending, with the claimed outbox rows of this rule (in bulk:
            # answer with one or two queries). Return {row.pk: Verdict} for the rows that must
            # not go out as they are; rows left out are sent unchanged.
            return {r.pk: Verdict.cancel("Het gesprek is al geboekt.") for r in ... }

    register(BookingInvitation())

An ``Item``:

- ``object_ref``: an opaque reference to what the reminder is about, ``"<app>.<model>:<pk>"``.
- ``recipient_key``: a stable key for the person, ``"parents.guardian:12"`` or ``"auth.user:3"``;
  opt-outs and digest preferences are keyed on it.
- ``occurrence``: which time this is (``"2026-2027"``, ``"3-days"``, ``"2026-10-05"``). The
  outbox keeps one row per (rule, object_ref, recipient_key, occurrence), so a repeated scan, two
  beat processes or a restart never create a second one.
- ``school_id``: the school whose reminder page lists it (and whose switch turns it off).
- ``address``, ``channel`` (``"email"`` or ``"sms"``), ``recipient_name``, ``language``: an empty
  address is stored as failed with a reason, so the school sees whom it cannot reach.
- ``subject``, ``body`` (plain text; ``html_body`` optional): already rendered in the recipient's
  language, short, with the school's name and the one action. ``reminders`` appends the link to
  stop this kind of reminder.
- ``due_at``: an aware datetime. Quiet hours (21:00-07:30 Europe/Amsterdam and all of Sunday by
  default, or ``quiet_hours`` of the item) postpone it; compute local times in your rule with
  ``zoneinfo``, never with a fixed offset.
- ``sender_name`` (the school's name), ``reply_to`` (the responsible staff member's e-mail).
- ``note``: a Dutch note for the school's page, e.g. that the guardian chose a channel Schouder
  cannot send by, and which one was used instead.

Rules are plain objects: keep their state in your own tables, not on the rule.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reminders.quiet import QuietHours

if TYPE_CHECKING:
    from reminders.models import Reminder


@dataclass(frozen=True)
class Item:
    object_ref: str
    recipient_key: str
    occurrence: str
    school_id: int | None
    recipient_name: str
    address: str
    channel: str
    language: str
    subject: str
    body: str
    due_at: datetime.datetime
    html_body: str = ""
    sender_name: str = ""
    reply_to: str = ""
    quiet_hours: QuietHours | None = None
    note: str = ""  # for the school, in Dutch: e.g. why not the channel the guardian chose


@dataclass(frozen=True)
class Verdict:
    """What a rule says about a claimed row right before it is sent."""

    cancel_reason: str = ""
    address: str = ""  # a changed address: send there instead
    channel: str = ""  # ... over this channel ("email" or "sms"), when it changed too

    @classmethod
    def cancel(cls, reason: str) -> "Verdict":
        return cls(cancel_reason=reason)

    @classmethod
    def send_to(cls, address: str, channel: str = "") -> "Verdict":
        return cls(address=address, channel=channel)


class Rule:
    name = ""
    label = ""
    audience = "parents"

    @property
    def routine(self) -> bool:
        """A routine reminder goes out in the recipient's daily digest unless they chose to get
        each one at once (``reminders.services.choose_daily_digest``). Every reminder to staff
        is routine unless its rule says otherwise; parents choose per channel themselves."""
        return self.audience == "staff"

    def due(self, now: datetime.datetime) -> Iterable[Item]:
        raise NotImplementedError

    def recheck(self, reminders: Sequence["Reminder"]) -> dict[int, Verdict]:
        return {}


_rules: dict[str, Rule] = {}
_school_access: list[Callable[[Any], dict[int, "OverseenSchool"]]] = []
_digest_choices: list[Callable[..., Any]] = []


def register(rule: Rule) -> Rule:
    if not rule.name:
        raise ValueError("A reminder rule needs a name.")
    _rules[rule.name] = rule
    return rule


def unregister(name: str) -> None:
    _rules.pop(name, None)


def rules() -> dict[str, Rule]:
    return dict(_rules)


def get(name: str) -> Rule | None:
    return _rules.get(name)


@dataclass(frozen=True)
class OverseenSchool:
    name: str
    can_manage: bool = False  # may switch kinds of reminders on and off


def register_school_access(function: Callable[[Any], dict[int, OverseenSchool]]) -> None:
    """``function(user) -> {school_id: OverseenSchool}``: the schools whose reminders ``user`` may
    oversee. Registered by the app that knows schools and roles; the reminder pages use it, so an
    outsider gets 404 without ``reminders`` importing that app."""
    _school_access[:] = [function]


def schools_overseen_by(user: Any) -> dict[int, OverseenSchool]:
    if not _school_access or not user.is_authenticated:
        return {}
    return _school_access[0](user)


def register_digest_choice(function: Callable[[set[str]], set[tuple[str, str]]]) -> None:
    """``function(recipient_keys) -> {(recipient_key, channel)}``: the recipients among
    ``recipient_keys`` who chose one message a day over that channel (a guardian's choice in the
    portal). Registered by the app that keeps those choices."""
    if function not in _digest_choices:
        _digest_choices.append(function)


def digest_choices(recipient_keys: Iterable[str]) -> set[tuple[str, str]]:
    recipient_keys = set(recipient_keys)
    if not recipient_keys:
        return set()
    return set().union(*(function(recipient_keys) for function in _digest_choices))
