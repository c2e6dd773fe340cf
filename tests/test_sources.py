"""YAML read with line numbers: the direct builder gives what PyYAML's constructor gives, errors included."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from lighthouse_iac import sources
from lighthouse_iac.cli import main
from lighthouse_iac.errors import ConfigError, format_path
from lighthouse_iac.sources import parse_yaml

from .projects import BASELINE, STACK_FILE, make_project

DOCUMENTS = [
    "",
    "a: 1\n",
    "config:\n  n: 007\n  o: 0o17\n  h: 0x1F\n  s: 1_000\n  f: 1.5e3\n  inf: .inf\n  b: yes\n  c: Off\n",
    "x: ~\ny: null\nz:\n",
    "list:\n- 1\n- two\n- [3, {four: 4}]\n- {}\n- []\n",
    "'1': quoted\n1: plain\n",  # the same text as keys: refused as a duplicate, as before
    "when: 2024-01-02\nstamp: 2024-01-02T03:04:05Z\n",
    "bin: !!binary aGVsbG8=\n",
    "tagged: !!str 12\nint: !!int '12'\n",
    "base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n",
    "a: &anchor [1, 2]\nb: *anchor\n",
    "outer:\n  a: 1\n  inner:\n    b: 1\n    b: 2\n  a: 2\n",
    "a:\n  b: 1\n  b: 2\nc:\n  d: 1\n  d: 2\n",
    "? [complex, key]\n: value\n",
    "set: !!set {a, b}\n",
    "omap: !!omap [a: 1, b: 2]\n",
    "custom: !thing value\n",
    "bad: !!int forty\n",
    "= : value\n",
    "a: [1, 2\n",
    "a: b: c\n",
    'é: ünïcode\n"tab\\t": "\\u2028"\n',
    "deep: " + "[" * 80 + "]" * 80 + "\n",
]


def _as_before(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Any]:
    """parse_yaml as it was: PyYAML's constructor for every document."""

    def slow(*_: Any) -> Any:
        raise sources._Slow

    with monkeypatch.context() as patch:
        patch.setattr(sources, "_build", slow)
        return _outcome(text)


def _outcome(text: str) -> tuple[str, Any]:
    try:
        doc = parse_yaml(text, "f.yaml")
    except ConfigError as exc:
        return "error", exc.problems
    except Exception as exc:  # what the constructor raised before, it still raises
        return "raised", (type(exc), str(exc))
    return "data", _typed(doc.data)


def _typed(value: Any) -> Any:
    """The value with each scalar's type, so that 1 and True and 1.0 differ (NaN compares as itself)."""
    if isinstance(value, dict):
        return {_typed(k): _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return (float, "nan")
    return (type(value), value)


@pytest.mark.parametrize("text", DOCUMENTS)
def test_each_document_reads_as_pyyaml_s_constructor_read_it(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _outcome(text) == _as_before(text, monkeypatch)


def test_a_duplicate_key_is_named_where_the_constructor_finds_it_first() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_yaml("a:\n  b: 1\n  b: 2\nc:\n  d: 1\n  d: 2\n", "f.yaml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.path) == (3, "a.b")
    assert "duplicate key 'b' (first at line 2)" in problem.message


def test_lines_are_found_in_the_text_when_asked_for() -> None:
    text = "config:\n  offers:\n  - key: one\n    scopes:\n    - subscription: s\n  - key: two\n"
    doc = parse_yaml(text, "f.yaml")
    assert "root" not in vars(doc)  # not composed until a line is asked for
    assert doc.line_of(("config", "offers", 1, "key")) == 6
    assert doc.line_of(("config", "offers", 0, "scopes", 0, "subscription")) == 5
    assert doc.line_of(("config", "offers", 0, "missing")) == 3
    assert doc.line_of(()) == 1


def test_a_merged_key_has_the_line_it_had() -> None:
    text = "base: &b\n  x: 1\n  y: 2\nuse:\n  <<: *b\n  y: 3\n"
    doc = parse_yaml(text, "f.yaml")
    assert doc.data["use"] == {"x": 1, "y": 3}
    assert doc.line_of(("use", "x")) == 2  # written in the anchored mapping
    # PyYAML puts the merged keys first in the mapping it flattens, so the base's `y` is found first:
    # the line it always had.
    assert doc.line_of(("use", "y")) == 3


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=8),
    st.sampled_from(["yes", "No", "0o7", "0x1f", "1_0", "~", "2020-01-01", ".5", "-.inf", "<<", "="]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(data=values, flow=st.booleans())
def test_any_dumped_value_reads_as_before(data: Any, flow: bool) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    with pytest.MonkeyPatch.context() as patch:
        before = _as_before(text, patch)
    assert _outcome(text) == before


@pytest.mark.parametrize(
    ("text", "line"),
    [("x: &a [*a]\n", 1), ("x: &a {k: *a}\n", 1), ("a: &b [1]\nc: [*b, *b]\nd: &e [*b, [*e]]\n", 3)],
)
def test_an_alias_inside_its_own_anchor_is_refused_where_it_is(text: str, line: int) -> None:
    # It expands forever: before this check, counting its nodes grew without bound (gigabytes, no end).
    with pytest.raises(ConfigError) as raised:
        parse_yaml(text, "f.yaml")
    [problem] = raised.value.problems
    assert (problem.file, problem.line) == ("f.yaml", line)
    assert "refers to the value that contains it" in problem.message


def test_an_alias_used_twice_is_not_a_cycle() -> None:
    assert parse_yaml("a: &b [1]\nc: [*b, *b]\n", "f.yaml").data == {"a": [1], "c": [[1], [1]]}


HUGE = "9" * 5000  # past Python's 4,300-digit limit on reading an int


@pytest.mark.parametrize(
    ("text", "line", "path"),
    [
        (f"config:\n  lighthouse-iac:zz: {HUGE}\n", 2, "config['lighthouse-iac:zz']"),
        (f"a:\n- 1\n- -{HUGE}\n", 3, "a[1]"),
        (f"a: &x {HUGE}\nb: *x\n", 1, "a"),  # through PyYAML's own constructor
        # A plain key is at most 1,024 characters (YAML's simple keys): past that it is a syntax error.
        ("a:\n  " + "9" * 1001 + ": key\n", 2, format_path(("a", "9" * 1001))),
        ("a:\n  b: !!int forty\n", 2, "a.b"),
    ],
)
def test_an_integer_python_cannot_read_is_refused_where_it_is(text: str, line: int, path: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_yaml(text, "f.yaml")
    [problem] = raised.value.problems
    assert (problem.file, problem.line, problem.path) == ("f.yaml", line, path)
    assert "integer" in problem.message


def test_a_long_hexadecimal_integer_is_refused_before_it_cannot_be_printed() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_yaml("a: 0x" + "f" * 4000 + "\n", "f.yaml")
    assert "at most 1,000 are allowed" in raised.value.problems[0].message


@pytest.mark.parametrize("where", ["stack", "project"])
def test_validate_names_a_huge_integer_with_its_file_and_line(
    tmp_path: Path, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    if where == "stack":
        file = project / STACK_FILE
        file.write_text(BASELINE.replace("config:\n", f"config:\n  lighthouse-iac:zz: {HUGE}\n", 1))
        expected = f"{STACK_FILE}:2: config['lighthouse-iac:zz']: an integer of 5,000 characters"
    else:
        file = project / "Pulumi.yaml"
        file.write_text(file.read_text().replace("config:\n", f"config:\n  zz: {HUGE}\n", 1))
        line = file.read_text().splitlines().index(f"  zz: {HUGE}") + 1
        expected = f"Pulumi.yaml:{line}: config.zz: an integer of 5,000 characters"
    assert main(["-C", str(project), "validate"]) == 2
    printed = capsys.readouterr()
    assert f"{expected}; at most 1,000 are allowed" in printed.out + printed.err
    assert "Traceback" not in printed.out + printed.err
