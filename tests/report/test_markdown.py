"""Markdown: the report for a file, the diff for a pull request comment."""

from __future__ import annotations

from dataclasses import replace

from lighthouse_iac.fleet import load_fleet
from lighthouse_iac.report.diff import compare
from lighthouse_iac.report.markdown import MARKER, render_diff, render_report
from lighthouse_iac.report.summary import build_report

from ..engine import FIXTURE


def test_every_row_is_in_its_customer_section() -> None:
    report = build_report(load_fleet(FIXTURE).require_valid())
    text = render_report(report)
    sections = text.split("\n### ")[1:]
    assert [s.splitlines()[0] for s in sections] == [
        "Contoso Ltd (`contoso`)",
        "Tailspin Toys (`tailspin`)",
        "Wingtip Toys (`wingtip`)",
    ]
    for customer, section in zip(report.customers, sections, strict=True):
        rows = [line for line in section.splitlines() if line.startswith("| msp-")]
        assert len(rows) == customer.permanent + customer.eligible
    assert (
        "| msp-oncall | Contributor | can change resources | eligible | up to PT4H, MFA, "
        "approvers: msp-approvers |" in text
    )


def test_cells_cannot_break_the_table() -> None:
    report = build_report(load_fleet(FIXTURE).require_valid())
    first = report.access[0]
    odd = replace(report, access=(replace(first, principal="a|b\nc"),))
    table_rows = [line for line in render_report(odd).splitlines() if "a\\|b c" in line]
    assert len(table_rows) == 1
    assert table_rows[0].count(" | ") == 7  # eight cells: the pipe in the name is escaped


def test_diff_comment_is_cut_below_the_limit_and_says_so() -> None:
    rows = build_report(load_fleet(FIXTURE).require_valid()).access
    diff = compare(rows[:10], rows[10:], "main")  # 10 lost, the others gained: two tables
    full = render_diff(diff)
    assert full.startswith(MARKER)
    assert full.count("\n| ") == len(rows) + 2  # one line per row, and a header line per table
    cut = render_diff(diff, limit=2000)
    assert len(cut) <= 2000
    shown = sum(1 for line in cut.splitlines() if line.startswith("| ") and "(`" in line)
    assert 0 < shown < len(rows)
    assert cut.rstrip().endswith(
        f"... and {len(rows) - shown} more rows, cut to stay under 2000 characters: run the same command "
        "without --max-length for the full report."
    )


def test_no_change_says_so() -> None:
    rows = build_report(load_fleet(FIXTURE).require_valid()).access
    assert (
        render_diff(compare(rows, rows, "origin/main")).splitlines()[-1]
        == "No access gained, lost or changed."
    )
