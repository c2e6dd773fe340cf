"""The component's inputs through the same core validation as a stack file."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

import pulumi
from pydantic.alias_generators import to_camel

from lighthouse_iac import config
from lighthouse_iac.errors import ConfigError, format_path
from lighthouse_iac.escape import terminal
from lighthouse_iac.keys import NAMESPACE
from lighthouse_iac.policy_engine.stack import check_stack
from lighthouse_iac.rules import RULES

from .inputs import CustomerDelegationArgs

# Mappings whose keys are the user's names (principal keys, scopes), not field names to convert.
_USER_KEYED = frozenset({"principals", "assignment_ids", "assignmentIds"})


def validated(name: str, args: CustomerDelegationArgs | Mapping[str, Any]) -> config.StackConfig:
    """The inputs as a validated customer; bad input is an `InputPropertiesError` naming each input path."""
    values = _camel(args)
    if not isinstance(values, dict):
        raise pulumi.InputPropertiesError("CustomerDelegation's args must be an object")
    entries = {key: config.Entry(value, None) for key, value in values.items()}
    try:
        # Catalogue paths are relative to the working directory: the program's, or the consumer's.
        stack = config.build(name, entries, Path.cwd())
    except ConfigError as exc:
        raise _refusal(name, [(p.path, p.message) for p in exc.problems]) from None
    # The mission's rules (no Owner, groups not users, roles Azure refuses, ...) hold in every language,
    # with or without a policy pack: the component refuses what no configuration may allow.
    locked = [
        (format_path(v.loc), f"{v.message} [{v.rule}]")
        for v in check_stack(stack, None, [r for r in RULES if r.locked])
        if v.level == "mandatory"
    ]
    if locked:
        raise _refusal(name, locked)
    return stack


def _input(text: str) -> str:
    """A stack file's key (`lighthouse-iac:offers`) as the component's input is named (`offers`)."""
    return text.replace(f"{NAMESPACE}:", "")


def _refusal(name: str, found: list[tuple[str, str]]) -> pulumi.InputPropertiesError:
    problems = [(_input(path), _input(reason)) for path, reason in found]
    details: list[pulumi.InputPropertyErrorDetails] = [
        {"property_path": path, "reason": reason} for path, reason in problems
    ]
    lines = "\n".join(terminal(f"{path}: {reason}" if path else reason) for path, reason in problems)
    return pulumi.InputPropertiesError(f"invalid inputs for CustomerDelegation '{name}':\n{lines}", details)


def args_of(stack: config.StackConfig) -> CustomerDelegationArgs:
    """A validated stack's configuration as the component's inputs: the Python program's path to it."""
    # Defaults left out: a default written out is not always valid (a userType on a service principal).
    dumped: dict[str, Any] = stack.config.model_dump(exclude_defaults=True)
    # The program's working directory is the project's; absolute paths keep that true for any caller.
    dumped["role_catalogues"] = [str(stack.project_dir / p) for p in stack.config.role_catalogues]
    return cast(CustomerDelegationArgs, dumped)


def _camel(value: Any, *, user_keyed: bool = False) -> Any:
    if isinstance(value, Mapping):
        return {
            (key if user_keyed or not isinstance(key, str) else to_camel(key)): _camel(
                item, user_keyed=key in _USER_KEYED and not user_keyed
            )
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_camel(item) for item in value]
    return value
