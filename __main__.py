"""The Pulumi program: the current customer stack's Azure Lighthouse delegations."""

from pathlib import Path

import pulumi
from pulumi.runtime.config import CONFIG
from pulumi_azure_native import authorization

from components import CustomerDelegation, CustomerDelegationArgs
from lighthouse_iac import config
from lighthouse_iac.deployer import deployer_problem
from lighthouse_iac.errors import ConfigError
from lighthouse_iac.plan import build_plan


def main() -> None:
    stack_name = pulumi.get_stack()
    try:
        stack = config.from_engine(Path(__file__).parent, stack_name, CONFIG.get())
    except ConfigError as exc:
        raise pulumi.RunError(f"invalid configuration for stack '{stack_name}':\n{exc}") from None
    plan = build_plan(stack)

    # Before anything is registered: only the declared identity in the customer's tenant may deploy.
    client = authorization.get_client_config()
    problem = deployer_problem(stack.config, client.tenant_id, client.object_id)
    if problem:
        raise pulumi.RunError(f"refusing to deploy stack '{stack_name}': {problem}")

    customer = CustomerDelegation(stack_name, CustomerDelegationArgs(plan))
    pulumi.export("customer", stack.config.customer.name)
    pulumi.export("customerTenantId", stack.config.customer.tenant_id)
    pulumi.export("delegations", customer.summary)


main()
