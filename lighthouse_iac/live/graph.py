"""Microsoft Graph's `/me`: the signed-in user's type and user principal name.

`GET {graph}/v1.0/me?$select=id,userType,userPrincipalName` answers the user resource with those
properties (learn.microsoft.com/graph/api/user-get, and the user resource type: `userType` is `Member` or
`Guest`; an invited user's `userPrincipalName` carries `#EXT#`). Only for a user's token: an application's
has no `/me`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from azure.core import PipelineClient
from azure.core.exceptions import AzureError
from azure.core.rest import HttpRequest

from ..onboarding_identity import shown
from .http import error_text, get

SELECT = "id,userType,userPrincipalName"


@dataclass(frozen=True)
class Me:
    object_id: str | None
    user_type: str | None
    user_principal_name: str | None
    error: str | None = None


def _text(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    return value if isinstance(value, str) else None


def read_me(pipeline: PipelineClient[Any, Any], endpoint: str) -> Me:
    try:
        response = get(pipeline, HttpRequest("GET", f"{endpoint}/v1.0/me", params={"$select": SELECT}))
        body = response.json() if response.content else None
    except (AzureError, ValueError) as exc:
        return Me(None, None, None, error=shown(f"no answer from Microsoft Graph: {exc}"))
    if response.status_code != 200:
        return Me(None, None, None, error=error_text(response.status_code, body))
    if not isinstance(body, dict):
        return Me(None, None, None, error="Microsoft Graph answered an unexpected shape")
    object_id = _text(body, "id")
    return Me(
        object_id.lower() if object_id else None, _text(body, "userType"), _text(body, "userPrincipalName")
    )
