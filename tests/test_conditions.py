"""One description of a grant's conditions, for `plan`'s grants and the report's access rows alike."""

from __future__ import annotations

import dataclasses

import pytest

from lighthouse_iac.conditions import Conditions
from lighthouse_iac.models import Principal
from lighthouse_iac.plan import Grant
from lighthouse_iac.report.access import Access

READERS = Principal(object_id="76f7b000-9bd5-41e3-aa58-563670d45b51", kind="group", display_name="Readers")
ROW = Access(
    stack="northwind",
    customer="Northwind",
    customer_tenant_id="8ad2ca68-ccfd-43e6-8ff9-3428cca138a5",
    managing_tenant_id="d980ba46-0ced-44e9-ba1f-fe956db47fe4",
    offer="ops",
    offer_name="Ops",
    subscription_id="9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f",
    resource_group=None,
    scope="/subscriptions/9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f",
    principal="msp-readers",
    principal_id=READERS.object_id,
    principal_kind="group",
    principal_display_name="Readers",
    role="Contributor",
    role_id="b24988ac-6180-42a0-ab88-20f7382dd24c",
    eligible=False,
)


@pytest.mark.parametrize(
    ("eligible", "activation", "mfa", "approvers", "delegated", "words"),
    [
        (False, None, False, (), (), ""),
        (False, None, False, (), ("Reader", "Contributor"), "may assign: Reader, Contributor"),
        (True, "PT2H", True, ("msp-approvers",), (), "up to PT2H, MFA, approvers: msp-approvers"),
        (True, "PT8H", False, (), (), "up to PT8H, no MFA, self-activated"),
    ],
)
def test_a_grant_and_its_access_rows_say_the_same_conditions(
    eligible: bool,
    activation: str | None,
    mfa: bool,
    approvers: tuple[str, ...],
    delegated: tuple[str, ...],
    words: str,
) -> None:
    grant = Grant(
        "msp-readers", READERS, ROW.role_id, ROW.role, eligible, 0, (), delegated, activation, mfa, approvers
    )
    row = dataclasses.replace(
        ROW,
        eligible=eligible,
        maximum_activation=activation,
        require_mfa=mfa,
        approvers=approvers,
        delegated_roles=delegated,
    )
    described: list[Conditions] = [grant, row]
    assert [c.describe() for c in described] == [words, words]
