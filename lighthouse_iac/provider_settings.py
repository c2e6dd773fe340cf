"""The azure-native provider's settings that a customer's stack file may not set: who signs in, and where.

The provider reads its stack configuration before the environment, so `azure-native:clientId` in a stack
file would beat the client ID the deploy job maps to that stack (AZURE_CLIENT_IDS, docs/operations.md): a
one-line pull request could deploy this customer with another customer's identity, or send the job's
token to another cloud's endpoints. The job sets these from the environment only. Names from
pulumi-azure-native's provider configuration (`pulumi_azure_native.config`).
"""

from __future__ import annotations

from types import MappingProxyType

PROVIDER = "azure-native"

# The settings the provider signs in with, as the live check reads them too (live/credential.py): each
# with its environment variables, first found wins (GitHub's own names last, for the OIDC request).
VARIABLES = MappingProxyType(
    {
        "clientId": ("ARM_CLIENT_ID",),
        "clientSecret": ("ARM_CLIENT_SECRET",),
        "tenantId": ("ARM_TENANT_ID",),
        "clientCertificatePath": ("ARM_CLIENT_CERTIFICATE_PATH",),
        "clientCertificatePassword": ("ARM_CLIENT_CERTIFICATE_PASSWORD",),
        "useMsi": ("ARM_USE_MSI",),
        "useOidc": ("ARM_USE_OIDC",),
        "useDefaultAzureCredential": ("ARM_USE_DEFAULT_AZURE_CREDENTIAL",),
        "oidcToken": ("ARM_OIDC_TOKEN",),
        "oidcTokenFilePath": ("ARM_OIDC_TOKEN_FILE_PATH",),
        "oidcRequestToken": ("ARM_OIDC_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"),
        "oidcRequestUrl": ("ARM_OIDC_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_URL"),
    }
)

# Only the job knows these: GitHub's request token mints the job's OIDC tokens for any audience, so the URL
# it is sent to must not come from a stack file, which pull requests change. The sign-in gate refuses them
# with a message of their own (live/credential.py), saying where they come from.
ENVIRONMENT_ONLY = ("oidcRequestUrl", "oidcRequestToken")

# Identity (client, secret, certificate, tenant, managed identity, OIDC) and endpoints (environment,
# metadataHost, msiEndpoint): the settings above but the environment-only ones, and those the live check
# does not read. `location`, `subscriptionId` and `partnerId` change neither.
SIGN_IN = frozenset(VARIABLES).difference(ENVIRONMENT_ONLY) | frozenset(
    {"auxiliaryTenantIds", "disableInstanceDiscovery", "environment", "metadataHost", "msiEndpoint"}
)
_FOLDED = frozenset(name.lower() for name in SIGN_IN)


def sign_in_setting(key: str) -> bool:
    """Whether a stack file's config key is one of the provider's sign-in settings (in any case)."""
    namespace, sep, name = key.partition(":")
    return bool(sep) and namespace.lower() == PROVIDER and name.lower() in _FOLDED


def refusal(key: str) -> str:
    return (
        f"'{key}' chooses who deploys this customer, or where the job's token goes; a stack file cannot "
        "set it, since a pull request could then deploy this customer as another customer's identity. The "
        "deploy job sets it from the environment (ARM_CLIENT_ID from AZURE_CLIENT_IDS, ARM_TENANT_ID from "
        "the stack's customer; docs/security.md); remove it from this file"
    )
