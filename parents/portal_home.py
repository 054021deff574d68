"""The guardian's home page as an extension point: the apps above parents (start conversations,
activities, …) add what a guardian should do next by registering a provider in their
``AppConfig.ready()``, so that parents imports none of them (the same shape as the reminder rules,
the calendar sources and the reach sources).

A provider is called as ``provider(guardian=, user=)`` and returns a dict with ``"actions"``
(what to do next: ``{"url", "label"}``) and ``"context"`` (extra template variables).
"""

from collections.abc import Callable
from typing import Any

HomeProvider = Callable[..., dict[str, Any]]

_providers: list[HomeProvider] = []


def register_home_provider(provider: HomeProvider) -> HomeProvider:
    """Add ``provider`` to the home page (once, however often an app's ``ready()`` runs)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def home_parts(*, guardian: Any, user: Any) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """(actions, extra context) of every registered provider for this guardian, in the order the
    apps registered them."""
    actions: list[dict[str, str]] = []
    extra: dict[str, Any] = {}
    for provider in _providers:
        part = provider(guardian=guardian, user=user)
        actions.extend(part.get("actions", []))
        extra.update(part.get("context", {}))
    return actions, extra
