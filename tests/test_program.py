"""The real `__main__.py` under the SDK's mock engine, for every example stack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pytest

from lighthouse_iac.config import load_stack
from lighthouse_iac.plan import build_plan

from .engine import FIXTURE, Client, Registered, named, run_program, unexpected
from .projects import BASELINE, STACK, make_project

DEF = "azure-native:managedservices:RegistrationDefinition"
ASG = "azure-native:managedservices:RegistrationAssignment"
STACKS = sorted(p.name.split(".")[1] for p in (FIXTURE / "stacks").glob("Pulumi.*.yaml"))
CLIENTS = {  # the onboarding identity of each example, signed in to its customer's tenant
    "contoso": Client("04ed3da6-576c-42d4-a174-871685bd0d9f", "5dde286d-9c8b-4c91-90fd-4c74c67dd1d0"),
    "tailspin": Client("32c28534-a3df-4d84-a1a5-bfb91315d070", "0ecf0fd8-752b-4aa3-bcb9-7dc20789f2c1"),
    "wingtip": Client("05ed8275-b1ff-41e3-84b2-017dbc393a69", "7f5b5d4a-dcb6-460c-a65e-836f7cfb230e"),
    STACK: Client("8ad2ca68-ccfd-43e6-8ff9-3428cca138a5", "76f7b000-9bd5-41e3-aa58-563670d45b51"),
}
MANAGING_TENANT = "d980ba46-0ced-44e9-ba1f-fe956db47fe4"
CONTOSO_SUB = "ee1f64a5-8b7a-43b6-8508-70424b3b0a61"


def _custom(resources: list[Registered]) -> list[Registered]:
    return [r for r in resources if r.custom]


def test_examples_cover_what_the_issue_asks() -> None:
    assert STACKS == ["contoso", "tailspin", "wingtip"]
    plans = [build_plan(load_stack(FIXTURE, s)) for s in STACKS]
    offers = [o for p in plans for o in p.offers]
    assert any(len(o.definitions) == 1 for o in offers), "one subscription"
    assert any(len(o.definitions) > 1 for o in offers), "several subscriptions"
    assert any(a.resource_group for o in offers for a in o.assignments), "resource groups"
    assert any(len(p.offers) == 2 for p in plans), "two offers for one customer"
    assert any(g.eligible and g.approvers for o in offers for g in o.grants), "eligible with approvers"
    assert any(g.delegated_role_ids for o in offers for g in o.grants), "UAA with delegated roles"
    assert any(o.offer.plan for o in offers), "Marketplace plan"


def test_contoso_registers_exactly_these_resources() -> None:
    run = run_program("contoso", client=CLIENTS["contoso"])

    definition_id = "5cfe71ea-9ad0-5f75-863c-abe747ea3dcb"
    definition_arm_id = (
        f"/subscriptions/{CONTOSO_SUB}/providers/Microsoft.ManagedServices/"
        f"registrationDefinitions/{definition_id}"
    )

    def auth(principal: str, name: str, role: str, **extra: Any) -> dict[str, Any]:
        return {"principalId": principal, "principalIdDisplayName": name, "roleDefinitionId": role, **extra}

    readers, operators = "4e7f79e9-a1ed-4b80-b106-32a7434ec1a4", "e6d7938c-729a-417b-a0df-3f97d363a646"
    oncall, platform = "be3365fc-5bbf-446c-83c3-884461783b3a", "9b0346bd-f472-43c0-8524-d08716d588ee"
    reader, monitoring = "acdd72a7-3385-48ef-bd42-f606fba81ae7", "749f88d5-cbae-40b8-bcfc-e573ddc772fa"
    expected = [
        ("lighthouse:index:CustomerDelegation", "contoso", {}, False),
        ("lighthouse:index:OfferDelegation", "contoso-managed-operations", {}, False),
        (
            DEF,
            f"contoso-managed-operations-{CONTOSO_SUB}",
            {
                "scope": f"/subscriptions/{CONTOSO_SUB}",
                "registrationDefinitionId": definition_id,
                "properties": {
                    "registrationDefinitionName": "Fabrikam Managed Operations",
                    "description": "Monitoring, patching and incident response by Fabrikam Managed Cloud",
                    "managedByTenantId": MANAGING_TENANT,
                    "authorizations": [
                        auth(readers, "Fabrikam Lighthouse Readers", reader),
                        auth(operators, "Fabrikam Operations Engineers", reader),
                        auth(oncall, "Fabrikam On-call Engineers", reader),
                        auth(operators, "Fabrikam Operations Engineers", monitoring),
                        auth(
                            platform,
                            "Fabrikam Platform Engineers",
                            "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
                            delegatedRoleDefinitionIds=[monitoring, "9980e02c-c2be-4d73-94e8-173b1dc7cf3c"],
                        ),
                        auth(
                            "15e4985b-8bf2-4b7c-bc38-10630df71724",
                            "Fabrikam Delegation Administrators",
                            "91c1777a-f3dc-4fae-b103-61d183457e46",
                        ),
                    ],
                    "eligibleAuthorizations": [
                        auth(
                            oncall,
                            "Fabrikam On-call Engineers",
                            "b24988ac-6180-42a0-ab88-20f7382dd24c",
                            justInTimeAccessPolicy={
                                "multiFactorAuthProvider": "Azure",
                                "maximumActivationDuration": "PT4H",
                                "managedByTenantApprovers": [
                                    {
                                        "principalId": "6bedf8b2-79f0-41d6-a421-525fc9efdcfe",
                                        "principalIdDisplayName": "Fabrikam Access Approvers",
                                    }
                                ],
                            },
                        ),
                    ],
                },
            },
            True,
        ),
        (
            ASG,
            f"contoso-managed-operations-{CONTOSO_SUB}",
            {
                "scope": f"/subscriptions/{CONTOSO_SUB}",
                "registrationAssignmentId": "538afb3b-fc3e-5f39-8c67-4223e763c10f",
                "properties": {"registrationDefinitionId": definition_arm_id},
            },
            True,
        ),
    ]

    def row(r: Registered) -> tuple[str, str, dict[str, Any], bool]:
        return (r.type, r.name, r.inputs, r.protect)

    got = [row(r) for r in run.resources]
    assert sorted(got, key=repr) == sorted(expected, key=repr), unexpected(run.resources, expected, row)
    assert all(r.delete_before_replace for r in _custom(run.resources)), named(
        r for r in _custom(run.resources) if not r.delete_before_replace
    )
    assert run.invokes == ["azure-native:authorization:getClientConfig"]


def test_tailspin_delegates_each_scope_once_with_its_own_guid() -> None:
    run = run_program("tailspin", client=CLIENTS["tailspin"])

    # Registration order follows when inputs resolve, not the file: compare as sorted lists.
    def assignment(r: Registered) -> tuple[str, str, str]:
        return (r.name, r.inputs["scope"], r.inputs["registrationAssignmentId"])

    assignments = sorted(assignment(r) for r in run.of_type(ASG))
    sub1, sub2, sub3 = (
        "c2d3aedb-3dd1-4d7c-8afb-96deb829f53e",
        "0b13ef91-5ce9-4ac8-8282-ae2e479fd4f4",
        "98ec5cae-d2f1-4c93-ac33-6484aaabce3f",
    )
    expected_assignments = sorted(
        [
            (
                f"tailspin-managed-operations-{sub1}",
                f"/subscriptions/{sub1}",
                "0456dcf7-408e-579c-99c9-8fd6ba9021e1",
            ),
            (
                f"tailspin-managed-operations-{sub2}",
                f"/subscriptions/{sub2}",
                "1ae98367-e108-5f21-a80e-ca9defc7df5f",
            ),
            (
                f"tailspin-managed-operations-{sub3}-rg-web-prod",
                f"/subscriptions/{sub3}/resourceGroups/rg-web-prod",
                "e58b52cf-e028-55ea-9632-933baa5132cb",
            ),
            (
                f"tailspin-managed-operations-{sub3}-rg-data-prod",
                f"/subscriptions/{sub3}/resourceGroups/rg-data-prod",
                "6014d402-2930-5340-a93b-8817cda46ded",
            ),
            (
                f"tailspin-security-monitoring-{sub1}",
                f"/subscriptions/{sub1}",
                "e0edacb9-951d-56f8-a04e-6aa60ef1271a",
            ),
            (
                f"tailspin-security-monitoring-{sub2}",
                f"/subscriptions/{sub2}",
                "19941b2e-8753-5047-b213-e4f7cae184f3",
            ),
        ]
    )
    assert assignments == expected_assignments, unexpected(run.of_type(ASG), expected_assignments, assignment)

    def definition(r: Registered) -> tuple[str, str]:
        return (r.inputs["scope"], r.inputs["registrationDefinitionId"])

    definitions = sorted(definition(r) for r in run.of_type(DEF))
    expected_definitions = sorted(
        [
            (f"/subscriptions/{sub1}", "5cfe71ea-9ad0-5f75-863c-abe747ea3dcb"),
            (f"/subscriptions/{sub2}", "5cfe71ea-9ad0-5f75-863c-abe747ea3dcb"),
            (f"/subscriptions/{sub3}", "5cfe71ea-9ad0-5f75-863c-abe747ea3dcb"),
            (f"/subscriptions/{sub1}", "7c84dc01-7453-558e-bd39-ba09729e5ef2"),
            (f"/subscriptions/{sub2}", "7c84dc01-7453-558e-bd39-ba09729e5ef2"),
        ]
    )
    assert definitions == expected_definitions, unexpected(run.of_type(DEF), expected_definitions, definition)


def test_wingtip_definition_carries_the_marketplace_plan() -> None:
    run = run_program("wingtip", client=CLIENTS["wingtip"])
    definitions = run.of_type(DEF)
    assert len(definitions) == 1, named(definitions)
    [definition] = definitions
    assert definition.inputs["plan"] == {
        "name": "cost-insights-standard",
        "publisher": "fabrikam-managed-cloud",
        "product": "fabrikam-cost-insights",
        "version": "1.0.0",
    }, definition.urn


@pytest.mark.parametrize("stack", STACKS)
def test_every_registration_is_the_plan_exactly(stack: str) -> None:
    run = run_program(stack, client=CLIENTS[stack])
    plan = build_plan(load_stack(FIXTURE, stack))
    planned = {(p.type, p.name): p for p in plan.resources()}
    registered = {(r.type, r.name): r for r in _custom(run.resources)}
    assert sorted(registered) == sorted(planned), unexpected(
        _custom(run.resources), sorted(planned), lambda r: (r.type, r.name)
    )
    assert len(registered) == len(_custom(run.resources)), named(_custom(run.resources))
    for key, got in registered.items():
        assert got.inputs == planned[key].inputs(), got.urn
        assert (got.protect, got.delete_before_replace) == (True, True), got.urn
    # Every assignment names the definition of its own subscription (ARCH).
    definitions = {r.inputs["scope"] + "|" + r.parent: r for r in run.of_type(DEF)}
    for a in run.of_type(ASG):
        subscription = "/".join(a.inputs["scope"].split("/")[:3])
        d = definitions[subscription + "|" + a.parent]
        assert a.inputs["properties"]["registrationDefinitionId"] == (
            f"{subscription}/providers/Microsoft.ManagedServices/registrationDefinitions/"
            f"{d.inputs['registrationDefinitionId']}"
        ), a.urn
    assert len({r.urn for r in run.resources}) == len(run.resources), named(run.resources)


def test_stack_outputs_summarize_each_offer() -> None:
    run = run_program("contoso", client=CLIENTS["contoso"])
    assert run.outputs["customer"] == "Contoso Ltd"
    summary = run.outputs["delegations"]["managed-operations"]
    assert summary["assignmentIds"] == {
        f"/subscriptions/{CONTOSO_SUB}": f"/subscriptions/{CONTOSO_SUB}/providers/Microsoft.ManagedServices/"
        "registrationAssignments/538afb3b-fc3e-5f39-8c67-4223e763c10f"
    }
    assert summary["access"][-1] == "msp-oncall: Contributor (eligible up to PT4H)"


def test_preview_works_with_unknown_definition_ids() -> None:
    run = run_program("tailspin", client=CLIENTS["tailspin"], preview=True)
    assignments = run.of_type(ASG)
    assert len(assignments) == 6, named(assignments)
    for a in assignments:
        assert not isinstance(a.inputs["properties"]["registrationDefinitionId"], str), a.urn
        assert a.inputs["registrationAssignmentId"]  # the GUIDs themselves are known before creation


DEPLOYER_CASES = {
    "managing-tenant": (
        Client(MANAGING_TENANT, "5dde286d-9c8b-4c91-90fd-4c74c67dd1d0"),
        "refusing to deploy stack 'contoso': signed in to the managing tenant "
        f"{MANAGING_TENANT} (Fabrikam Managed Cloud); onboarding 'Contoso Ltd' must be deployed from the "
        "customer's tenant 04ed3da6-576c-42d4-a174-871685bd0d9f by its onboarding identity "
        "5dde286d-9c8b-4c91-90fd-4c74c67dd1d0 (az login --tenant 04ed3da6-576c-42d4-a174-871685bd0d9f)",
    ),
    "another-tenant": (
        Client("32c28534-a3df-4d84-a1a5-bfb91315d070", "5dde286d-9c8b-4c91-90fd-4c74c67dd1d0"),
        "refusing to deploy stack 'contoso': signed in to tenant 32c28534-a3df-4d84-a1a5-bfb91315d070, but "
        "customer 'Contoso Ltd' is tenant 04ed3da6-576c-42d4-a174-871685bd0d9f; sign in to the customer's "
        "tenant (az login --tenant 04ed3da6-576c-42d4-a174-871685bd0d9f)",
    ),
    "another-identity": (
        Client("04ed3da6-576c-42d4-a174-871685bd0d9f", "0ecf0fd8-752b-4aa3-bcb9-7dc20789f2c1"),
        "refusing to deploy stack 'contoso': signed in as object 0ecf0fd8-752b-4aa3-bcb9-7dc20789f2c1, "
        "but the stack declares onboarding identity 5dde286d-9c8b-4c91-90fd-4c74c67dd1d0 for 'Contoso Ltd'; "
        "sign in as "
        "that identity or update lighthouse-iac:onboarding.objectId",
    ),
}


@pytest.mark.parametrize(("client", "message"), DEPLOYER_CASES.values(), ids=DEPLOYER_CASES.keys())
@pytest.mark.parametrize("preview", [False, True], ids=["up", "preview"])
def test_wrong_deployer_stops_before_anything_is_registered(
    client: Client, message: str, preview: bool
) -> None:
    registered: list[Registered] = []
    with pytest.raises(pulumi.RunError) as raised:
        run_program("contoso", client=client, preview=preview, into=registered)
    assert str(raised.value) == message
    assert registered == [], named(registered)


def test_deployer_check_ignores_guid_case() -> None:
    client = CLIENTS["contoso"]
    run = run_program("contoso", client=Client(client.tenant_id.upper(), client.object_id.upper()))
    assert len(run.of_type(ASG)) == 1, named(run.of_type(ASG))


class _Protection(dict[str, bool]):
    """Each resource's `protect` by its scope's last segment and kind; `urns` names the resources."""

    def __init__(self, resources: list[Registered]) -> None:
        ordered = sorted(_custom(resources), key=lambda r: (r.type, r.name))
        super().__init__(
            (r.inputs["scope"].split("/")[-1] + ":" + r.type.rsplit(":", 1)[1], r.protect) for r in ordered
        )
        self.resources = ordered

    def urns(self, protect: bool) -> str:
        return f"protect={protect}: " + named(r for r in self.resources if r.protect is protect)


def _offboard(tmp_path: Path, old: str, new: str) -> _Protection:
    project = make_project(tmp_path, BASELINE.replace(old, new, 1))
    run = run_program(STACK, client=CLIENTS[STACK], project_dir=project)
    return _Protection(run.resources)


def test_everything_is_protected_by_default(tmp_path: Path) -> None:
    protect = _offboard(tmp_path, "", "")
    assert set(protect.values()) == {True}, protect.urns(False)


def test_offboarding_a_resource_group_unprotects_only_its_assignment(tmp_path: Path) -> None:
    protect = _offboard(tmp_path, "[rg-app, rg-data]", "[rg-app, {name: rg-data, offboard: true}]")
    assert [k for k, v in protect.items() if not v] == ["rg-data:RegistrationAssignment"], protect.urns(False)


def test_offboarding_a_subscription_unprotects_its_definition_and_assignments(tmp_path: Path) -> None:
    protect = _offboard(
        tmp_path, "          resourceGroups:", "          offboard: true\n          resourceGroups:"
    )
    assert [k for k, v in protect.items() if not v] == [
        "rg-app:RegistrationAssignment",
        "rg-data:RegistrationAssignment",
        "cd517f52-d3a6-4df4-b0f7-c5afce02d973:RegistrationDefinition",
    ], protect.urns(False)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "      description: Operations by Fabrikam\n",
            "      description: Operations by Fabrikam\n      offboard: true\n",
        ),
        (
            "    tenantId: 8ad2ca68-ccfd-43e6-8ff9-3428cca138a5\n",
            "    tenantId: 8ad2ca68-ccfd-43e6-8ff9-3428cca138a5\n    offboard: true\n",
        ),
    ],
    ids=["offer", "customer"],
)
def test_offboarding_an_offer_or_customer_unprotects_all_of_it(tmp_path: Path, old: str, new: str) -> None:
    protect = _offboard(tmp_path, old, new)
    assert len(protect) == 5, named(protect.resources)
    assert set(protect.values()) == {False}, protect.urns(True)


def test_invalid_configuration_stops_the_program_with_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path, BASELINE.replace("role: Reader", "role: Reeder"))
    monkeypatch.chdir(project)  # the engine runs the program in the project folder
    with pytest.raises(pulumi.RunError) as raised:
        run_program(STACK, client=CLIENTS[STACK], project_dir=project)
    assert str(raised.value) == (
        f"invalid configuration for stack '{STACK}':\n"
        f"stacks/Pulumi.{STACK}.yaml:13: offers[0].authorizations[0].role: unknown role 'Reeder' "
        "(did you mean 'Reader'?); expected a built-in role name or GUID from the role catalogue"
    )


def test_a_failed_comparison_names_each_resource_by_its_urn() -> None:
    run = run_program("contoso", client=CLIENTS["contoso"])
    [assignment] = run.of_type(ASG)
    assert assignment.urn.startswith("urn:pulumi:contoso::lighthouse-iac::")
    assert assignment.urn.endswith(f"{ASG}::{assignment.name}")
    message = unexpected(run.resources, [(ASG, "elsewhere")], lambda r: (r.type, r.name))
    assert f"{assignment.urn} is not as expected: ('{ASG}', '{assignment.name}')" in message.splitlines()
    assert f"no resource is ('{ASG}', 'elsewhere')" in message.splitlines()
    assert assignment.urn in named(run.resources).split()
    assert named([]) == "resources: none"
