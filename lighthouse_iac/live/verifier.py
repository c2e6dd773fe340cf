"""Read the signed-in identity live: its token, its permissions on each subscription, and Graph's `/me`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from azure.core.credentials import AccessToken, TokenCredential
from azure.core.exceptions import AzureError
from azure.core.pipeline.policies import BearerTokenCredentialPolicy, RetryPolicy
from azure.mgmt.core.policies import ARMChallengeAuthenticationPolicy

from ..onboarding_identity import Identity, Observation, shown
from . import arm, claims, graph
from .http import RETRIES, RETRY_SECONDS, client
from .settings import ARM_SCOPE, GRAPH_SCOPE, Endpoints


class LiveCheckError(Exception):
    """The check could not sign in at all: nothing was read."""


class IdentityVerifier(Protocol):
    """Reads the signed-in identity; the program and `whoami` judge what it read."""

    def observe(self, subscriptions: Sequence[str], *, directory: bool) -> Observation:
        """`directory`: also read the user's type from Microsoft Graph (not for a CSP Admin Agent)."""
        ...


class _Remembered:
    """A credential that asks once per scope: the Azure CLI's credential starts `az` for every token."""

    def __init__(self, credential: TokenCredential) -> None:
        self._credential = credential
        self._tokens: dict[tuple[str, ...], AccessToken] = {}

    def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessToken:
        if claims is not None or tenant_id is not None or enable_cae:  # a challenge: ask afresh
            return self._credential.get_token(
                *scopes, claims=claims, tenant_id=tenant_id, enable_cae=enable_cae, **kwargs
            )
        if scopes not in self._tokens:
            self._tokens[scopes] = self._credential.get_token(*scopes, **kwargs)
        return self._tokens[scopes]


class LiveVerifier:
    """The real reader: azure-identity's credential, ARM's permissions list, Microsoft Graph."""

    def __init__(self, credential: TokenCredential, endpoints: Endpoints) -> None:
        self._credential = _Remembered(credential)
        self._endpoints = endpoints

    def _token_identity(self) -> claims.TokenIdentity:
        try:
            token = self._credential.get_token(ARM_SCOPE).token
        except AzureError as exc:
            raise LiveCheckError(
                f"could not get a token for Azure Resource Manager: {shown(str(exc))}"
            ) from None
        except Exception as exc:  # a credential's own failure (a missing `az`, an OIDC fetch)
            raise LiveCheckError(f"could not sign in: {shown(str(exc))}") from None
        try:
            return claims.read(token)
        except claims.TokenError as exc:
            raise LiveCheckError(str(exc)) from None

    def observe(self, subscriptions: Sequence[str], *, directory: bool) -> Observation:
        who = self._token_identity()
        retry = RetryPolicy(retry_total=RETRIES, timeout=RETRY_SECONDS)
        with client(
            self._endpoints.arm, [retry, ARMChallengeAuthenticationPolicy(self._credential, ARM_SCOPE)]
        ) as pipeline:
            access = tuple(arm.read_permissions(pipeline, self._endpoints.arm, s) for s in subscriptions)
        identity = Identity(
            who.object_id, who.tenant_id, who.kind, user_principal_name=who.user_principal_name
        )
        if directory and who.kind == "user":
            identity = self._with_directory(identity)
        return Observation(identity, access)

    def _with_directory(self, identity: Identity) -> Identity:
        retry = RetryPolicy(retry_total=RETRIES, timeout=RETRY_SECONDS)
        with client(
            self._endpoints.graph, [retry, BearerTokenCredentialPolicy(self._credential, GRAPH_SCOPE)]
        ) as pipeline:
            try:
                me = graph.read_me(pipeline, self._endpoints.graph)
            except AzureError as exc:  # the Graph token itself
                me = graph.Me(None, None, None, error=shown(f"no token for Microsoft Graph: {exc}"))
        if me.error is None and me.object_id != identity.object_id:
            me = graph.Me(None, None, None, error=f"/me is object {me.object_id}, not {identity.object_id}")
        return Identity(
            identity.object_id,
            identity.tenant_id,
            identity.kind,
            user_type=me.user_type,
            user_principal_name=me.user_principal_name or identity.user_principal_name,
            directory_error=me.error,
        )
