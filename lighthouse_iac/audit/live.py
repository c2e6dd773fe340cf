"""The audit against Azure: subscriptions and registration assignments read with the Azure SDK.

Imported only when the command talks to Azure (the SDK takes a while to import). Read-only: it sends GET
requests only. The managed services client is pinned to API 2022-10-01 (SPEC), whose list operation takes
`$expandRegistrationDefinition=true`; the subscriptions client (API 2022-12-01) reports each subscription's
tenant, which tells delegated subscriptions from the managing tenant's own (facts doc, "Watching
delegations from the managing tenant"). azure-core retries 429 and 5xx, waiting as `Retry-After` says.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from azure.core import AzureClouds
from azure.core.credentials import TokenCredential
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ServiceRequestError
from azure.core.pipeline.transport import RequestsTransport
from azure.core.rest import HttpRequest
from azure.mgmt.core.tools import get_arm_endpoints
from azure.mgmt.managedservices import ManagedServicesClient
from azure.mgmt.resource.subscriptions import SubscriptionClient

from .observed import AccessError, Observed, ShapeError, parse_assignment, parse_subscription

API_VERSION = "2022-10-01"
READ_ROLE = (
    "Reader (or any role with Microsoft.ManagedServices/registrationAssignments/read), granted to the audit "
    "identity (or a group it is in) by an authorization of an offer delegated on that subscription"
)


EVENTS_PATH = "/providers/Microsoft.Insights/eventtypes/management/values"
EVENTS_API_VERSION = "2015-04-01"
EVENTS_ROLE = (
    "Monitoring Reader at root scope (/) in the managing tenant, which a Global Administrator with elevated "
    "access must assign (facts doc, MON)"
)
MAX_EVENT_PAGES = 1000  # a bound on a log that pages forever


class AuditAuthError(Exception):
    """Signing in failed, or the endpoint cannot be reached: nothing could be read."""


@dataclass(frozen=True)
class Endpoint:
    url: str
    scopes: tuple[str, ...]


def endpoint(cloud: str = "AZURE_PUBLIC_CLOUD", override: str | None = None) -> Endpoint:
    """The ARM endpoint and token audience of a cloud; `override` replaces the endpoint only."""
    found = get_arm_endpoints(AzureClouds(cloud))
    return Endpoint(override or str(found["resource_manager"]), tuple(found["credential_scopes"]))


def default_credential() -> TokenCredential:
    """azure-identity's chain: environment (GitHub OIDC), managed identity, Azure CLI and the others."""
    from azure.identity import DefaultAzureCredential  # noqa: PLC0415 (slow import, live mode only)

    return DefaultAzureCredential()


class _CountingTransport(RequestsTransport):  # type: ignore[misc]  # requests ships no types
    """Counts every HTTP request sent, retries included (BENCHMARKS.md reports them)."""

    def __init__(self, pool: int, **options: Any) -> None:
        session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_connections=pool, pool_maxsize=pool)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        super().__init__(session=session, session_owner=True, **options)
        self.count = 0
        self._lock = threading.Lock()

    def send(self, request: Any, **kwargs: Any) -> Any:
        with self._lock:
            self.count += 1
        return super().send(request, **kwargs)


def _denied(exc: HttpResponseError, where: str) -> str:
    code = exc.error.code if exc.error is not None and exc.error.code else ""
    text = f"HTTP {exc.status_code}" + (f" {code}" if code else "")
    if exc.status_code == 403:
        return f"{text}: the audit identity may not read {where}; it needs {READ_ROLE}"
    reason = (exc.error.message if exc.error is not None else None) or exc.reason or "request failed"
    return f"{text}: {str(reason)[:300]}"


def _guard(call: Callable[[], Any], target: Endpoint) -> Any:
    try:
        return call()
    except ClientAuthenticationError as exc:
        raise AuditAuthError(
            f"could not sign in to the managing tenant: {str(exc).splitlines()[0][:300]}. Sign in with "
            "`az login --tenant <managing-tenant>`, run with a managed identity, or set AZURE_CLIENT_ID, "
            "AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE (GitHub OIDC)"
        ) from None
    except ServiceRequestError as exc:
        raise AuditAuthError(f"cannot reach {target.url}: {str(exc).splitlines()[0][:300]}") from None


def collect(
    credential: TokenCredential,
    managing_tenants: set[str],
    target: Endpoint,
    concurrency: int = 8,
    ca_bundle: str | None = None,
) -> Observed:
    """Every delegated subscription and its registration assignments, `concurrency` at a time."""
    # A CA bundle for an ARM endpoint behind a TLS-inspecting proxy (REQUESTS_CA_BUNDLE works too).
    transport = _CountingTransport(concurrency, **({"connection_verify": ca_bundle} if ca_bundle else {}))
    options: dict[str, Any] = {"transport": transport, "credential_scopes": list(target.scopes)}
    observed = Observed()
    with (
        SubscriptionClient(credential, base_url=target.url, **options) as subs_client,
        ManagedServicesClient(credential, base_url=target.url, api_version=API_VERSION, **options) as client,
    ):
        try:
            listed = _guard(lambda: [s.as_dict() for s in subs_client.subscriptions.list()], target)
        except HttpResponseError as exc:
            observed.errors.append(AccessError("subscriptions", _denied(exc, "the list of subscriptions")))
            observed.requests = transport.count
            return observed
        for i, raw in enumerate(listed):
            try:
                entry = parse_subscription(raw, (i,))
            except ShapeError as exc:
                observed.errors.append(
                    AccessError("subscriptions", f"unexpected response: [{i}]: {exc.message}")
                )
                continue
            if entry.tenant_id not in managing_tenants:
                observed.subscriptions[entry.subscription_id] = entry

        def read(sub: str) -> tuple[str, list[Any] | AccessError]:
            name = observed.subscriptions[sub].display_name
            where = f"registration assignments on subscription {sub}" + (f" ({name})" if name else "")
            try:
                pages = client.registration_assignments.list(
                    scope=f"subscriptions/{sub}", expand_registration_definition=True
                )
                return sub, _guard(lambda: [a.serialize(keep_readonly=True) for a in pages], target)
            except HttpResponseError as exc:
                return sub, AccessError(sub, _denied(exc, where))

        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            results: Iterable[tuple[str, list[Any] | AccessError]] = pool.map(
                read, sorted(observed.subscriptions)
            )
            for sub, result in results:
                if isinstance(result, AccessError):
                    observed.errors.append(result)
                    continue
                try:
                    observed.assignments += [parse_assignment(raw, (i,)) for i, raw in enumerate(result)]
                    observed.read.add(sub)
                except ShapeError as exc:
                    observed.errors.append(AccessError(sub, f"unexpected response: {exc.loc}: {exc.message}"))
    observed.requests = transport.count
    return observed


def collect_events(
    credential: TokenCredential, target: Endpoint, query: str
) -> tuple[list[Any], list[AccessError], int]:
    """The tenant activity log's events matching `query` (a $filter), every page; read-only."""
    transport = _CountingTransport(1)
    events: list[Any] = []
    errors: list[AccessError] = []
    base = target.url.rstrip("/")
    url: str | None = f"{base}{EVENTS_PATH}?api-version={EVENTS_API_VERSION}&$filter={quote(query)}"
    # Any ARM client's pipeline (sign-in, retries on 429 after Retry-After) sends the log's GET requests.
    with SubscriptionClient(
        credential, base_url=target.url, transport=transport, credential_scopes=list(target.scopes)
    ) as client:
        for _ in range(MAX_EVENT_PAGES):
            if url is None:
                break
            if urlsplit(url).netloc != urlsplit(base).netloc:
                # The bearer token goes with each request: never to a host the service did not start on.
                errors.append(AccessError("activity log", f"a next page on another host: {url[:120]}"))
                break
            request = HttpRequest("GET", url)
            response = _guard(partial(client.send_request, request), target)
            if response.status_code == 403:
                errors.append(
                    AccessError(
                        "activity log", f"HTTP 403: reading the tenant activity log needs {EVENTS_ROLE}"
                    )
                )
                break
            try:
                response.raise_for_status()
                page = response.json()
            except (HttpResponseError, ValueError) as exc:
                errors.append(AccessError("activity log", f"HTTP {response.status_code}: {str(exc)[:300]}"))
                break
            events += page.get("value") or [] if isinstance(page, dict) else []
            link = page.get("nextLink") if isinstance(page, dict) else None
            url = link if isinstance(link, str) and link else None
    return events, errors, transport.count
