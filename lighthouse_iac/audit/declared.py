"""What the stacks declare: every registration assignment of every plan, as Azure would hold it deployed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..config import StackConfig
from ..plan import build_plan
from ..roles import RoleCatalogue
from .observed import Definition, parse_definition


@dataclass(frozen=True)
class Declared:
    """One assignment of one offer of one stack, with the definition Azure should hold for it."""

    stack: str
    customer: str
    customer_tenant_id: str
    offer_key: str
    offer_index: int
    scope: str
    assignment_id: str
    definition: Definition
    protected: bool
    adopted: tuple[tuple[str, str], ...] = ()
    file: str | None = None
    line: int | None = None

    @property
    def subscription_id(self) -> str:
        return self.scope.split("/")[2].lower()

    @property
    def key(self) -> tuple[str, str]:
        return self.scope.lower(), self.assignment_id


@dataclass
class Names:
    """Readable names for GUIDs in messages: the directory's principals and the catalogues' roles."""

    principals: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    tenants: dict[str, str] = field(default_factory=dict)
    """Customer tenant ID -> stack."""

    def principal(self, object_id: str, display: str = "") -> str:
        name = self.principals.get(object_id)
        return name or (f"{object_id} ({display})" if display else object_id)

    def role(self, role_id: str) -> str:
        return self.roles.get(role_id, role_id)

    def add_catalogue(self, catalogue: RoleCatalogue) -> None:
        if not self.roles:  # a project's stacks share one catalogue; read it once
            self.roles = {role.id.lower(): role.name for role in catalogue}


def declared_of(stack: StackConfig) -> list[Declared]:
    """Every assignment the stack's plan creates, with its definition parsed as an observed one would be."""
    plan = build_plan(stack)
    out: list[Declared] = []
    for offer in plan.offers:
        file, line = stack.locate(("offers", offer.index))
        adopt = offer.offer.adopt
        adopted = tuple(sorted(adopt.assignment_ids.items())) if adopt else ()
        for assignment in offer.assignments:
            resource = assignment.definition
            out.append(
                Declared(
                    stack=plan.stack,
                    customer=plan.config.customer.name,
                    customer_tenant_id=plan.config.customer.tenant_id,
                    offer_key=offer.offer.key,
                    offer_index=offer.index,
                    scope=assignment.scope,
                    assignment_id=assignment.assignment_id.lower(),
                    definition=parse_definition(
                        resource.definition_id.lower(), resource.properties, resource.plan
                    ),
                    protected=assignment.protect,
                    adopted=adopted,
                    file=file,
                    line=line,
                )
            )
    return out


def declared_fleet(stacks: Iterable[StackConfig]) -> tuple[list[Declared], Names, set[str]]:
    """The declared assignments of a fleet, the names to print, and the managing tenants they delegate to."""
    declared: list[Declared] = []
    names = Names()
    tenants: set[str] = set()
    for stack in stacks:
        config = stack.config
        tenants.add(config.managing_tenant.tenant_id)
        names.principals.update({p.object_id: key for key, p in config.managing_tenant.principals.items()})
        names.tenants[config.customer.tenant_id] = stack.stack
        names.add_catalogue(stack.catalogue)
        declared.extend(declared_of(stack))
    return declared, names, tenants
