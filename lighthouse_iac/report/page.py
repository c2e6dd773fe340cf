"""The report as one self-contained HTML page: a principals x customers matrix, filters and sortable tables.

Everything (styles, script, data) is inline, so the file can be mailed to an auditor or kept as a build
artifact and opened offline; nothing is fetched when it is viewed.
"""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from typing import Any

from .access import Access
from .diff import WITHOUT_OFFBOARDING, AccessDiff
from .provenance import problem_text
from .summary import Report


def _script_json(data: Any) -> str:
    """JSON that cannot end the `<script>` element it sits in."""
    return (
        json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _plain_row(row: Access) -> list[Any]:
    return [
        f"{row.customer} ({row.stack})",
        row.principal,
        row.role,
        row.kind,
        row.describe(),
        row.offer,
        row.scope_label,
        row.privilege,
    ]


def _lost_row(row: Access) -> list[Any]:
    """A lost row; its detail says when it was removed without offboarding."""
    cells = _plain_row(row)
    if not row.offboarding:
        cells[4] = f"{cells[4]}; {WITHOUT_OFFBOARDING}" if cells[4] else WITHOUT_OFFBOARDING
    return cells


def page_data(report: Report, diff: AccessDiff | None = None) -> dict[str, Any]:
    """The data the page's script renders; access rows are arrays that index customers and principals."""
    customers = {c.stack: i for i, c in enumerate(report.customers)}
    principals = {(p.principal, p.object_id): i for i, p in enumerate(report.principals)}
    data: dict[str, Any] = {
        "project": report.project,
        "tenant": report.managing_tenant,
        "tenantId": report.managing_tenant_id,
        "customers": [
            {
                "stack": c.stack,
                "name": c.customer,
                "tenantId": c.tenant_id,
                "offers": c.offers,
                "scopes": c.scopes,
                "principals": c.principals,
                "permanent": c.permanent,
                "eligible": c.eligible,
                "mandatory": c.mandatory,
                "advisory": c.advisory,
                "offboarding": c.offboarding,
            }
            for c in report.customers
        ],
        "principals": [
            {
                "name": p.principal,
                "displayName": p.display_name,
                "kind": p.kind,
                "objectId": p.object_id,
                "customers": p.customers,
                "scopes": p.scopes,
                "permanent": p.permanent,
                "eligible": p.eligible,
                "approves": p.approves,
            }
            for p in report.principals
        ],
        # [customer, principal, role, kind, conditions, offer, scope, privilege, offboarding]
        "access": [
            [
                customers[r.stack],
                principals[r.principal, r.principal_id],
                r.role,
                r.kind,
                r.describe(),
                r.offer,
                r.scope_label,
                r.privilege,
                r.offboarding,
            ]
            for r in report.access
        ],
        "findings": [
            {
                "stack": f.stack,
                "level": f.level,
                "rule": f.rule,
                "message": f.message,
                "where": f"{f.file}:{f.line}" if f.file and f.line else (f.file or ""),
            }
            for f in report.findings
        ],
        "diff": None,
    }
    if diff is not None:
        data["diff"] = {
            "base": diff.base,
            "gained": [_plain_row(r) for r in diff.gained],
            "lost": [_lost_row(r) for r in diff.lost],
            "changed": [[*_plain_row(c.after), c.describe()] for c in diff.changed],
            "addedStacks": list(diff.added_stacks),
            "removedStacks": list(diff.removed_stacks),
        }
    return data


# The page's script is one function, kept in files by concern and joined in this order: data.js opens the
# function and tables.js closes it, so no part runs on its own.
SCRIPT_PARTS = ("data.js", "elements.js", "header.js", "matrix.js", "tables.js")


def _asset(name: str) -> str:
    return resources.files("lighthouse_iac.report").joinpath(name).read_text("utf-8")


def _script() -> str:
    return "".join(_asset(f"page_script/{part}") for part in SCRIPT_PARTS)


def _provenance(report: Report) -> str:
    if report.provenance is None:
        return ""
    return f'<p id="provenance" class="muted">{html.escape(report.provenance.text())}</p>'


def _broken(report: Report) -> str:
    """The stacks left out, written into the page itself: shown even where scripts do not run."""
    if not report.broken:
        return ""
    items = "".join(
        f"<li><code>{html.escape(b.stack)}</code>: {html.escape(problem_text(p))}</li>"
        for b in report.broken
        for p in b.problems
    )
    count = len(report.broken)
    return (
        f'<section id="broken" class="warning"><h2>Not in this report: {count} invalid '
        f"stack{'s' if count != 1 else ''}</h2><p>These stacks do not load; their access is not shown. "
        f"<code>lighthouse-iac validate</code> says the same.</p><ul>{items}</ul></section>"
    )


def render_page(report: Report, diff: AccessDiff | None = None) -> str:
    parts = {
        "title": html.escape(f"Access report: {report.project}"),
        "provenance": _provenance(report),
        "broken": _broken(report),
        "style": _asset("page.css"),
        "script": _script(),
        "data": _script_json(page_data(report, diff)),
    }
    # One pass, so that nothing inserted is itself taken for a placeholder.
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], _asset("page.html"))
