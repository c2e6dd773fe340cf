"""The sign-in Pulumi's azure-native provider uses, as an azure-identity credential.

The provider reads `azure-native:<setting>` from the stack's config, else the `ARM_*` variable, and picks:
OIDC (federated token) when `useOidc`, a client certificate or secret when given, a managed identity
when `useMsi`, else the Azure CLI's sign-in (pulumi.com/registry/packages/azure-native/installation-
configuration). Choosing the same way here means the live check reads the identity that will deploy; the
program also compares the object ID it read with Pulumi's `getClientConfig`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from azure.core.credentials import TokenCredential
from azure.core.exceptions import AzureError
from azure.core.pipeline.policies import RetryPolicy
from azure.core.rest import HttpRequest
from azure.identity import (
    AzureCliCredential,
    CertificateCredential,
    ClientAssertionCredential,
    ClientSecretCredential,
    DefaultAzureCredential,
    ManagedIdentityCredential,
)

from ..provider_settings import ENVIRONMENT_ONLY, VARIABLES
from .http import client as http_client

# The audience Entra ID's federated credentials expect (learn.microsoft.com/entra/workload-id/
# workload-identity-federation-create-trust, and GitHub's "Configuring OpenID Connect in Azure").
EXCHANGE_AUDIENCE = "api://AzureADTokenExchange"


class SignInError(Exception):
    """Settings that name no usable sign-in."""


@dataclass(frozen=True)
class SignIn:
    credential: TokenCredential
    description: str
    """How it signs in, for `whoami` (never a secret)."""


def _value(setting: str, environ: Mapping[str, str], config: Mapping[str, str]) -> str:
    value = config.get(f"azure-native:{setting}")
    if value:
        return value
    for variable in VARIABLES[setting]:
        if environ.get(variable):
            return environ[variable]
    return ""


def _true(text: str) -> bool:
    return text.strip().lower() in ("true", "1", "yes")


def github_oidc_token(url: str, bearer: str) -> Callable[[], str]:
    def fetch() -> str:
        # GitHub's OIDC token endpoint: GET <ACTIONS_ID_TOKEN_REQUEST_URL>&audience=..., answering
        # {"value": "<jwt>"} (docs.github.com, "About security hardening with OpenID Connect").
        separator = "&" if "?" in url else "?"
        request = HttpRequest(
            "GET",
            f"{url}{separator}audience={EXCHANGE_AUDIENCE}",
            headers={"Authorization": f"Bearer {bearer}", "Accept": "application/json"},
        )
        with http_client(url, [RetryPolicy(retry_total=3, timeout=60)]) as pipeline:
            try:
                response = pipeline.send_request(request)
                body: Any = response.json() if response.status_code == 200 else None
            except (AzureError, ValueError) as exc:
                raise SignInError(f"could not fetch the OIDC token from {url}: {exc}") from None
        if not isinstance(body, dict) or not isinstance(body.get("value"), str):
            raise SignInError(f"the OIDC token request to {url} answered HTTP {response.status_code}")
        return str(body["value"])

    return fetch


def _oidc_assertion(environ: Mapping[str, str], config: Mapping[str, str]) -> tuple[Callable[[], str], str]:
    token = _value("oidcToken", environ, config)
    if token:
        return (lambda: token), "the OIDC token in ARM_OIDC_TOKEN"
    path = _value("oidcTokenFilePath", environ, config)
    if path:

        def read() -> str:
            with open(path, encoding="utf-8") as handle:
                return handle.read().strip()

        return read, f"the OIDC token in {path}"
    url, bearer = _value("oidcRequestUrl", environ, config), _value("oidcRequestToken", environ, config)
    if url and bearer:
        return github_oidc_token(url, bearer), "the OIDC token of this GitHub Actions job"
    raise SignInError(
        "ARM_USE_OIDC is set, but no OIDC token is: set ARM_OIDC_TOKEN or ARM_OIDC_TOKEN_FILE_PATH, or run "
        "in a GitHub Actions job with `permissions: id-token: write`"
    )


def provider_sign_in(environ: Mapping[str, str], config: Mapping[str, str]) -> SignIn:
    """The credential the azure-native provider would use with these settings."""
    for setting in ENVIRONMENT_ONLY:
        if f"azure-native:{setting}" in config:
            raise SignInError(
                f"azure-native:{setting} is set in the stack file; the OIDC request URL and token come from "
                "the environment only (ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN, or "
                "ARM_OIDC_REQUEST_URL and ARM_OIDC_REQUEST_TOKEN): the request token mints the job's OIDC "
                "tokens, and a stack file is changed by pull requests; remove it"
            )
    client_id = _value("clientId", environ, config)
    tenant_id = _value("tenantId", environ, config)
    # Only the environment: a stack file that sets clientId or tenantId is refused when it is loaded.
    need = (
        "ARM_CLIENT_ID and ARM_TENANT_ID in the environment (the deploy job sets them: the client ID from "
        "AZURE_CLIENT_IDS, the tenant from the stack's customer; a stack file cannot, docs/security.md)"
    )
    if _true(_value("useDefaultAzureCredential", environ, config)):
        return SignIn(DefaultAzureCredential(), "azure-identity's DefaultAzureCredential")
    if _true(_value("useOidc", environ, config)):
        if not (client_id and tenant_id):
            raise SignInError(f"ARM_USE_OIDC is set; it needs {need}")
        assertion, source = _oidc_assertion(environ, config)
        credential = ClientAssertionCredential(tenant_id, client_id, assertion)
        return SignIn(credential, f"app {client_id} in tenant {tenant_id} through {source}")
    certificate = _value("clientCertificatePath", environ, config)
    if certificate:
        if not (client_id and tenant_id):
            raise SignInError(f"a client certificate is set; it needs {need}")
        password = _value("clientCertificatePassword", environ, config) or None
        return SignIn(
            CertificateCredential(tenant_id, client_id, certificate_path=certificate, password=password),
            f"app {client_id} in tenant {tenant_id} with the certificate {certificate}",
        )
    secret = _value("clientSecret", environ, config)
    if secret:
        if not (client_id and tenant_id):
            raise SignInError(f"a client secret is set; it needs {need}")
        return SignIn(
            ClientSecretCredential(tenant_id, client_id, secret),
            f"app {client_id} in tenant {tenant_id} with a client secret",
        )
    if _true(_value("useMsi", environ, config)):
        return SignIn(
            ManagedIdentityCredential(client_id=client_id or None),
            "the managed identity" + (f" {client_id}" if client_id else " of this machine"),
        )
    return SignIn(
        AzureCliCredential(tenant_id=tenant_id),
        "the Azure CLI's sign-in" + (f" to tenant {tenant_id}" if tenant_id else ""),
    )
