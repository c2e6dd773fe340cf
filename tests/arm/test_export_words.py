"""The customer's export README says, for each pair of files, who gets which role, permanent or eligible,
in words."""

from __future__ import annotations

from pathlib import Path

from lighthouse_iac.arm.export import export_files
from lighthouse_iac.config import load_stack
from lighthouse_iac.plan import build_plan

from ..projects import BASELINE, STACK, make_project

FIRST = "9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f"
SECOND = "cd517f52-d3a6-4df4-b0f7-c5afce02d973"
UAA = (
    "        - principal: msp-platform\n"
    "          role: User Access Administrator\n"
    "          delegatedRoles: [Monitoring Contributor, Virtual Machine Contributor]\n"
)


def _readme(tmp_path: Path, stack: str = BASELINE) -> str:
    make_project(tmp_path, stack)
    return export_files(build_plan(load_stack(tmp_path, STACK)))["README.md"].decode()


def _section(readme: str, subscription: str) -> list[str]:
    part = readme.split(f"## Subscription {subscription}\n", 1)[1].split("```sh", 1)[0]
    return [line for line in part.splitlines() if line]


def test_each_pair_of_files_says_who_gets_which_role(tmp_path: Path) -> None:
    readme = _readme(tmp_path)
    for subscription, scope in (
        (FIRST, "the whole subscription"),
        (SECOND, "resource groups rg-app, rg-data"),
    ):
        assert _section(readme, subscription) == [
            f"Files: `{subscription}.template.json` and `{subscription}.parameters.json`.",
            f"- Fabrikam Managed Operations: {scope}",
            "  - Fabrikam Lighthouse Readers (group) has **Reader** permanently.",
            "  - Fabrikam Delegation Administrators (group) has **Managed Services Registration assignment "
            "Delete Role** permanently, which lets it remove this delegation and nothing else.",
            "  - Fabrikam Lighthouse Readers (group) is eligible for **Contributor**: no access until it "
            "activates the role, for up to 2 hours at a time, after multi-factor authentication and once "
            "approved by Fabrikam Access Approvers (group).",
        ]


def test_assignable_roles_and_activation_without_mfa_or_approval_are_said(tmp_path: Path) -> None:
    stack = BASELINE.replace(
        "      eligibleAuthorizations:\n", UAA + "      eligibleAuthorizations:\n"
    ).replace(
        "          maximumActivation: PT2H\n          approvers: [msp-approvers]\n",
        "          maximumActivation: PT1H30M\n          requireMfa: false\n",
    )
    lines = _section(_readme(tmp_path, stack), FIRST)
    assert (
        "  - Fabrikam Platform Engineers (group) has **User Access Administrator** permanently, and may "
        "assign only Monitoring Contributor and Virtual Machine Contributor, and only to managed identities."
    ) in lines
    assert lines[-1] == (
        "  - Fabrikam Lighthouse Readers (group) is eligible for **Contributor**: no access until it "
        "activates the role, for up to 1 hour 30 minutes at a time."
    )


def test_names_are_escaped_in_the_sentences(tmp_path: Path) -> None:
    make_project(tmp_path)
    project = tmp_path / "Pulumi.yaml"
    project.write_text(
        project.read_text().replace(
            "displayName: Fabrikam Lighthouse Readers", "displayName: '[x](https://e.example)'"
        )
    )
    readme = export_files(build_plan(load_stack(tmp_path, STACK)))["README.md"].decode()
    assert "  - \\[x\\](https://e.example) (group) has **Reader** permanently." in readme
