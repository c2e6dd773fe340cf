"""A local fake of the ARM endpoints the audit reads, over TLS on 127.0.0.1, for the real Azure SDK clients.

Response shapes follow Azure/azure-rest-api-specs:
- `GET /subscriptions` (api-version 2022-12-01): `{"value": [Subscription], "nextLink"}`, specification/
  resources/resource-manager/Microsoft.Resources/subscriptions/stable/2022-12-01/subscriptions.json
  (Subscription: id, subscriptionId, displayName, tenantId, state, managedByTenants, authorizationSource).
- `GET /{scope}/providers/Microsoft.ManagedServices/registrationAssignments` (api-version 2022-10-01,
  `$expandRegistrationDefinition=true`): `{"value": [RegistrationAssignment], "nextLink"}`, specification/
  managedservices/resource-manager/Microsoft.ManagedServices/stable/2022-10-01/managedservices.json
  (x-ms-pageable, nextLinkName nextLink) and examples/GetRegistrationAssignment.json for an element.
- `GET /providers/Microsoft.Insights/eventtypes/management/values` (api-version 2015-04-01): the tenant
  activity log, specification/monitor/resource-manager/Microsoft.Insights/stable/2015-04-01/
  tenantActivityLogs_API.json (EventDataCollection: value, nextLink).
- Errors as ARM's ErrorResponse `{"error": {"code", "message"}}`: 403 AuthorizationFailed, and 429 with
  `Retry-After` (learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling).
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ASSIGNMENTS = "/providers/Microsoft.ManagedServices/registrationAssignments"
EVENTS = "/providers/microsoft.insights/eventtypes/management/values"


@dataclass
class ArmData:
    """What the fake serves, and how it misbehaves."""

    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    assignments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    page_size: int = 2
    forbidden: set[str] = field(default_factory=set)
    """Subscriptions whose assignments answer 403; "subscriptions" or "events" forbids those lists."""
    throttle: dict[str, int] = field(default_factory=dict)
    """Path (lower case) -> how many first requests answer 429 with Retry-After."""
    requests: Counter[str] = field(default_factory=Counter)
    seen: list[str] = field(default_factory=list)


def _certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "arm.pem", folder / "arm.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, {"error": {"code": code, "message": message}}, headers)

    def _page(self, items: list[dict[str, Any]], path: str, query: dict[str, list[str]]) -> None:
        start = int(query.get("$skiptoken", ["0"])[0])
        size = self.server.data.page_size
        body: dict[str, Any] = {"value": items[start : start + size]}
        if start + size < len(items):
            rest = {k: v[0] for k, v in query.items() if k != "$skiptoken"}
            rest["$skiptoken"] = str(start + size)
            body["nextLink"] = f"{self.server.base}{path}?{urlencode(rest)}"
        self._send(200, body)

    def do_GET(self) -> None:
        data = self.server.data
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query)
        with self.server.lock:
            data.requests[path.lower()] += 1
            data.seen.append(self.path)
            count = data.requests[path.lower()]
        if not self.headers.get("Authorization", "").startswith("Bearer "):
            return self._error(
                401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."
            )
        if count <= data.throttle.get(path.lower(), 0):
            return self._error(
                429, "TooManyRequests", "The request is being throttled.", {"Retry-After": "1"}
            )
        version = query.get("api-version", [""])[0]
        parts = path.strip("/").split("/")
        if path == "/subscriptions":
            if version != "2022-12-01":
                return self._error(
                    400, "InvalidApiVersionParameter", f"api-version '{version}' is not served here"
                )
            if "subscriptions" in data.forbidden:
                return self._forbidden("Microsoft.Resources/subscriptions/read", "/")
            return self._page(data.subscriptions, path, query)
        if len(parts) == 5 and parts[0] == "subscriptions" and path.endswith(ASSIGNMENTS):
            if version != "2022-10-01":
                return self._error(
                    400, "InvalidApiVersionParameter", f"api-version '{version}' is not served here"
                )
            sub = parts[1].lower()
            if sub in data.forbidden:
                return self._forbidden(
                    "Microsoft.ManagedServices/registrationAssignments/read", f"/subscriptions/{sub}"
                )
            items = data.assignments.get(sub)
            if items is None:
                return self._error(
                    404, "SubscriptionNotFound", f"The subscription '{sub}' could not be found."
                )
            if query.get("$expandRegistrationDefinition", [""])[0].lower() != "true":
                items = [_unexpanded(a) for a in items]
            return self._page(items, path, query)
        if path.lower() == EVENTS:
            if version != "2015-04-01":
                return self._error(
                    400, "InvalidApiVersionParameter", f"api-version '{version}' is not served here"
                )
            if "events" in data.forbidden:
                return self._forbidden("Microsoft.Insights/eventtypes/values/read", "/")
            return self._page(data.events, path, query)
        return self._error(404, "NotFound", f"no route {path}")

    def _forbidden(self, action: str, scope: str) -> None:
        self._error(
            403,
            "AuthorizationFailed",
            "The client 'audit@fabrikam.example' with object id '1c4c7ae9-0e7a-4c5e-a0b1-6a0d3f1b9c2e' "
            f"does not have authorization to perform action '{action}' over scope '{scope}' or the scope is "
            "invalid. If access was recently granted, please refresh your credentials.",
        )


def _unexpanded(assignment: dict[str, Any]) -> dict[str, Any]:
    props = {k: v for k, v in assignment["properties"].items() if k != "registrationDefinition"}
    return {**assignment, "properties": props}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, data: ArmData) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.data = data
        self.lock = threading.Lock()
        self.base = f"https://127.0.0.1:{self.server_address[1]}"


@contextmanager
def fake_arm(data: ArmData, folder: Path) -> Iterator[tuple[str, Path]]:
    """Serve `data` over TLS; yields the base URL and the CA file a client must trust."""
    cert, key = _certificate(folder)
    server = _Server(data)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.base, cert
    finally:
        server.shutdown()
        server.server_close()
