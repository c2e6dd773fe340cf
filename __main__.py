"""The Pulumi program: the current customer stack's Azure Lighthouse delegations."""

import os
from pathlib import Path

import pulumi
from pulumi_azure_native import authorization

from lighthouse_iac import config
from lighthouse_iac.deployer import accepted_as_admin_agent, deployer_problem
from lighthouse_iac.errors import ConfigError
from lighthouse_iac.live.gate import program_check
from lighthouse_iac.live.verifier import IdentityVerifier
from lighthouse_iac.plan import build_plan
from lighthouse_iac_components import CustomerDelegation, args_of, azure_plan_of
from lighthouse_iac_components.engine_config import engine_config


def main(verifier: IdentityVerifier | None) -> None:
    stack_name = pulumi.get_stack()
    settings = engine_config()
    try:
        stack = config.from_engine(Path(__file__).parent, stack_name, settings)
    except ConfigError as exc:
        raise pulumi.RunError(f"invalid configuration for stack '{stack_name}':\n{exc}") from None
    plan = build_plan(stack)

    # Before anything is registered: only the declared identity in the customer's tenant may deploy.
    client = authorization.get_client_config()
    problem = deployer_problem(stack.config, client.tenant_id, client.object_id)
    if problem:
        raise pulumi.RunError(f"refusing to deploy stack '{stack_name}': {problem}")

    # And what Azure and Entra ID say of that identity, not what the stack file declares of it.
    checked = program_check(
        stack.config,
        plan,
        preview=pulumi.runtime.is_dry_run(),
        environ=os.environ,
        settings=settings,
        engine_identity=(client.tenant_id, client.object_id),
        verifier=verifier,
        admin_agent=accepted_as_admin_agent(stack.config, client.object_id),
    )
    for warning in checked.warnings:
        pulumi.log.warn(warning)
    if checked.refusal:
        raise pulumi.RunError(f"refusing to deploy stack '{stack_name}': {checked.refusal}")
    for notice in checked.notices:
        pulumi.log.info(f"onboarding identity: {notice}")

    customer = CustomerDelegation(stack_name, args_of(stack))
    pulumi.export("customer", stack.config.customer.name)
    pulumi.export("customerTenantId", stack.config.customer.tenant_id)
    pulumi.export("delegations", customer.summary)
    azure_plan = azure_plan_of(stack_name, stack.config)
    if azure_plan is not None:
        pulumi.export("azurePlan", azure_plan.summary)


# Pulumi runs this file with no `identity_verifier`: the live check reads Azure. Only tests run it with one
# of their own (tests/engine.py), through runpy's init_globals.
main(globals().get("identity_verifier"))
