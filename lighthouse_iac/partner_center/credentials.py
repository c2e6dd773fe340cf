"""Tokens for the Partner Center API from azure-identity, as Microsoft documents for its two sign-in modes.

App-only: the partner's app registration signs in alone (client secret, certificate or workload identity
federation) for the resource `https://api.partnercenter.microsoft.com`. App+User: a user of the partner's
tenant signs in through the app and the token carries the `user_impersonation` scope
(learn.microsoft.com/partner-center/developer/partner-center-authentication). Creating an Azure plan
supports both (learn.microsoft.com/partner-center/developer/create-azure-plan).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import MappingProxyType
from typing import Any, Literal

from .http import TokenSource

RESOURCE = "https://api.partnercenter.microsoft.com"
SCOPES = MappingProxyType({"app": f"{RESOURCE}/.default", "app+user": f"{RESOURCE}/user_impersonation"})
Mode = Literal["app", "app+user"]


def token_source(mode: Mode = "app", credential: Any = None) -> TokenSource:
    """A function returning a valid bearer token, refreshed five minutes before it expires.

    Without `credential`, azure-identity's DefaultAzureCredential: environment variables (AZURE_CLIENT_ID,
    AZURE_TENANT_ID and a secret or certificate), workload identity in a pipeline, or the Azure CLI's user.
    """
    if mode not in SCOPES:
        raise ValueError(f"unknown Partner Center sign-in mode '{mode}'; expected app or app+user")
    if credential is None:
        from azure.identity import DefaultAzureCredential  # noqa: PLC0415 (heavy; only when ordering)

        credential = DefaultAzureCredential()
    scope = SCOPES[mode]
    cached: list[Any] = []

    def token() -> str:
        if not cached or cached[0].expires_on - 300 < time.time():
            cached[:] = [credential.get_token(scope)]
        return str(cached[0].token)

    return token


def static_token(value: str) -> Callable[[], str]:
    """A fixed token: for a local fake of Partner Center, never for the real one."""
    return lambda: value
