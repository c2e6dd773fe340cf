"""From an evaluated onboarding template to a customer stack: offers, scopes, pinned GUIDs, and the
directory entries its principals need.

Each registration definition becomes an offer whose `adopt` pins the template's definition and assignment
GUIDs, so that deploying the stack updates the delegations the template made instead of adding a second
one ("Multiple registration assignments are not allowed", SAMPLES issue 85).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import config as config_module
from .. import ids
from ..config import Entry, StackConfig
from ..errors import ConfigError, Problem, format_path
from ..escape import terminal
from ..models import ManagingTenant
from ..roles import RoleCatalogue
from .source import Loc
from .template import ArmResource, Deployment, is_placeholder, locate

STACK_NAMESPACE = "lighthouse-iac"
_DEFINITION_ID = re.compile(
    r"^/subscriptions/(?P<sub>[^/]+)/providers/Microsoft\.ManagedServices/registrationDefinitions/(?P<name>[^/]+)$",
    re.IGNORECASE,
)


_STAND_IN = "ffffffff-ffff-4fff-bfff-ffffffffffff"


def slug(text: str, limit: int = 63) -> str:
    """A config key from free text: lowercase letters, digits and hyphens."""
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return value[:limit].rstrip("-")


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


class _Directory:
    """Names for the template's principals: the project's own entries first, new entries otherwise."""

    def __init__(self, existing: ManagingTenant | None) -> None:
        self.existing = dict(existing.principals) if existing else {}
        self.new: dict[tuple[str, str], ImportedPrincipal] = {}
        self.notes: list[str] = []

    def taken(self) -> set[str]:
        return set(self.existing) | {p.name for p in self.new.values()}

    def name(self, object_id: str, display_name: str | None) -> str:
        object_id = object_id.lower()
        shown = display_name or ""
        same_id = {n: p for n, p in self.existing.items() if p.object_id == object_id}
        for name, principal in same_id.items():
            if principal.display_name == shown or not shown:
                return name
        if same_id and object_id != ids.NIL_GUID:
            name, principal = next(iter(same_id.items()))
            self.notes.append(
                f"principal {object_id} is '{shown}' in the template and '{principal.display_name}' "
                f"({name}) in the directory; the directory's name will be shown after the next deployment"
            )
            return name
        key = (object_id, shown)
        if key in self.new:
            return self.new[key].name
        base = slug(shown, 50) if shown else ""
        if not base or not re.match(r"^[a-z0-9]", base):
            base = f"principal-{object_id[:8]}"
        name, taken, n = base, self.taken(), 2
        if name in taken:
            name = f"{base}-{object_id[:8]}"
        while name in taken:
            name, n = f"{base}-{n}", n + 1
        self.new[key] = ImportedPrincipal(name, object_id, shown or name)
        return name


def _problem(
    deployment: Deployment, resource: ArmResource, rest: Sequence[str | int], message: str
) -> Problem:
    """A problem on the line that set the value: the parameters file for `[parameters('x')]`."""
    file, line, path, inside = locate(deployment.template, deployment.sources, resource.loc, rest)
    prefix = f"{format_path(inside)} in the value of this expression: " if inside else ""
    return Problem(file, line, format_path(path), prefix + message)


def _placeholder(deployment: Deployment, resource: ArmResource, loc: Loc, value: str) -> Problem:
    what = "the all-zero GUID" if value.lower() == ids.NIL_GUID else f"'{value.strip()}'"
    return _problem(deployment, resource, loc, f"{what} is a placeholder: replace it with the real GUID")


def _role(catalogue: RoleCatalogue, role_id: Any) -> str:
    found = catalogue.by_id(str(role_id))
    return found.name if found else str(role_id)


@dataclass
class _Found:
    """What reading the definitions found: problems (exit 2) and placeholders (listed, exit 1)."""

    problems: list[Problem] = field(default_factory=list)
    placeholders: list[Problem] = field(default_factory=list)
    tenant_placeholders: list[Problem] = field(default_factory=list)


def _check_guid(deployment: Deployment, resource: ArmResource, loc: Loc, value: Any, found: _Found) -> str:
    if isinstance(value, str) and is_placeholder(value):
        # Listed wherever it came from (a variable, a default); the stack gets the all-zero GUID to replace.
        found.placeholders.append(_placeholder(deployment, resource, loc, value))
        return ids.NIL_GUID
    if not ids.is_guid(value):
        what = "is missing" if value is None else f"{value!r} is not a GUID"
        found.problems.append(_problem(deployment, resource, loc, f"{loc[-1]} {what}; expected a GUID"))
        return ids.NIL_GUID
    return str(value).lower()


def _offer(  # noqa: PLR0917
    deployment: Deployment,
    definition: ArmResource,
    assignments: list[ArmResource],
    key: str,
    directory: _Directory,
    catalogue: RoleCatalogue,
    found: _Found,
) -> dict[str, Any]:
    props = definition.properties
    problems = found.problems
    name = props.get("registrationDefinitionName") or key
    offer: dict[str, Any] = {
        "key": key,
        "name": name,
        "description": props.get("description") or name,
        "authorizations": [],
    }

    def guid(at: Loc, value: Any) -> str:
        return _check_guid(deployment, definition, ("properties", *at), value, found)

    for i, auth in enumerate(props.get("authorizations", [])):
        at: Loc = ("authorizations", i)
        principal = guid((*at, "principalId"), auth.get("principalId"))
        entry: dict[str, Any] = {
            "principal": directory.name(principal, auth.get("principalIdDisplayName")),
            "role": _role(catalogue, guid((*at, "roleDefinitionId"), auth.get("roleDefinitionId"))),
        }
        delegated = auth.get("delegatedRoleDefinitionIds")
        if delegated:
            entry["delegatedRoles"] = [_role(catalogue, r) for r in delegated]
        offer["authorizations"].append(entry)
    eligible = []
    for i, auth in enumerate(props.get("eligibleAuthorizations", [])):
        at = ("eligibleAuthorizations", i)
        policy = auth.get("justInTimeAccessPolicy", {})
        principal = guid((*at, "principalId"), auth.get("principalId"))
        approvers = (*at, "justInTimeAccessPolicy", "managedByTenantApprovers")
        eligible.append(
            {
                "principal": directory.name(principal, auth.get("principalIdDisplayName")),
                "role": _role(catalogue, guid((*at, "roleDefinitionId"), auth.get("roleDefinitionId"))),
                # ARM's defaults when the policy leaves them out (SPEC): PT8H, no MFA provider.
                "maximumActivation": policy.get("maximumActivationDuration") or "PT8H",
                "requireMfa": str(policy.get("multiFactorAuthProvider") or "None") == "Azure",
                "approvers": [
                    directory.name(
                        guid((*approvers, j, "principalId"), a.get("principalId")),
                        a.get("principalIdDisplayName"),
                    )
                    for j, a in enumerate(policy.get("managedByTenantApprovers", []))
                ],
            }
        )
    if eligible:
        offer["eligibleAuthorizations"] = eligible
    if definition.plan:
        offer["plan"] = {k: definition.plan.get(k) for k in ("name", "publisher", "product", "version")}
    groups = [a.resource_group for a in assignments if a.resource_group]
    whole = [a for a in assignments if a.resource_group is None]
    if whole and groups:
        problems.append(
            _problem(
                deployment,
                whole[0],
                (),
                "the same definition is assigned to the subscription and to some of its resource groups; "
                "delegate either the whole subscription or a list of its resource groups",
            )
        )
    scope: dict[str, Any] = {"subscription": deployment.subscription_id}
    if groups and not whole:
        scope["resourceGroups"] = groups
    offer["scopes"] = [scope]
    offer["adopt"] = {
        "definitionId": definition.name.lower(),
        "assignmentIds": {a.scope: a.name.lower() for a in assignments},
    }
    return offer


def _pair(deployment: Deployment, problems: list[Problem]) -> list[tuple[ArmResource, list[ArmResource]]]:
    """Each definition with the assignments that name it."""
    definitions = deployment.definitions()
    by_name = {d.name.lower(): d for d in definitions}
    pairs: dict[str, list[ArmResource]] = {d.name.lower(): [] for d in definitions}
    for definition in definitions:
        if definition.resource_group is not None:
            problems.append(
                _problem(
                    deployment,
                    definition,
                    (),
                    "a registration definition at resource-group scope fails with "
                    "InvalidRegistrationDefinitionUri; definitions live at subscription scope (ARCH)",
                )
            )
    for assignment in deployment.assignments():
        target = str(assignment.properties.get("registrationDefinitionId", ""))
        match = _DEFINITION_ID.match(target)
        if match is None or match["sub"].lower() != deployment.subscription_id.lower():
            problems.append(
                _problem(
                    deployment,
                    assignment,
                    ("properties", "registrationDefinitionId"),
                    f"'{target}' is not the ID of a definition in subscription {deployment.subscription_id}; "
                    "an assignment names a definition of its own subscription (ARCH)",
                )
            )
        elif match["name"].lower() not in by_name:
            problems.append(
                _problem(
                    deployment,
                    assignment,
                    ("properties", "registrationDefinitionId"),
                    f"names definition {match['name']}, which this template does not create; "
                    f"its definitions: {', '.join(sorted(by_name)) or 'none'}",
                )
            )
        else:
            pairs[match["name"].lower()].append(assignment)
    for definition in definitions:
        if not pairs[definition.name.lower()]:
            problems.append(
                _problem(
                    deployment,
                    definition,
                    (),
                    "this definition is never assigned, so it delegates nothing; "
                    "add a registrationAssignment",
                )
            )
    if not definitions:
        problems.append(
            deployment.template.problem(("resources",), "this template creates no registration definition")
        )
    return [(by_name[name], assignments) for name, assignments in pairs.items()]


def _keys(
    deployment: Deployment, pairs: list[tuple[ArmResource, list[ArmResource]]], customer: Customer
) -> list[str]:
    """Offer keys: the export's own keys if the template came from lighthouse-iac, else from the names."""
    # An object of strings when present (shape.TEMPLATE).
    known: dict[str, str] = deployment.template.data.get("metadata", {}).get("offerKeys", {})
    keys: list[str] = []
    for definition, assignments in pairs:
        if definition.name in known:
            key = known[definition.name]
        elif customer.offer_key and len(pairs) == 1:
            key = customer.offer_key
        else:
            base = customer.offer_key or slug(
                str(definition.properties.get("registrationDefinitionName") or "")
            )
            base = base or f"offer-{definition.name[:8]}"
            groups = [a.resource_group for a in assignments if a.resource_group]
            if (
                sum(
                    1
                    for d, _ in pairs
                    if d.properties.get("registrationDefinitionName")
                    == definition.properties.get("registrationDefinitionName")
                )
                > 1
            ):
                base = f"{base[:40]}-{slug(groups[0]) if len(groups) == 1 else definition.name[:8]}"
            key = base
        n = 2
        unique = key
        while unique in keys:
            unique, n = f"{key}-{n}", n + 1
        keys.append(unique[:63])
    return keys


def _tenant(
    deployment: Deployment,
    pairs: list[tuple[ArmResource, list[ArmResource]]],
    existing: ManagingTenant | None,
    found: _Found,
    notes: list[str],
) -> str:
    problems = found.problems
    for definition, _ in pairs:
        value = definition.properties.get("managedByTenantId")
        if isinstance(value, str) and is_placeholder(value):
            at: Loc = ("properties", "managedByTenantId")
            found.tenant_placeholders.append(_placeholder(deployment, definition, at, value))
        elif not (isinstance(value, str) and ids.is_guid(value)):
            what = "is missing" if value is None else f"{value!r} is not a GUID"
            problems.append(
                _problem(
                    deployment,
                    definition,
                    ("properties", "managedByTenantId"),
                    f"managedByTenantId {what}; expected the managing tenant's ID",
                )
            )
    tenants = {
        ids.NIL_GUID if is_placeholder(tenant) else tenant
        for tenant in (str(d.properties.get("managedByTenantId", "")) for d, _ in pairs)
    }
    if len(tenants) > 1:
        problems.append(
            deployment.template.problem(
                ("resources",),
                f"the definitions name several managing tenants ({', '.join(sorted(tenants))}); "
                "one project manages for one tenant",
            )
        )
    tenant = next(iter(tenants), "")
    real = ids.is_guid(tenant) and tenant.lower() != ids.NIL_GUID
    if existing is not None:
        if real and tenant.lower() != existing.tenant_id:
            problems.append(
                deployment.template.problem(
                    ("resources",),
                    f"the template delegates to managing tenant {tenant}, but this project's managingTenant "
                    f"(Pulumi.yaml) is {existing.tenant_id}; one project manages for one tenant, and a new "
                    "managing tenant needs a new offer (UPD)",
                )
            )
        if not real:
            notes.append(
                "managedByTenantId is a placeholder; the project's managing tenant "
                f"{existing.tenant_id} is used"
            )
        return existing.tenant_id
    return tenant.lower() if real else ids.NIL_GUID


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
    found = _Found()
    problems = found.problems
    notes: list[str] = []
    pairs = _pair(deployment, problems)
    if problems:
        raise ConfigError(problems)
    tenant = _tenant(deployment, pairs, existing, found, notes)
    directory = _Directory(existing)
    keys = _keys(deployment, pairs, customer)
    offers = [
        _offer(deployment, definition, assignments, key, directory, catalogue, found)
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


def check(
    result: ImportResult,
    existing: ManagingTenant | None,
    project_dir: Path,
    name: str,
    catalogue: RoleCatalogue,
) -> StackConfig:
    """Load the imported stack exactly as `plan` and the program would, with the merged directory."""
    principals = {
        k: v.model_dump(by_alias=True) for k, v in (existing.principals if existing else {}).items()
    }
    principals.update(result.principals())
    tenant = {
        "tenantId": result.tenant_id,
        "name": existing.name if existing else name,
        "principals": principals,
    }
    # The stack is not written yet (a dry run never writes it): problems name it as imported.
    stack_file = f"stacks/Pulumi.{result.stack}.yaml (as imported)"
    entries: Mapping[str, Entry] = {
        "managingTenant": Entry(tenant, f"{config_module.PROJECT_FILE} (as imported)"),
        # Two all-zero placeholders would read as "a tenant delegating to itself"; check the rest.
        "customer": Entry(
            {**result.customer, "tenantId": _STAND_IN}
            if result.customer["tenantId"] == ids.NIL_GUID == result.tenant_id
            else result.customer,
            stack_file,
        ),
        "onboarding": Entry(result.onboarding, stack_file),
        "offers": Entry(result.offers, stack_file),
    }
    return config_module.build(result.stack, entries, project_dir, catalogue=catalogue)


def _dump(value: Any) -> str:
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)


def stack_yaml(result: ImportResult, sources: Sequence[str]) -> str:
    """The text of `stacks/Pulumi.<stack>.yaml`, with what to check written on top."""
    lines = [
        f"{result.customer['name']}: imported by `lighthouse-iac import` from {' and '.join(sources)}.",
        "adopt pins the GUIDs the template deployed: this stack updates those delegations in place.",
    ]
    if result.placeholders:
        lines.append("Placeholders to replace before deploying:")
        lines += [f"  {p.render()}" for p in result.placeholders]
    # The comments quote the template: a line break in a value must not end the comment (and add a key).
    comments = "".join(f"# {terminal(line)}\n" for line in lines)
    return comments + _dump({"config": result.stack_values()})


def directory_yaml(result: ImportResult, tenant_name: str) -> str:
    """The managing tenant block for `Pulumi.yaml` (config:), or only the principals it lacks."""
    if result.directory_exists:
        return _dump(result.principals()) if result.new_principals else ""
    block = {
        "managingTenant": {
            "value": {"tenantId": result.tenant_id, "name": tenant_name, "principals": result.principals()}
        }
    }
    return _dump(block)
