"""What an import gives: the customer it was told about, and the stack and directory entries it built."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...errors import Problem

STACK_NAMESPACE = "lighthouse-iac"


@dataclass(frozen=True)
class Customer:
    """What a template does not say: who the customer is and who onboards it."""

    stack: str
    name: str | None = None
    tenant_id: str | None = None
    onboarding_object_id: str | None = None
    offer_key: str | None = None


@dataclass(frozen=True)
class ImportedPrincipal:
    name: str
    object_id: str
    display_name: str
    kind: str = "group"


@dataclass
class ImportResult:
    """The stack a template becomes, the directory it needs, and what the user must know or fix."""

    stack: str
    tenant_id: str
    customer: dict[str, Any]
    onboarding: dict[str, Any]
    offers: list[dict[str, Any]]
    new_principals: list[ImportedPrincipal]
    directory_exists: bool
    notes: list[str] = field(default_factory=list)
    placeholders: list[Problem] = field(default_factory=list)

    def stack_values(self) -> dict[str, Any]:
        """The `config:` mapping of `stacks/Pulumi.<stack>.yaml`."""
        return {
            f"{STACK_NAMESPACE}:customer": self.customer,
            f"{STACK_NAMESPACE}:onboarding": self.onboarding,
            f"{STACK_NAMESPACE}:offers": self.offers,
        }

    def principals(self) -> dict[str, dict[str, str]]:
        return {
            p.name: {"objectId": p.object_id, "kind": p.kind, "displayName": p.display_name}
            for p in self.new_principals
        }
