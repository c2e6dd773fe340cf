"""`lighthouse-iac export`: the files a customer deploys, or what Partner Center needs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lighthouse_iac.arm.export import export_files
from lighthouse_iac.cli import main
from lighthouse_iac.config import load_stack
from lighthouse_iac.plan import build_plan

from ..engine import FIXTURE


def test_arm_export_writes_the_files_and_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tailspin"
    assert main(["-C", str(FIXTURE), "export", "tailspin", "-o", str(out), "--location", "northeurope"]) == 0
    expected = export_files(build_plan(load_stack(FIXTURE, "tailspin")), "northeurope")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == expected
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Wrote {len(expected)} files to {out}:"
    assert lines[-1] == f"Give the folder to Tailspin Toys; {out / 'README.md'} says how to deploy it."


def test_files_no_longer_exported_are_pointed_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "11111111-2222-4333-8444-555555555555.template.json").write_text("{}")
    assert main(["-C", str(FIXTURE), "export", "wingtip", "-o", str(tmp_path)]) == 0
    assert capsys.readouterr().err == (
        f"lighthouse-iac: {tmp_path / '11111111-2222-4333-8444-555555555555.template.json'} is not part "
        "of this "
        "export (a subscription or offer no longer in the stack?); remove it so nobody deploys it\n"
    )


def test_marketplace_export_prints_the_partner_center_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["-C", str(FIXTURE), "export", "wingtip", "--format", "marketplace", "-o", str(tmp_path)]) == 0
    )
    document = json.loads((tmp_path / "cost-insights.partner-center.json").read_text())
    assert document["plan"]["planId"] == "cost-insights-standard"
    out = capsys.readouterr().out.splitlines()
    assert out[:4] == [
        "Plan cost-insights-standard of offer fabrikam-cost-insights by fabrikam-managed-cloud: "
        "Fabrikam Cost "
        "Insights",
        "  Manifest version  1.0.0",
        "  Tenant ID         d980ba46-0ced-44e9-ba1f-fe956db47fe4 (Fabrikam Managed Cloud)",
        f"  Authorizations    {len(document['authorizations'])} of at most 20",
    ]


def test_refusals_exit_2_with_the_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["-C", str(FIXTURE), "export", "contoso", "--format", "marketplace", "-o", str(tmp_path)]) == 2
    )
    err = capsys.readouterr().err
    assert err.endswith(
        "offers: no offer of stack 'contoso' has a Marketplace plan; add plan {name, publisher, product, "
        "version} to the offer you publish, or use --format arm\n"
    )
    assert list(tmp_path.iterdir()) == []
    assert main(["-C", str(FIXTURE), "export", "nobody"]) == 2
    assert "no stack file for customer 'nobody'" in capsys.readouterr().err


def test_an_output_path_that_is_a_file_or_runs_through_one_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    afile = tmp_path / "afile"
    afile.write_text("mine\n")
    assert main(["-C", str(FIXTURE), "export", "contoso", "-o", str(afile)]) == 2
    assert capsys.readouterr().err == (
        f"lighthouse-iac: -o {afile}: a file is there; -o names a folder to write the export to\n"
    )
    assert main(["-C", str(FIXTURE), "export", "contoso", "-o", str(afile / "sub")]) == 2
    assert capsys.readouterr().err == (
        f"lighthouse-iac: -o {afile / 'sub'}: cannot create the folder: Not a directory\n"
    )
    assert afile.read_text() == "mine\n"
    assert list(tmp_path.iterdir()) == [afile]


def test_the_customer_must_be_a_stack_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(FIXTURE), "export", "../contoso"]) == 2
    assert capsys.readouterr().err == (
        "'../contoso' is not a valid customer stack name; use letters, digits, '-', '_' and '.', starting "
        "with a letter or digit (the name of stacks/Pulumi.<customer>.yaml)\n"
    )
    assert not (FIXTURE / "contoso").exists()
