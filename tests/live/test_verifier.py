"""The live verifier's reading of ARM and Graph: what it trusts, what it bounds, what it escapes."""

from __future__ import annotations

from pathlib import Path

from lighthouse_iac.config import load_stack
from lighthouse_iac.live.arm import MAX_PAGES
from lighthouse_iac.onboarding_identity import SubscriptionAccess, findings

from ..projects import STACK, make_project
from .fake_azure import OWNER, FakeAzure, FakeCredential, Reply, me, permissions
from .scenario import MEMBER_UPN, OBJECT, SUB1, TENANT, live


def _sub1(fake: FakeAzure, *replies: Reply) -> SubscriptionAccess:
    fake.on_permissions(SUB1, *replies)
    [access] = live(FakeCredential(OBJECT, TENANT)).observe([SUB1], directory=False).subscriptions
    return access


def test_a_next_link_to_another_host_is_not_followed(fake: FakeAzure) -> None:
    access = _sub1(
        fake, permissions(OWNER, next_link="https://attacker.example/steal?api-version=2022-04-01")
    )
    assert access.error == (
        f"a nextLink leaves {fake.base_url}: https://attacker.example/steal?api-version=2022-04-01"
    )
    assert access.permissions == ()  # what came before an untrusted link is not a verdict either
    assert fake.seen == [fake.permissions_path(SUB1)]


def test_an_endless_next_link_is_bounded(fake: FakeAzure) -> None:
    link = f"{fake.base_url}{fake.permissions_path(SUB1)}?api-version=2022-04-01&$skiptoken=again"
    access = _sub1(fake, permissions(next_link=link))
    assert access.error == f"more than {MAX_PAGES} pages of permissions"
    assert len(fake.seen) == MAX_PAGES


def test_an_unexpected_shape_is_an_error_not_a_pass(fake: FakeAzure) -> None:
    access = _sub1(fake, Reply(200, {"value": [{"actions": "*"}]}))
    assert access.error == "ARM answered an unexpected shape: 'actions' is not a list of strings"


def test_graph_answering_for_another_object_is_not_believed(fake: FakeAzure) -> None:
    fake.on_me(me("0ecf0fd8-752b-4aa3-bcb9-7dc20789f2c1", "Member", MEMBER_UPN))
    identity = live(FakeCredential(OBJECT, TENANT)).observe([], directory=True).identity
    assert identity.directory_error == f"/me is object 0ecf0fd8-752b-4aa3-bcb9-7dc20789f2c1, not {OBJECT}"
    assert identity.user_type is None


def test_text_from_azure_is_escaped_for_the_terminal(fake: FakeAzure, tmp_path: Path) -> None:
    fake.on_permissions(SUB1, permissions(OWNER))
    fake.on_me(me(OBJECT, "Guest\x1b[2J", "eve\x1b]0;owned\x07#EXT#@northwind.onmicrosoft.com"))
    observed = live(FakeCredential(OBJECT, TENANT)).observe([SUB1], directory=True)
    config = load_stack(make_project(tmp_path), STACK).config
    [finding] = findings(config, observed)
    assert "\x1b" not in finding.render() and "\x07" not in finding.render()
    assert "userType Guest\\x1b[2J (eve\\x1b]0;owned\\x07#EXT#@northwind.onmicrosoft.com)" in finding.found
