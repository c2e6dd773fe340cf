"""SARIF 2.1.0 for code scanning: each verdict on the line of the offending key in its stack file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import __version__
from .errors import Problem, format_path
from .rules import RULES, Rule, Verdict
from .validation import Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
_LEVELS = {"mandatory": "error", "advisory": "warning"}
# GitHub code scanning ranks security alerts by this CVSS-like score.
_SECURITY_SEVERITY = {"critical": "9.0", "high": "7.5", "medium": "5.0", "low": "2.0"}


def docs_base(project_dir: Path, environ: Mapping[str, str] = os.environ) -> str:
    """Where the rule pages are: the repository on GitHub when run by GitHub Actions, else the folder."""
    server, repo, sha = (environ.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"))
    if server and repo and sha:
        prefix = ""
        workspace = environ.get("GITHUB_WORKSPACE")
        if workspace:
            try:
                inner = project_dir.resolve().relative_to(Path(workspace).resolve()).as_posix()
                prefix = "" if inner == "." else f"{inner}/"
            except ValueError:
                pass
        return f"{server}/{repo}/blob/{sha}/{prefix}"
    return project_dir.resolve().as_uri() + "/"


def _relative(file: str | None, project_dir: Path) -> str | None:
    if file is None:
        return None
    try:
        return Path(file).resolve().relative_to(project_dir.resolve()).as_posix()
    except ValueError:
        return Path(file).as_posix()


def _help(rule: Rule, project_dir: Path) -> dict[str, str]:
    page = project_dir / rule.doc
    text = f"{rule.description}\n\nHow to fix: {rule.remediation}"
    markdown = page.read_text("utf-8") if page.is_file() else text
    return {"text": text, "markdown": markdown}


def _rule(rule: Rule, project_dir: Path, base: str) -> dict[str, Any]:
    return {
        "id": rule.name,
        "name": "".join(part.title() for part in rule.name.split("-")),
        "shortDescription": {"text": rule.description},
        "fullDescription": {"text": f"{rule.description} Sources: {', '.join(rule.facts)}."},
        "helpUri": base + rule.doc,
        "help": _help(rule, project_dir),
        "defaultConfiguration": {"level": _LEVELS[rule.level]},
        "properties": {
            "tags": ["security", "azure-lighthouse", *rule.facts],
            "security-severity": _SECURITY_SEVERITY[rule.severity],
            "precision": "very-high",
        },
    }


def _location(file: str | None, line: int | None, path: str, project_dir: Path) -> dict[str, Any]:
    location: dict[str, Any] = {}
    uri = _relative(file, project_dir)
    if uri is not None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": uri, "uriBaseId": SRCROOT}}
        if line is not None:
            physical["region"] = {"startLine": line}
        location["physicalLocation"] = physical
    if path:
        location["logicalLocations"] = [{"fullyQualifiedName": path, "kind": "member"}]
    return location


def _result(verdict: Verdict, index: int, project_dir: Path) -> dict[str, Any]:
    path = format_path(verdict.loc)
    result: dict[str, Any] = {
        "ruleId": verdict.rule,
        "ruleIndex": index,
        "level": _LEVELS[verdict.level],
        "message": {"text": f"{path}: {verdict.message}" if path else verdict.message},
        "locations": [_location(verdict.file, verdict.line, path, project_dir)],
        # Stable across unrelated edits that move lines: code scanning matches alerts by these.
        "partialFingerprints": {"lighthouseKey/v1": f"{verdict.rule}|{verdict.file}|{path}"},
    }
    if verdict.resource:
        result["properties"] = {"resource": verdict.resource}
    return result


def _notification(problem: Problem, project_dir: Path) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": f"{problem.path}: {problem.message}" if problem.path else problem.message},
        "locations": [_location(problem.file, problem.line, problem.path, project_dir)],
    }


def render_sarif(report: Report, project_dir: Path, base: str | None = None) -> dict[str, Any]:
    base = base if base is not None else docs_base(project_dir)
    index = {rule.name: i for i, rule in enumerate(RULES)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "lighthouse-iac",
                        "version": __version__,
                        "informationUri": base + "docs/policy-pack.md",
                        "rules": [_rule(rule, project_dir, base) for rule in RULES],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": project_dir.resolve().as_uri() + "/"}},
                "invocations": [
                    {
                        "executionSuccessful": not report.problems,
                        "toolConfigurationNotifications": [
                            _notification(p, project_dir) for p in report.problems
                        ],
                    }
                ],
                "results": [_result(v, index[v.rule], project_dir) for v in report.verdicts],
            }
        ],
    }
