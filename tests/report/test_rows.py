"""Access rows written as JSON text straight from the row: the same bytes as `json.dumps` of the row's
object, whatever the values hold, and in pieces that join into the same document."""

from __future__ import annotations

import json
from dataclasses import replace

from lighthouse_iac.fleet import load_fleet
from lighthouse_iac.report.access import Access
from lighthouse_iac.report.document import ITEMS_PER_CHUNK, json_chunks, report_fields, report_json
from lighthouse_iac.report.rows import AccessText, Rows, access_json, access_text
from lighthouse_iac.report.summary import build_report

from ..engine import FIXTURE

ODD = [
    "",
    'quote " and backslash \\',
    "tab\tnewline\nreturn\rbell\x07nul\x00",
    "line separator \u2028 paragraph \u2029",
    "Fabrikam Müller \u2013 日本語 🙂",
    "</script><!--",
    "lone surrogate \ud800",
    "\x7f delete",
]


def _rows() -> tuple[Access, ...]:
    return build_report(load_fleet(FIXTURE).require_valid()).access


def test_each_row_is_the_text_json_dumps_writes() -> None:
    rows = _rows()
    assert {r.eligible for r in rows} == {True, False}
    remembering, forgetful = AccessText(), AccessText(limit=2)
    for row in [*rows, *reversed(rows)]:
        expected = json.dumps(access_json(row), ensure_ascii=False)
        assert access_text(row) == remembering(row) == forgetful(row) == expected


def test_rows_that_differ_in_one_value_are_written_apart() -> None:
    # What the text remembers is looked up by values: False and None, "" and None are not the same.
    first = _rows()[0]
    variants = [
        first,
        replace(first, eligible=True, require_mfa=False),
        replace(first, eligible=True, require_mfa=None),
        replace(first, eligible=True, require_mfa=True),
        replace(first, resource_group=""),
        replace(first, resource_group=None),
        replace(first, approvers=("a",), delegated_roles=()),
        replace(first, approvers=(), delegated_roles=("a",)),
        replace(first, offboarding=not first.offboarding),
        replace(first, privilege="removal"),
        replace(first, scope=first.scope.upper()),
    ]
    text = AccessText()
    for row in variants * 2:
        assert text(row) == json.dumps(access_json(row), ensure_ascii=False)


def test_odd_values_are_escaped_as_json_dumps_escapes_them() -> None:
    first = _rows()[0]
    for n, text in enumerate(ODD):
        odd = replace(
            first,
            stack=text,
            customer=text,
            offer_name=text,
            resource_group=text if n % 2 else None,
            principal_display_name=text,
            role=text,
            eligible=bool(n % 2),
            require_mfa=[None, True, False][n % 3],
            maximum_activation=text if n % 2 else None,
            approvers=tuple(ODD[: n % 4]),
            delegated_roles=(text,) * (n % 3),
            offboarding=bool(n % 3),
            privilege=text,
        )
        written = access_text(odd)
        assert written == AccessText()(odd) == json.dumps(access_json(odd), ensure_ascii=False)
        assert json.loads(written)["customer"] == text


def test_rows_written_in_many_pieces_join_into_the_document() -> None:
    report = build_report(load_fleet(FIXTURE).require_valid())
    many = (report.access * (2 * ITEMS_PER_CHUNK // len(report.access) + 2))[: 2 * ITEMS_PER_CHUNK + 1]
    big = replace(report, access=many)
    pieces = list(json_chunks(report_fields(big)))
    text = "".join(pieces)
    assert text == "".join(json_chunks(report_json(big)))  # rows as dicts, through json.dumps
    assert json.loads(text)["access"] == [access_json(r) for r in many]
    assert max(len(p) for p in pieces) < len(text) / 2  # never the whole document in one piece


def test_rows_without_a_text_writer_are_written_from_their_objects() -> None:
    rows = _rows()
    plain = Rows(rows, access_json)
    assert list(plain.texts()) == [access_text(r) for r in rows]
    assert list(plain) == [access_json(r) for r in rows]
