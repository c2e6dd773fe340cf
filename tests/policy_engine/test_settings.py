"""Rule settings from a policy pack config document: levels, tunables, and every mistake named."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from lighthouse_iac.policy_engine.settings_file import changes
from lighthouse_iac.rules import BY_NAME, RULES, RuleSettings, parse_settings
from lighthouse_iac.rules.authorization_limit import MAXIMUM_AUTHORIZATIONS
from lighthouse_iac.rules.eligible_activation import MAXIMUM_ACTIVATION
from lighthouse_iac.rules.group_principals import ALLOW_SERVICE_PRINCIPALS
from lighthouse_iac.rules.managing_tenant import ALLOWED_TENANT_IDS
from lighthouse_iac.rules.prefer_eligible import PRIVILEGED_ROLES

from ..engine import ROOT


def test_defaults_are_the_documented_limits() -> None:
    settings = RuleSettings()
    assert (settings.value(MAXIMUM_ACTIVATION), settings.value(MAXIMUM_AUTHORIZATIONS)) == ("PT8H", 20)
    assert settings.value(ALLOW_SERVICE_PRINCIPALS) is False
    assert settings.value(ALLOWED_TENANT_IDS) == ()
    assert {r.name: settings.level(r) for r in RULES} == {r.name: r.level for r in RULES}


def test_levels_and_tunables_from_a_pack_config() -> None:
    settings, problems = parse_settings(
        {
            "all": "advisory",
            "lighthouse-no-owner-role": "mandatory",
            "lighthouse-display-name": {"enforcementLevel": "disabled"},
            "lighthouse-eligible-activation": {"maximumActivation": "PT4H"},
            "lighthouse-group-principals": {"allowServicePrincipals": True},
            "lighthouse-authorization-limit": {"enforcementLevel": "mandatory", "maximumAuthorizations": 15},
            "lighthouse-managing-tenant": {"allowedTenantIds": ["D980BA46-0CED-44E9-BA1F-FE956DB47FE4"]},
            "lighthouse-prefer-eligible": {"privilegedRoles": ["Contributor", "Security Admin"]},
        },
        RULES,
    )
    assert problems == []
    assert settings.level(BY_NAME["lighthouse-no-owner-role"]) == "mandatory"
    assert settings.level(BY_NAME["lighthouse-eligible-mfa"]) == "advisory"  # from `all`
    assert settings.level(BY_NAME["lighthouse-supported-role"]) == "mandatory"  # `all` cannot relax it
    assert settings.effective(BY_NAME["lighthouse-display-name"]) is None
    assert settings.level(BY_NAME["lighthouse-authorization-limit"]) == "mandatory"
    assert settings.value(MAXIMUM_ACTIVATION) == "PT4H"
    assert settings.value(ALLOW_SERVICE_PRINCIPALS) is True
    assert settings.value(MAXIMUM_AUTHORIZATIONS) == 15
    assert settings.value(ALLOWED_TENANT_IDS) == ("d980ba46-0ced-44e9-ba1f-fe956db47fe4",)
    assert settings.value(PRIVILEGED_ROLES) == ("Contributor", "Security Admin")


LOCKED = [
    "lighthouse-no-owner-role",
    "lighthouse-supported-role",
    "lighthouse-user-access-administrator",
    "lighthouse-known-principal",
    "lighthouse-group-principals",
    "lighthouse-managing-tenant",
    "lighthouse-onboarding-not-guest",
    "lighthouse-onboarding-can-assign-roles",
    "lighthouse-policy-inputs",
]


def test_the_rules_the_delegations_rest_on_are_locked() -> None:
    assert [r.name for r in RULES if r.locked] == LOCKED


@pytest.mark.parametrize("name", LOCKED)
@pytest.mark.parametrize("level", ["advisory", "disabled"])
@pytest.mark.parametrize("nested", [False, True], ids=["level", "enforcementLevel"])
def test_a_locked_rule_cannot_be_relaxed(name: str, level: str, nested: bool) -> None:
    data = {name: {"enforcementLevel": level} if nested else level}
    settings, problems = parse_settings(data, RULES)
    where = (name, "enforcementLevel") if nested else (name,)
    assert problems == [
        (
            where,
            f"{name} is always mandatory and cannot be {level}: it is one of the rules the delegations "
            "rest on (docs/security.md); remove this setting",
        )
    ]
    assert settings.level(BY_NAME[name]) == "mandatory"


def test_all_disabled_leaves_the_locked_rules_mandatory_and_says_so() -> None:
    settings, problems = parse_settings({"all": "disabled"}, RULES)
    assert problems == []
    assert {r.name for r in RULES if settings.effective(r) == "mandatory"} == set(LOCKED)
    assert changes(settings, RULES)[0] == (
        f"all: disabled, except the rules that are always mandatory ({', '.join(LOCKED)})"
    )


def test_changes_name_every_rule_a_configuration_changes() -> None:
    settings, problems = parse_settings(
        {
            "lighthouse-no-owner-role": "mandatory",
            "lighthouse-display-name": "disabled",
            "lighthouse-eligible-activation": {"maximumActivation": "PT4H"},
            "lighthouse-managing-tenant": {"allowedTenantIds": ["d980ba46-0ced-44e9-ba1f-fe956db47fe4"]},
        },
        RULES,
    )
    assert problems == []
    assert changes(settings, RULES) == [
        "lighthouse-eligible-activation: maximumActivation PT4H (by default PT8H)",
        "lighthouse-managing-tenant: allowedTenantIds [d980ba46-0ced-44e9-ba1f-fe956db47fe4] (by default [])",
        "lighthouse-display-name: disabled (by default advisory)",
    ]
    assert changes(RuleSettings(), RULES) == []


def test_remediate_counts_as_mandatory() -> None:
    settings, problems = parse_settings({"lighthouse-no-owner-role": "remediate"}, RULES)
    assert problems == []
    assert settings.level(BY_NAME["lighthouse-no-owner-role"]) == "mandatory"


BAD: list[tuple[str, Any, list[tuple[tuple[str | int, ...], str]]]] = [
    ("not-a-mapping", ["all"], [((), "expected a mapping of rule names to settings, found a list")]),
    (
        "unknown-rule",
        {"lighthouse-no-owner": "mandatory"},
        [
            (
                ("lighthouse-no-owner",),
                "unknown rule 'lighthouse-no-owner' (did you mean 'lighthouse-no-owner-role'?); "
                "see docs/policy-pack.md",
            )
        ],
    ),
    (
        "unknown-level",
        {"all": "strict"},
        [(("all",), "'strict' is not a level; allowed: mandatory, advisory, disabled")],
    ),
    (
        "unknown-setting",
        {"lighthouse-eligible-activation": {"maxActivation": "PT4H"}},
        [
            (
                ("lighthouse-eligible-activation", "maxActivation"),
                "unknown setting 'maxActivation' (did you mean 'maximumActivation'?); allowed: "
                "enforcementLevel, maximumActivation",
            )
        ],
    ),
    (
        "setting-of-another-rule",
        {"lighthouse-no-owner-role": {"maximumActivation": "PT4H"}},
        [
            (
                ("lighthouse-no-owner-role", "maximumActivation"),
                "unknown setting 'maximumActivation'; allowed: enforcementLevel",
            )
        ],
    ),
    (
        "activation-beyond-azure",
        {"lighthouse-eligible-activation": {"maximumActivation": "PT12H"}},
        [
            (
                ("lighthouse-eligible-activation", "maximumActivation"),
                "expected an ISO 8601 duration within PT30M..PT8H (ELIG), written PT<h>H, PT<h>H<m>M or "
                "PT<m>M, found 'PT12H'",
            )
        ],
    ),
    (
        "tenant-not-a-guid",
        {"lighthouse-managing-tenant": {"allowedTenantIds": ["fabrikam.onmicrosoft.com"]}},
        [
            (
                ("lighthouse-managing-tenant", "allowedTenantIds"),
                "expected a list of tenant GUIDs; 'fabrikam.onmicrosoft.com' is not a GUID",
            )
        ],
    ),
    (
        "limit-zero",
        {"lighthouse-authorization-limit": {"maximumAuthorizations": 0}},
        [
            (
                ("lighthouse-authorization-limit", "maximumAuthorizations"),
                "expected a whole number of at least 1, found 0",
            )
        ],
    ),
    (
        "flag-as-text",
        {"lighthouse-group-principals": {"allowServicePrincipals": "yes"}},
        [
            (
                ("lighthouse-group-principals", "allowServicePrincipals"),
                "expected true or false, found 'yes'",
            )
        ],
    ),
]


@pytest.mark.parametrize(("data", "problems"), [(d, p) for _, d, p in BAD], ids=[i for i, _, _ in BAD])
def test_mistakes_are_named_and_ignored(data: Any, problems: list[tuple[tuple[str | int, ...], str]]) -> None:
    settings, found = parse_settings(data, RULES)
    assert found == problems
    assert settings == RuleSettings()


def test_the_shipped_example_spells_out_the_defaults() -> None:
    example = json.loads((ROOT / "policies" / "policy-config.example.json").read_text())
    settings, problems = parse_settings(example, RULES)
    assert problems == []
    # The file also goes to `pulumi preview`, whose pack has no policy for the rules across stacks.
    in_pack = [r for r in RULES if not r.fleet]
    assert sorted(example) == sorted(r.name for r in in_pack)
    assert replace(settings, levels={}) == RuleSettings()
    assert settings.levels == {r.name: r.level for r in in_pack}
