"""azure-core pipelines for the few REST calls the live check makes.

azure-core is the transport of every Azure SDK client (and of azure-identity): retries that honour
`Retry-After` on 429 and 5xx, bearer tokens refused over plain http, proxies and CA bundles from the
environment (`REQUESTS_CA_BUNDLE`). Microsoft Graph's SDK (msgraph-sdk) would bring Kiota and a large
generated model for one GET of `/me`; a pipeline of azure-core's own policies does that call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from azure.core import PipelineClient
from azure.core.pipeline.policies import HeadersPolicy, UserAgentPolicy
from azure.core.rest import HttpRequest, HttpResponse

from ..onboarding_identity import shown

USER_AGENT = "lighthouse-iac"
CONNECT_SECONDS = 10
READ_SECONDS = 60
RETRIES = 3  # on 408, 429 and 5xx, each after the server's Retry-After when it sends one
RETRY_SECONDS = 120  # the most one request may take with its retries, waits included


def client(base_url: str, policies: Sequence[Any]) -> PipelineClient[Any, Any]:
    """A pipeline with the usual headers first, then `policies` (retry, then authentication)."""
    return PipelineClient(
        base_url,
        policies=[HeadersPolicy({"Accept": "application/json"}), UserAgentPolicy(USER_AGENT), *policies],
    )


def error_text(status: int, body: Any) -> str:
    """`HTTP 403 AuthorizationFailed: message` from ARM's and Graph's shared error shape.

    Both answer `{"error": {"code": ..., "message": ...}}` (ARM: common-types ErrorResponse in
    azure-rest-api-specs; Graph: learn.microsoft.com/graph/errors).
    """
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        code, message = error.get("code"), error.get("message")
        detail = ": ".join(str(p) for p in (code, message) if isinstance(p, str) and p)
        if detail:
            return shown(f"HTTP {status} {detail}")
    return f"HTTP {status}"


def get(pipeline: PipelineClient[Any, Any], request: HttpRequest) -> HttpResponse:
    """Send `request` with the transport's timeouts bounded."""
    response: HttpResponse = pipeline.send_request(
        request, connection_timeout=CONNECT_SECONDS, read_timeout=READ_SECONDS
    )
    return response
