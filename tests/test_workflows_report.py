"""The pull request's access report: invalid stacks fail the job only after the report is kept and posted."""

from __future__ import annotations

from typing import Any

import yaml

from .engine import ROOT


def _steps() -> list[dict[str, Any]]:
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "pull-request.yml").read_text())
    steps: list[dict[str, Any]] = flow["jobs"]["access-diff"]["steps"]
    return steps


def test_every_report_is_made_before_the_exit_status_counts() -> None:
    report = next(s for s in _steps() if s.get("id") == "report")
    commands = [line for line in report["run"].splitlines() if "lighthouse-iac report" in line]
    assert len(commands) == 3
    assert all(line.rstrip().endswith("|| status=$?") for line in commands)  # exit 2 does not stop the step
    assert 'echo "status=$status" >> "$GITHUB_OUTPUT"' in report["run"]


def test_the_job_fails_last_with_the_reports_status() -> None:
    steps = _steps()
    last = steps[-1]
    assert last["if"] == "steps.report.outputs.status != '0'"
    assert last["env"] == {"STATUS": "${{ steps.report.outputs.status }}"}
    assert last["run"].rstrip().endswith('exit "$STATUS"')
    before = [s.get("uses", "") for s in steps[:-1]]
    assert any(u.startswith("actions/upload-artifact@") for u in before)
    assert any(u.startswith("actions/github-script@") for u in before)  # the comment is posted
