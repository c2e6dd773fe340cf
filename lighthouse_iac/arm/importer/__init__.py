"""From an evaluated onboarding template to a customer stack: offers, scopes, pinned GUIDs, and the
directory entries its principals need.

Each registration definition becomes an offer whose `adopt` pins the template's definition and assignment
GUIDs, so that deploying the stack updates the delegations the template made instead of adding a second
one ("Multiple registration assignments are not allowed", SAMPLES issue 85).
"""

from __future__ import annotations

from .deployment import import_deployment
from .result import STACK_NAMESPACE, Customer, ImportedPrincipal, ImportResult
from .stack_file import check, directory_yaml, stack_yaml

__all__ = [
    "STACK_NAMESPACE",
    "Customer",
    "ImportResult",
    "ImportedPrincipal",
    "check",
    "directory_yaml",
    "import_deployment",
    "stack_yaml",
]
