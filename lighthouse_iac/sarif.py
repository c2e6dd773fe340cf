"""SARIF 2.1.0 for code scanning: each verdict on the line of the offending key in its stack file."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import __version__
from .errors import Problem, format_path
from .rules import RULES, Rule, Verdict
from .validation import Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
_LEVELS = MappingProxyType({"mandatory": "error", "advisory": "warning"})
# GitHub code scanning ranks security alerts by this CVSS-like score.
_SECURITY_SEVERITY = MappingProxyType({"critical": "9.0", "high": "7.5", "medium": "5.0", "low": "2.0"})


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


def _rule(rule: Rule, project_dir: Path, base: str | None) -> dict[str, Any]:
    return {
        "id": rule.name,
        "name": "".join(part.title() for part in rule.name.split("-")),
        "shortDescription": {"text": rule.description},
        "fullDescription": {"text": f"{rule.description} Sources: {', '.join(rule.facts)}."},
        **({"helpUri": base + rule.doc} if base else {}),
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


INVALID_INPUT = "lighthouse-invalid-input"


def _invalid_input_rule(base: str | None) -> dict[str, Any]:
    """Input that cannot be checked: a result too, so that code scanning shows it on its line."""
    text = (
        "The file is not valid configuration (or not a readable template), so the policy rules could not "
        "check it: the message names the key and what is allowed."
    )
    return {
        "id": INVALID_INPUT,
        "name": "InvalidInput",
        "shortDescription": {"text": "Invalid input: the rules could not check this file."},
        "fullDescription": {"text": text},
        **({"helpUri": base + "docs/configuration.md"} if base else {}),
        "help": {"text": text, "markdown": text},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["azure-lighthouse", "invalid-input"], "precision": "very-high"},
    }


def _problem_result(problem: Problem, index: int, project_dir: Path) -> dict[str, Any]:
    path = problem.path
    return {
        "ruleId": INVALID_INPUT,
        "ruleIndex": index,
        "level": "error",
        "message": {"text": f"{path}: {problem.message}" if path else problem.message},
        "locations": [_location(problem.file, problem.line, path, project_dir)],
        "partialFingerprints": {"lighthouseKey/v1": f"{INVALID_INPUT}|{problem.file}|{path}"},
    }


def _notification(problem: Problem, project_dir: Path) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": f"{problem.path}: {problem.message}" if problem.path else problem.message},
        "locations": [_location(problem.file, problem.line, problem.path, project_dir)],
    }


def render_sarif(report: Report, project_dir: Path, base: str | None = None) -> dict[str, Any]:
    """`base`: where the rule pages open in a browser (repository.web_base); None: no helpUri."""
    index = {rule.name: i for i, rule in enumerate(RULES)}
    rules = [_rule(rule, project_dir, base) for rule in RULES]
    # A problem in a file is a result on its line; one about an argument has no line to show it on.
    located = [p for p in report.problems if p.file is not None]
    if located:
        rules.append(_invalid_input_rule(base))
    driver: dict[str, Any] = {"name": "lighthouse-iac", "version": __version__, "rules": rules}
    if base:
        driver["informationUri"] = base + "docs/policy-pack.md"
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": {SRCROOT: {"uri": project_dir.resolve().as_uri() + "/"}},
                "invocations": [
                    {
                        "executionSuccessful": not report.problems,
                        "toolConfigurationNotifications": [
                            _notification(p, project_dir) for p in report.problems
                        ],
                    }
                ],
                "results": [_result(v, index[v.rule], project_dir) for v in report.verdicts]
                + [_problem_result(p, len(RULES), project_dir) for p in located],
            }
        ],
    }
