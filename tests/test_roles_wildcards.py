"""Azure's action wildcards, matched as text (roles._matches): the same answers as the regular expression
they replace, which read `*` as any run of characters, case-insensitively, anchored at both ends."""

from __future__ import annotations

import re

import pytest

from lighthouse_iac import roles
from lighthouse_iac.catalogues import load_catalogue


def _compiled(pattern: str) -> re.Pattern[str]:
    # What roles.py compiled before, kept here as the reference the text comparison must agree with.
    return re.compile("^" + ".*".join(re.escape(p) for p in pattern.split("*")) + "\\Z", re.IGNORECASE)


def _regex(pattern: str, operation: str) -> bool:
    return _compiled(pattern).match(operation) is not None


@pytest.mark.parametrize(
    ("pattern", "operation", "expected"),
    [
        ("*", "Microsoft.Compute/virtualMachines/write", True),
        ("*/read", "Microsoft.Compute/virtualMachines/read", True),  # spans segments
        ("*/read", "Microsoft.Compute/virtualMachines/readers/write", False),
        ("microsoft.authorization/*", "Microsoft.Authorization/roleAssignments/write", True),
        ("Microsoft.Authorization/*/Write", "microsoft.authorization/roleassignments/write", True),
        ("Microsoft.Authorization/*/Delete", "Microsoft.Authorization/roleAssignments/write", False),
        ("Microsoft.CostManagement/*/query/*", "Microsoft.CostManagement/exports/query/action", True),
        ("Microsoft.CostManagement/*/query/*", "Microsoft.CostManagement/query/action", False),
        ("a*a", "a", False),  # the first and last pieces may not overlap
        ("a*a", "aa", True),
        ("ab*bc*cd", "abcd", False),
        ("ab*bc*cd", "abbccd", True),
        ("a**b", "ab", True),
        ("Microsoft.Support/*", "Microsoft.Support", False),
        ("Microsoft.Resources/subscriptions/read", "MICROSOFT.RESOURCES/SUBSCRIPTIONS/READ", True),
        ("Microsoft.Resources/subscriptions/read", "Microsoft.Resources/subscriptions/read/x", False),
        ("x/*", "x/a\nb", False),  # a star stopped at a line break, and still does
        ("*/reaD", "\u212a/read", True),  # the Kelvin sign is a K to Unicode's simple case folding
        ("\u0130*", "i/read", True),
    ],
)
def test_a_wildcard_covers_what_azure_matches(pattern: str, operation: str, expected: bool) -> None:
    assert roles.matching((pattern,), operation) == ((pattern,) if expected else ())
    assert _regex(pattern, operation) is expected


def test_every_catalogue_wildcard_agrees_with_the_regular_expression() -> None:
    catalogue = load_catalogue()
    wildcards = sorted({p for r in catalogue for p in (*r.actions, *r.not_actions) if "*" in p})
    operations = [
        *roles.RESTRICTED_OPERATIONS,
        roles.READ_EVERYTHING,
        roles.ROLE_ASSIGNMENTS_WRITE,
        # Operations of the providers the catalogue names, in another case, some matched and some not.
        *sorted({p.replace("*", "x/read").swapcase() for p in wildcards})[::9],
    ]
    differ, matched = [], 0
    for pattern in wildcards:
        compiled = _compiled(pattern)
        answers = [(o, bool(roles.matching((pattern,), o))) for o in operations]
        differ += [o for o, answer in answers if answer != bool(compiled.match(o))]
        matched += sum(answer for _, answer in answers)
    assert len(wildcards) > 500 and 0 < matched < len(wildcards) * len(operations) / 10 and not differ


def test_a_role_allows_what_its_actions_cover_less_its_not_actions() -> None:
    catalogue = load_catalogue()
    contributor = catalogue.by_id(roles.CONTRIBUTOR)
    assert contributor is not None
    assert roles.allows(contributor, "Microsoft.Compute/virtualMachines/write")
    assert not roles.allows(contributor, "Microsoft.Authorization/roleAssignments/write")
    summary = catalogue.summary(roles.CONTRIBUTOR)
    assert summary is not None and summary.reads_everything and not summary.restricted
