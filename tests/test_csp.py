"""CSP customers under the mock engine: who `getClientConfig` says is signed in, and what gets registered.

The project is a scratch copy whose directory declares its own Admin Agents, so nothing here depends on
the example customers or on the example directory's Admin Agents.
"""

from __future__ import annotations

from pathlib import Path

import pulumi
import pytest
import yaml

from lighthouse_iac.cli import main
from lighthouse_iac.config import load_stack
from lighthouse_iac.errors import ConfigError
from lighthouse_iac.rules import check_stack

from .engine import Client, Registered, named, run_program
from .projects import BASELINE, STACK, make_project

DEF = "azure-native:managedservices:RegistrationDefinition"
ASG = "azure-native:managedservices:RegistrationAssignment"
CUSTOMER = "8ad2ca68-ccfd-43e6-8ff9-3428cca138a5"
ONBOARDING = "76f7b000-9bd5-41e3-aa58-563670d45b51"
MANAGING = "d980ba46-0ced-44e9-ba1f-fe956db47fe4"
SUB_A = "9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f"
SUB_B = "cd517f52-d3a6-4df4-b0f7-c5afce02d973"
AGENT = "3b9f1c52-6d0e-4f7a-9a51-2c8e7d4b6a10"
PIPELINE = "8e2d4a6c-1b3f-4c5d-8e7f-9a0b1c2d3e4f"
STRANGER = "c0ffee00-1234-4abc-8def-0123456789ab"
AGENTS = {
    "csp-agent": {"objectId": AGENT, "kind": "user", "displayName": "CSP Admin Agent", "adminAgent": True},
    "csp-pipeline": {
        "objectId": PIPELINE,
        "kind": "servicePrincipal",
        "displayName": "CSP Pipeline",
        "adminAgent": True,
    },
}

ONBOARDING_BLOCK = f"  lighthouse-iac:onboarding:\n    objectId: {ONBOARDING}\n"
# The baseline customer with every subscription created through CSP and no customer identity.
ALL_CSP = BASELINE.replace(ONBOARDING_BLOCK, "  lighthouse-iac:csp:\n    subscriptions: all\n")
# One subscription through CSP, the other not: the customer's identity is declared for it.
MIXED = BASELINE.replace(
    ONBOARDING_BLOCK, f"{ONBOARDING_BLOCK}  lighthouse-iac:csp:\n    subscriptions: [{SUB_A}]\n"
)


def project(tmp: Path, stack_text: str, agents: bool = True) -> Path:
    """A scratch project whose Pulumi.yaml declares two Admin Agents (or none)."""
    folder = make_project(tmp, stack_text)
    path = folder / "Pulumi.yaml"
    data = yaml.safe_load(path.read_text())
    principals = data["config"]["managingTenant"]["value"]["principals"]
    for name in [n for n, p in principals.items() if p.get("adminAgent")]:
        del principals[name]  # only this test's agents
    if agents:
        principals.update(AGENTS)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return folder


def deploy(folder: Path, client: Client, monkeypatch: pytest.MonkeyPatch) -> list[Registered]:
    monkeypatch.chdir(folder)
    return run_program(STACK, client=client, project_dir=folder).resources


def refusal(folder: Path, client: Client, monkeypatch: pytest.MonkeyPatch) -> tuple[str, list[Registered]]:
    monkeypatch.chdir(folder)
    registered: list[Registered] = []
    with pytest.raises(pulumi.RunError) as raised:
        run_program(STACK, client=client, project_dir=folder, into=registered)
    return str(raised.value), [r for r in registered if r.custom]


@pytest.mark.parametrize("agent", [AGENT, PIPELINE.upper()], ids=["user", "service-principal"])
def test_an_admin_agent_under_aobo_onboards_a_csp_customer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, agent: str
) -> None:
    resources = deploy(project(tmp_path, ALL_CSP), Client(CUSTOMER, agent), monkeypatch)
    assert sorted(r.inputs["scope"] for r in resources if r.type == DEF) == [
        f"/subscriptions/{SUB_A}",
        f"/subscriptions/{SUB_B}",
    ], named(resources)
    assert sorted(r.inputs["scope"] for r in resources if r.type == ASG) == [
        f"/subscriptions/{SUB_A}",
        f"/subscriptions/{SUB_B}/resourceGroups/rg-app",
        f"/subscriptions/{SUB_B}/resourceGroups/rg-data",
    ], named(resources)
    assert all(r.protect for r in resources if r.custom), named(
        r for r in resources if r.custom and not r.protect
    )


def test_an_admin_agent_is_refused_for_a_customer_without_csp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    message, registered = refusal(project(tmp_path, BASELINE), Client(CUSTOMER, AGENT), monkeypatch)
    assert registered == [], named(registered)
    assert message == (
        f"refusing to deploy stack '{STACK}': signed in as Admin Agent 'csp-agent' ({AGENT}), but customer "
        "'Northwind Traders' has no subscriptions created through CSP (lighthouse-iac:csp is not set); an "
        "Admin Agent may onboard CSP subscriptions only, where AOBO makes it Owner; sign in as the "
        f"customer's onboarding identity {ONBOARDING}"
    )


def test_a_mixed_customer_names_which_subscriptions_need_whom(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = project(tmp_path, MIXED)
    message, registered = refusal(folder, Client(CUSTOMER, AGENT), monkeypatch)
    assert registered == [], named(registered)
    assert message == (
        f"refusing to deploy stack '{STACK}': signed in as Admin Agent 'csp-agent' ({AGENT}); an Admin Agent "
        "may onboard subscriptions created through CSP only. Not created through CSP, these need the "
        f"customer's onboarding identity {ONBOARDING}: {SUB_B}; the Admin Agent may onboard: {SUB_A} "
        "(deploy the stack as the customer's identity, or list the subscriptions under "
        "lighthouse-iac:csp.subscriptions if they were created through CSP)"
    )
    # The customer's own identity deploys all of it.
    resources = deploy(folder, Client(CUSTOMER, ONBOARDING), monkeypatch)
    assert len([r for r in resources if r.type == DEF]) == 2, named(resources)


def test_the_customer_identity_still_deploys_a_csp_customer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = BASELINE.replace(
        ONBOARDING_BLOCK, f"{ONBOARDING_BLOCK}  lighthouse-iac:csp:\n    subscriptions: all\n"
    )
    resources = deploy(project(tmp_path, stack), Client(CUSTOMER, ONBOARDING), monkeypatch)
    assert len([r for r in resources if r.type == ASG]) == 3, named(resources)


@pytest.mark.parametrize(
    ("client", "expected"),
    [
        (
            Client(MANAGING, AGENT),
            f"signed in to the managing tenant {MANAGING} (Fabrikam Managed Cloud) as Admin Agent "
            f"'csp-agent'; under AOBO an Admin Agent deploys from the customer's tenant "
            f"(az login --tenant {CUSTOMER})",
        ),
        (
            Client(CUSTOMER, STRANGER),
            f"signed in as object {STRANGER}, which is not a declared Admin Agent; 'Northwind Traders' is "
            "onboarded by an Admin Agent (csp-agent, csp-pipeline)",
        ),
        (
            Client("0b13ef91-5ce9-4ac8-8282-ae2e479fd4f4", AGENT),
            "signed in to tenant 0b13ef91-5ce9-4ac8-8282-ae2e479fd4f4, but customer 'Northwind Traders' is "
            f"tenant {CUSTOMER}; sign in to the customer's tenant (az login --tenant {CUSTOMER})",
        ),
    ],
    ids=["agent-in-managing-tenant", "someone-else", "agent-in-another-tenant"],
)
def test_others_are_refused_for_a_csp_customer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, client: Client, expected: str
) -> None:
    message, registered = refusal(project(tmp_path, ALL_CSP), client, monkeypatch)
    assert (message, registered) == (f"refusing to deploy stack '{STACK}': {expected}", []), named(registered)


def test_a_declared_customer_identity_is_named_to_strangers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = BASELINE.replace(
        ONBOARDING_BLOCK, f"{ONBOARDING_BLOCK}  lighthouse-iac:csp:\n    subscriptions: all\n"
    )
    message, _ = refusal(project(tmp_path, stack), Client(CUSTOMER, STRANGER), monkeypatch)
    assert message.endswith(
        f"signed in as object {STRANGER}, but the stack declares onboarding identity {ONBOARDING} for "
        "'Northwind Traders'; sign in as that identity or an Admin Agent or update "
        "lighthouse-iac:onboarding.objectId"
    )


# --- configuration and rules ---------------------------------------------------------------------------


def verdicts(folder: Path) -> list[tuple[str, str, str]]:
    return [(v.rule, v.level, v.message) for v in check_stack(load_stack(folder, STACK))]


def test_an_all_csp_customer_gets_only_the_aobo_advisory(tmp_path: Path) -> None:
    assert verdicts(project(tmp_path, ALL_CSP)) == [
        (
            "lighthouse-csp-aobo-access",
            "advisory",
            f"2 subscription(s) created through CSP ({SUB_A}, {SUB_B}): every Admin Agent of the managing "
            "tenant (csp-agent, csp-pipeline declared) keeps Owner on them through AOBO beside these "
            "Lighthouse grants; Lighthouse grants do not narrow it",
        )
    ]


def test_a_customer_without_csp_gets_no_csp_verdict(tmp_path: Path) -> None:
    assert verdicts(project(tmp_path, BASELINE)) == []


def test_a_subscription_not_created_through_csp_needs_a_customer_identity(tmp_path: Path) -> None:
    stack = BASELINE.replace(ONBOARDING_BLOCK, f"  lighthouse-iac:csp:\n    subscriptions: [{SUB_A}]\n")
    found = verdicts(project(tmp_path, stack))
    assert (
        "lighthouse-onboarding-can-assign-roles",
        "mandatory",
        f"nobody declared can onboard {SUB_B}: an Admin Agent may onboard only subscriptions created through "
        "CSP, and no customer onboarding identity is declared (lighthouse-iac:onboarding)",
    ) in found


def test_csp_subscriptions_need_a_declared_admin_agent(tmp_path: Path) -> None:
    found = verdicts(project(tmp_path, ALL_CSP, agents=False))
    assert (
        "lighthouse-onboarding-can-assign-roles",
        "mandatory",
        f"nobody declared can onboard {SUB_A}, {SUB_B}: no Admin Agent is declared (adminAgent: true in "
        "managingTenant.principals), and no customer onboarding identity is declared "
        "(lighthouse-iac:onboarding)",
    ) in found


def test_a_customer_identity_without_owner_is_fine_where_admin_agents_onboard(tmp_path: Path) -> None:
    onboarding = f"{ONBOARDING_BLOCK}    roles: [Reader]\n"
    all_csp = BASELINE.replace(
        ONBOARDING_BLOCK, f"{onboarding}  lighthouse-iac:csp:\n    subscriptions: all\n"
    )
    assert [v[0] for v in verdicts(project(tmp_path, all_csp))] == ["lighthouse-csp-aobo-access"]
    (tmp_path / "mixed").mkdir()
    mixed = BASELINE.replace(
        ONBOARDING_BLOCK, f"{onboarding}  lighthouse-iac:csp:\n    subscriptions: [{SUB_A}]\n"
    )
    assert (
        "lighthouse-onboarding-can-assign-roles",
        "mandatory",
        "the onboarding identity holds Reader, none of which allows Microsoft.Authorization/roleAssignments/"
        "write, and an Admin Agent may onboard only subscriptions created through CSP; nobody declared can "
        f"onboard {SUB_B}",
    ) in verdicts(project(tmp_path / "mixed", mixed))


PLAN = """\
      plan:
        name: operations-adatum
        publisher: fabrikam-managed-cloud
        product: fabrikam-operations
        version: 1.0.0
"""


@pytest.mark.parametrize("private", [True, False], ids=["private", "public"])
def test_a_private_plan_on_a_csp_subscription_is_refused(tmp_path: Path, private: bool) -> None:
    plan = PLAN + ("        private: true\n" if private else "")
    stack = ALL_CSP.replace(
        "      description: Operations by Fabrikam\n", "      description: Operations by Fabrikam\n" + plan
    )
    found = [v for v in verdicts(project(tmp_path, stack)) if v[0] == "lighthouse-csp-private-plan"]
    expected = [
        (
            "lighthouse-csp-private-plan",
            "mandatory",
            f"the private Marketplace plan 'operations-adatum' cannot serve subscription {sub}, which was "
            "created through CSP: private plans cannot be used with subscriptions bought through a CSP "
            "reseller",
        )
        for sub in (SUB_A, SUB_B)
    ]
    assert sorted(found) == (sorted(expected) if private else [])


def test_the_private_flag_never_reaches_azure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = PLAN + "        private: true\n"
    stack = BASELINE.replace(
        "      description: Operations by Fabrikam\n", "      description: Operations by Fabrikam\n" + plan
    )
    resources = deploy(project(tmp_path, stack), Client(CUSTOMER, ONBOARDING), monkeypatch)
    assert {tuple(sorted(r.inputs["plan"])) for r in resources if r.type == DEF} == {
        ("name", "product", "publisher", "version")
    }, named(r for r in resources if r.type == DEF)


@pytest.mark.parametrize(
    ("stack", "expected"),
    [
        (
            BASELINE.replace(ONBOARDING_BLOCK, ""),
            "stacks/Pulumi.northwind.yaml:1: lighthouse-iac:onboarding: missing required key "
            "'lighthouse-iac:onboarding'; only a customer whose subscriptions were created through CSP "
            "(lighthouse-iac:csp) may leave it out, as Admin Agents onboard those",
        ),
        (
            ALL_CSP.replace("subscriptions: all", "subscriptions: [0b13ef91-5ce9-4ac8-8282-ae2e479fd4f4]"),
            "stacks/Pulumi.northwind.yaml:6: csp.subscriptions[0]: subscription "
            "0b13ef91-5ce9-4ac8-8282-ae2e479fd4f4 is listed as created through CSP, but no offer delegates "
            "it; list delegated subscriptions only (a typo here would ask for the wrong deployer)",
        ),
    ],
    ids=["no-onboarding-without-csp", "csp-subscription-not-delegated"],
)
def test_csp_declarations_that_cannot_be_meant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stack: str, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)  # paths in messages are shown relative to the working directory
    with pytest.raises(ConfigError) as raised:
        load_stack(project(tmp_path, stack), STACK)
    assert str(raised.value) == expected


def test_an_admin_agent_group_is_refused(tmp_path: Path) -> None:
    folder = project(tmp_path, ALL_CSP)
    path = folder / "Pulumi.yaml"
    data = yaml.safe_load(path.read_text())
    data["config"]["managingTenant"]["value"]["principals"]["msp-readers"]["adminAgent"] = True
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(ConfigError) as raised:
        load_stack(folder, STACK)
    assert "managingTenant.principals.msp-readers.adminAgent: 'msp-readers' is a group" in str(raised.value)


def test_plan_says_who_onboards_a_csp_customer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project(tmp_path, ALL_CSP))
    assert main(["plan", STACK]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[3:5] == [
        f"  created by CSP   {SUB_A}, {SUB_B}",
        "  onboarded by     an Admin Agent under AOBO (csp-agent, csp-pipeline)",
    ]
