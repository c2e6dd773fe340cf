"""The pack's gRPC server: pulumi-policy's analyzer servicer, extended here and nowhere else.

The pack keeps one policy per rule, each with its own name, level and settings, and the SDK's servicer
(`pulumi_policy.policy._PolicyAnalyzerServicer`, private: no public API offers any of this) serves them.
This module extends it for three reasons:
- Speed: the SDK converts a request's properties (protobuf to dict, deserialization, the unknown-value
  proxy) again for every policy of every Analyze and AnalyzeStack, about 70% of a call with 23 policies.
  Here they are converted once per request, in one pass (`sent.from_wire`); every policy gets the same
  read-only conversion (`Sent`). The levels of the policies are worked out once per Configure, and each
  of the pack's rules is asked for its violations directly (the state's `violations`): its `validate`
  says the same, but through arguments, a report function and an awaitable check built for every policy
  of every request, which cost more than most rules.
- Locked rules stay mandatory whatever level the pack's configuration asks for (docs/security.md): the SDK
  applies the levels of `--policy-pack-config` itself, in `_get_enforcement_level`.
- Configure's record of every policy's settings goes to the pack's state (`Configured`), so that the check
  of the settings reads them all itself instead of depending on the other policies having run first.
The private names used here are checked when the pack starts (`check_sdk`); when one is missing, the pack
refuses to start rather than run with relaxable rules (fail closed). The pin `pulumi-policy>=1.18,<2`
and tests/policies/test_server.py (every answer compared with the SDK's own servicer) keep it honest.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Mapping
from concurrent import futures
from inspect import isawaitable
from types import MappingProxyType
from typing import Any, NoReturn, Protocol

import grpc  # type: ignore[import-untyped]
from google.protobuf import json_format  # type: ignore[import-untyped]
from pulumi.runtime import proto
from pulumi.runtime.proto import analyzer_pb2_grpc
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyResource,
    ReportViolation,
    ResourceValidationPolicy,
    StackValidationPolicy,
)
from pulumi_policy import policy as _sdk
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy
from sent import Sent, SentResourceArgs, SentStackArgs, Violations, from_wire

_Base: Any = getattr(_sdk, "_PolicyAnalyzerServicer", None)
if not isinstance(_Base, type):
    raise RuntimeError(
        "pulumi-policy changed: its analyzer servicer is gone; the pack cannot serve its rules"
    )

_METHODS = (
    "_configure_runtime_settings",
    "_get_enforcement_level",
    "_create_report_violation",
    "_map_enforcement_level",
    "_get_resource_options",
    "_get_provider_resource",
    "_get_policy_config",
    "Configure",
)
_FIELDS = ("policies", "policy_pack_name", "policy_pack_version", "stack_tags")
_KEPT = (EnforcementLevel.MANDATORY, EnforcementLevel.REMEDIATE)
_Running = tuple[ResourceValidationPolicy, EnforcementLevel, Violations | None, Mapping[str, Any]]


class Configured(Protocol):
    def configured(self, configs: Mapping[str, Mapping[str, Any]], asked: Mapping[str, str]) -> None:
        """`configs`: the settings of every policy that runs (not disabled); `asked`: the level the
        configuration asked for each locked rule it tried to relax."""

    def violations(self, policy: Policy) -> Violations | None:
        """What `policy`'s validate reports, as a function of the request's conversion and its settings
        (asked directly); None for a policy to run through the SDK's arguments."""


class Servicer(_Base):  # type: ignore[misc]
    """The SDK's servicer, with each request converted once, locked rules kept, and Configure recorded."""

    def __init__(
        self,
        name: str,
        policies: list[Policy],
        level: EnforcementLevel,
        *,
        locked: frozenset[str],
        state: Configured,
        **pack: Any,
    ) -> None:
        # "0.0.1": what PolicyPack sends too; the engine takes the version from PulumiPolicy.yaml.
        super().__init__(name, "0.0.1", policies, level, None, **pack)
        self._locked = locked
        self._state = state
        self._runtime_configured = False
        self._table: tuple[_Running, ...] | None = None

    def _configure_runtime_settings(self) -> None:
        # The SDK copies the engine's environment (stack config, project, stack) into the Pulumi runtime
        # at every request, a fifth of a call; a pack process's environment does not change: once is enough.
        if not self._runtime_configured:
            super()._configure_runtime_settings()
            self._runtime_configured = True

    def _private(self, field: str) -> Any:
        return getattr(self, f"_PolicyAnalyzerServicer__{field}")

    def _get_enforcement_level(self, policy: Policy) -> EnforcementLevel:
        level: EnforcementLevel = super()._get_enforcement_level(policy)
        return EnforcementLevel.MANDATORY if policy.name in self._locked and level not in _KEPT else level

    def Configure(self, request: Any, context: Any) -> Any:
        answer = super().Configure(request, context)
        self._table = None  # the levels change here and nowhere else
        configs: dict[str, Mapping[str, Any]] = {}
        asked: dict[str, str] = {}
        for policy in self._private("policies"):
            level = super()._get_enforcement_level(policy)
            if policy.name in self._locked and level not in _KEPT:
                asked[policy.name] = level.value
            if self._get_enforcement_level(policy) != EnforcementLevel.DISABLED:
                configs[policy.name] = self._get_policy_config(policy.name) or {}
        self._state.configured(configs, asked)
        return answer

    def _resource_policies(self) -> tuple[_Running, ...]:
        """The resource policies that run, each with its level (`_get_enforcement_level`, locked rules
        kept) and its violations when asked directly, in the pack's order: worked out once after each
        Configure, not for every policy of every request."""
        table = self._table
        if table is None:
            table = self._table = tuple(
                (policy, level, self._state.violations(policy), self._settings(policy))
                for policy in self._private("policies")
                if isinstance(policy, ResourceValidationPolicy)
                and (level := self._get_enforcement_level(policy)) != EnforcementLevel.DISABLED
            )
        return table

    def _settings(self, policy: Policy) -> Mapping[str, Any]:
        # Read-only, for the policies asked directly: shared by every request until the next Configure
        # (the SDK copies a policy's settings for every call, to keep one call's changes from the next).
        return MappingProxyType(self._get_policy_config(policy.name) or {})

    def Analyze(self, request: Any, context: Any) -> Any:
        # As the SDK's Analyze (pulumi-policy 1.21), with the properties converted before the loop, once.
        self._configure_runtime_settings()
        response = proto.AnalyzeResponse()
        sent: Sent | None = None
        shared: tuple[Any, Any, Any] | None = None
        for policy, level, violations, settings in self._resource_policies():
            if sent is None:
                sent = Sent(request.type, request.name, request.urn, from_wire(request.properties))
            if violations is not None:
                # What its `validate` would report through the SDK's arguments, asked directly.
                found = violations(sent, settings)
                if found:
                    report = self._create_report_violation(
                        response, policy.name, policy.description, _reported(level), policy.severity
                    )
                    for message, urn in found:
                        report(message, urn)
                continue
            if not policy.has_validation():
                response.not_applicable.append(
                    proto.PolicyNotApplicable(
                        policy_name=policy.name, reason="Policy does not implement validate"
                    )
                )
                continue
            if shared is None:
                shared = self._convert(request)
            props, opts, provider = shared
            args = SentResourceArgs(
                request.type,
                props,
                request.urn,
                request.name,
                opts,
                provider,
                self._get_policy_config(policy.name),
                self._private("stack_tags"),
            )
            args.sent = sent
            self._validate(policy, args, response, level)
        return response

    def _convert(self, request: Any) -> tuple[Any, Any, Any]:
        # What the SDK hands a policy: its own conversion, behind its unknown-value proxy.
        props = unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(request.properties)))
        return props, self._get_resource_options(request), self._get_provider_resource(request)

    def AnalyzeStack(self, request: Any, context: Any) -> Any:
        # As the SDK's AnalyzeStack (pulumi-policy 1.21), with the resources converted before the loop.
        self._configure_runtime_settings()
        response = proto.AnalyzeResponse()
        resources, sent = self._stack_resources(request.resources)
        for policy in self._private("policies"):
            level = self._get_enforcement_level(policy)
            if level == EnforcementLevel.DISABLED or not isinstance(policy, StackValidationPolicy):
                continue
            args = SentStackArgs(resources, self._get_policy_config(policy.name), self._private("stack_tags"))
            args.sent = sent
            self._validate(policy, args, response, level)
        return response

    def _stack_resources(self, requested: Any) -> tuple[list[PolicyResource], list[Sent]]:
        resources: list[PolicyResource] = []
        sent: list[Sent] = []
        for r in requested:
            deserialized = deserialize_properties(json_format.MessageToDict(r.properties))
            props = unknown_checking_proxy(deserialized)
            opts = self._get_resource_options(r)
            provider = self._get_provider_resource(r)
            resources.append(PolicyResource(r.type, props, r.urn, r.name, opts, provider, None, [], {}))
            sent.append(Sent(r.type, r.name, r.urn, from_wire(r.properties)))
        by_urn = {resource.urn: resource for resource in resources}
        for resource, r in zip(resources, requested, strict=True):
            if r.parent in by_urn:
                resource.parent = by_urn[r.parent]
            resource.dependencies.extend(by_urn[d] for d in r.dependencies if d in by_urn)
            for key, urns in r.propertyDependencies.items():
                resource.property_dependencies[key] = [by_urn[d] for d in urns.urns if d in by_urn]
        return resources, sent

    def _validate(self, policy: Any, args: Any, response: Any, level: EnforcementLevel) -> None:
        report: ReportViolation = self._create_report_violation(
            response, policy.name, policy.description, _reported(level), policy.severity
        )
        name, version = self._private("policy_pack_name"), self._private("policy_pack_version")
        try:
            result = policy.validate(args, report)
            if result is not None and isawaitable(result):
                loop = asyncio.new_event_loop()
                loop.run_until_complete(result)
                loop.close()
        except UnknownValueError as e:
            response.diagnostics.append(
                proto.AnalyzeDiagnostic(
                    policyName=policy.name,
                    policyPackName=name,
                    policyPackVersion=version,
                    message=(
                        f"can't run policy '{policy.name}' from policy pack '{name}@v{version}' during "
                        f"preview: {e.message}"
                    ),
                    urn="",
                    description=policy.description,
                    enforcementLevel=self._map_enforcement_level(EnforcementLevel.ADVISORY),
                )
            )
        except _sdk._NotApplicableError as e:
            response.not_applicable.append(
                proto.PolicyNotApplicable(policy_name=policy.name, reason=e.reason or "")
            )


def _reported(level: EnforcementLevel) -> EnforcementLevel:
    # The SDK's rule: a violation left after remediation is mandatory (stack policies: always).
    return EnforcementLevel.MANDATORY if level == EnforcementLevel.REMEDIATE else level


def check_sdk(servicer: Servicer, policies: list[Policy]) -> None:
    """Refuse to serve when the SDK's private shape is not what this module extends (fail closed)."""
    missing = [name for name in _METHODS if not callable(getattr(_Base, name, None))]
    missing += [
        f"__{field}" for field in _FIELDS if not hasattr(servicer, f"_PolicyAnalyzerServicer__{field}")
    ]
    if not missing and servicer._private("policies") is not policies:
        missing.append("__policies (not the pack's policies)")
    for name in ("_NotApplicableError", "_GRPC_CHANNEL_OPTIONS"):
        if not hasattr(_sdk, name):
            missing.append(name)
    if missing:
        raise RuntimeError(
            "pulumi-policy changed: the pack cannot keep its locked rules mandatory or serve its rules as "
            f"tested (missing: {', '.join(missing)}); install a pulumi-policy that policies/requirements.txt "
            "allows"
        )


def serve(servicer: Servicer) -> NoReturn:
    """Serve as the SDK's `PolicyPack` does: bind a free port on 127.0.0.1, print it, serve forever."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), options=_sdk._GRPC_CHANNEL_OPTIONS)
    analyzer_pb2_grpc.add_AnalyzerServicer_to_server(servicer, server)
    port = server.add_insecure_port(address="127.0.0.1:0")
    server.start()
    sys.stdout.buffer.write(f"{port}\n".encode())
    sys.stdout.flush()
    try:
        while True:
            time.sleep(24 * 60 * 60)
    except KeyboardInterrupt:
        server.stop(0)
        raise SystemExit(0) from None
