"""JSON and CSV: the same rows as the access model, field for field."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

from lighthouse_iac.fleet import load_fleet
from lighthouse_iac.report.diff import compare
from lighthouse_iac.report.document import (
    COLUMNS,
    diff_csv,
    diff_json,
    dumps,
    json_chunks,
    report_csv,
    report_fields,
    report_json,
)
from lighthouse_iac.report.summary import Finding, Report, build_report

from ..engine import FIXTURE


def _report() -> Report:
    return build_report(load_fleet(FIXTURE).require_valid())


def test_json_has_one_entry_per_row_and_the_summaries() -> None:
    report = _report()
    data = json.loads(json.dumps(report_json(report)))
    assert [a["scope"] for a in data["access"]] == [r.scope for r in report.access]
    assert {(a["principal"], a["role"], a["access"]) for a in data["access"]} == {
        (r.principal, r.role, r.kind) for r in report.access
    }
    eligible = next(a for a in data["access"] if a["stack"] == "contoso" and a["access"] == "eligible")
    assert eligible["requireMfa"] is True
    assert eligible["maximumActivation"] == "PT4H"
    assert eligible["approvers"] == ["msp-approvers"]
    assert [c["stack"] for c in data["customers"]] == ["contoso", "tailspin", "wingtip"]
    assert {"permanentRoles", "eligibleRoles", "objectId"} <= set(data["principals"][0])
    assert data["managingTenant"]["name"] == "Fabrikam Managed Cloud"


def test_csv_rows_equal_the_json_rows() -> None:
    report = _report()
    rows = list(csv.DictReader(io.StringIO(report_csv(report))))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == len(report.access)
    for row, entry in zip(rows, report_json(report)["access"], strict=True):
        for column in COLUMNS:
            value = entry[column]
            expected = (
                ""
                if value is None
                else str(value).lower()
                if isinstance(value, bool)
                else ";".join(value)
                if isinstance(value, list)
                else str(value)
            )
            assert row[column] == expected, column


def test_diff_json_and_csv_list_each_change_once() -> None:
    rows = _report().access
    base = [r for r in rows if r.principal != "msp-security"]
    head = [r for r in rows if r.stack != "wingtip"]
    diff = compare(base, head, "main", ["contoso", "tailspin", "wingtip"], ["contoso", "tailspin"])
    data = diff_json(diff)
    assert len(data["gained"]) == sum(r.principal == "msp-security" for r in rows) > 0
    assert len(data["lost"]) == sum(r.stack == "wingtip" for r in rows) > 0
    assert data["removedStacks"] == ["wingtip"]
    table = list(csv.DictReader(io.StringIO(diff_csv(diff))))
    assert [r["change"] for r in table] == ["gained"] * len(data["gained"]) + ["lost"] * len(data["lost"])
    assert {r["principal"] for r in table if r["change"] == "gained"} == {"msp-security"}


def test_csv_cells_never_start_a_formula() -> None:
    report = _report()
    first = report.access[0]
    odd = replace(report, access=(replace(first, customer='=HYPERLINK("http://x")', offer_name="@SUM(1)"),))
    [row] = list(csv.DictReader(io.StringIO(report_csv(odd))))
    assert row["customer"] == '\'=HYPERLINK("http://x")'
    assert row["offerName"] == "'@SUM(1)"
    assert row["principal"] == first.principal  # ordinary values are left alone


def test_the_json_written_in_pieces_is_the_report_json() -> None:
    report = _report()
    text = "".join(json_chunks(report_fields(report)))
    assert json.loads(text) == json.loads(json.dumps(report_json(report)))
    access = text.split('\n  "access": [\n', 1)[1].split("\n  ]", 1)[0]
    assert len(access.splitlines()) == len(report.access)  # one access row per line
    assert text == dumps(report_json(report))


def test_summaries_and_verdicts_are_their_fields_in_camel_case() -> None:
    finding = Finding("contoso", "some-rule", "advisory", "a message", "stacks/Pulumi.contoso.yaml", 7)
    report = replace(_report(), findings=(finding,))
    data = json.loads(dumps(report_json(report)))
    assert data["verdicts"] == [
        {
            "stack": "contoso",
            "rule": "some-rule",
            "level": "advisory",
            "message": "a message",
            "file": "stacks/Pulumi.contoso.yaml",
            "line": 7,
        }
    ]
    for entry, summary in zip(data["customers"], report.customers, strict=True):
        assert entry == {
            "stack": summary.stack,
            "customer": summary.customer,
            "tenantId": summary.tenant_id,
            "offers": summary.offers,
            "subscriptions": summary.subscriptions,
            "scopes": summary.scopes,
            "principals": summary.principals,
            "permanent": summary.permanent,
            "eligible": summary.eligible,
            "offboarding": summary.offboarding,
            "mandatory": summary.mandatory,
            "advisory": summary.advisory,
        }
    principals = data["principals"]
    roles = {(p["principal"], tuple(p["permanentRoles"]), tuple(p["eligibleRoles"])) for p in principals}
    assert roles == {(p.principal, p.permanent_roles, p.eligible_roles) for p in report.principals}
    assert {"displayName", "kind", "objectId", "customers", "approves"} <= set(data["principals"][0])


def test_a_report_without_access_is_still_json() -> None:
    # No valid stack (an empty project, or every stack broken by a pull request): the access list is
    # empty, and the document must still be JSON, not a traceback half-way through it.
    report = replace(_report(), access=())
    data = json.loads("".join(json_chunks(report_fields(report))))
    assert data["access"] == []
    assert [c["stack"] for c in data["customers"]] == ["contoso", "tailspin", "wingtip"]
