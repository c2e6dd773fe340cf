"""What was read about the onboarding identity, and what judging it finds: plain values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["user", "servicePrincipal"]
SHOWN_ACTIONS = 6  # a role's full list can run to hundreds of operations: show a few and count the rest
SHOWN_TEXT = 400  # characters of a message Azure or Graph sent, at most
EXTERNAL_MARK = "#EXT#"  # Entra ID's user principal names of invited (B2B) users carry it


@dataclass(frozen=True)
class Permission:
    """One entry of ARM's permissions list: one role's Actions and NotActions as the caller holds them."""

    actions: tuple[str, ...] = ()
    not_actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class SubscriptionAccess:
    """The caller's permissions on one subscription, or why they could not be read."""

    subscription_id: str
    permissions: tuple[Permission, ...] = ()
    error: str | None = None
    status: int | None = None
    """ARM's HTTP status when it refused (403) or kept throttling (429) after the retries."""


@dataclass(frozen=True)
class Identity:
    """Who the credential signed in as, from its token and, for a user, Microsoft Graph's `/me`."""

    object_id: str
    tenant_id: str
    kind: Kind
    user_type: str | None = None
    user_principal_name: str | None = None
    directory_error: str | None = None
    """Why `/me` could not be read (users only); None when it was, or was not asked."""


@dataclass(frozen=True)
class Observation:
    identity: Identity
    subscriptions: tuple[SubscriptionAccess, ...]


@dataclass(frozen=True)
class Finding:
    """One way the signed-in identity falls short: about what, what was found, and the fix."""

    subject: str
    found: str
    fix: str

    def render(self) -> str:
        return f"{self.subject}: {self.found}" + (f"; fix: {self.fix}" if self.fix else "")


@dataclass(frozen=True)
class Assessment:
    """Whether a subscription's permissions allow `operation`, and through which patterns."""

    allowed: bool
    granted_by: tuple[str, ...]
    removed_by: tuple[str, ...]


def shown(text: str, limit: int = SHOWN_TEXT) -> str:
    """Text from Azure or Graph, safe for a terminal or log: control characters escaped, length bounded."""
    safe = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return safe if len(safe) <= limit else safe[: limit - 3] + "..."
