"""A local fake of ARM's permissions list and Microsoft Graph's `/me`, over TLS on 127.0.0.1.

Shapes, from the official references:
- ARM: `GET /subscriptions/{id}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`
  answers `PermissionGetResult` `{"value": [{"actions", "notActions", "dataActions", "notDataActions"}],
  "nextLink"}` (azure-rest-api-specs, specification/authorization/resource-manager/Microsoft.Authorization/
  stable/2022-04-01/authorization-RoleDefinitionsCalls.json, Permissions_ListForResourceGroup and its
  example GetPermissions.json; the subscription scope answers the same shape). Errors are common-types'
  `ErrorResponse` `{"error": {"code", "message"}}`; a caller without `Microsoft.Authorization/
  permissions/read` gets 403 `AuthorizationFailed`; throttling is 429 with `Retry-After`
  (learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling).
- Graph: `GET /v1.0/me?$select=id,userType,userPrincipalName` answers the user resource with those
  properties and an `@odata.context` (learn.microsoft.com/graph/api/user-get, resources/user: `userType`
  `Member` or `Guest`, an invited user's UPN `<mail>#EXT#@<tenant domain>`); errors
  `{"error": {"code", "message", "innerError"}}`, 429 with `Retry-After` (learn.microsoft.com/graph/errors,
  /graph/throttling).

The role permissions are the built-in roles' own, from the catalogue the package ships.
"""

from __future__ import annotations

import base64
import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import trustme
from azure.core.credentials import AccessToken

from lighthouse_iac.catalogues import load_catalogue

ARM_AUDIENCE = "https://management.azure.com"
GRAPH_AUDIENCE = "https://graph.microsoft.com"


def _role(name: str) -> dict[str, list[str]]:
    role = load_catalogue().by_name(name)
    assert role is not None, name
    return {
        "actions": list(role.actions),
        "notActions": list(role.not_actions),
        "dataActions": list(role.data_actions),
        "notDataActions": list(role.not_data_actions),
    }


def permission(actions: list[str], not_actions: list[str] | None = None) -> dict[str, list[str]]:
    return {"actions": actions, "notActions": not_actions or [], "dataActions": [], "notDataActions": []}


OWNER = _role("Owner")
CONTRIBUTOR = _role("Contributor")
READER = _role("Reader")
USER_ACCESS_ADMINISTRATOR = _role("User Access Administrator")
# A custom role that may write anything under Microsoft.Authorization, role assignments included.
AUTHORIZATION_WRITER = permission(["*/read", "Microsoft.Authorization/*/write"])
# A custom role whose NotActions take role assignments back out of Microsoft.Authorization/*.
AUTHORIZATION_BUT_ASSIGNMENTS = permission(
    ["*/read", "Microsoft.Authorization/*"], ["Microsoft.Authorization/roleAssignments/write"]
)


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any
    headers: tuple[tuple[str, str], ...] = ()


def permissions(*entries: dict[str, list[str]], next_link: str | None = None) -> Reply:
    body: dict[str, Any] = {"value": list(entries)}
    if next_link is not None:
        body["nextLink"] = next_link
    return Reply(200, body)


def arm_forbidden(subscription: str, object_id: str) -> Reply:
    return Reply(
        403,
        {
            "error": {
                "code": "AuthorizationFailed",
                "message": (
                    f"The client '{object_id}' with object id '{object_id}' does not have authorization to "
                    "perform action 'Microsoft.Authorization/permissions/read' over scope "
                    f"'/subscriptions/{subscription}' or the scope is invalid. If access was recently "
                    "granted, please refresh your credentials."
                ),
            }
        },
    )


def arm_throttled(subscription: str, object_id: str, retry_after: int = 1) -> Reply:
    return Reply(
        429,
        {
            "error": {
                "code": "SubscriptionRequestsThrottled",
                "message": (
                    f"Number of 'read' requests for subscription '{subscription}' actor '{object_id}' "
                    f"exceeded. Please try again after '{retry_after}' seconds after additional tokens are "
                    "available. Refer to https://aka.ms/arm-throttling"
                ),
            }
        },
        (("Retry-After", str(retry_after)),),
    )


def me(object_id: str, user_type: str, upn: str) -> Reply:
    return Reply(
        200,
        {
            "@odata.context": (
                "https://graph.microsoft.com/v1.0/$metadata#users(id,userType,userPrincipalName)/$entity"
            ),
            "id": object_id,
            "userType": user_type,
            "userPrincipalName": upn,
        },
    )


def graph_error(status: int, code: str, message: str, retry_after: int | None = None) -> Reply:
    inner = {
        "date": "2026-11-29T20:00:00",
        "request-id": "5a9d2f4c-1b6e-4c1f-9a3e-0f6d6c0b1a11",
        "client-request-id": "5a9d2f4c-1b6e-4c1f-9a3e-0f6d6c0b1a11",
    }
    headers = (("Retry-After", str(retry_after)),) if retry_after is not None else ()
    return Reply(status, {"error": {"code": code, "message": message, "innerError": inner}}, headers)


def token(audience: str, object_id: str, tenant_id: str, *, user: bool, upn: str | None = None) -> str:
    """An access token shaped as Entra ID's v1 tokens for ARM and Graph (claims only; not signed)."""
    claims: dict[str, Any] = {
        "aud": audience,
        "iss": f"https://sts.windows.net/{tenant_id}/",
        "oid": object_id,
        "tid": tenant_id,
        "sub": object_id,
        "ver": "1.0",
        "idtyp": "user" if user else "app",
    }
    if user:
        claims["scp"] = "user_impersonation"
        claims["upn"] = upn or f"onboarding@{tenant_id[:8]}.onmicrosoft.com"
    else:
        claims["appid"] = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'typ': 'JWT', 'alg': 'RS256'})}.{part(claims)}.c2lnbmF0dXJl"


@dataclass
class FakeCredential:
    """Stands in for azure-identity's credential: tokens for the scopes asked, as Entra ID would issue."""

    object_id: str
    tenant_id: str
    user: bool = True
    upn: str | None = None
    scopes: list[str] = field(default_factory=list)

    def get_token(self, *scopes: str, **_: Any) -> AccessToken:
        self.scopes += scopes
        audience = scopes[0].removesuffix("/.default")
        return AccessToken(
            token(audience, self.object_id, self.tenant_id, user=self.user, upn=self.upn), 4_102_444_800
        )


@dataclass
class FakeAzure:
    """Queued replies by path; what each request asked for is kept in `seen`."""

    base_url: str = ""
    replies: dict[str, list[Reply]] = field(default_factory=dict)
    seen: list[str] = field(default_factory=list)

    def permissions_path(self, subscription: str) -> str:
        return f"/subscriptions/{subscription}/providers/Microsoft.Authorization/permissions"

    def on_permissions(self, subscription: str, *replies: Reply) -> None:
        self.replies[self.permissions_path(subscription)] = list(replies)

    def on_me(self, *replies: Reply) -> None:
        self.replies["/v1.0/me"] = list(replies)

    def answer(self, path: str, query: dict[str, list[str]], authorization: str) -> Reply:
        self.seen.append(path)
        if path == GITHUB_OIDC_PATH:
            return _github_oidc(query, authorization)
        audience = GRAPH_AUDIENCE if path.startswith("/v1.0/") else ARM_AUDIENCE
        if not _bearer_for(authorization, audience):
            return Reply(401, {"error": {"code": "InvalidAuthenticationToken", "message": "bad token"}})
        if audience == ARM_AUDIENCE and query.get("api-version") != ["2022-04-01"]:
            return Reply(400, {"error": {"code": "InvalidApiVersionParameter", "message": "api-version"}})
        if audience == GRAPH_AUDIENCE and query.get("$select") != ["id,userType,userPrincipalName"]:
            return Reply(400, {"error": {"code": "BadRequest", "message": "unexpected $select"}})
        queue = self.replies.get(path)
        if not queue:
            return Reply(404, {"error": {"code": "NotFound", "message": f"no reply queued for {path}"}})
        return queue.pop(0) if len(queue) > 1 else queue[0]


# GitHub's job token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL, with `&audience=`): `{"value": "<jwt>"}`
# for a request bearing ACTIONS_ID_TOKEN_REQUEST_TOKEN (docs.github.com, "About security hardening with
# OpenID Connect", requesting the token with a REST call).
GITHUB_OIDC_PATH = "/_apis/distributedtask/hubs/Actions/plans/1/jobs/1/idtoken"
GITHUB_REQUEST_TOKEN = "job-request-token"
GITHUB_ID_TOKEN = (
    "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmZhYnJpa2FtL2xpZ2h0aG91c2U6ZW52aXJvbm1lbnQ6bm9ydGh3aW5kIn0.c2ln"
)


def _github_oidc(query: dict[str, list[str]], authorization: str) -> Reply:
    if authorization != f"Bearer {GITHUB_REQUEST_TOKEN}":
        return Reply(401, {"message": "Bad credentials"})
    if query.get("audience") != ["api://AzureADTokenExchange"] or query.get("api-version") != ["2.0"]:
        return Reply(400, {"message": "unexpected query"})
    return Reply(200, {"count": 1, "value": GITHUB_ID_TOKEN})


def _bearer_for(authorization: str, audience: str) -> bool:
    scheme, _, value = authorization.partition(" ")
    if scheme != "Bearer" or value.count(".") != 2:
        return False
    body = value.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return bool(claims.get("aud") == audience)


def _handler(fake: FakeAzure) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            reply = fake.answer(parts.path, parse_qs(parts.query), self.headers.get("Authorization", ""))
            data = json.dumps(reply.body).encode()
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in reply.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def serve(tmp: Path) -> Iterator[tuple[FakeAzure, Path]]:
    """The fake on an https URL of 127.0.0.1, and the PEM file of the CA that signed its certificate."""
    ca = trustme.CA()
    certificate = ca.issue_cert("127.0.0.1")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    certificate.configure_cert(context)
    ca_file = tmp / "fake-azure-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    fake = FakeAzure()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    fake.base_url = f"https://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake, ca_file
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
