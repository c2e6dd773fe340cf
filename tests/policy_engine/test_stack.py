"""`check_stack`: verdicts of a customer stack, on the key and line of the stack file that caused them."""

from __future__ import annotations

from pathlib import Path

import pytest

from lighthouse_iac.config import load_stack
from lighthouse_iac.rules import RuleSettings, Verdict, check_stack

from ..engine import FIXTURE
from ..projects import BASELINE, STACK, STACK_FILE, make_project

EXAMPLES = ["contoso", "tailspin", "wingtip"]
DELETE_ROLE = "Managed Services Registration assignment Delete Role"
OFFBOARDING_GRANT = f"        - principal: msp-offboarding\n          role: {DELETE_ROLE}\n"


@pytest.mark.parametrize("stack", EXAMPLES)
def test_the_examples_pass_every_rule(stack: str) -> None:
    assert check_stack(load_stack(FIXTURE, stack)) == []


def verdicts(tmp_path: Path, stack_text: str, settings: RuleSettings | None = None) -> list[Verdict]:
    return check_stack(load_stack(make_project(tmp_path, stack_text), STACK), settings)


def test_the_scratch_baseline_passes(tmp_path: Path) -> None:
    assert verdicts(tmp_path, BASELINE) == []


def where(v: Verdict) -> tuple[str, str, tuple[str | int, ...], str | None, int | None]:
    return (v.rule, v.level, v.loc, v.file, v.line)


def test_owner_is_located_on_its_role_key_once_for_all_subscriptions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = BASELINE.replace(
        "        - principal: msp-readers\n          role: Reader\n",
        "        - principal: msp-readers\n          role: Owner\n",
    )
    found = verdicts(tmp_path, text)
    # The offer has two subscriptions, so two definitions carry the grant; the stack file has one key.
    assert [where(v) for v in found] == [
        ("lighthouse-no-owner-role", "mandatory", ("offers", 0, "authorizations", 0, "role"), STACK_FILE, 13)
    ]
    assert found[0].resource == "northwind-managed-operations-9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f"


def test_eligible_settings_map_to_their_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = BASELINE.replace(
        "          maximumActivation: PT2H\n",
        "          maximumActivation: PT2H\n          requireMfa: false\n",
    )
    found = verdicts(tmp_path, text, RuleSettings(values={"maximumActivation": "PT1H"}))
    assert [where(v) for v in found] == [
        (
            "lighthouse-eligible-activation",
            "mandatory",
            ("offers", 0, "eligibleAuthorizations", 0, "maximumActivation"),
            STACK_FILE,
            19,
        ),
        (
            "lighthouse-eligible-mfa",
            "mandatory",
            ("offers", 0, "eligibleAuthorizations", 0, "requireMfa"),
            STACK_FILE,
            20,
        ),
    ]


def test_onboarding_and_offer_wide_verdicts_map_to_their_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = BASELINE.replace(
        "    objectId: 76f7b000-9bd5-41e3-aa58-563670d45b51\n",
        "    objectId: 76f7b000-9bd5-41e3-aa58-563670d45b51\n    userType: Guest\n    roles: [Contributor]\n",
    ).replace(OFFBOARDING_GRANT, "")
    found = verdicts(tmp_path, text)
    assert [where(v) for v in found] == [
        ("lighthouse-onboarding-not-guest", "mandatory", ("onboarding", "userType"), STACK_FILE, 7),
        ("lighthouse-onboarding-can-assign-roles", "mandatory", ("onboarding", "roles"), STACK_FILE, 8),
        (
            "lighthouse-registration-delete-role",
            "advisory",
            ("offers", 0, "authorizations"),
            STACK_FILE,
            13,
        ),
    ]
    assert found[0].resource is None


def test_a_user_in_the_directory_is_reported_where_it_is_granted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    pulumi_yaml = project / "Pulumi.yaml"
    pulumi_yaml.write_text(
        pulumi_yaml.read_text().replace(
            "objectId: 4e7f79e9-a1ed-4b80-b106-32a7434ec1a4\n          kind: group\n",
            "objectId: 4e7f79e9-a1ed-4b80-b106-32a7434ec1a4\n          kind: user\n",
        )
    )
    found = check_stack(load_stack(project, STACK))
    # msp-readers is granted Reader and is eligible: both grants are reported, and the approver list is fine.
    assert [(v.rule, v.loc, v.line) for v in found] == [
        ("lighthouse-group-principals", ("offers", 0, "authorizations", 0, "principal"), 12),
        ("lighthouse-group-principals", ("offers", 0, "eligibleAuthorizations", 0, "principal"), 17),
    ]
