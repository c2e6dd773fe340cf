"""The audit's findings as text (terminal), JSON, Markdown (a GitHub issue) and SARIF (code scanning).

Names, descriptions and display names come from Azure, where a customer or another provider wrote them:
they are untrusted. Text drops control characters; Markdown escapes what would change the page.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .. import __version__
from ..sarif import SCHEMA, SRCROOT
from .compare import KINDS, AuditResult, Finding

MARKER = "<!-- lighthouse-iac audit -->"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+!|~&])")
TITLES = MappingProxyType(
    {
        "missing": "Missing",
        "unmanaged": "Unmanaged",
        "changed": "Changed",
        "guid-mismatch": "Mismatched GUIDs",
    }
)
WHAT = MappingProxyType(
    {
        "missing": "declared, but not in Azure (removed by the customer, or never onboarded)",
        "unmanaged": "delegated to the managing tenant, but no stack declares it",
        "changed": "the same GUID, other terms than the stack declares",
        "guid-mismatch": "the same offer on the same scope under another GUID: paste the adopt block",
    }
)


def clean(text: str) -> str:
    return _CONTROL.sub("?", text)


def md(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", clean(text)).replace("\n", " ")


def summary(result: AuditResult) -> str:
    counts = Counter(f.kind for f in result.findings)
    parts = [f"{counts[k]} {TITLES[k].lower()}" for k in KINDS]
    observed = result.observed
    line = (
        f"audit: {len(observed.read)} of {len(observed.subscriptions)} delegated subscriptions read, "
        f"{result.declared} declared assignments; " + ", ".join(parts)
    )
    if observed.errors:
        line += f"; {len(observed.errors)} could not be read"
    return line


def _where(f: Finding) -> str:
    tenant = f"customer tenant {f.customer_tenant_id}" if f.customer_tenant_id else "unknown customer"
    who = f.stack or tenant
    return f"{who}: {f.offer + ' ' if f.offer else ''}{f.scope}"


def render_text(result: AuditResult) -> str:
    lines = []
    for f in result.findings:
        location = f"{f.file}:{f.line}: " if f.file and f.line else ""
        lines.append(clean(f"{location}{f.kind}: {_where(f)}: {f.message}"))
        lines += [clean(f"    {d}") for d in f.details]
        lines += [f"    {line}" for line in f.adopt.splitlines()]
    lines += [clean(f"error: {e.where}: {e.message}") for e in result.observed.errors]
    lines.append(summary(result))
    return "\n".join(lines)


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "kind": f.kind,
        "stack": f.stack,
        "customer": f.customer,
        "customerTenantId": f.customer_tenant_id,
        "offer": f.offer or None,
        "subscriptionId": f.subscription_id,
        "scope": f.scope,
        "assignmentId": f.assignment_id or None,
        "definitionId": f.definition_id or None,
        "protected": f.protected,
        "message": f.message,
        "details": list(f.details),
        "adopt": f.adopt or None,
        "file": f.file,
        "line": f.line,
    }


def render_json(result: AuditResult) -> dict[str, Any]:
    observed = result.observed
    return {
        "inSync": not result.findings and not observed.errors,
        "summary": {k: sum(1 for f in result.findings if f.kind == k) for k in KINDS},
        "subscriptions": {"delegated": len(observed.subscriptions), "read": len(observed.read)},
        "declaredAssignments": result.declared,
        "findings": [finding_json(f) for f in result.findings],
        "errors": [{"where": e.where, "message": e.message} for e in observed.errors],
    }


def render_markdown(result: AuditResult) -> str:
    """One GitHub issue body: a summary, then each kind's findings; stable so that an update diffs well."""
    out = [MARKER, "## Azure Lighthouse audit", "", md(summary(result)), ""]
    if not result.findings and not result.observed.errors:
        out.append("Azure holds exactly what the stacks declare.")
    for kind in KINDS:
        found = [f for f in result.findings if f.kind == kind]
        if not found:
            continue
        out += [f"### {TITLES[kind]} ({len(found)})", "", f"_{WHAT[kind]}_", ""]
        for f in found:
            protected = " **protected**" if f.protected else ""
            out.append(f"- **{md(f.stack or 'no stack')}** `{md(f.scope)}`{protected}: {md(f.message)}")
            out += [f"  - {md(d)}" for d in f.details]
            if f.adopt:
                out += ["", "  ```yaml", *[f"  {line}" for line in f.adopt.splitlines()], "  ```"]
        out.append("")
    if result.observed.errors:
        out += ["### Could not be read", ""]
        out += [f"- `{md(e.where)}`: {md(e.message)}" for e in result.observed.errors]
        out.append("")
    out.append('What to do with each finding: docs/operations.md, "The audit".')
    return "\n".join(out) + "\n"


def _sarif_rule(kind: str) -> dict[str, Any]:
    return {
        "id": f"audit-{kind}",
        "name": "Audit" + "".join(p.title() for p in kind.split("-")),
        "shortDescription": {"text": f"{TITLES[kind]}: {WHAT[kind]}"},
        "defaultConfiguration": {"level": "error" if kind in ("missing", "unmanaged") else "warning"},
        "properties": {"tags": ["security", "azure-lighthouse", "drift"]},
    }


def _sarif_result(f: Finding, project_dir: Path) -> dict[str, Any]:
    location: dict[str, Any] = {"logicalLocations": [{"fullyQualifiedName": f.scope, "kind": "resource"}]}
    if f.file:
        try:
            uri = Path(f.file).resolve().relative_to(project_dir.resolve()).as_posix()
        except ValueError:
            uri = Path(f.file).as_posix()
        physical: dict[str, Any] = {"artifactLocation": {"uri": uri, "uriBaseId": SRCROOT}}
        if f.line:
            physical["region"] = {"startLine": f.line}
        location["physicalLocation"] = physical
    text = clean(f"{_where(f)}: {f.message}" + "".join(f"\n{d}" for d in f.details))
    return {
        "ruleId": f"audit-{f.kind}",
        "ruleIndex": KINDS.index(f.kind),
        "message": {"text": text + (f"\n{f.adopt}" if f.adopt else "")},
        "locations": [location],
        "partialFingerprints": {"lighthouseAudit/v1": f"{f.kind}|{f.scope.lower()}|{f.assignment_id}"},
    }


def render_sarif(result: AuditResult, project_dir: Path) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "lighthouse-iac audit",
                        "version": __version__,
                        "rules": [_sarif_rule(k) for k in KINDS],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": project_dir.resolve().as_uri() + "/"}},
                "invocations": [
                    {
                        "executionSuccessful": not result.observed.errors,
                        "toolConfigurationNotifications": [
                            {"level": "error", "message": {"text": clean(f"{e.where}: {e.message}")}}
                            for e in result.observed.errors
                        ],
                    }
                ],
                "results": [_sarif_result(f, project_dir) for f in result.findings],
            }
        ],
    }
