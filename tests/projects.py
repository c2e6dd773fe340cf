"""Scratch projects for tests: the real Pulumi.yaml with one stack file written by the test."""

from __future__ import annotations

import shutil
from pathlib import Path

from .engine import FIXTURE, ROOT

# A compliant customer; tests change one thing in it. Line numbers matter: messages name them.
BASELINE = """\
config:
  lighthouse-iac:customer:
    name: Northwind Traders
    tenantId: 8ad2ca68-ccfd-43e6-8ff9-3428cca138a5
  lighthouse-iac:onboarding:
    objectId: 76f7b000-9bd5-41e3-aa58-563670d45b51
  lighthouse-iac:offers:
    - key: managed-operations
      name: Fabrikam Managed Operations
      description: Operations by Fabrikam
      authorizations:
        - principal: msp-readers
          role: Reader
        - principal: msp-offboarding
          role: Managed Services Registration assignment Delete Role
      eligibleAuthorizations:
        - principal: msp-readers
          role: Contributor
          maximumActivation: PT2H
          approvers: [msp-approvers]
      scopes:
        - subscription: 9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f
        - subscription: cd517f52-d3a6-4df4-b0f7-c5afce02d973
          resourceGroups: [rg-app, rg-data]
"""

STACK = "northwind"
STACK_FILE = f"stacks/Pulumi.{STACK}.yaml"


def make_project(tmp: Path, stack_text: str = BASELINE, stack: str = STACK) -> Path:
    """A copy of the project's Pulumi.yaml, program and components, with one customer stack."""
    shutil.copy(FIXTURE / "Pulumi.yaml", tmp / "Pulumi.yaml")
    shutil.copy(ROOT / "__main__.py", tmp / "__main__.py")
    (tmp / "stacks").mkdir()
    (tmp / "stacks" / f"Pulumi.{stack}.yaml").write_text(stack_text)
    return tmp
