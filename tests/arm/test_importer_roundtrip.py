"""Import a sample, export the stack it becomes: the same authorizations, scopes, plan and GUIDs come back."""

from __future__ import annotations

import pytest

from lighthouse_iac.arm.export import export_files, subscription_templates
from lighthouse_iac.arm.importer import Customer, check, import_deployment
from lighthouse_iac.arm.source import parse_json
from lighthouse_iac.arm.template import ArmResource, evaluate_template
from lighthouse_iac.catalogues import load_catalogue
from lighthouse_iac.plan import build_plan

from ..engine import FIXTURE
from .cases import SAMPLES, evaluate_sample

CATALOGUE = load_catalogue()
TENANT = "d6ad82f3-42af-4a15-ac1e-49e6c08f624e"

# Samples whose managing tenant is a placeholder get a real one, as a user would pass it.
OVERRIDES: dict[str, tuple[str, ...]] = {
    "subscription": (f"managedByTenantId={TENANT}",),
    "rg": (f"managedByTenantId={TENANT}",),
    "multi-rg": (f"managedByTenantId={TENANT}",),
    "eligible-subscription": (f"managedByTenantId={TENANT}",),
    "eligible-multi-rg": (f"managedByTenantId={TENANT}",),
    "marketplace-plan": ("marketplaceOffer=Yes",),
}
CASES = [*SAMPLES, "marketplace-plan"]


def _summary(resources: list[ArmResource]) -> list[tuple[str, str, str, object, object]]:
    return sorted((r.type, r.scope, r.name, r.properties, r.plan) for r in resources)


@pytest.mark.parametrize("name", CASES)
def test_import_then_export_gives_the_same_delegations(name: str) -> None:
    sample = "marketplace" if name == "marketplace-plan" else name
    original = evaluate_sample(sample, OVERRIDES.get(name, ()))
    result = import_deployment(original, Customer("roundtrip"), CATALOGUE)
    plan = build_plan(check(result, None, FIXTURE, "Round trip", CATALOGUE))
    files = export_files(plan)
    exported: list[ArmResource] = []
    for t in subscription_templates(plan):
        template = parse_json(files[t.template_file].decode(), t.template_file)
        parameters = parse_json(files[t.parameters_file].decode(), t.parameters_file)
        exported += evaluate_template(template, parameters, (), t.subscription_id).resources
    assert _summary(exported) == _summary(list(original.resources))
    if name == "marketplace-plan":
        assert exported[0].plan is not None and exported[0].plan["name"] == "assessment"
