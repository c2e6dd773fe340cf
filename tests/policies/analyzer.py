"""The policy pack, started and driven as the Pulumi engine does it (pulumi-without-the-cli.md, section 2).

`python -u -m pulumi.policy <engine-address> .` in policies/, the stack context in the environment, the
port read from the first line of stdout, then the Analyzer gRPC service: GetAnalyzerInfo, Configure with
an explicit level for every policy (as the CLI sends it), Analyze per resource, AnalyzeStack.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc  # type: ignore[import-untyped]
from google.protobuf import empty_pb2, struct_pb2  # type: ignore[import-untyped]
from pulumi.output import Unknown
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from ..engine import PROJECT, ROOT, Registered

PACK_DIR = ROOT / "policies"
UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's sentinel for unknown values

LEVELS = {
    "advisory": analyzer_pb2.ADVISORY,
    "mandatory": analyzer_pb2.MANDATORY,
    "disabled": analyzer_pb2.DISABLED,
}
LEVEL_NAMES = {v: k for k, v in LEVELS.items()}


@dataclass(frozen=True)
class Diagnostic:
    policy: str
    level: str
    message: str
    """The violation text after the policy description (what the rule said)."""
    urn: str


def _wire(value: Any) -> Any:
    """Inputs as the engine marshals them: unknown values become the sentinel string."""
    if isinstance(value, Unknown):
        return UNKNOWN_STRING
    if isinstance(value, dict):
        return {k: _wire(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_wire(v) for v in value]
    return value


def struct(value: Mapping[str, Any]) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    out.update(_wire(dict(value)))
    return out


class Pack:
    """A running pack process and its gRPC stub."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, started: float) -> None:
        self.process = process
        self.startup_seconds = started
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.stub = analyzer_pb2_grpc.AnalyzerStub(self.channel)

    def info(self) -> Any:
        return self.stub.GetAnalyzerInfo(empty_pb2.Empty())

    def configure(
        self,
        levels: Mapping[str, str] | None = None,
        properties: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        """Every policy's level (its default, then `levels`), as the CLI fills them from the config file."""
        levels, properties = levels or {}, properties or {}
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        for policy in self.info().policies:
            config = analyzer_pb2.PolicyConfig(
                enforcementLevel=LEVELS[levels.get(policy.name, LEVEL_NAMES[policy.enforcementLevel])]
            )
            if policy.name in properties:
                config.properties.update(dict(properties[policy.name]))
            request.policyConfig[policy.name].CopyFrom(config)
        self.stub.Configure(request)

    def _diagnostics(self, response: Any) -> list[Diagnostic]:
        out = []
        for d in response.diagnostics:
            text = d.message
            prefix = d.description + "\n"
            out.append(
                Diagnostic(
                    d.policyName,
                    LEVEL_NAMES.get(d.enforcementLevel, str(d.enforcementLevel)),
                    text[len(prefix) :] if text.startswith(prefix) else text,
                    d.urn,
                )
            )
        return out

    def analyze(self, resource: Registered) -> list[Diagnostic]:
        request = analyzer_pb2.AnalyzeRequest(
            type=resource.type, name=resource.name, urn=resource.urn, properties=struct(resource.inputs)
        )
        request.options.protect = resource.protect
        return [
            d if d.urn else Diagnostic(d.policy, d.level, d.message, resource.urn)
            for d in self._diagnostics(self.stub.Analyze(request))
        ]

    def analyze_stack(self, resources: Iterable[Registered]) -> list[Diagnostic]:
        request = analyzer_pb2.AnalyzeStackRequest(
            resources=[
                analyzer_pb2.AnalyzerResource(
                    type=r.type, name=r.name, urn=r.urn, properties=struct(r.inputs), parent=r.parent
                )
                for r in resources
            ]
        )
        return self._diagnostics(self.stub.AnalyzeStack(request))

    def run(self, resources: list[Registered]) -> list[Diagnostic]:
        """What a preview does: every resource analyzed, then the stack."""
        found = [d for r in resources for d in self.analyze(r)]
        return found + self.analyze_stack(resources)


def load_adapter() -> Any:
    """The pack's adapter module, imported from the pack folder as the engine's `python -m` would."""
    if str(PACK_DIR) not in sys.path:
        sys.path.insert(0, str(PACK_DIR))
    return importlib.import_module("crossguard")


def environment(stack: str, config: Mapping[str, str], dry_run: bool = True) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")}
    env.update(
        PULUMI_CONFIG=json.dumps(dict(config)),
        PULUMI_PROJECT=PROJECT,
        PULUMI_STACK=stack,
        PULUMI_DRY_RUN="true" if dry_run else "false",
        PULUMI_ORGANIZATION="fabrikam",
    )
    return env


@contextmanager
def started_pack(stack: str, config: Mapping[str, str], pack_dir: Path = PACK_DIR) -> Iterator[Pack]:
    """The pack in its own process, with the stack's engine config; stopped (by its pid) on exit."""
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "pulumi.policy", "127.0.0.1:0", "."],
        cwd=pack_dir,
        env=environment(stack, config),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().decode().strip()
        if not line.isdigit():
            _, err = process.communicate(timeout=10)
            raise AssertionError(f"the pack did not print its port: {line!r}\n{err.decode()}")
        pack = Pack(process, int(line), time.perf_counter() - began)
        try:
            yield pack
        finally:
            pack.channel.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def configure_from_file(pack: Pack, document: Mapping[str, Any]) -> None:
    """What the CLI does with `--policy-pack-config FILE`: `all`, then each policy's level and settings."""
    levels: dict[str, str] = {}
    properties: dict[str, dict[str, Any]] = {}
    names = [p.name for p in pack.info().policies]
    if isinstance(document.get("all"), str):
        levels = dict.fromkeys(names, document["all"])
    for name, value in document.items():
        if name == "all":
            continue
        if isinstance(value, str):
            levels[name] = value
        elif isinstance(value, Mapping):
            if "enforcementLevel" in value:
                levels[name] = value["enforcementLevel"]
            rest = {k: v for k, v in value.items() if k != "enforcementLevel"}
            if rest:
                properties[name] = rest
    pack.configure(levels, properties)
