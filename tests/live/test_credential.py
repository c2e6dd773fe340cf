"""The sign-in chosen as Pulumi's azure-native provider chooses it, and the pieces of a token it reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from azure.identity import (
    AzureCliCredential,
    ClientAssertionCredential,
    ClientSecretCredential,
    ManagedIdentityCredential,
)

from lighthouse_iac.live import claims
from lighthouse_iac.live.credential import SignInError, github_oidc_token, provider_sign_in

from .fake_azure import GITHUB_ID_TOKEN, GITHUB_OIDC_PATH, GITHUB_REQUEST_TOKEN, FakeAzure, token

TENANT = "8ad2ca68-ccfd-43e6-8ff9-3428cca138a5"
APP = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
OBJECT = "76f7b000-9bd5-41e3-aa58-563670d45b51"


@pytest.mark.parametrize(
    ("environ", "config", "kind", "description"),
    [
        ({}, {}, AzureCliCredential, "the Azure CLI's sign-in"),
        ({"ARM_TENANT_ID": TENANT}, {}, AzureCliCredential, f"the Azure CLI's sign-in to tenant {TENANT}"),
        (
            {"ARM_CLIENT_ID": APP, "ARM_TENANT_ID": TENANT, "ARM_CLIENT_SECRET": "s3cret"},
            {},
            ClientSecretCredential,
            f"app {APP} in tenant {TENANT} with a client secret",
        ),
        (
            {"ARM_TENANT_ID": "ignored-for-config"},
            {"azure-native:clientId": APP, "azure-native:tenantId": TENANT, "azure-native:clientSecret": "x"},
            ClientSecretCredential,
            f"app {APP} in tenant {TENANT} with a client secret",
        ),
        ({"ARM_USE_MSI": "true"}, {}, ManagedIdentityCredential, "the managed identity of this machine"),
        (
            {"ARM_USE_OIDC": "true", "ARM_CLIENT_ID": APP, "ARM_TENANT_ID": TENANT, "ARM_OIDC_TOKEN": "jwt"},
            {},
            ClientAssertionCredential,
            f"app {APP} in tenant {TENANT} through the OIDC token in ARM_OIDC_TOKEN",
        ),
        (
            {
                "ARM_USE_OIDC": "true",
                "ARM_CLIENT_ID": APP,
                "ARM_TENANT_ID": TENANT,
                "ACTIONS_ID_TOKEN_REQUEST_URL": "https://example.invalid/idtoken?api-version=2.0",
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "t",
            },
            {},
            ClientAssertionCredential,
            f"app {APP} in tenant {TENANT} through the OIDC token of this GitHub Actions job",
        ),
    ],
    ids=["cli", "cli-tenant", "secret", "config-wins", "msi", "oidc-token", "oidc-github"],
)
def test_the_providers_choice_of_sign_in(
    environ: dict[str, str], config: dict[str, str], kind: type, description: str
) -> None:
    sign_in = provider_sign_in(environ, config)
    assert isinstance(sign_in.credential, kind)
    assert sign_in.description == description
    assert "s3cret" not in sign_in.description


def test_oidc_without_a_token_says_where_to_get_one() -> None:
    with pytest.raises(SignInError) as raised:
        provider_sign_in({"ARM_USE_OIDC": "1", "ARM_CLIENT_ID": APP, "ARM_TENANT_ID": TENANT}, {})
    assert str(raised.value) == (
        "ARM_USE_OIDC is set, but no OIDC token is: set ARM_OIDC_TOKEN or ARM_OIDC_TOKEN_FILE_PATH, or run "
        "in a GitHub Actions job with `permissions: id-token: write`"
    )


def test_the_github_job_token_is_fetched_for_entra_ids_audience(fake: FakeAzure) -> None:
    url = f"{fake.base_url}{GITHUB_OIDC_PATH}?api-version=2.0"
    assert github_oidc_token(url, GITHUB_REQUEST_TOKEN)() == GITHUB_ID_TOKEN
    with pytest.raises(SignInError) as raised:
        github_oidc_token(url, "wrong")()
    assert str(raised.value) == f"the OIDC token request to {url} answered HTTP 401"


@pytest.mark.parametrize(("user", "kind"), [(True, "user"), (False, "servicePrincipal")])
def test_a_token_names_its_identity_and_kind(user: bool, kind: str) -> None:
    read = claims.read(token("https://management.azure.com", OBJECT.upper(), TENANT, user=user))
    assert (read.object_id, read.tenant_id, read.kind) == (OBJECT, TENANT, kind)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not-a-jwt", "the access token is not a JSON Web Token (three dot-separated parts)"),
        ("a.!!!.c", "the access token's claims are not base64url JSON"),
        ("a.e30.c", "the access token names no object ID (oid) and tenant ID (tid) as GUIDs"),
    ],
)
def test_a_token_without_readable_claims_is_an_error(text: str, message: str) -> None:
    with pytest.raises(claims.TokenError) as raised:
        claims.read(text)
    assert str(raised.value).startswith(message)


def test_oidc_token_file(tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text("jwt-from-file\n")
    sign_in = provider_sign_in(
        {
            "ARM_USE_OIDC": "true",
            "ARM_CLIENT_ID": APP,
            "ARM_TENANT_ID": TENANT,
            "ARM_OIDC_TOKEN_FILE_PATH": str(path),
        },
        {},
    )
    assert sign_in.description == f"app {APP} in tenant {TENANT} through the OIDC token in {path}"
