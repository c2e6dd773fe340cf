"""The pack's servicer answers as pulumi-policy's own, converts each request once, and fails closed."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy import policy as sdk

from ..engine import FIXTURE, Registered, engine_config
from .analyzer import PACK_DIR, environment, load_adapter, struct
from .test_policies import program_run

crossguard = load_adapter()
server = importlib.import_module("server")


def toy_policies() -> list[Policy]:
    """What the SDK's loop does besides our rules: unknown values, not applicable, remediate, disabled."""

    def reads_unknowns(args: ResourceValidationArgs, report: ReportViolation) -> None:
        properties = args.props.get("properties") or {}
        report(f"{args.name}: {sorted(properties)}", None)
        for key in sorted(properties):
            # A value unknown in a preview (an assignment's definition ID) raises: the SDK's advisory.
            report(f"{key}: {str(properties[key])[:40]}", None)

    def not_applicable(args: ResourceValidationArgs, report: ReportViolation) -> None:
        args.not_applicable(f"{args.resource_type} is not mine")

    def counts(args: StackValidationArgs, report: ReportViolation) -> None:
        parents = sum(1 for r in args.resources if r.parent is not None)
        report(
            f"{len(args.resources)} resources, {parents} with a parent in the stack", args.resources[0].urn
        )

    return [
        ResourceValidationPolicy(name="toy-unknowns", description="reads unknowns", validate=reads_unknowns),
        ResourceValidationPolicy(name="toy-not-applicable", description="n/a", validate=not_applicable),
        ResourceValidationPolicy(name="toy-remediate", description="remediate", validate=reads_unknowns),
        ResourceValidationPolicy(name="toy-disabled", description="disabled", validate=reads_unknowns),
        StackValidationPolicy(name="toy-stack", description="counts", validate=counts),
    ]


def served(ours: bool, stack: Any) -> Any:
    """A servicer of the pack's policies and the toys, ours or the SDK's own, configured as the CLI does."""
    contexts = crossguard.RuleContexts(stack)
    policies = [*crossguard.policies(contexts), *toy_policies()]
    if ours:
        servicer = server.Servicer(
            "lighthouse-iac", policies, EnforcementLevel.MANDATORY, locked=frozenset(), state=contexts
        )
        server.check_sdk(servicer, policies)
    else:
        servicer = sdk._PolicyAnalyzerServicer(
            "lighthouse-iac", "0.0.1", policies, EnforcementLevel.MANDATORY
        )
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for policy in policies:
        level = {"toy-remediate": analyzer_pb2.REMEDIATE, "toy-disabled": analyzer_pb2.DISABLED}.get(
            policy.name, analyzer_pb2.MANDATORY
        )
        config = analyzer_pb2.PolicyConfig(enforcementLevel=level)
        if policy.name == "lighthouse-eligible-activation":
            config.properties.update({"maximumActivation": "PT2H"})  # a finding on contoso
        request.policyConfig[policy.name].CopyFrom(config)
    servicer.Configure(request, None)
    return servicer


def analyze_request(resource: Registered) -> Any:
    return analyzer_pb2.AnalyzeRequest(
        type=resource.type, name=resource.name, urn=resource.urn, properties=struct(resource.inputs)
    )


@pytest.mark.parametrize("preview", [True, False], ids=["preview", "update"])
def test_the_servicer_answers_as_the_sdks_own(preview: bool) -> None:
    resources = program_run(FIXTURE, "contoso", preview)
    stack = crossguard.StackState.from_environment(
        {"PULUMI_CONFIG": json.dumps(engine_config(FIXTURE, "contoso")), "PULUMI_PROJECT": "x"}
    )
    ours, theirs = served(True, stack), served(False, stack)
    said: list[tuple[str, int]] = []
    for resource in resources:
        request = analyze_request(resource)
        mine = ours.Analyze(request, None)
        assert mine == theirs.Analyze(request, None), resource.urn
        said += [(d.policyName, d.enforcementLevel) for d in mine.diagnostics]
    stack_request = analyzer_pb2.AnalyzeStackRequest(
        resources=[
            analyzer_pb2.AnalyzerResource(
                type=r.type, name=r.name, urn=r.urn, properties=struct(r.inputs), parent=r.parent
            )
            for r in resources
        ]
    )
    mine = ours.AnalyzeStack(stack_request, None)
    assert mine == theirs.AnalyzeStack(stack_request, None)
    # The comparison covered what it claims: findings, the SDK's advisories and the toys' answers.
    said += [(d.policyName, d.enforcementLevel) for d in mine.diagnostics]
    assert {"lighthouse-eligible-activation", "toy-unknowns", "toy-remediate", "toy-stack"} <= {
        p for p, _ in said
    }
    assert "toy-disabled" not in {p for p, _ in said}
    assert ("toy-remediate", analyzer_pb2.MANDATORY) in said  # a violation left after remediation
    assert (("toy-unknowns", analyzer_pb2.ADVISORY) in said) is preview  # the SDK's "can't be known"


def test_the_settings_check_reads_every_configured_policy_itself() -> None:
    # Bad settings of a resource rule reach AnalyzeStack even when no Analyze ran before it: the settings
    # check reads what Configure set, not what the other policies happened to see.
    stack = crossguard.StackState.from_environment(
        {"PULUMI_CONFIG": json.dumps(engine_config(FIXTURE, "contoso")), "PULUMI_PROJECT": "x"}
    )
    contexts = crossguard.RuleContexts(stack)
    policies = crossguard.policies(contexts)
    servicer = server.Servicer(
        "lighthouse-iac", policies, EnforcementLevel.MANDATORY, locked=crossguard.LOCKED, state=contexts
    )
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for policy in policies:
        config = analyzer_pb2.PolicyConfig(enforcementLevel=analyzer_pb2.MANDATORY)
        if policy.name == "lighthouse-eligible-activation":
            config.properties.update({"maximumActivation": "PT10H"})
        request.policyConfig[policy.name].CopyFrom(config)
    servicer.Configure(request, None)
    answer = servicer.AnalyzeStack(analyzer_pb2.AnalyzeStackRequest(), None)
    assert [(d.policyName, d.message.split("\n", 1)[1].split(":", 1)[0]) for d in answer.diagnostics] == [
        ("lighthouse-policy-inputs", "policy pack config lighthouse-eligible-activation.maximumActivation")
    ]


def test_the_servicer_refuses_an_sdk_without_what_it_extends(monkeypatch: pytest.MonkeyPatch) -> None:
    policies = crossguard.policies(crossguard.RuleContexts(crossguard.StackState.from_environment({})))
    servicer = server.Servicer(
        "lighthouse-iac", policies, EnforcementLevel.MANDATORY, locked=crossguard.LOCKED, state=None
    )
    server.check_sdk(servicer, policies)
    with monkeypatch.context() as patch:
        patch.delattr(sdk._PolicyAnalyzerServicer, "_get_policy_config")
        with pytest.raises(RuntimeError, match="missing: _get_policy_config"):
            server.check_sdk(servicer, policies)
    with monkeypatch.context() as patch:
        patch.delattr(servicer, "_PolicyAnalyzerServicer__policies")
        with pytest.raises(RuntimeError, match="missing: __policies"):
            server.check_sdk(servicer, policies)


def test_the_pack_does_not_start_when_the_sdk_cannot_keep_locked_rules(tmp_path: Path) -> None:
    # What the engine sees when pulumi-policy drops the one place that decides a level: no port, an error.
    (tmp_path / "sitecustomize.py").write_text(
        "from pulumi_policy import policy\ndel policy._PolicyAnalyzerServicer._get_enforcement_level\n"
    )
    env = environment("contoso", engine_config(FIXTURE, "contoso"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp_path), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-u", "-m", "pulumi.policy", "127.0.0.1:0", "."],
        cwd=PACK_DIR,
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode != 0, done.stdout) == (True, b"")
    assert b"pulumi-policy changed" in done.stderr and b"_get_enforcement_level" in done.stderr
