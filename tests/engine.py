"""Run the real `__main__.py` under the Pulumi SDK's mock engine and record what it registers.

The CLI gives a program its stack and project configuration as JSON-encoded strings under namespaced
keys; `engine_config` does the same from the files, so the program sees what `pulumi up` would give it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import yaml
from pulumi.runtime.mocks import MockMonitor

from lighthouse_iac.csp import admin_agents
from lighthouse_iac.live.settings import SKIP_VARIABLE
from lighthouse_iac.live.verifier import IdentityVerifier
from lighthouse_iac.models import LighthouseConfig
from lighthouse_iac.onboarding_identity import Identity, Kind, Observation, Permission, SubscriptionAccess

# The repository: the program, the pack, the docs. Its `stacks/` belong to whoever adopts the template.
ROOT = Path(__file__).resolve().parent.parent
# A known fleet for tests that assert one: the example customers as they were when copied here, with their
# own Pulumi.yaml, so an MSP replacing the examples in `stacks/` (or its managing tenant) breaks no test.
FIXTURE = ROOT / "tests" / "fixture"
PROJECT = "lighthouse-iac"


@dataclass(frozen=True)
class Registered:
    """One resource registration as the engine saw it."""

    type: str
    name: str
    urn: str
    parent: str
    inputs: dict[str, Any]
    protect: bool
    delete_before_replace: bool
    custom: bool


@dataclass
class Client:
    """What `azure-native:authorization:getClientConfig` answers: who is signed in."""

    tenant_id: str
    object_id: str
    subscription_id: str = "00000000-0000-0000-0000-000000000000"
    client_id: str = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"


def deployer(config: LighthouseConfig) -> Client:
    """Who may deploy a stack: its onboarding identity, or for a customer onboarded through CSP alone, the
    first declared Admin Agent signed in to the customer's tenant (AOBO)."""
    if config.onboarding is not None:
        return Client(config.customer.tenant_id, config.onboarding.object_id)
    agents = sorted(admin_agents(config.managing_tenant))
    assert agents, "a stack without an onboarding identity needs a declared Admin Agent"
    return Client(config.customer.tenant_id, agents[0])


def named(resources: Iterable[Registered]) -> str:
    """The resources' URNs, for a failure message: which resources, not only what they hold."""
    urns = [r.urn for r in resources]
    return "resources: " + ("\n  ".join(["", *urns]) if urns else "none")


def unexpected(
    resources: Sequence[Registered], expected: Sequence[Any], row: Callable[[Registered], Any]
) -> str:
    """For a failed comparison of each resource's `row` with `expected`: each resource not as expected, by
    its URN with what it holds, and each expected row no resource has."""
    rows = [row(r) for r in resources]
    lines = [
        f"{r.urn} is not as expected: {got!r}"
        for r, got in zip(resources, rows, strict=True)
        if got not in expected
    ]
    lines += [f"no resource is {want!r}" for want in expected if want not in rows]
    return "\n".join(lines) or named(resources)


@dataclass
class Run:
    resources: list[Registered] = field(default_factory=list)
    invokes: list[str] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)

    def of_type(self, type_: str) -> list[Registered]:
        return [r for r in self.resources if r.type == type_]


def engine_config(project_dir: Path, stack: str) -> dict[str, str]:
    """Project-level then stack config, namespaced and JSON-encoded, as the Pulumi CLI sends it."""
    project = yaml.safe_load((project_dir / "Pulumi.yaml").read_text())
    values: dict[str, str] = {}
    for key, declared in (project.get("config") or {}).items():
        value = declared["value"] if isinstance(declared, dict) and "value" in declared else declared
        full = key if ":" in key else f"{project['name']}:{key}"
        values[full] = value if isinstance(value, str) else json.dumps(value)
    stack_file = project_dir / project.get("stackConfigDir", ".") / f"Pulumi.{stack}.yaml"
    for key, value in (yaml.safe_load(stack_file.read_text()).get("config") or {}).items():
        values[key] = value if isinstance(value, str) else json.dumps(value)
    return values


OWNER = Permission(actions=("*",))  # Owner's permissions (azure-builtin-roles.json)


@dataclass
class Trusting:
    """A verifier that reads nothing and reports what the stack declares: the signed-in client as a member
    user (or the declared kind) with Owner on every subscription. For tests about what is registered; the
    live check itself is tested with the real verifier against a local fake (tests/live/).
    """

    client: Client
    kind: Kind = "user"
    asked: list[tuple[str, ...]] = field(default_factory=list)

    def observe(self, subscriptions: Sequence[str], *, directory: bool) -> Observation:
        self.asked.append(tuple(subscriptions))
        identity = Identity(
            self.client.object_id.lower(),
            self.client.tenant_id.lower(),
            self.kind,
            user_type="Member" if self.kind == "user" else None,
        )
        return Observation(identity, tuple(SubscriptionAccess(s, (OWNER,)) for s in subscriptions))


def declared_kind(config: Mapping[str, str]) -> Kind:
    onboarding = json.loads(config.get("lighthouse-iac:onboarding", "{}"))
    return "servicePrincipal" if onboarding.get("kind") == "servicePrincipal" else "user"


class _Mocks(pulumi.runtime.Mocks):
    def __init__(self, run: Run, client: Client | None, preview: bool) -> None:
        self.run, self.client, self.preview = run, client, preview

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        if self.preview:
            return "", args.inputs  # a new stack's preview: IDs are unknown until created
        inputs = args.inputs
        if args.typ.endswith(":RegistrationDefinition"):
            return (
                f"{inputs['scope']}/providers/Microsoft.ManagedServices/registrationDefinitions/"
                f"{inputs['registrationDefinitionId']}"
            ), inputs
        if args.typ.endswith(":RegistrationAssignment"):
            return (
                f"{inputs['scope']}/providers/Microsoft.ManagedServices/registrationAssignments/"
                f"{inputs['registrationAssignmentId']}"
            ), inputs
        return args.name, inputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[Any]]:
        self.run.invokes.append(args.token)
        if args.token == "azure-native:authorization:getClientConfig" and self.client is not None:
            c = self.client
            return {
                "tenantId": c.tenant_id,
                "objectId": c.object_id,
                "subscriptionId": c.subscription_id,
                "clientId": c.client_id,
            }, []
        raise AssertionError(f"unexpected invoke {args.token}")


class _Monitor(MockMonitor):
    """Keeps the resource options of each registration, which `Mocks.new_resource` does not see."""

    def __init__(self, mocks: _Mocks) -> None:
        super().__init__(mocks)
        self.run = mocks.run

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        if request.type != "pulumi:pulumi:Stack":
            self.run.resources.append(
                Registered(
                    type=request.type,
                    name=request.name,
                    urn=response.urn,
                    parent=request.parent,
                    inputs=pulumi.runtime.rpc.deserialize_properties(request.object),
                    protect=request.protect,
                    delete_before_replace=request.deleteBeforeReplace,
                    custom=request.custom,
                )
            )
        return response


def run_program(
    stack: str,
    *,
    client: Client | None,
    preview: bool = False,
    config: Mapping[str, str] | None = None,
    project_dir: Path = FIXTURE,
    into: list[Registered] | None = None,
    verifier: IdentityVerifier | None = None,
    skip_identity_check: str | None = None,
) -> Run:
    """Run the repository's `__main__.py` for `stack` of `project_dir`; the program's exceptions propagate.

    The program finds its project from its own file name: it runs as if it lived in `project_dir`.

    `into` receives the registrations as they happen, for tests where the program raises. `verifier`
    reads the signed-in identity; by default a `Trusting` one for `client`. `skip_identity_check` sets
    the program's skip variable to that reason for this run (honoured in previews only).
    """
    run = Run(resources=into if into is not None else [])
    mocks = _Mocks(run, client, preview)
    values = dict(config) if config is not None else engine_config(project_dir, stack)
    if verifier is None and client is not None:
        verifier = Trusting(client, declared_kind(values))
    pulumi.runtime.settings.ROOT.set(None)  # a fresh root stack resource for every run
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack=stack, preview=preview, monitor=_Monitor(mocks))
    pulumi.runtime.set_all_config(values)

    @pulumi.runtime.test  # type: ignore[untyped-decorator]
    def program() -> pulumi.Output[None]:
        program_file = project_dir / "__main__.py"
        source = (ROOT / "__main__.py").read_text()
        code = compile(source, str(program_file), "exec")
        exec(code, {"__name__": "__main__", "__file__": str(program_file), "identity_verifier": verifier})
        # The mock engine never re-registers the root stack's outputs: read what `pulumi.export` set.
        root: Any = pulumi.runtime.settings.get_root_resource()
        return pulumi.Output.all(**root.outputs).apply(run.outputs.update)

    with _environment(SKIP_VARIABLE, skip_identity_check):
        program()
    return run


@contextmanager
def _environment(name: str, value: str | None) -> Iterator[None]:
    if value is None:  # leave the environment as the test set it
        yield
        return
    old = os.environ.pop(name, None)
    os.environ[name] = value
    try:
        yield
    finally:
        os.environ.pop(name, None)
        if old is not None:
            os.environ[name] = old


def run_code(stack: str, build: Callable[[], Any], *, preview: bool = False) -> Run:
    """Run `build` as a program of `stack` under the mock engine (no config, no invokes) and record what it
    registers: for components built the way another language's program, or a program of one's own, does."""
    run = Run()
    mocks = _Mocks(run, None, preview)
    pulumi.runtime.settings.ROOT.set(None)
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack=stack, preview=preview, monitor=_Monitor(mocks))
    pulumi.runtime.set_all_config({})

    @pulumi.runtime.test  # type: ignore[untyped-decorator]
    def program() -> None:
        build()

    program()
    return run
