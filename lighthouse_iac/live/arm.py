"""ARM's list of the caller's permissions on a subscription.

`GET {arm}/subscriptions/{id}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`
answers a `PermissionGetResult`: `{"value": [{"actions", "notActions", "dataActions", "notDataActions"}],
"nextLink"}`, one entry per role the caller holds there, paged by `nextLink`. The shape and paging are
those of `Permissions_ListForResourceGroup` (azure-rest-api-specs, specification/authorization/
resource-manager/Microsoft.Authorization/stable/2022-04-01/authorization-RoleDefinitionsCalls.json,
example GetPermissions.json); the specification publishes the resource-group and resource scopes only, and
azure-mgmt-authorization's `permissions` operations follow it, so the subscription scope is called
through the same ARM pipeline (azure-mgmt-core's challenge authentication) those clients use.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from azure.core import PipelineClient
from azure.core.exceptions import AzureError
from azure.core.rest import HttpRequest

from ..onboarding_identity import Permission, SubscriptionAccess, shown
from .http import error_text, get

API_VERSION = "2022-04-01"
MAX_PAGES = 50  # a caller holds a few roles on a subscription; fifty pages of them is a runaway nextLink
MAX_ENTRIES = 5_000


class _Malformed(Exception):
    pass


def _strings(entry: dict[str, Any], key: str) -> tuple[str, ...]:
    values = entry.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise _Malformed(f"'{key}' is not a list of strings")
    return tuple(values)


def _page(body: Any) -> tuple[list[Permission], str | None]:
    if not isinstance(body, dict) or not isinstance(body.get("value"), list):
        raise _Malformed("no 'value' list")
    entries = []
    for entry in body["value"]:
        if not isinstance(entry, dict):
            raise _Malformed("an entry of 'value' is not an object")
        entries.append(Permission(_strings(entry, "actions"), _strings(entry, "notActions")))
    link = body.get("nextLink")
    if link is not None and not isinstance(link, str):
        raise _Malformed("'nextLink' is not a string")
    return entries, link or None


def _same_origin(link: str, endpoint: str) -> bool:
    a, b = urlsplit(link), urlsplit(endpoint)
    return (a.scheme, a.netloc.lower()) == (b.scheme, b.netloc.lower())


def read_permissions(
    pipeline: PipelineClient[Any, Any], endpoint: str, subscription_id: str
) -> SubscriptionAccess:
    """The caller's permissions on the subscription, or why they could not be read."""
    url: str | None = (
        f"{endpoint}/subscriptions/{subscription_id}/providers/Microsoft.Authorization/permissions"
        f"?api-version={API_VERSION}"
    )
    found: list[Permission] = []
    pages = 0
    while url is not None:
        pages += 1
        if pages > MAX_PAGES or len(found) > MAX_ENTRIES:
            return SubscriptionAccess(subscription_id, error=f"more than {MAX_PAGES} pages of permissions")
        if not _same_origin(url, endpoint):
            # The bearer token goes only to the ARM endpoint it was issued for.
            return SubscriptionAccess(
                subscription_id, error=f"a nextLink leaves {endpoint}: {shown(url, 120)}"
            )
        try:
            response = get(pipeline, HttpRequest("GET", url))
            body = response.json() if response.content else None
        except (AzureError, ValueError) as exc:
            return SubscriptionAccess(subscription_id, error=shown(f"no answer from ARM: {exc}"))
        if response.status_code != 200:
            failure = error_text(response.status_code, body)
            return SubscriptionAccess(subscription_id, error=failure, status=response.status_code)
        try:
            entries, url = _page(body)
        except _Malformed as exc:
            return SubscriptionAccess(subscription_id, error=f"ARM answered an unexpected shape: {exc}")
        found += entries
    return SubscriptionAccess(subscription_id, tuple(found))
