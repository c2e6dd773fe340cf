"""The Pulumi package these components form, and its schema as Pulumi's analyzer builds it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

NAME = "lighthouse"
"""The package name: type tokens are `lighthouse:index:<Component>`."""
NAMESPACE = "lighthouse-iac"
VERSION = "0.1.0"
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.json"
"""The committed schema (components/schema.json): a change of the component's inputs shows in review."""


def schema() -> dict[str, Any]:
    """The package schema that `pulumi package add` would get from the provider host."""
    # Imported here: the analyzer is only needed to build the schema.
    from pulumi.provider.experimental.component import ComponentProvider  # noqa: PLC0415

    from .customer import CustomerDelegation  # noqa: PLC0415

    provider = ComponentProvider([CustomerDelegation], NAME, NAMESPACE, VERSION)
    return dict(json.loads(provider.schema or "{}"))


def render() -> str:
    return json.dumps(schema(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    # python -m lighthouse_iac_components.package > components/schema.json
    sys.stdout.write(render())
