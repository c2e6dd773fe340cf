"""The report and the diff as Markdown: for a pull request comment or a file in the repository."""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType

from ..escape import code, markdown
from .access import Access
from .diff import WITHOUT_OFFBOARDING, AccessDiff
from .provenance import BrokenStack, Provenance
from .summary import Finding, Report

# GitHub refuses comments over 65,536 characters; leave room for the heading and the note.
COMMENT_LIMIT = 60_000
MARKER = "<!-- lighthouse-iac access diff -->"


def _cell(value: object) -> str:
    """A table cell: text is escaped where the rows are built (`markdown`, `code`); numbers need nothing."""
    return "" if value is None else str(value)


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _scope(row: Access) -> str:
    if row.resource_group:
        return f"{code(row.subscription_id)} / {code(row.resource_group)}"
    return code(row.subscription_id)


def _access_rows(rows: Sequence[Access], with_customer: bool, lost: bool = False) -> list[list[object]]:
    table: list[list[object]] = []
    for r in rows:
        cells: list[object] = [f"{markdown(r.customer)} ({code(r.stack)})"] if with_customer else []
        cells += [markdown(r.principal), markdown(r.role), PRIVILEGE.get(r.privilege, r.privilege), r.kind]
        cells += [markdown(r.describe()), markdown(r.offer)]
        cells.append(_scope(r))
        unannounced = lost and not r.offboarding
        cells.append("offboarding" if r.offboarding else f"**{WITHOUT_OFFBOARDING}**" if unannounced else "")
        table.append(cells)
    return table


ACCESS_HEADER = ("Principal", "Role", "Privilege", "Access", "Conditions", "Offer", "Scope", "State")
# The privilege classes of access.privilege, in the words of docs/operations.md.
PRIVILEGE = MappingProxyType(
    {
        "access": "grants access",
        "write": "can change resources",
        "read": "read-only",
        "removal": "removes the delegation",
        "unknown": "unknown role",
    }
)


def preamble(provenance: Provenance | None, broken: Sequence[BrokenStack], level: str = "##") -> list[str]:
    """When and from what the report was made, and the stacks it leaves out: first in every report."""
    lines = ["", markdown(provenance.text())] if provenance is not None else []
    if broken:
        count = f"{len(broken)} invalid stack{'s' if len(broken) != 1 else ''}"
        lines += [
            "",
            f"{level} Not in this report: {count}",
            "",
            "These stacks do not load; their access is not shown below. `lighthouse-iac validate` says the "
            "same; fix them and report again.",
            "",
        ]
        lines += _table(
            # A problem quotes what the file says (an unknown role's name): text for Markdown like any name.
            ["Stack", "Problem"],
            [[code(b.stack), markdown(p.render())] for b in broken for p in b.problems],
        )
    return lines


def render_report(report: Report) -> str:
    permanent = sum(1 for r in report.access if not r.eligible)
    scopes = len({(r.stack, r.scope.lower()) for r in report.access})
    lines = [
        f"# Access report: {markdown(report.project)}",
        "",
        f"Managing tenant **{markdown(report.managing_tenant)}** ({code(report.managing_tenant_id)}): "
        f"{len(report.customers)} customers, {len(report.principals)} principals, "
        f"{len(report.access)} authorizations at {scopes} scopes "
        f"({permanent} permanent, {len(report.access) - permanent} eligible). "
        f"Policy: {report.count('mandatory')} mandatory, {report.count('advisory')} advisory verdicts.",
        *preamble(report.provenance, report.broken),
        "",
        "## Customers",
        "",
    ]
    lines += _table(
        ["Customer", "Stack", "Tenant", "Offers", "Scopes", "Principals", "Permanent", "Eligible", "Policy"],
        [
            [
                markdown(c.customer) + (" (offboarding)" if c.offboarding else ""),
                code(c.stack),
                code(c.tenant_id),
                c.offers,
                c.scopes,
                c.principals,
                c.permanent,
                c.eligible,
                f"{c.mandatory} mandatory, {c.advisory} advisory" if c.mandatory or c.advisory else "clean",
            ]
            for c in report.customers
        ],
    )
    lines += ["", "## Principals", ""]
    lines += _table(
        [
            "Principal",
            "Name",
            "Kind",
            "Customers",
            "Scopes",
            "Permanent roles",
            "Eligible roles",
            "Approves at",
        ],
        [
            [
                markdown(p.principal),
                markdown(p.display_name),
                p.kind,
                p.customers,
                p.scopes,
                ", ".join(map(markdown, p.permanent_roles)),
                ", ".join(map(markdown, p.eligible_roles)),
                f"{p.approves} customers" if p.approves else "",
            ]
            for p in report.principals
        ],
    )
    if report.findings:
        lines += ["", "## Policy verdicts", ""]
        lines += _table(["Stack", "Level", "Rule", "Where", "Message"], _finding_rows(report.findings))
    lines += ["", "## Access by customer"]
    by_stack: dict[str, list[Access]] = {c.stack: [] for c in report.customers}
    for row in report.access:
        by_stack[row.stack].append(row)
    for c in report.customers:
        lines += ["", f"### {markdown(c.customer)} ({code(c.stack)})", ""]
        lines += _table(ACCESS_HEADER, _access_rows(by_stack[c.stack], with_customer=False))
    return "\n".join(lines) + "\n"


def _finding_rows(findings: Sequence[Finding]) -> list[list[object]]:
    ordered = sorted(findings, key=lambda f: (f.level != "mandatory", f.stack, f.file or "", f.line or 0))
    return [
        [
            code(f.stack),
            f"**{f.level}**" if f.level == "mandatory" else f.level,
            code(f.rule),
            markdown(f"{f.file}:{f.line}" if f.file and f.line else (f.file or "")),
            markdown(f.message),
        ]
        for f in ordered
    ]


LOCAL_FULL_REPORT = "run the same command without --max-length for the full report"
WORKFLOW_FULL_REPORT = "the full report is in this run's artifacts"


def render_diff(
    diff: AccessDiff,
    limit: int | None = None,
    findings: Sequence[Finding] = (),
    *,
    broken: Sequence[BrokenStack] = (),
    provenance: Provenance | None = None,
    full_report: str = LOCAL_FULL_REPORT,
) -> str:
    """The diff, and the verdicts on the stacks it changes; with `limit`, rows are cut so that the whole
    text, the closing note included, is at most that many characters. `full_report` says where the rest is."""
    head = [MARKER, f"## Access changes against {code(diff.base)}", ""]
    made = preamble(provenance, broken, "###")
    if not diff:
        quiet = [*head, "No access gained, lost or changed.", *made]
        return _fit([(line, HEAD) for line in quiet], limit, full_report)
    head.append(
        f"**{len(diff.gained)} gained**, **{len(diff.lost)} lost**, {len(diff.changed)} changed "
        "(one row per principal, role and scope)."
    )
    for note in diff.notes:
        head += ["", f"**Tenant changed**: {markdown(note)}."]
    if diff.added_stacks:
        head += ["", f"New customer stacks: {', '.join(map(code, diff.added_stacks))}."]
    if diff.unannounced:
        head += [
            "",
            f"**{len(diff.unannounced)} lost {'row was' if len(diff.unannounced) == 1 else 'rows were'} not "
            f"offboarding** at {code(diff.base)} ({WITHOUT_OFFBOARDING}): mark them `offboard: true` and "
            "deploy first, then remove them (lighthouse-offboard-first).",
        ]
    if diff.removed_stacks:
        head += [
            "",
            f"Customer stack files removed: {', '.join(map(code, diff.removed_stacks))}. Their "
            "delegations stay in Azure until they are offboarded (docs/operations.md, Offboarding).",
        ]
    head += made
    sections: list[tuple[str, list[str], list[list[object]]]] = [
        (
            "Policy verdicts on these customers",
            ["Stack", "Level", "Rule", "Where", "Message"],
            _finding_rows([f for f in findings if f.stack in diff.stacks]),
        ),
        ("Gained", ["Customer", *ACCESS_HEADER], _access_rows(diff.gained, with_customer=True)),
        ("Lost", ["Customer", *ACCESS_HEADER], _access_rows(diff.lost, with_customer=True, lost=True)),
        (
            "Changed",
            ["Customer", "Principal", "Role", "Access", "Scope", "Change"],
            [
                [
                    f"{markdown(c.after.customer)} ({code(c.after.stack)})",
                    markdown(c.after.principal),
                    markdown(c.after.role),
                    c.after.kind,
                    _scope(c.after),
                    markdown(c.describe()),
                ]
                for c in diff.changed
            ],
        ),
    ]
    lines: list[tuple[str, int]] = [(line, HEAD) for line in head]
    for title, header, rows in sections:
        if rows:
            table = _table(header, rows)
            lines += [(line, HEADING) for line in ["", f"### {title} ({len(rows)})", "", *table[:2]]]
            lines += [(line, ROW) for line in table[2:]]
    return _fit(lines, limit, full_report)


HEAD, HEADING, ROW = 0, 1, 2  # what a line of the diff is, for cutting it


def _fit(lines: Sequence[tuple[str, int]], limit: int | None, full_report: str) -> str:
    """The lines, or as many as fit in `limit` characters with a note of the rows left out.

    Lines are kept in order up to the first that does not fit, then cut back to the last row or line of
    the heading, so that no section title is left without its rows."""
    text = "\n".join(line for line, _ in lines) + "\n"
    if limit is None or len(text) <= limit:
        return text
    rows = sum(1 for _, kind in lines if kind == ROW)

    def note(cut: int) -> str:
        return f"\n... and {cut} more rows, cut to stay under {limit} characters: {full_report}.\n"

    budget = limit - len(note(rows))  # room for the longest note: a shorter count only saves characters
    size, complete = 0, 0
    for fits, (line, kind) in enumerate(lines, 1):
        if size + len(line) + 1 > budget:
            break
        size += len(line) + 1
        if kind != HEADING:
            complete = fits
    kept = lines[:complete]
    cut = rows - sum(1 for _, kind in kept if kind == ROW)
    return "\n".join(line for line, _ in kept) + "\n" + note(cut)
