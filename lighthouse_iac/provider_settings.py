"""The azure-native provider's settings that a customer's stack file may not set: who signs in, and where.

The provider reads its stack configuration before the environment, so `azure-native:clientId` in a stack
file would beat the client ID the deploy job maps to that stack (AZURE_CLIENT_IDS, docs/operations.md): a
one-line pull request could deploy this customer with another customer's identity, or send the job's
token to another cloud's endpoints. The job sets these from the environment only. Names from
pulumi-azure-native's provider configuration (`pulumi_azure_native.config`).
"""

from __future__ import annotations

PROVIDER = "azure-native"

# Identity (client, secret, certificate, tenant, managed identity, OIDC) and endpoints (environment,
# metadataHost, msiEndpoint). `location`, `subscriptionId` and `partnerId` change neither. The OIDC request
# URL and token are refused too, by the sign-in gate, with their own message (ENVIRONMENT_ONLY in
# live/credential.py).
SIGN_IN = frozenset(
    {
        "auxiliaryTenantIds",
        "clientCertificatePassword",
        "clientCertificatePath",
        "clientId",
        "clientSecret",
        "disableInstanceDiscovery",
        "environment",
        "metadataHost",
        "msiEndpoint",
        "oidcToken",
        "oidcTokenFilePath",
        "tenantId",
        "useDefaultAzureCredential",
        "useMsi",
        "useOidc",
    }
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
