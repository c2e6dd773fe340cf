"""GUIDs: validation and the deterministic IDs of definitions and assignments.

IDs are UUIDv5 over stable inputs, so the same configuration yields the same GUIDs on every machine and
run and a redeployment updates in place instead of creating a second delegation.
"""

from __future__ import annotations

import hashlib
import re
import uuid

# Fixed forever: changing it would change every ID this project has ever deployed.
NAMESPACE = uuid.UUID("ae7829b9-68db-4e23-81cf-e9e86a17ae7d")

GUID_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# Letters, digits, '-', '_', '.', '(' and ')', at most 90 characters (Azure's resource group names).
RESOURCE_GROUP_CHARACTERS = r"[-\w._()]"
RESOURCE_GROUP_MAX_LENGTH = 90
RESOURCE_GROUP_PATTERN = rf"{RESOURCE_GROUP_CHARACTERS}{{1,{RESOURCE_GROUP_MAX_LENGTH}}}"
# \Z, not $: `$` also matches before a final newline, and "<guid>\n" would pass and change every ID.
_GUID = re.compile(rf"^{GUID_PATTERN}\Z")
NIL_GUID = "00000000-0000-0000-0000-000000000000"


def is_guid(value: object) -> bool:
    return isinstance(value, str) and _GUID.match(value) is not None


_PLACEHOLDER_TEXT = re.compile(r"<[^<>]+>")


def is_placeholder(value: object) -> bool:
    """A value a sample leaves for the user to fill in: the all-zero GUID, or text holding a `<...>`
    (`<insert ...>`, `<Replace with ...>`, Microsoft's older `<to be filled out by MSP> ...` defaults)."""
    if not isinstance(value, str):
        return False
    return value.lower() == NIL_GUID or _PLACEHOLDER_TEXT.search(value) is not None


def uuid5(name: str) -> str:
    """`str(uuid.uuid5(NAMESPACE, name))`, computed as RFC 4122 says without building a UUID object, whose
    constructor costs more than the hash (a fleet derives one per registration)."""
    digest = bytearray(hashlib.sha1(NAMESPACE.bytes + name.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # the RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def definition_guid(managing_tenant_id: str, offer_key: str) -> str:
    """Stable per managing tenant and offer key; a new managing tenant means a new offer (UPD)."""
    return uuid5(f"registrationDefinition|{managing_tenant_id.lower()}|{offer_key}")


def assignment_guid(definition_id: str, scope: str) -> str:
    """Unique per definition and scope, unlike Microsoft's `guid(rgName)`, which collides across offers."""
    return uuid5(f"registrationAssignment|{definition_id.lower()}|{scope.lower()}")


def subscription_scope(subscription_id: str) -> str:
    return f"/subscriptions/{subscription_id}"


def resource_group_scope(subscription_id: str, resource_group: str) -> str:
    return f"/subscriptions/{subscription_id}/resourceGroups/{resource_group}"


def definition_resource_id(subscription_id: str, definition_id: str) -> str:
    """The full ARM ID that an assignment's `registrationDefinitionId` names."""
    return (
        f"/subscriptions/{subscription_id}/providers/Microsoft.ManagedServices/"
        f"registrationDefinitions/{definition_id}"
    )


def assignment_resource_id(scope: str, assignment_id: str) -> str:
    return f"{scope}/providers/Microsoft.ManagedServices/registrationAssignments/{assignment_id}"
