"""What a rule is, what it sees (ARM-shaped resources and a context) and what it says (verdicts)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from ..errors import Unlocated
from .settings import Level, RuleSettings
from .tunables import Tunable

if TYPE_CHECKING:
    from ..roles import RoleCatalogue

Severity = Literal["low", "medium", "high", "critical"]
Kind = Literal["definition", "assignment"]
Loc = tuple[str | int, ...]

T = TypeVar("T")

DEFINITION: Kind = "definition"
ASSIGNMENT: Kind = "assignment"


@dataclass(frozen=True)
class Verdict:
    """One rule broken: which, how bad, why, and where (in the resource, or in the stack file)."""

    rule: str
    level: Level
    message: str
    resource: str | None
    loc: Loc
    file: str | None = None
    line: int | None = None
    related: Loc = ()
    """Another place the verdict is about (the first of two duplicates), in the same terms as `loc`."""


@dataclass(frozen=True)
class Resource:
    """A registration definition or assignment in ARM's camelCase shape (`scope`, `properties`, ...)."""

    kind: Kind
    name: str
    inputs: Mapping[str, Any]

    @staticmethod
    def kind_of(type_: str) -> Kind | None:
        """The kind of a Pulumi type token or ARM resource type; None for any other resource."""
        folded = type_.lower()
        if folded.endswith((":registrationdefinition", "/registrationdefinitions")):
            return DEFINITION
        if folded.endswith((":registrationassignment", "/registrationassignments")):
            return ASSIGNMENT
        return None


@dataclass(frozen=True)
class DirectoryPrincipal:
    """A principal of the managing tenant, as its directory (`managingTenant.principals`) declares it."""

    name: str
    object_id: str
    kind: str
    display_name: str | None
    admin_agent: bool = False
    """Declared `adminAgent: true`: holds Partner Center's Admin Agent role (Owner on CSP subscriptions)."""


@dataclass(frozen=True)
class Csp:
    """Which of the customer's subscriptions were created through CSP, and its private Marketplace plans."""

    all_subscriptions: bool = False
    subscriptions: frozenset[str] = frozenset()
    """Lowercase subscription IDs, when not all of them."""
    private_plans: frozenset[tuple[str, str, str]] = frozenset()
    """(publisher, product, plan name), lowercase, of the offers' plans declared `private: true`."""
    plan_subscriptions: frozenset[str] | None = None
    """The Azure plan's Azure subscriptions as the last deployment knew them (a local snapshot); None
    when unknown, as in the policy pack."""

    def covers(self, subscription: str) -> bool:
        return self.all_subscriptions or subscription.lower() in self.subscriptions


@dataclass(frozen=True)
class OnboardingIdentity:
    """The customer-tenant identity that deploys the delegation."""

    object_id: str | None
    kind: str
    user_type: str
    roles: tuple[str, ...]


class Memo:
    """What rules derive from the resources of one evaluation (a definition's grants), read once in it.

    The engine gives every evaluation its own (`evaluate`, `run_rule`) and drops it afterwards: no rule's
    result depends on another evaluation, or on another rule having run. Keyed by the identity of a value
    the evaluation's resources keep alive, and checked against it, so that a recycled id cannot match.
    """

    __slots__ = ("_known",)

    def __init__(self) -> None:
        self._known: dict[tuple[str, int], tuple[object, object]] = {}

    def get(self, what: str, key: object, read: Callable[[], T]) -> T:
        known = self._known.get((what, id(key)))
        if known is not None and known[0] is key:
            return cast("T", known[1])
        value = read()
        self._known[(what, id(key))] = (key, value)
        return value


@dataclass(frozen=True)
class Context:
    """What the rules know besides the resources.

    None means unknown, and rules that need the value do not apply; except the directory, whose absence
    `lighthouse-known-principal` reports (no principal could be checked without it).
    """

    catalogue: RoleCatalogue
    settings: RuleSettings
    managing_tenant_id: str | None = None
    principals: Mapping[str, DirectoryPrincipal] | None = None
    """The managing tenant's directory, by lowercase object ID."""
    customer_tenant_id: str | None = None
    onboarding: OnboardingIdentity | None = None
    csp: Csp | None = None
    """Set for a CSP customer (`lighthouse-iac:csp`); None for any other."""
    problems: tuple[Unlocated, ...] = ()
    """Inputs the rules could not use (a role catalogue the pack cannot read): a stack key and what is
    wrong, reported by `lighthouse-policy-inputs`. Empty from a stack file, where they are config errors."""
    memo: Memo = field(default_factory=Memo, compare=False, repr=False)
    """The current evaluation's memo; the engine sets a new one for each."""

    def principal(self, object_id: str) -> DirectoryPrincipal | None:
        return self.principals.get(object_id.lower()) if self.principals is not None else None

    def admin_agents(self) -> list[DirectoryPrincipal]:
        return [p for p in (self.principals or {}).values() if p.admin_agent]


@dataclass(frozen=True)
class Finding:
    """What a check reports: where (a key path inside `resource`, or a stack key path) and what is wrong."""

    loc: Loc
    message: str
    resource: Resource | None = None
    related: Loc = ()


@dataclass(frozen=True)
class Place:
    """Where a stack declares something: its key path, and the file and line that path is on.

    `position` finds the file and line when they are first asked for: a fleet has a place for every scope
    and resource of every stack, and the rules name only those of their findings (a line is looked up in
    the stack file's text, sources.YamlDocument)."""

    loc: Loc
    position: Callable[[], tuple[str | None, int | None]] = field(repr=False, compare=False)

    @classmethod
    def at(cls, loc: Loc, file: str | None, line: int | None) -> Place:
        return cls(loc, lambda: (file, line))

    @cached_property
    def _found(self) -> tuple[str | None, int | None]:
        return self.position()

    @property
    def file(self) -> str | None:
        return self._found[0]

    @property
    def line(self) -> int | None:
        return self._found[1]

    def __str__(self) -> str:
        place = self.file or "<config>"
        return f"{place}:{self.line}" if self.line is not None else place


@dataclass(frozen=True)
class Scope:
    """A delegated scope: a whole subscription (group None) or one of its resource groups, lower case."""

    subscription: str
    group: str | None
    place: Place


@dataclass(frozen=True)
class Member:
    """What the fleet rules compare of one customer stack."""

    stack: str
    tenant: str
    tenant_place: Place
    shared_tenant_reason: str | None
    onboarding: str | None
    """None for a CSP customer onboarded by Admin Agents alone (one partner identity serves them all)."""
    onboarding_place: Place
    shared_identity_reason: str | None
    scopes: tuple[Scope, ...]
    resources: tuple[tuple[str, str, Place], ...]
    """(kind, Azure resource ID, where its GUID comes from) of every definition and assignment."""


@dataclass(frozen=True)
class FleetFinding:
    """A fleet rule broken in one stack, at one of its places."""

    stack: str
    place: Place
    message: str


ResourceCheck = Callable[[Resource, Context], Iterator[Finding]]
StackCheck = Callable[[Iterable[Resource], Context], Iterator[Finding]]
FleetCheck = Callable[[Sequence[Member]], Iterator[FleetFinding]]


@dataclass(frozen=True)
class Rule:
    """A rule and its metadata, which lives here only (the pack, docs and reports read it)."""

    name: str
    description: str
    severity: Severity
    level: Level
    remediation: str
    facts: tuple[str, ...]
    """Short names of the sources in the facts doc (TUR, ONB, ELIG, SPEC, ...)."""
    applies_to: tuple[Kind, ...] = ()
    """Kinds checked one resource at a time by `check`; empty for a stack rule."""
    check: ResourceCheck | None = None
    reads: tuple[str, ...] = ()
    """The top-level inputs `check` reads (`properties`, `plan`, ...). When set, one evaluation reuses the
    findings for resources whose values are the same objects: a plan's definitions of one offer share
    their properties and differ only in scope. Empty: every resource is checked."""
    check_stack: StackCheck | None = None
    """For rules that look across resources or only at the context (the onboarding identity)."""
    fleet: bool = False
    """Compares customer stacks: run by `validate` and `report` over the whole project, never by the
    pack, which sees one stack."""
    check_fleet: FleetCheck | None = None
    """For a fleet rule, its comparison of the stacks' `Member`s (run by `policy_engine.members`)."""
    tunables: tuple[Tunable[Any], ...] = field(default=())
    about_values: bool = False
    """Its verdicts are about the IDs themselves, so they point where each is written: a principal's
    objectId in the directory (Pulumi.yaml), not the grant in the stack file that names the principal."""
    locked: bool = False
    """A rule the mission rests on (docs/security.md): mandatory whatever a configuration says, because the
    configuration is a file a pull request can change."""

    @property
    def doc(self) -> str:
        """The rule's page, relative to the repository root."""
        return f"docs/rules/{self.name}.md"
