"""The staff home: what each role does now, as a list of sections.

The sections come from the apps that own their data (moments and concerns from ``parents``, the
round from ``conversations``, activities and figures from ``partnership``, and later messages,
sickness reports and incidents). Each app registers a provider in its ``AppConfig.ready()``, so
``schools`` imports none of them; a new app adds a section the same way.

A provider is called as ``provider(user=, school=, today=)`` and returns a ``Section``, or None
when the section is not for this user (their roles) at this school. It reads a fixed number of
queries whatever the size of the school: the home page asserts its query count.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser


@dataclass(frozen=True)
class Item:
    """One thing to do, linking to where it is done."""

    label: str
    url: str
    detail: str = ""
    urgent: bool = False


@dataclass(frozen=True)
class Section:
    title: str
    items: list[Item] = field(default_factory=list)
    # What to say when there is nothing to do (the section is still shown: "nothing" is news).
    empty: str = ""
    # The full list behind the few items shown, with its label ("Alle 14 gezinnen").
    more_url: str = ""
    more_label: str = ""
    # Lower comes first; the sections of the most urgent work use 10-30.
    order: int = 50
    # A figure shown beside the title (e.g. "12 van 30 gesprekken gehouden").
    summary: str = ""


Provider = Callable[..., Section | None]
PROVIDERS: list[Provider] = []

# How many items a section shows before its "more" link.
SHOWN = 5


def register_home_section(provider: Provider) -> None:
    """Add a section to the staff home (call from ``AppConfig.ready()``)."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def sections_for(*, user: AbstractBaseUser, school, today: datetime.date) -> list[Section]:
    """The sections of ``user``'s home at ``school``, most urgent first."""
    found = [provider(user=user, school=school, today=today) for provider in PROVIDERS]
    return sorted((s for s in found if s is not None), key=lambda s: s.order)
