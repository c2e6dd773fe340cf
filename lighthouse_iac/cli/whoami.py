"""`lighthouse-iac whoami CUSTOMER`: the program's identity checks, outside Pulumi.

Signs in as Pulumi's azure-native provider would (the `ARM_*` variables and the stack's `azure-native:*`
settings, else the Azure CLI), then checks what the program checks before registering anything: signed in
to the customer's tenant as its onboarding identity, allowed to assign roles on every onboarded
subscription, not a guest. Exit codes: 0 the identity may onboard the customer, 1 it may not (or could not
be verified), 2 invalid input or settings.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import config
from ..escape import terminal
from ..onboarding_identity import assess, shown
from ..plan import build_plan
from ..sources import read_yaml
from . import options
from .commands import help_of
from .context import UsageError, project_dir

if TYPE_CHECKING:
    from ..live.gate import Whoami


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "whoami",
        help=help_of("whoami"),
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    parser.add_argument("customer", help="stack name (stacks/Pulumi.<customer>.yaml)")
    options.add_format(parser, ("text", "json"), "text")
    parser.set_defaults(run=run)


def provider_settings(root: Path, stack: str) -> dict[str, str]:
    """The stack file's plain `azure-native:*` settings (encrypted ones stay with Pulumi)."""
    path = config.stack_file(config.load_project(root), stack)
    data = read_yaml(path, within=root).data or {}  # bounded, and never through a link
    values = data.get("config") if isinstance(data, dict) else None
    if not isinstance(values, dict):
        return {}
    return {str(k): v for k, v in values.items() if str(k).startswith("azure-native:") and isinstance(v, str)}


def run(args: argparse.Namespace) -> int:
    # Imported here: azure-identity and azure-core take about a second to import; no other command needs them.
    from ..live.credential import SignInError  # noqa: PLC0415
    from ..live.gate import live_verifier, whoami_check  # noqa: PLC0415
    from ..live.settings import SettingsError  # noqa: PLC0415

    root = project_dir(args)
    stack = config.load_stack(root, args.customer)
    plan = build_plan(stack)
    try:
        verifier, sign_in = live_verifier(os.environ, provider_settings(root, args.customer))
    except (SettingsError, SignInError) as exc:
        raise UsageError(str(exc)) from None
    result = whoami_check(stack.config, plan, verifier, sign_in)
    ok = result.failure is None and not result.findings
    if args.format == "json":
        print(json.dumps(_json(result, ok), indent=2))
        return 0 if ok else 1
    customer = stack.config.customer
    name = terminal(customer.name)  # a stack file's free text: no escape sequence reaches the terminal
    print(f"Customer {name} (stack {args.customer}), tenant {customer.tenant_id}")
    print(f"  sign-in: {result.sign_in}")
    for line in result.lines:
        print(f"  {terminal(line)}")
    print()
    if result.failure is not None:
        print(f"NOT VERIFIED: {terminal(result.failure)}")
    elif result.findings:
        count = len(result.findings)
        print(f"NOT READY: {count} finding{'' if count == 1 else 's'}; `pulumi up` would refuse to deploy")
        for finding in result.findings:
            print(f"  - {terminal(finding.render())}")
    else:
        subscriptions = len(result.observed.subscriptions) if result.observed else 0
        print(
            f"OK: this identity may onboard {name} "
            f"({subscriptions} subscription{'' if subscriptions == 1 else 's'} checked)"
        )
    return 0 if ok else 1


def _json(result: Whoami, ok: bool) -> dict[str, Any]:
    observed = result.observed
    identity = observed.identity if observed else None
    return {
        "ok": ok,
        "signIn": result.sign_in,
        "failure": result.failure,
        "identity": None
        if identity is None
        else {
            "objectId": identity.object_id,
            "tenantId": identity.tenant_id,
            "kind": identity.kind,
            "userType": identity.user_type,
            "userPrincipalName": shown(identity.user_principal_name or "", 200) or None,
            "directoryError": identity.directory_error,
        },
        "subscriptions": [
            {
                "subscriptionId": a.subscription_id,
                "mayAssignRoles": a.error is None and assess(a.permissions).allowed,
                "error": a.error,
                "actions": [shown(x, 200) for p in a.permissions for x in p.actions],
                "notActions": [shown(x, 200) for p in a.permissions for x in p.not_actions],
            }
            for a in (observed.subscriptions if observed else ())
        ],
        "findings": [{"subject": f.subject, "found": f.found, "fix": f.fix} for f in result.findings],
    }
