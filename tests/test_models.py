"""The configuration models' own checks, against the pydantic declarations they stand in for."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from lighthouse_iac import ids, models
from lighthouse_iac.models import Offer, ResourceGroup

# What the models declared before the patterns were split (Rust's regex crate, bounded repetitions).
KEY = "^[a-z0-9][a-z0-9-]{0,62}$"
RESOURCE_GROUP = rf"^{ids.RESOURCE_GROUP_PATTERN}$"


class _Reference(BaseModel):
    model_config = ConfigDict(strict=True)
    key: Annotated[str, Field(pattern=KEY)] = "k"
    name: Annotated[str, Field(pattern=RESOURCE_GROUP)] = "rg"


def _errors(model: type[BaseModel], data: dict[str, Any]) -> list[tuple[Any, ...]]:
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return [
            (e["type"], e["loc"][-1], e["input"], (e.get("ctx") or {}).get("pattern")) for e in exc.errors()
        ]
    return []


KEYS = ["k", "a" * 63, "a" * 64, "-a", "a-", "Ab", "ab\n", "a b", "é", "", "0x", "a_b"]
NAMES = [
    "rg",
    "x" * 90,
    "x" * 91,
    "é" * 90,
    "é" * 91,
    "rg.name_(1)-2",
    "e\u0301",  # a combining mark: a word character to Rust's \w
    "a\u200db",  # a zero-width joiner (Join_Control): also one
    "rg name",
    "rg/1",
    "rg\n",
    "",
    "٣",  # an Arabic-Indic digit
]


@pytest.mark.parametrize("key", KEYS)
def test_an_offer_key_is_checked_as_its_pattern_did(key: str) -> None:
    offer = {
        "key": key,
        "name": "n",
        "description": "d",
        "authorizations": [{"principal": "p", "role": "Reader"}],
        "scopes": [{"subscription": "00000000-0000-0000-0000-000000000001"}],
    }
    assert _errors(Offer, offer) == _errors(_Reference, {"key": key})


@pytest.mark.parametrize("name", NAMES)
def test_a_resource_group_name_is_checked_as_its_pattern_did(name: str) -> None:
    got = _errors(ResourceGroup, {"name": name})
    expected = _errors(_Reference, {"name": name})
    # The characters are refused by a pattern without the bound, which pydantic names in its error.
    assert [e[:3] for e in got] == [e[:3] for e in expected]
    if len(name) > ids.RESOURCE_GROUP_MAX_LENGTH:
        assert [e[3] for e in got] == [RESOURCE_GROUP]


def _models() -> list[type[BaseModel]]:
    return [m for m in vars(models).values() if isinstance(m, type) and issubclass(m, models.Model)]


def test_every_field_is_written_as_pydantics_to_camel_writes_it() -> None:
    # The models make their aliases without to_camel's regular expressions; the keys users write stay.
    fields = [name for model in _models() for name in model.model_fields]
    assert len(_models()) > 10 and "object_id" in fields
    assert {f: models.camel(f) for f in fields} == {f: to_camel(f) for f in fields}
    assert models.Onboarding.model_fields["shared_identity_reason"].alias == "sharedIdentityReason"


def test_empty_defaults_are_new_for_each_stack() -> None:
    # Made by the models' own factories: a default filled in for one customer is never another's.
    first, second = models.Adopt.model_validate({}), models.Adopt.model_validate({})
    first.assignment_ids["x"] = "y"
    authorization = {"principal": "p", "role": "Reader"}
    one = models.EligibleAuthorization.model_validate(authorization)
    one.approvers.append("team")
    other = models.EligibleAuthorization.model_validate(authorization)
    assert second.assignment_ids == {} and other.approvers == []
    assert models.LighthouseConfig.model_fields["offers"].get_default(call_default_factory=True) == []
