"""The live check as the program and `lighthouse-iac whoami` run it: settings, sign-in, reading, verdict."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..deployer import accepted_as_admin_agent, deployer_problem
from ..models import LighthouseConfig
from ..onboarding_identity import Finding, Observation, findings, summary
from ..plan import CustomerPlan
from .credential import SignInError, provider_sign_in
from .settings import SKIP_VARIABLE, SettingsError, endpoints, skip_reason
from .verifier import IdentityVerifier, LiveCheckError, LiveVerifier


@dataclass(frozen=True)
class Outcome:
    """What the live check found. `refusal` set: nothing may be registered."""

    refusal: str | None
    notices: tuple[str, ...] = ()
    """What was read, for the log."""
    warnings: tuple[str, ...] = ()


def onboarded_subscriptions(plan: CustomerPlan) -> list[str]:
    """Every subscription that receives a registration definition, each once, in the stack's order."""
    return list(dict.fromkeys(d.subscription_id for o in plan.offers for d in o.definitions))


def live_verifier(environ: Mapping[str, str], settings: Mapping[str, str]) -> tuple[IdentityVerifier, str]:
    """The real verifier with the provider's sign-in, and how it signs in.

    Raises SettingsError or SignInError.
    """
    sign_in = provider_sign_in(environ, settings)
    return LiveVerifier(sign_in.credential, endpoints(environ)), sign_in.description


def refusal_text(found: Sequence[Finding], *, admin_agent: bool = False) -> str:
    lines = "\n".join(f"  - {f.render()}" for f in found)
    who = (
        "the signed-in CSP Admin Agent (under AOBO: checked for "
        "Microsoft.Authorization/roleAssignments/write only)"
        if admin_agent
        else "the signed-in identity"
    )
    return f"{who} does not pass the live check against Azure and Entra ID:\n{lines}"


def observe(
    verifier: IdentityVerifier, subscriptions: Sequence[str], *, admin_agent: bool
) -> tuple[Observation | None, str | None]:
    try:
        return verifier.observe(subscriptions, directory=not admin_agent), None
    except LiveCheckError as exc:
        return None, (
            f"the live check of the onboarding identity could not sign in: {exc}; fix: sign in as the "
            "onboarding identity the way Pulumi does (the ARM_* variables, or `az login --tenant <customer "
            f"tenant>`), or, for a preview without network access only, set {SKIP_VARIABLE}"
        )


def program_check(
    config: LighthouseConfig,
    plan: CustomerPlan,
    *,
    preview: bool,
    environ: Mapping[str, str],
    settings: Mapping[str, str],
    engine_identity: tuple[str, str],
    admin_agent: bool = False,
    verifier: IdentityVerifier | None = None,
) -> Outcome:
    """The check before anything is registered, in `pulumi preview` as in `pulumi up`.

    `engine_identity` is the (tenant, object) Pulumi signed in as; `admin_agent` when the deployer check
    accepted it as a CSP Admin Agent (`deployer.accepted_as_admin_agent`). `verifier` is given by tests
    only; the program passes None and the live verifier reads Azure.
    """
    # The program has run the deployer check already; run here too, so that no caller skips it.
    problem = deployer_problem(config, *engine_identity)
    if problem is not None:
        return Outcome(problem)
    reason = skip_reason(environ)
    if reason is not None:
        if not preview:
            return Outcome(
                f"{SKIP_VARIABLE} is set ({reason}), but the live check of the onboarding identity may be "
                "skipped in a preview only; unset it to deploy"
            )
        return Outcome(
            None,
            warnings=(
                f"THE ONBOARDING IDENTITY WAS NOT VERIFIED: {SKIP_VARIABLE} is set ({reason}). This preview "
                "does not show that the signed-in identity may assign roles on the subscriptions or is not a "
                "guest; `pulumi up` refuses to run with this variable set.",
            ),
        )
    if verifier is None:
        try:
            verifier, _ = live_verifier(environ, settings)
        except (SettingsError, SignInError) as exc:
            return Outcome(f"the live check of the onboarding identity cannot start: {exc}")
    observed, failure = observe(verifier, onboarded_subscriptions(plan), admin_agent=admin_agent)
    if observed is None:
        return Outcome(failure)
    found = findings(config, observed, admin_agent=admin_agent, engine_identity=engine_identity)
    notices = tuple(summary(observed, admin_agent=admin_agent))
    return Outcome(refusal_text(found, admin_agent=admin_agent) if found else None, notices=notices)


@dataclass(frozen=True)
class Whoami:
    """What `lighthouse-iac whoami` found: what was read, and what stops this identity."""

    sign_in: str
    observed: Observation | None
    lines: tuple[str, ...]
    findings: tuple[Finding, ...]
    failure: str | None = None
    """Why nothing could be read (no sign-in); then `observed` is None."""


def whoami_check(
    config: LighthouseConfig,
    plan: CustomerPlan,
    verifier: IdentityVerifier,
    sign_in: str,
) -> Whoami:
    """The program's checks outside Pulumi: the deployer check on the token's identity, then the live one.

    Who signed in is known from the token only, so Graph is asked for any user; for a CSP Admin Agent
    its answer is then left out, as the program does not ask.
    """
    observed, failure = observe(verifier, onboarded_subscriptions(plan), admin_agent=False)
    if observed is None:
        return Whoami(sign_in, None, (), (), failure)
    identity = observed.identity
    found: list[Finding] = []
    problem = deployer_problem(config, identity.tenant_id, identity.object_id)
    if problem is not None:
        found.append(Finding("sign-in", problem, ""))
    # A CSP Admin Agent the deployer check accepts is judged as the program judges it (permission only).
    admin_agent = problem is None and accepted_as_admin_agent(config, identity.object_id)
    found += findings(config, observed, admin_agent=admin_agent)
    return Whoami(sign_in, observed, tuple(summary(observed, admin_agent=admin_agent)), tuple(found))
