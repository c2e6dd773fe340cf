"""HTTP to the Partner Center REST API: bearer token, retries on throttling and server errors, paging.

Partner Center throttles with 429 and a `Retry-After` header (seconds), and answers collections with
`items` and, when there are more, `links.next` (uri and headers such as `MS-ContinuationToken`)
(learn.microsoft.com/partner-center/developer/api-throttling-guidance,
learn.microsoft.com/partner-center/developer/partner-center-rest-headers).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

DEFAULT_ENDPOINT = "https://api.partnercenter.microsoft.com"
RETRIED = frozenset({429, 500, 502, 503, 504})
MAX_ATTEMPTS = 5
MAX_WAIT_SECONDS = 60.0
"""The longest one `Retry-After` is honoured; a larger one is waited this long, then tried again."""
MAX_PAGES = 1000
TIMEOUT_SECONDS = 60.0


class PartnerCenterError(Exception):
    """A Partner Center call that failed, with the status, Partner Center's error code and its words."""

    def __init__(self, method: str, path: str, status: int, code: object, description: str) -> None:
        self.status, self.code = status, code
        detail = f"error {code}: " if code not in (None, "") else ""
        super().__init__(f"Partner Center {method} {path} answered HTTP {status}: {detail}{description}")


TokenSource = Callable[[], str]


def check_endpoint(endpoint: str) -> str:
    """The endpoint without a trailing slash; https, or http only to this machine (a test's fake)."""
    parts = urlsplit(endpoint)
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise ValueError(
            f"Partner Center endpoint '{endpoint}' must be https (http is accepted for 127.0.0.1 only)"
        )
    if not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"Partner Center endpoint '{endpoint}' must be a plain https://host[/path] URL")
    return endpoint.rstrip("/")


@dataclass
class PartnerCenterHttp:
    """One session to one endpoint. `sleep` and `token` are injected so that tests wait for nothing real."""

    endpoint: str
    token: TokenSource
    session: requests.Session = field(default_factory=requests.Session)
    sleep: Callable[[float], None] = time.sleep
    max_attempts: int = MAX_ATTEMPTS

    def __post_init__(self) -> None:
        self.endpoint = check_endpoint(self.endpoint)

    def url(self, path: str) -> str:
        """`/v1/...` under the endpoint; a link Partner Center returns stays on the endpoint's host."""
        url = urljoin(self.endpoint + "/", path.lstrip("/")) if not path.startswith("http") else path
        if urlsplit(url).netloc != urlsplit(self.endpoint).netloc:
            raise PartnerCenterError("GET", path, 0, None, "a link leads off the Partner Center endpoint")
        return url

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        ok: tuple[int, ...] = (200, 201, 202, 204),
    ) -> Any:
        """The JSON answer (None when empty). One MS-RequestId for every try: Partner Center uses it to
        recognize a repeated request, so a retried checkout does not order twice."""
        request_id = str(uuid.uuid4())
        for attempt in range(1, self.max_attempts + 1):
            response = self.session.request(
                method,
                self.url(path),
                json=body,
                headers={
                    "Authorization": f"Bearer {self.token()}",
                    "Accept": "application/json",
                    "MS-RequestId": request_id,
                    "MS-CorrelationId": request_id,
                    **(headers or {}),
                },
                timeout=TIMEOUT_SECONDS,
                allow_redirects=False,
            )
            if response.status_code in RETRIED and attempt < self.max_attempts:
                self.sleep(_wait(response, attempt))
                continue
            if response.status_code not in ok:
                raise _error(method, path, response)
            return response.json() if response.content else None
        raise AssertionError("unreachable: the last attempt returns or raises")

    def items(self, path: str) -> Iterator[dict[str, Any]]:
        """Every item of a collection, following `links.next` (at most MAX_PAGES pages)."""
        headers: dict[str, str] = {}
        for _ in range(MAX_PAGES):
            page = self.request("GET", path, headers=headers) or {}
            yield from (i for i in page.get("items") or [] if isinstance(i, dict))
            following = (page.get("links") or {}).get("next")
            if not isinstance(following, dict) or not following.get("uri"):
                return
            path = str(following["uri"])
            if not path.startswith(("/v1/", "http")):
                path = "/v1" + (path if path.startswith("/") else "/" + path)
            headers = {
                str(h["key"]): str(h["value"])
                for h in following.get("headers") or []
                if isinstance(h, dict) and "key" in h and "value" in h
            }
        raise PartnerCenterError("GET", path, 0, None, f"more than {MAX_PAGES} pages; stopped reading")


def _wait(response: requests.Response, attempt: int) -> float:
    """Retry-After in seconds when given (capped), else an exponential back-off from one second."""
    value = response.headers.get("Retry-After", "")
    try:
        seconds = float(value)
    except ValueError:
        seconds = float(2 ** (attempt - 1))
    return min(max(seconds, 0.0), MAX_WAIT_SECONDS)


def _error(method: str, path: str, response: requests.Response) -> PartnerCenterError:
    # Partner Center's error body: {"code": ..., "description": ..., "errorName": ..., "data": [...]}.
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        code = body.get("code")
        description = str(body.get("description") or body.get("errorName") or "")[:500]
    else:
        code, description = None, response.text[:200]
    return PartnerCenterError(method, path, response.status_code, code, description or response.reason)
