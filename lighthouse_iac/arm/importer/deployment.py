"""From an evaluated template to an import result: offers, tenant, directory entries, notes, placeholders."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ... import ids
from ...errors import ConfigError, Problem
from ...models import ManagingTenant
from ...roles import RoleCatalogue
from ..template import Deployment
from .directory import Directory
from .findings import Found
from .offers import offer_keys, pair_definitions, read_offer
from .result import Customer, ImportedPrincipal, ImportResult
from .tenant import managing_tenant


def _guid_notes(deployment: Deployment, offers: list[dict[str, Any]]) -> Iterator[str]:
    subscription = deployment.subscription_id
    for offer in offers:
        adopt = offer["adopt"]
        yield (
            f"offer {offer['key']}: pinned definition {adopt['definitionId']} and "
            f"{len(adopt['assignmentIds'])} assignment(s) as the template names them; before the first "
            "deployment, check they match what Azure holds: az managedservices definition list "
            f'--subscription {subscription} --query "[].name"'
        )


def import_deployment(
    deployment: Deployment,
    customer: Customer,
    catalogue: RoleCatalogue,
    existing: ManagingTenant | None = None,
) -> ImportResult:
    """The stack, directory entries, notes and placeholders for one evaluated template."""
    found = Found()
    problems = found.problems
    notes: list[str] = []
    pairs = pair_definitions(deployment, problems)
    if problems:
        raise ConfigError(problems)
    tenant = managing_tenant(deployment, pairs, existing, found, notes)
    directory = Directory(existing)
    keys = offer_keys(deployment, pairs, customer)
    offers = [
        read_offer(deployment, definition, assignments, key, directory, catalogue, found)
        for (definition, assignments), key in zip(pairs, keys, strict=True)
    ]
    if problems:
        raise ConfigError(problems)
    if len(pairs) > 1 and len({d.properties.get("registrationDefinitionName") for d, _ in pairs}) == 1:
        notes.append(
            f"the template creates {len(pairs)} definitions of the same offer, one per resource group "
            "(Microsoft's guid(rgName), which collides when two providers delegate a group of the same "
            "name); "
            f"imported as {len(pairs)} offers to keep their GUIDs. Merging them into one offer replaces "
            "those delegations (delete before replace, UPD)"
        )
    notes += list(_guid_notes(deployment, offers))
    notes += directory.notes
    by_id: dict[str, list[ImportedPrincipal]] = {}
    for principal in directory.new.values():
        by_id.setdefault(principal.object_id, []).append(principal)
    for object_id, same in by_id.items():
        if len(same) > 1 and object_id != ids.NIL_GUID:
            names = ", ".join(f"{p.name} ('{p.display_name}')" for p in same)
            notes.append(
                f"principal {object_id} appears under {len(same)} display names: {names}; imported as "
                f"separate "
                "directory entries so customers keep seeing the same names; merge them if you prefer one"
            )
    for principal in directory.new.values():
        notes.append(
            f"new directory entry {principal.name} ({principal.object_id}, '{principal.display_name}'): "
            "the template does not say its kind; 'group' is assumed, change it to servicePrincipal or user "
            "if it is one"
        )
    # Each placeholder once, where it was written, whether the scan of the files or a GUID position found it.
    located: dict[tuple[str | None, int | None, str], Problem] = {}
    for problem in [*deployment.placeholders, *found.tenant_placeholders, *found.placeholders]:
        located.setdefault((problem.file, problem.line, problem.path), problem)
    if existing is not None and tenant == existing.tenant_id:
        # A placeholder managing tenant was replaced by the project's (noted above); the stack has no gap.
        for problem in found.tenant_placeholders:
            located.pop((problem.file, problem.line, problem.path), None)
        located = {k: p for k, p in located.items() if "managedByTenantId" not in p.path}
    placeholders = list(located.values())
    stack_file = f"stacks/Pulumi.{customer.stack}.yaml"
    tenant_id = (customer.tenant_id or ids.NIL_GUID).lower()
    onboarding_id = (customer.onboarding_object_id or ids.NIL_GUID).lower()
    if customer.tenant_id is None:
        placeholders.append(
            Problem(
                stack_file,
                None,
                "customer.tenantId",
                "the all-zero GUID stands in for the customer's tenant ID: pass --customer-tenant",
            )
        )
    if customer.onboarding_object_id is None:
        placeholders.append(
            Problem(
                stack_file,
                None,
                "onboarding.objectId",
                "the all-zero GUID stands in for the object ID of the customer's account that deploys: "
                "pass --onboarding",
            )
        )
    result = ImportResult(
        stack=customer.stack,
        tenant_id=tenant,
        customer={"name": customer.name or customer.stack, "tenantId": tenant_id},
        onboarding={"objectId": onboarding_id, "userType": "Member", "roles": ["Owner"]},
        offers=offers,
        new_principals=list(directory.new.values()),
        directory_exists=existing is not None,
        notes=notes,
        placeholders=placeholders,
    )
    return result
