"""The component as a Pulumi package for every language: its schema, its provider host, Construct."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc  # type: ignore[import-untyped]
import pulumi
import pytest
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.provider.server import ComponentInitError
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from lighthouse_iac_components import CustomerDelegation
from lighthouse_iac_components.package import NAME, NAMESPACE, SCHEMA_FILE, VERSION, render
from lighthouse_iac_components.validation import validated

from ..engine import FIXTURE, ROOT, Client, Registered, engine_config, run_code, run_program

TOKEN = "lighthouse:index:CustomerDelegation"
STACKS = sorted(p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in (FIXTURE / "stacks").iterdir())


def test_the_committed_schema_is_the_one_the_analyzer_builds() -> None:
    assert SCHEMA_FILE.read_text() == render(), (
        "components/schema.json is stale; regenerate it: "
        "python -m lighthouse_iac_components.package > components/schema.json"
    )


def test_the_schema_names_what_a_user_writes() -> None:
    schema = json.loads(SCHEMA_FILE.read_text())
    resource = schema["resources"][TOKEN]
    assert resource["isComponent"] is True
    assert resource["requiredInputs"] == ["customer", "managingTenant", "offers", "onboarding"]
    assert set(resource["inputProperties"]) == {
        "customer",
        "managingTenant",
        "offers",
        "onboarding",
        "roleCatalogues",
    }
    assert resource["properties"]["summary"]["type"] == "object"
    offer = schema["types"]["lighthouse:index:OfferArgs"]
    assert offer["required"] == ["authorizations", "description", "key", "name", "scopes"]
    assert "eligibleAuthorizations" in offer["properties"] and "adopt" in offer["properties"]
    principal = schema["types"]["lighthouse:index:PrincipalArgs"]["properties"]
    assert set(principal) == {"objectId", "kind", "displayName"}
    assert all(p.get("description") for t in schema["types"].values() for p in t["properties"].values())


@pytest.fixture(scope="module")
def host() -> Iterator[provider_pb2_grpc.ResourceProviderStub]:
    # As the engine starts a plugin: its own process, the engine's address as argument, the port on stdout.
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "components"), "127.0.0.1:1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline().strip())
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield provider_pb2_grpc.ResourceProviderStub(channel)
    finally:
        process.kill()
        process.wait(timeout=10)


def test_the_provider_host_answers_get_schema_with_the_committed_schema(
    host: provider_pb2_grpc.ResourceProviderStub,
) -> None:
    response = host.GetSchema(provider_pb2.GetSchemaRequest(version=0), timeout=30)
    served = json.loads(response.schema)
    assert served == json.loads(SCHEMA_FILE.read_text())
    assert served["name"] == "lighthouse" and TOKEN in served["resources"]


def sdk_inputs(stack: str) -> dict[str, Any]:
    """What another language's SDK sends: the stack's configuration under the schema's camelCase names."""
    config = engine_config(FIXTURE, stack)
    keys = {"managingTenant", "customer", "onboarding", "offers", "roleCatalogues"}
    values = {k.split(":", 1)[1]: json.loads(v) for k, v in config.items() if k.split(":", 1)[1] in keys}
    for offer in values["offers"]:  # a stack file may name a resource group alone; the schema has objects
        for scope in offer["scopes"]:
            groups = scope.get("resourceGroups") or []
            scope.update(
                {"resourceGroups": [{"name": g} if isinstance(g, str) else g for g in groups]}
                if groups
                else {}
            )
    if "roleCatalogues" in values:
        values["roleCatalogues"] = [str(FIXTURE / p) for p in values["roleCatalogues"]]
    return values


def constructed(stack: str, inputs: dict[str, Any]) -> list[Registered]:
    provider = ComponentProvider([CustomerDelegation], NAME, NAMESPACE, VERSION)
    return run_code(stack, lambda: provider.construct(stack, TOKEN, inputs)).resources


def shape(resources: list[Registered]) -> list[tuple[Any, ...]]:
    return sorted(
        (r.type, r.urn, r.parent, json.dumps(r.inputs, sort_keys=True), r.protect, r.delete_before_replace)
        for r in resources
    )


@pytest.mark.parametrize("stack", STACKS)
def test_construct_from_sdk_inputs_registers_what_the_program_registers(stack: str) -> None:
    values = sdk_inputs(stack)
    program = run_program(
        stack, client=Client(values["customer"]["tenantId"], values["onboarding"]["objectId"])
    )
    built = constructed(stack, values)
    assert len(built) > 2, [r.urn for r in built]
    assert shape(built) == shape(program.resources), "\n".join(r.urn for r in built)


ROLE, PRINCIPAL = "offers[0].authorizations[0].role", "offers[0].authorizations[0].principal"
BAD = [
    ("unknown-role", "Raeder", ROLE, "unknown role 'Raeder'"),
    ("owner", "Owner", ROLE, "lighthouse-no-owner-role"),
    ("user-principal", "alice", PRINCIPAL, "lighthouse-group-principals"),
]


@pytest.mark.parametrize(("case", "value", "path", "reason"), BAD, ids=[b[0] for b in BAD])
def test_bad_inputs_fail_naming_the_input_path(case: str, value: str, path: str, reason: str) -> None:
    values = sdk_inputs(STACKS[0])
    offer = values["offers"][0]
    if case == "user-principal":
        values["managingTenant"]["principals"]["alice"] = {
            "objectId": "0d5c7e5e-3d3e-4f4b-9d3c-6a3b2f1e0a11",
            "kind": "user",
            "displayName": "Alice",
        }
        offer["authorizations"][0]["principal"] = value
    else:
        offer["authorizations"][0]["role"] = value
    with pytest.raises(ComponentInitError) as raised:
        constructed(STACKS[0], values)
    error = raised.value.inner
    assert isinstance(error, pulumi.InputPropertiesError)
    assert error.errors and any(e["property_path"] == path and reason in e["reason"] for e in error.errors), (
        error
    )
    assert f"{path}: " in error.message and "CustomerDelegation" in error.message


TOP_LEVEL = [
    ("missing", "onboarding", "missing required key 'onboarding'; only a customer whose subscriptions"),
    ("unknown", "offerz", "unknown key 'offerz' (did you mean 'offers'?); allowed keys: managingTenant,"),
]


@pytest.mark.parametrize(("case", "key", "reason"), TOP_LEVEL, ids=[t[0] for t in TOP_LEVEL])
def test_a_top_level_input_is_named_as_the_component_names_it(case: str, key: str, reason: str) -> None:
    # From Python the args are a plain dict (the engine checks other languages' against the schema first):
    # the user wrote `onboarding`, not the stack file's `lighthouse-iac:onboarding`.
    values = sdk_inputs(STACKS[0])
    if case == "missing":
        del values[key]
    else:
        values[key] = values["offers"]
    with pytest.raises(pulumi.InputPropertiesError) as raised:
        validated(STACKS[0], values)
    error = raised.value
    assert error.errors is not None
    assert [e["property_path"] for e in error.errors] == [key], error
    assert error.errors[0]["reason"].startswith(reason), error
    assert "lighthouse-iac:" not in error.message


def test_the_wheel_installs_no_top_level_components_module(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "venv", ".venv")
    for folder in ("lighthouse_iac", "components"):
        shutil.copytree(ROOT / folder, source / folder, ignore=ignore)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            ".",
        ],
        cwd=source,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        top = {
            name.split("/", 1)[0]
            for name in archive.namelist()
            if not name.split("/", 1)[0].endswith(".dist-info")
        }
    assert top == {"lighthouse_iac", "lighthouse_iac_components"}
