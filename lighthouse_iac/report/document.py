"""The report and the diff as data: JSON for tools, CSV (one row per authorization per scope) for sheets."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import fields
from itertools import islice
from typing import TYPE_CHECKING, Any

from .. import escape
from ..errors import Problem
from .access import Access
from .diff import WITHOUT_OFFBOARDING, AccessDiff
from .provenance import BrokenStack, Provenance, broken_lines
from .rows import ACCESS_KEYS, AccessText, Rows, access_json
from .summary import Finding, Report

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

# The CSV's columns: every key of an access row but the managing tenant, which it has never carried.
COLUMNS = tuple(key for key in ACCESS_KEYS if key != "managingTenantId")


def _camel(key: str) -> str:
    first, *rest = key.split("_")
    return first + "".join(part.title() for part in rest)


def _objects(items: Sequence[DataclassInstance]) -> list[dict[str, Any]]:
    """Flat dataclasses (strings, numbers, tuples of strings) of one class as JSON objects, their keys in
    camelCase: what `asdict` makes, without its deep copy (a tenth of the time for a fleet's summaries)."""
    if not items:
        return []
    keys = [(f.name, _camel(f.name)) for f in fields(items[0])]
    return [
        {
            key: list(value) if isinstance(value, tuple) else value
            for name, key in keys
            for value in (getattr(item, name),)
        }
        for item in items
    ]


def head_json(provenance: Provenance | None, broken: Sequence[BrokenStack]) -> dict[str, Any]:
    """The keys every JSON report starts with: how it was made and the stacks it leaves out."""
    head: dict[str, Any] = provenance.json() if provenance is not None else {}
    head["invalidStacks"] = [
        {"stack": b.stack, "problems": [_problem_json(p) for p in b.problems]} for b in broken
    ]
    return head


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {"file": problem.file, "line": problem.line, "path": problem.path, "message": problem.message}


def report_json(report: Report) -> dict[str, Any]:
    """The report as JSON data (lists and mappings)."""
    return {k: list(v) if isinstance(v, Rows) else v for k, v in report_fields(report).items()}


def report_fields(report: Report) -> dict[str, Any]:
    """`report_json` with the access rows as `Rows`, made as `json_chunks` writes them."""
    return {
        **head_json(report.provenance, report.broken),
        "project": report.project,
        "managingTenant": {"name": report.managing_tenant, "tenantId": report.managing_tenant_id},
        "customers": _objects(report.customers),
        "principals": _objects(report.principals),
        "access": Rows(report.access, access_json, AccessText()),
        "verdicts": _objects(report.findings),
    }


def diff_json(
    diff: AccessDiff,
    findings: Sequence[Finding] = (),
    *,
    broken: Sequence[BrokenStack] = (),
    provenance: Provenance | None = None,
) -> dict[str, Any]:
    """The diff, and the verdicts on the stacks whose access it changes."""
    return {
        **head_json(provenance, broken),
        "base": diff.base,
        "gained": [access_json(r) for r in diff.gained],
        "lost": [{**access_json(r), "withoutOffboarding": not r.offboarding} for r in diff.lost],
        "changed": [
            {"before": access_json(c.before), "after": access_json(c.after), "change": c.describe()}
            for c in diff.changed
        ],
        "addedStacks": list(diff.added_stacks),
        "removedStacks": list(diff.removed_stacks),
        "notes": list(diff.notes),
        "verdicts": _objects([f for f in findings if f.stack in diff.stacks]),
    }


ITEMS_PER_CHUNK = 1000  # about a megabyte of access rows per piece written


def json_chunks(data: dict[str, Any]) -> Iterator[str]:
    """JSON with one list item per line: readable, grep-able, and written by the C encoder, in pieces
    (a thousand list items each) so that a large fleet's report is never one string in memory.

    (`json.dumps(indent=...)` falls back to the pure-Python encoder, several times slower on big fleets.)
    """
    encode = json.JSONEncoder(ensure_ascii=False).encode  # what json.dumps(..., ensure_ascii=False) does
    yield "{\n"
    for n, (key, item) in enumerate(data.items()):
        yield (",\n" if n else "") + f"  {json.dumps(key)}: "
        if isinstance(item, Rows) and not item:
            yield "[]"  # as json.dumps writes an empty list: a fleet with no access (or no valid stack)
        elif isinstance(item, list | Rows) and item:
            texts = item.texts() if isinstance(item, Rows) else map(encode, item)
            opening = "[\n    "
            while chunk := list(islice(texts, ITEMS_PER_CHUNK)):
                yield opening + ",\n    ".join(chunk)
                opening = ",\n    "
            yield "\n  ]"
        else:
            yield encode(item)
    yield "\n}"


def dumps(data: dict[str, Any]) -> str:
    """The JSON of `json_chunks`, whole."""
    return "".join(json_chunks(data))


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return escape.csv_cell(";".join(value) if isinstance(value, list) else str(value))


def _write(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    # CRLF, as RFC 4180 has it: the writer then quotes every value holding a CR or an LF, where with "\n"
    # a lone CR would go unquoted and end the row for many readers.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _csv_row(row: Access) -> list[str]:
    data = access_json(row)
    return [_csv_value(data[c]) for c in COLUMNS]


def comment_lines(provenance: Provenance | None, broken: Sequence[BrokenStack]) -> str:
    """Lines starting with '#' above the CSV header: when and from what, and the stacks left out.

    (Readers skip them with `comment='#'` in pandas, or by dropping lines that start with '#'.)"""
    lines = [provenance.text()] if provenance is not None else []
    lines += broken_lines(broken)
    return "".join(f"# {escape.terminal(' '.join(line.split()))}\r\n" for line in lines)


def report_csv(report: Report) -> str:
    head = comment_lines(report.provenance, report.broken)
    return head + _write(list(COLUMNS), [_csv_row(r) for r in report.access])


def diff_csv(
    diff: AccessDiff, *, broken: Sequence[BrokenStack] = (), provenance: Provenance | None = None
) -> str:
    """One row per change; a changed row shows its new state and, in `detail`, what changed."""
    rows = [["gained", *_csv_row(r), ""] for r in diff.gained]
    rows += [["lost", *_csv_row(r), "" if r.offboarding else WITHOUT_OFFBOARDING] for r in diff.lost]
    rows += [["changed", *_csv_row(c.after), _csv_value(c.describe())] for c in diff.changed]
    return comment_lines(provenance, broken) + _write(["change", *COLUMNS, "detail"], rows)
