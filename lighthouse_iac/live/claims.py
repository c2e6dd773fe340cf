"""Who a token names: its object and tenant IDs, and whether it speaks for a user or an application.

The token comes straight from Entra ID through azure-identity, to this process; it is read, not
validated (validating is the resource's job). Pulumi's azure-native provider reads the same claims for
`getClientConfig`. Claims: learn.microsoft.com/entra/identity-platform/access-token-claims-reference
(`oid`, `tid`; `idtyp` is `app` for app-only tokens; `scp` appears only in tokens issued for a user).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from .. import ids
from ..onboarding_identity import Kind

MAX_TOKEN_CHARS = 64 * 1024  # Entra ID's tokens are a few kilobytes; anything far larger is not one


class TokenError(Exception):
    """A token whose claims cannot be read."""


@dataclass(frozen=True)
class TokenIdentity:
    object_id: str
    tenant_id: str
    kind: Kind
    user_principal_name: str | None


def _payload(token: str) -> dict[str, Any]:
    parts = token.split(".")
    if len(token) > MAX_TOKEN_CHARS or len(parts) != 3:
        raise TokenError("the access token is not a JSON Web Token (three dot-separated parts)")
    body = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(body))
    except (binascii.Error, ValueError) as exc:
        raise TokenError(f"the access token's claims are not base64url JSON ({exc})") from None
    if not isinstance(claims, dict):
        raise TokenError("the access token's claims are not a JSON object")
    return claims


def read(token: str) -> TokenIdentity:
    """The identity an access token was issued to."""
    claims = _payload(token)
    oid, tid = claims.get("oid"), claims.get("tid")
    if not ids.is_guid(oid) or not ids.is_guid(tid):
        raise TokenError("the access token names no object ID (oid) and tenant ID (tid) as GUIDs")
    idtyp = claims.get("idtyp")
    if idtyp in ("app", "user"):
        kind: Kind = "servicePrincipal" if idtyp == "app" else "user"
    else:
        kind = "user" if "scp" in claims else "servicePrincipal"
    upn = claims.get("upn") or claims.get("unique_name")
    return TokenIdentity(str(oid).lower(), str(tid).lower(), kind, upn if isinstance(upn, str) else None)
