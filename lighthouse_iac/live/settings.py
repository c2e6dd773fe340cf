"""Where the live check reads from, and its one escape hatch; all from the environment, never a stack file.

A stack file is changed by pull requests: were the endpoints or the skip read from it, a pull request could
point the check at a server that approves anything, or turn it off. Environment variables are set by the
operator or the pipeline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

ARM_ENDPOINT_VARIABLE = "LIGHTHOUSE_IAC_ARM_ENDPOINT"
GRAPH_ENDPOINT_VARIABLE = "LIGHTHOUSE_IAC_GRAPH_ENDPOINT"
SKIP_VARIABLE = "LIGHTHOUSE_IAC_SKIP_IDENTITY_CHECK"

# Azure's public cloud; Lighthouse is not available in the national clouds (ELIG in the facts doc).
ARM_ENDPOINT = "https://management.azure.com"
GRAPH_ENDPOINT = "https://graph.microsoft.com"
ARM_SCOPE = "https://management.azure.com/.default"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"


class SettingsError(Exception):
    """An endpoint variable that is not an https URL: the message names the variable."""


@dataclass(frozen=True)
class Endpoints:
    arm: str = ARM_ENDPOINT
    graph: str = GRAPH_ENDPOINT


def _endpoint(environ: Mapping[str, str], variable: str, default: str) -> str:
    value = environ.get(variable, "").strip()
    if not value:
        return default
    parts = urlsplit(value)
    # https only: the clients send bearer tokens there (azure-core refuses plain http for them too).
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment or parts.username:
        raise SettingsError(
            f"{variable}={value!r} is not an https URL such as {default} (scheme, host and optional "
            "port and path; no query, fragment or user)"
        )
    return value.rstrip("/")


def endpoints(environ: Mapping[str, str]) -> Endpoints:
    """The ARM and Graph endpoints: Azure's public cloud unless the environment names others (tests)."""
    return Endpoints(
        arm=_endpoint(environ, ARM_ENDPOINT_VARIABLE, ARM_ENDPOINT),
        graph=_endpoint(environ, GRAPH_ENDPOINT_VARIABLE, GRAPH_ENDPOINT),
    )


def skip_reason(environ: Mapping[str, str]) -> str | None:
    """Why the operator skips the live check (the variable's text), or None: the check runs."""
    value = environ.get(SKIP_VARIABLE, "").strip()
    return value or None
