"""Property tests: the loader accepts or raises ConfigError, nothing else; IDs are a pure function of it."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any, cast

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lighthouse_iac import ids
from lighthouse_iac.config import Entry, build, load_stack
from lighthouse_iac.errors import ConfigError
from lighthouse_iac.plan import build_plan

from .engine import FIXTURE, ROOT
from .projects import make_project

PRINCIPALS = ["msp-readers", "msp-operators", "msp-oncall", "msp-approvers", "nobody"]
ROLES = [
    "Reader",
    "Contributor",
    "Owner",
    "User Access Administrator",
    "Contributer",
    "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    "not-a-role",
]
GUIDS = st.uuids().map(str)
JUNK: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def record(
    required: dict[str, st.SearchStrategy[Any]], optional: dict[str, st.SearchStrategy[Any]] | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    # hypothesis types the two mappings as one key/value type each; ours are heterogeneous
    return st.fixed_dictionaries(cast(Any, required), optional=cast(Any, optional or {}))


VALID_PRINCIPALS = PRINCIPALS[:-1]
VALID_ROLES = ["Reader", "Contributor", "Security Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7"]
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=12)

authorization = record(
    {"principal": st.sampled_from(VALID_PRINCIPALS), "role": st.sampled_from(VALID_ROLES)},
    optional={"delegatedRoles": st.lists(st.sampled_from(VALID_ROLES), min_size=1, max_size=2)},
)
eligible = record(
    {"principal": st.sampled_from(VALID_PRINCIPALS), "role": st.sampled_from(VALID_ROLES)},
    optional={
        "maximumActivation": st.sampled_from(["PT30M", "PT1H", "PT1H30M", "PT8H"]),
        "requireMfa": st.booleans(),
        "approvers": st.lists(st.sampled_from(VALID_PRINCIPALS), max_size=2),
    },
)
scope = record(
    {"subscription": GUIDS},
    optional={
        "resourceGroups": st.lists(
            st.sampled_from(["rg-a", "rg-b", "rg-c"]), min_size=1, max_size=3, unique=True
        ),
        "offboard": st.booleans(),
    },
)
offer = record(
    {
        "key": st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True),
        "name": TEXT,
        "description": TEXT,
        "authorizations": st.lists(authorization, min_size=1, max_size=3),
        "scopes": st.lists(scope, min_size=1, max_size=3, unique_by=lambda s: s["subscription"]),
    },
    optional={
        "eligibleAuthorizations": st.lists(eligible, max_size=2),
        "offboard": st.booleans(),
        "plan": record({k: TEXT for k in ("name", "publisher", "product", "version")}),
    },
)
valid_config = record(
    {
        "lighthouse-iac:customer": record({"name": TEXT, "tenantId": GUIDS}),
        "lighthouse-iac:onboarding": record(
            {"objectId": GUIDS}, optional={"userType": st.sampled_from(["Member", "Guest"])}
        ),
        "lighthouse-iac:offers": st.lists(offer, min_size=1, max_size=3, unique_by=lambda o: o["key"]),
    },
    optional={"azure-native:location": TEXT},
)


@st.composite
def stack_config(draw: st.DrawFn) -> dict[str, Any]:
    """A well-formed customer, then with even odds one mutation somewhere inside it."""
    config = draw(valid_config)
    if draw(st.booleans()):
        return config
    node: Any = config
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        key = draw(st.sampled_from(keys))
        child = node[key]
        if isinstance(child, dict | list) and child and draw(st.integers(0, 3)):
            node = child
            continue
        action = draw(st.sampled_from(["junk", "delete", "stray", "swap"]))
        if action == "junk":
            node[key] = draw(JUNK)
        elif action == "delete" and isinstance(node, dict):
            del node[key]
        elif action == "stray" and isinstance(node, dict):
            node[draw(st.text(max_size=12))] = draw(JUNK)
        else:
            node[key] = draw(st.sampled_from(ROLES + PRINCIPALS + ["PT9H", "", "rg-a"]))
        break
    return config


_PROJECT = make_project(Path(tempfile.mkdtemp(prefix="lighthouse-props-")))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stack_config())
def test_loader_accepts_or_raises_config_error_only(config: dict[str, Any]) -> None:
    (_PROJECT / "stacks" / "Pulumi.generated.yaml").write_text(yaml.safe_dump({"config": config}))
    try:
        stack = load_stack(_PROJECT, "generated")
    except ConfigError as exc:
        assert all(p.file and p.message for p in exc.problems)
        return
    # Whatever is accepted plans cleanly, with one assignment per distinct scope of an offer.
    plan = build_plan(stack)
    for offer in plan.offers:
        scopes = [a.scope.lower() for a in offer.assignments]
        assert len(scopes) == len(set(scopes))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=30), JUNK, max_size=6))
def test_loader_survives_any_top_level_mapping(values: dict[str, Any]) -> None:
    entries = {k: Entry(v, "engine") for k, v in values.items()}
    with contextlib.suppress(ConfigError):
        build("generated", entries, FIXTURE)


@settings(max_examples=200, deadline=None)
@given(
    tenant=GUIDS,
    key=st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True),
    sub=GUIDS,
    group=st.from_regex(r"[a-zA-Z0-9_-]{1,20}", fullmatch=True),
)
def test_ids_depend_only_on_their_inputs(tenant: str, key: str, sub: str, group: str) -> None:
    definition = ids.definition_guid(tenant, key)
    assert ids.is_guid(definition)
    assert definition == ids.definition_guid(tenant.upper(), key)  # GUID case is not identity
    assert definition != ids.definition_guid(tenant, key + "-2")
    scope = ids.resource_group_scope(sub, group)
    assignment = ids.assignment_guid(definition, scope)
    assert assignment == ids.assignment_guid(definition, scope.upper())  # ARM scopes are case-insensitive
    assert assignment != ids.assignment_guid(definition, ids.subscription_scope(sub))
    assert assignment != ids.assignment_guid(ids.definition_guid(tenant, key + "-2"), scope)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="utf-8"), max_size=200))
def test_the_ids_are_the_standard_uuid5(name: str) -> None:
    # Every ID ever deployed is a UUIDv5 in the project's namespace: computed without uuid.UUID, the same.
    assert ids.uuid5(name) == str(uuid.uuid5(ids.NAMESPACE, name))


def _all_ids() -> dict[str, list[str]]:
    return {
        s: [
            str(r.inputs().get("registrationDefinitionId") or r.inputs()["registrationAssignmentId"])
            for r in build_plan(load_stack(FIXTURE, s)).resources()
        ]
        for s in ("contoso", "tailspin", "wingtip")
    }


def test_ids_are_the_same_in_another_process_with_another_hash_seed() -> None:
    script = "import json; from tests.test_properties import _all_ids; print(json.dumps(_all_ids()))"
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2")
    ]
    assert json.loads(runs[0]) == json.loads(runs[1]) == _all_ids()


def test_changing_prose_keeps_ids_and_changing_the_offer_key_does_not() -> None:
    text = (FIXTURE / "stacks" / "Pulumi.wingtip.yaml").read_text()
    project = make_project(Path(tempfile.mkdtemp()), text, "wingtip")
    before = build_plan(load_stack(project, "wingtip"))
    (project / "stacks" / "Pulumi.wingtip.yaml").write_text(
        text.replace("Cost and usage reviews", "Monthly cost reviews")
    )
    prose = build_plan(load_stack(project, "wingtip"))
    (project / "stacks" / "Pulumi.wingtip.yaml").write_text(text.replace("key: cost-insights", "key: costs"))
    rekeyed = build_plan(load_stack(project, "wingtip"))

    def guids(plan: Any) -> list[str]:
        return [
            r.inputs().get("registrationDefinitionId") or r.inputs()["registrationAssignmentId"]
            for r in plan.resources()
        ]

    assert guids(prose) == guids(before)
    assert set(guids(rekeyed)).isdisjoint(guids(before))


@given(GUIDS, st.text(min_size=1, max_size=3), st.text(max_size=3))
def test_a_guid_with_anything_around_it_is_not_a_guid(guid: str, extra: str, other: str) -> None:
    assert ids.is_guid(guid) and ids.is_guid(guid.upper())
    assert not ids.is_guid(guid + extra)
    assert not ids.is_guid(extra + guid)
    assert not ids.is_guid(other + guid + extra)
