"""Configuration keys as Pulumi writes them: `<namespace>:<key>`, and as the engine sends their values."""

from __future__ import annotations

import json
from typing import Any

NAMESPACE = "lighthouse-iac"


def short_key(key: str, project: str | None) -> str | None:
    """`lighthouse-iac:offers` -> `offers`; a key of another namespace (a provider's) -> None.

    A key without a namespace is the project's own, as Pulumi reads `Pulumi.yaml`'s `config:`.
    """
    namespace, sep, rest = key.partition(":")
    if not sep:
        return key
    return rest if namespace in (project, NAMESPACE) else None


def engine_value(raw: Any) -> Any:
    """A value as the engine sends it: objects JSON-encoded, plain strings as they are."""
    if not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw
