"""A small fleet for the audit tests (two customers, a Marketplace plan, resource groups, an offboarded
scope), what Azure holds for it deployed, and the two ways of reading that: offline and live."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from azure.core.credentials import AccessToken

from lighthouse_iac.audit import live
from lighthouse_iac.audit.compare import AuditResult, compare
from lighthouse_iac.audit.declared import Declared, Names, declared_fleet
from lighthouse_iac.audit.offline import read_folder
from lighthouse_iac.fleet import Fleet, load_fleet

from ..projects import BASELINE, make_project
from .azure_state import AzureState, deployed, write_cli_folder
from .fake_arm import ArmData, fake_arm

SECOND = """\
config:
  lighthouse-iac:customer:
    name: Tailwind Toys
    tenantId: 2b6f1c0e-7d3a-4e59-8b14-9c0a5e6f7d21
  lighthouse-iac:onboarding:
    objectId: 0c9d8e7f-6a5b-4c3d-9e2f-1a0b9c8d7e6f
  lighthouse-iac:offers:
    - key: security-monitoring
      name: Fabrikam Security Monitoring
      description: Security monitoring by Fabrikam
      plan: {name: sec-plan, publisher: fabrikam, product: sec-offer, version: 1.0.0}
      authorizations:
        - principal: msp-security
          role: Security Reader
        - principal: msp-offboarding
          role: Managed Services Registration assignment Delete Role
      scopes:
        - subscription: 4a3b2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d
          resourceGroups: [rg-sec]
        - subscription: 7c6d5e4f-3a2b-4c1d-8e9f-0a1b2c3d4e5f
          offboard: true
"""
SECOND_STACK = "tailwind"


class StaticToken:
    """A fixed bearer token: the tests' stand-in for azure-identity (never used outside tests)."""

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken("test-token", int(time.time()) + 3600)


@dataclass
class Scenario:
    root: Path
    fleet: Fleet
    declared: list[Declared]
    names: Names
    tenants: set[str]
    state: AzureState

    def offline(self, state: AzureState, folder: Path, accounts: bool = True) -> AuditResult:
        observed = read_folder(write_cli_folder(state, folder, accounts), self.tenants)
        return compare(self.declared, observed, self.names, self.tenants)

    def live(self, data: ArmData, folder: Path, concurrency: int = 4) -> AuditResult:
        with fake_arm(data, folder) as (base, ca):
            observed = live.collect(
                StaticToken(), self.tenants, live.endpoint(override=base), concurrency, ca_bundle=str(ca)
            )
        return compare(self.declared, observed, self.names, self.tenants)


def scenario(tmp: Path) -> Scenario:
    (tmp / "project").mkdir()
    root = make_project(tmp / "project", BASELINE)
    (root / "stacks" / f"Pulumi.{SECOND_STACK}.yaml").write_text(SECOND)
    fleet = load_fleet(root).require_valid()
    declared, names, tenants = declared_fleet(fleet)
    return Scenario(root, fleet, declared, names, tenants, deployed(fleet))


def arm_data(state: AzureState, **options: Any) -> ArmData:
    return ArmData(subscriptions=state.subscriptions, assignments=state.assignments, **options)
