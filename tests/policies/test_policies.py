"""The real pack, started as the engine starts it and driven over gRPC, on every example stack.

Each case also runs `check_stack` on the same files: the pack and `validate` must say the same things,
since both are the one implementation in lighthouse_iac.rules.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml
from google.protobuf import json_format  # type: ignore[import-untyped]
from jsonschema import Draft7Validator  # type: ignore[import-untyped]
from packaging.requirements import Requirement
from pulumi.runtime.proto import analyzer_pb2

from lighthouse_iac import roles
from lighthouse_iac.cli.validate import load_settings
from lighthouse_iac.config import StackConfig, load_stack
from lighthouse_iac.errors import format_path
from lighthouse_iac.plan import build_plan
from lighthouse_iac.rules import BY_NAME, RULES, RuleSettings, check_stack, parse_settings
from lighthouse_iac_components import OfferDelegation, OfferDelegationArgs

from ..engine import FIXTURE, ROOT, Registered, deployer, engine_config, run_code, run_program
from .analyzer import Diagnostic, configure_from_file, started_pack

EXAMPLES = ["contoso", "tailspin", "wingtip"]
DEFINITION = "azure-native:managedservices:RegistrationDefinition"
GUID = "d980ba46-0ced-44e9-ba1f-fe956db47fe4"


def project_copy(tmp: Path, stack: str, edits: list[tuple[str, str, str]]) -> Path:
    """The project's files with `(file, old, new)` edits: what a user would change in a checkout."""
    shutil.copy(FIXTURE / "Pulumi.yaml", tmp / "Pulumi.yaml")
    shutil.copy(ROOT / "__main__.py", tmp / "__main__.py")
    (tmp / "stacks").mkdir()
    shutil.copy(FIXTURE / "stacks" / f"Pulumi.{stack}.yaml", tmp / "stacks" / f"Pulumi.{stack}.yaml")
    for file, old, new in edits:
        path = tmp / file
        text = path.read_text()
        assert text.count(old) == 1, (file, old)
        path.write_text(text.replace(old, new))
    return tmp


def program_run(project: Path, stack: str, preview: bool = True) -> list[Registered]:
    config = load_stack(project, stack).config
    client = deployer(config)
    # The pack judges what the stack declares, a guest included; the program's live check of the identity
    # (tests/live) would refuse such a stack before the pack sees it, so previews here skip it, as an
    # air-gapped preview does.
    try:
        return run_program(
            stack,
            client=client,
            preview=preview,
            config=engine_config(project, stack),
            project_dir=project,
            skip_identity_check="the policy pack's tests" if preview else None,
        ).resources
    except pulumi.InputPropertiesError:
        # The component refuses what the locked rules forbid; the pack must still catch the same resources
        # registered by a program that does not use it (another team's, or the classic provider's).
        return unguarded_run(load_stack(project, stack), preview)


def unguarded_run(stack: StackConfig, preview: bool) -> list[Registered]:
    """The plan's resources registered as the component would, without its guard, under the same URNs."""
    plan = build_plan(stack)

    def build() -> None:
        parent = pulumi.ComponentResource("lighthouse:index:CustomerDelegation", stack.stack, None)
        for offer in plan.offers:
            OfferDelegation(offer.name, OfferDelegationArgs(offer), pulumi.ResourceOptions(parent=parent))

    return run_code(stack.stack, build, preview=preview).resources


def pack_diagnostics(
    project: Path, stack: str, config_file: dict[str, Any] | None = None, preview: bool = True
) -> list[Diagnostic]:
    resources = program_run(project, stack, preview)
    with started_pack(stack, engine_config(project, stack)) as pack:
        if config_file is None:
            pack.configure()
        else:
            configure_from_file(pack, config_file)
        return pack.run(resources)


def said(diagnostics: list[Diagnostic]) -> set[tuple[str, str, str, str]]:
    """What the pack said, and where: the stack's config key."""
    found = set()
    for d in diagnostics:
        where, _, text = d.message.partition(": ")
        found.add((d.policy, d.level, where, text))
    return found


def validated(
    project: Path, stack: str, settings: RuleSettings | None = None
) -> set[tuple[str, str, str, str]]:
    verdicts = check_stack(load_stack(project, stack), settings)
    return {(v.rule, v.level, f"lighthouse-iac:{format_path(v.loc)}", v.message) for v in verdicts}


def test_analyzer_info_carries_every_rule_with_its_metadata() -> None:
    with started_pack("contoso", engine_config(FIXTURE, "contoso")) as pack:
        info = pack.info()
    assert info.name == "lighthouse-iac"
    assert [p.name for p in info.policies] == [r.name for r in RULES if not r.fleet]
    for policy in info.policies:
        rule = BY_NAME[policy.name]
        assert policy.description == rule.description
        assert policy.remediation_steps == rule.remediation
        assert analyzer_pb2.PolicySeverity.Name(policy.severity) == f"POLICY_SEVERITY_{rule.severity.upper()}"
        assert policy.enforcementLevel == (1 if rule.level == "mandatory" else 0)
        assert policy.policy_type == (2 if rule.check_stack else 1)  # POLICY_TYPE_STACK / _RESOURCE
        assert sorted(policy.configSchema.properties) == sorted(t.key for t in rule.tunables)


def test_the_pack_requires_a_pulumi_policy_with_severity_and_remediation() -> None:
    # `Severity`, `severity=` and `remediation_steps=` (sent in GetAnalyzerInfo above) first appear in
    # pulumi-policy 1.18: the 1.13, 1.15 and 1.17 wheels on PyPI have none of them, so the pack would not
    # even import there.
    floors = [
        Requirement(line).specifier
        for line in (ROOT / "policies" / "requirements.txt").read_text().splitlines()
        if line.startswith("pulumi-policy")
    ]
    assert len(floors) == 1
    assert not floors[0].contains("1.17.0") and floors[0].contains("1.18.0")


@pytest.mark.parametrize("preview", [True, False], ids=["preview", "update"])
@pytest.mark.parametrize("stack", EXAMPLES)
def test_the_examples_pass_the_pack(stack: str, preview: bool) -> None:
    resources = program_run(FIXTURE, stack, preview)
    assert sum(1 for r in resources if r.type == DEFINITION) >= 1
    with started_pack(stack, engine_config(FIXTURE, stack)) as pack:
        pack.configure()
        assert pack.run(resources) == []


def relaxed(rule: str, level: str) -> str:
    """What the pack adds to a locked rule's violation when the config tried to relax it."""
    return f" (the policy pack config makes {rule} {level}, but it is always mandatory: docs/security.md)"


@dataclass(frozen=True)
class Broken:
    id: str
    stack: str
    edits: list[tuple[str, str, str]]
    expected: list[tuple[str, str, str]]
    """(policy, level, message as the pack shows it) per diagnostic, one per resource that breaks it."""
    config_file: dict[str, Any] | None = field(default=None)


OWNER_LINE = (
    "lighthouse-iac:offers[0].authorizations[6].role: grants Owner "
    f"({roles.OWNER}), which Azure Lighthouse never accepts ('restricted for registration'); grant "
    "Contributor or a narrower built-in role"
)
DELETE_ROLE = "          role: Managed Services Registration assignment Delete Role\n"
CONTOSO_OWNER = (
    "stacks/Pulumi.contoso.yaml",
    DELETE_ROLE,
    DELETE_ROLE + "        - principal: msp-operators\n          role: Owner\n",
)
ALICE_IN_DIRECTORY = (
    "Pulumi.yaml",
    "        msp-offboarding:\n",
    "        alice:\n          objectId: 3f2b8c1e-5d4a-4e6b-9c7d-8e9f0a1b2c3d\n          kind: user\n"
    "          displayName: Alice Martin\n        msp-offboarding:\n",
)
ALICE_GRANTED = (
    "stacks/Pulumi.tailspin.yaml",
    "          role: Reader\n        - principal: msp-oncall\n",
    "          role: Reader\n        - principal: alice\n          role: Reader\n"
    "        - principal: msp-oncall\n",
)
ALICE_LINE = (
    "lighthouse-iac:offers[0].authorizations[1].principal: alice (Alice Martin) is a user; grant access "
    "to a security group instead, so that staff changes need no redeployment"
)
WINGTIP_GUEST = ("stacks/Pulumi.wingtip.yaml", "    userType: Member\n", "    userType: Guest\n")
GUEST_LINE = (
    "lighthouse-iac:onboarding.userType: the onboarding identity 7f5b5d4a-dcb6-460c-a65e-836f7cfb230e is a "
    "guest of the customer's tenant; the delegation must be deployed by a member (non-guest) account of "
    "that tenant"
)
ACTIVATION_LINE = (
    "lighthouse-iac:offers[0].eligibleAuthorizations[0].maximumActivation: activation of up to PT4H is "
    "outside PT30M..PT2H; choose a duration within it"
)

BROKEN = [
    Broken(
        "owner-authorization",
        "contoso",
        [CONTOSO_OWNER],
        [("lighthouse-no-owner-role", "mandatory", OWNER_LINE)],
    ),
    Broken(
        "user-principal",
        "tailspin",
        [ALICE_IN_DIRECTORY, ALICE_GRANTED],
        # tailspin's first offer covers three subscriptions: one definition each
        [("lighthouse-group-principals", "mandatory", ALICE_LINE)] * 3,
    ),
    Broken(
        "guest-onboarding",
        "wingtip",
        [WINGTIP_GUEST],
        [("lighthouse-onboarding-not-guest", "mandatory", GUEST_LINE)],
    ),
    Broken(
        "eligible-without-mfa",
        "contoso",
        [("stacks/Pulumi.contoso.yaml", "          requireMfa: true\n", "          requireMfa: false\n")],
        [
            (
                "lighthouse-eligible-mfa",
                "mandatory",
                "lighthouse-iac:offers[0].eligibleAuthorizations[0].requireMfa: "
                "multi-factor authentication is 'None'; eligible access must require MFA on activation "
                "(multiFactorAuthProvider: Azure, requireMfa: true)",
            )
        ],
    ),
    Broken(
        "owner-cannot-be-made-advisory",
        "contoso",
        [CONTOSO_OWNER],
        [
            (
                "lighthouse-no-owner-role",
                "mandatory",
                OWNER_LINE + relaxed("lighthouse-no-owner-role", "advisory"),
            )
        ],
        config_file={"lighthouse-no-owner-role": "advisory"},
    ),
    Broken(
        "users-cannot-be-allowed-by-disabling",
        "tailspin",
        [ALICE_IN_DIRECTORY, ALICE_GRANTED],
        # one per definition: tailspin's offer is defined in three subscriptions
        [
            (
                "lighthouse-group-principals",
                "mandatory",
                ALICE_LINE + relaxed("lighthouse-group-principals", "disabled"),
            )
        ]
        * 3,
        config_file={"lighthouse-group-principals": {"enforcementLevel": "disabled"}},
    ),
    Broken(
        "activation-made-advisory",
        "contoso",
        [],
        [("lighthouse-eligible-activation", "advisory", ACTIVATION_LINE)],
        config_file={
            "lighthouse-eligible-activation": {"enforcementLevel": "advisory", "maximumActivation": "PT2H"}
        },
    ),
    Broken(
        "activation-disabled",
        "contoso",
        [],
        [],
        config_file={
            "lighthouse-eligible-activation": {"enforcementLevel": "disabled", "maximumActivation": "PT2H"}
        },
    ),
    Broken(
        "shorter-activation-limit",
        "contoso",
        [],
        [("lighthouse-eligible-activation", "mandatory", ACTIVATION_LINE)],
        config_file={"lighthouse-eligible-activation": {"maximumActivation": "PT2H"}},
    ),
    Broken(
        "everything-advisory",
        "wingtip",
        [WINGTIP_GUEST],
        [
            (
                "lighthouse-onboarding-not-guest",
                "mandatory",
                GUEST_LINE + relaxed("lighthouse-onboarding-not-guest", "advisory"),
            )
        ],
        config_file={"all": "advisory"},
    ),
]


@pytest.mark.parametrize("case", BROKEN, ids=[c.id for c in BROKEN])
def test_broken_variants_fail_in_the_pack_as_in_validate(case: Broken, tmp_path: Path) -> None:
    project = project_copy(tmp_path, case.stack, case.edits)
    diagnostics = pack_diagnostics(project, case.stack, case.config_file)
    assert sorted((d.policy, d.level, d.message) for d in diagnostics) == sorted(case.expected)
    urns = {d.urn for d in diagnostics}
    if any(BY_NAME[p].check is not None for p, _, _ in case.expected):
        assert all(DEFINITION in u for u in urns), urns  # attached to the resource that breaks it
    settings = None
    locked = {r.name for r in RULES if r.locked}
    if case.config_file is not None:
        path = tmp_path / "policy-config.json"
        path.write_text(json.dumps(case.config_file))
        settings, problems = load_settings(path)
        # validate refuses a file that names a locked rule at a lower level; `all` only skips them
        assert {p.path.split(".")[0] for p in problems} == locked & set(case.config_file)
    notes = {relaxed(rule, level) for rule in locked for level in ("advisory", "disabled")}
    assert {
        (p, level, where, next((text.removesuffix(n) for n in notes if text.endswith(n)), text))
        for p, level, where, text in said(diagnostics)
    } == validated(project, case.stack, settings)


def test_without_the_directory_the_pack_fails_closed() -> None:
    # Should an engine pass the stack's config without the project's, no principal could be checked.
    config = {k: v for k, v in engine_config(FIXTURE, "contoso").items() if not k.endswith(":managingTenant")}
    resources = program_run(FIXTURE, "contoso")
    with started_pack("contoso", config) as pack:
        pack.configure()
        diagnostics = pack.run(resources)
    assert [(d.policy, d.level, d.message.split(": ", 1)[0]) for d in diagnostics] == [
        ("lighthouse-known-principal", "mandatory", "properties"),
        ("lighthouse-policy-inputs", "mandatory", "lighthouse-iac:managingTenant"),
    ]


# A built-in role newer than the shipped catalogue, as a project lists it in `roleCatalogues`.
NEW_ROLE = {
    "id": "0b6d3c2e-1f4a-4c5b-9d8e-7f6a5b4c3d2e",
    "name": "Fabrikam Newer Reader",
    "actions": ["*/read"],
}
LISTS_CATALOGUE = (
    "Pulumi.yaml",
    "stackConfigDir: stacks\nconfig:\n",
    "stackConfigDir: stacks\nconfig:\n  roleCatalogues:\n    value: [catalogues/newer.json]\n",
)
USES_NEW_ROLE = (
    "stacks/Pulumi.contoso.yaml",
    "        - principal: msp-oncall\n          role: Reader\n",
    "        - principal: msp-oncall\n          role: Fabrikam Newer Reader\n",
)


def pack_copy(folder: Path) -> Path:
    """The pack's files alone, as `pulumi policy publish` uploads them and the CLI unpacks them."""
    shutil.copytree(ROOT / "policies", folder, ignore=shutil.ignore_patterns(".venv", "__pycache__", "*.pyc"))
    return folder


def pack_in(project: Path, stack: str, pack_dir: Path) -> list[Diagnostic]:
    resources = program_run(project, stack)
    with started_pack(stack, engine_config(project, stack), pack_dir) as pack:
        pack.configure()
        return pack.run(resources)


def project_with_catalogue(tmp: Path, edits: list[tuple[str, str, str]]) -> Path:
    (tmp / "project").mkdir()
    project = project_copy(tmp / "project", "contoso", [LISTS_CATALOGUE, *edits])
    (project / "catalogues").mkdir()
    (project / "catalogues" / "newer.json").write_text(json.dumps([NEW_ROLE]))
    return project


def test_a_catalogue_missing_where_a_published_pack_runs_fails_the_run(tmp_path: Path) -> None:
    project = project_with_catalogue(tmp_path, [])
    # A published pack runs from the Pulumi home (policies/<org>/<pack>/<version>), not the project.
    published = pack_copy(tmp_path / "home" / "lighthouse-iac" / "0.1.0")
    diagnostics = pack_in(project, "contoso", published)
    assert [(d.policy, d.level, d.urn, d.message) for d in diagnostics] == [
        (
            "lighthouse-policy-inputs",
            "mandatory",
            "",
            "lighthouse-iac:roleCatalogues[0]: role catalogue catalogues/newer.json is neither at "
            f"{published.parent / 'catalogues' / 'newer.json'} (in the project, when the pack runs from "
            f"its policies/ folder) nor at {published / 'catalogues' / 'newer.json'} (shipped in the pack "
            "folder); run the pack from the project's policies/ folder, or copy the file to "
            "catalogues/newer.json inside the pack folder before `pulumi policy publish` "
            "(docs/policy-pack.md)",
        )
    ]


def test_a_catalogue_shipped_with_a_published_pack_is_read(tmp_path: Path) -> None:
    project = project_with_catalogue(tmp_path, [USES_NEW_ROLE])
    published = pack_copy(tmp_path / "home" / "lighthouse-iac" / "0.1.0")
    (published / "catalogues").mkdir()
    shutil.copy(project / "catalogues" / "newer.json", published / "catalogues" / "newer.json")
    assert pack_in(project, "contoso", published) == []
    assert validated(project, "contoso") == set()


def test_a_catalogue_the_pack_cannot_parse_fails_the_run(tmp_path: Path) -> None:
    project = project_with_catalogue(tmp_path, [])
    published = pack_copy(tmp_path / "home" / "lighthouse-iac" / "0.1.0")
    (published / "catalogues").mkdir()
    (published / "catalogues" / "newer.json").write_text("{not json")
    [diagnostic] = pack_in(project, "contoso", published)
    assert (diagnostic.policy, diagnostic.level, diagnostic.urn) == (
        "lighthouse-policy-inputs",
        "mandatory",
        "",
    )
    assert diagnostic.message == (
        f"lighthouse-iac:roleCatalogues[0]: {published / 'catalogues' / 'newer.json'}: cannot read role "
        "catalogue: Expecting property name enclosed in double quotes: line 1 column 2 (char 1); correct "
        "the file (an export of `az role definition list`)"
    )


def test_a_pack_reconfigured_between_runs_uses_the_new_settings() -> None:
    # Each policy keeps the last config it saw and its parse; a new config must replace it, never serve
    # the old settings (the cache compares configs by value).
    resources = program_run(FIXTURE, "contoso")
    shorter = {"lighthouse-eligible-activation": {"maximumActivation": "PT2H"}}
    with started_pack("contoso", engine_config(FIXTURE, "contoso")) as pack:
        runs = []
        for config_file in (shorter, {}, shorter):
            configure_from_file(pack, config_file)
            runs.append([(d.policy, d.level, d.message) for d in pack.run(resources)])
    activation = [("lighthouse-eligible-activation", "mandatory", ACTIVATION_LINE)]
    assert runs == [activation, [], activation]


def setting_line(where: str, text: str) -> str:
    return (
        f"policy pack config {where}: {text}; correct it in the file given to --policy-pack-config (or to "
        "`pulumi policy enable --config`): until then the rule runs with its default"
    )


def test_bad_settings_that_reach_the_pack_fail_the_run() -> None:
    # What the CLI's schema check lets through (an unknown setting: the CLI's schemas allow any other
    # key), or what a caller sends without that check, must not leave a rule on its defaults quietly.
    config_file = {
        "lighthouse-eligible-activation": {"maximumActivation": "PT10H"},
        "lighthouse-managing-tenant": {"allowedTenantIds": ["not-a-guid"]},
        "lighthouse-group-principals": {"allowServicePrincipal": True},
    }
    diagnostics = pack_diagnostics(FIXTURE, "contoso", config_file)
    assert [(d.policy, d.level, d.urn, d.message) for d in diagnostics] == [
        (
            "lighthouse-policy-inputs",
            "mandatory",
            "",
            setting_line(where, text),
        )
        for where, text in [
            (
                "lighthouse-group-principals.allowServicePrincipal",
                "unknown setting 'allowServicePrincipal' (did you mean 'allowServicePrincipals'?); allowed: "
                "enforcementLevel, allowServicePrincipals",
            ),
            (
                "lighthouse-eligible-activation.maximumActivation",
                "expected an ISO 8601 duration within PT30M..PT8H (ELIG), written PT<h>H, PT<h>H<m>M or "
                "PT<m>M, found 'PT10H'",
            ),
            (
                "lighthouse-managing-tenant.allowedTenantIds",
                "expected a list of tenant GUIDs; 'not-a-guid' is not a GUID",
            ),
        ]
    ]


def cli_schema_errors(info: Any, document: dict[str, Any]) -> list[str]:
    """The Pulumi CLI's check of a config file against each policy's schema (pkg/resource/analyzer:
    ReconcilePolicyPackConfig: defaults, then the file's settings, validated as `{"type": "object",
    "properties": ...}`); it refuses the run when this is not empty."""
    errors = []
    for policy in info.policies:
        properties = json_format.MessageToDict(policy.configSchema.properties)
        if not properties:
            continue
        settings = {k: v["default"] for k, v in properties.items() if "default" in v}
        entry = document.get(policy.name)
        if isinstance(entry, dict):
            settings.update({k: v for k, v in entry.items() if k != "enforcementLevel"})
        schema = {"type": "object", "properties": properties}
        errors += [f"{policy.name}: {e.message}" for e in Draft7Validator(schema).iter_errors(settings)]
    return errors


def test_the_cli_refuses_bad_settings_by_the_schemas_the_pack_declares() -> None:
    with started_pack("contoso", engine_config(FIXTURE, "contoso")) as pack:
        info = pack.info()
    example = json.loads((ROOT / "policies" / "policy-config.example.json").read_text())
    assert cli_schema_errors(info, example) == []
    bad = {
        "lighthouse-eligible-activation": {"maximumActivation": "PT10H"},
        "lighthouse-managing-tenant": {"allowedTenantIds": ["not-a-guid"]},
        "lighthouse-authorization-limit": {"maximumAuthorizations": 0},
        "lighthouse-prefer-eligible": {"privilegedRoles": [""]},
    }
    assert len(cli_schema_errors(info, bad)) == len(bad)
    # The schema and `validate --config` (parse_settings) accept the same settings.
    durations = [f"PT{h}H" for h in range(12)] + [f"PT{m}M" for m in range(0, 600, 7)]
    durations += [f"PT{h}H{m}M" for h in range(10) for m in range(0, 70, 3)] + ["PT08H", "PT30m", "P1D", ""]
    # No value ending in a newline: Python's `$` matches before it, the CLI's (Go's) does not.
    tenants = [GUID, GUID.upper(), " " + GUID, GUID[:-1], GUID + "0", "not-a-guid"]
    cases: list[tuple[str, str, list[Any]]] = [
        ("lighthouse-eligible-activation", "maximumActivation", list(durations)),
        ("lighthouse-managing-tenant", "allowedTenantIds", [[t] for t in tenants]),
    ]
    for name, key, values in cases:
        for value in values:
            document = {name: {key: value}}
            by_schema = cli_schema_errors(info, document) == []
            by_validate = parse_settings(document, RULES)[1] == []
            assert by_schema == by_validate, value


def test_the_documented_set_up_creates_the_virtualenv_the_pack_runs_from() -> None:
    # The CLI runs a local Python pack from the virtualenv named in PulumiPolicy.yaml and installs nothing
    # (pulumi-analyzer-policy-python exits when it is missing): the docs must create exactly that one.
    options = yaml.safe_load((ROOT / "policies" / "PulumiPolicy.yaml").read_text())["runtime"]["options"]
    venv = options["virtualenv"]
    step = f"(cd policies && python3 -m venv {venv} && {venv}/bin/pip install -r requirements.txt)"
    for doc in ("README.md", "docs/policy-pack.md"):
        text = (ROOT / doc).read_text()
        assert step in text, doc
        assert text.index(step) < text.index("pulumi preview --"), doc  # before the first preview
