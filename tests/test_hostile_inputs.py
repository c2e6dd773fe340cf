"""Random input never crashes the CLI: random bytes, random YAML and random mutations of the examples, fed
to plan, validate, report and import, each exit 0, 1 or 2 with a message, never a traceback (issue 9).

The CLI runs in-process; each run is bounded by an alarm, so a hang fails the example that caused it
instead of the whole run (a bound against hangs, not a speed assertion: bench/ measures speed).
"""

from __future__ import annotations

import contextlib
import io
import json
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lighthouse_iac.cli import main

from .arm.cases import SUBSCRIPTION, sample_paths
from .projects import BASELINE, STACK, STACK_FILE, make_project

SECONDS_PER_RUN = 30  # generous: a loaded 2-core machine; an unbounded input takes minutes or forever
EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
EXIT_CODES = {"plan": {0, 2}, "validate": {0, 1, 2}, "report": {0, 2}, "import": {0, 1, 2}}


class Hang(Exception):
    pass


@contextlib.contextmanager
def _bounded() -> Iterator[None]:
    def stop(signum: int, frame: Any) -> None:
        raise Hang(f"a run took more than {SECONDS_PER_RUN} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(SECONDS_PER_RUN)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _run(*args: str) -> tuple[int, str]:
    """The CLI's exit code and what it printed; an exception out of main() is the failure sought."""
    out, err = io.StringIO(), io.StringIO()
    with _bounded(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue() + err.getvalue()


def _check(project: Path, command: str) -> None:
    args = {
        "plan": ["plan", STACK],
        "validate": ["validate"],
        "report": ["report", "--format", "csv"],
    }[command]
    code, printed = _run("-C", str(project), *args)
    assert code in EXIT_CODES[command], printed
    if code == 2:
        assert printed.strip(), "an invalid input must be named"


@pytest.fixture(scope="module")
def project() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="lighthouse-iac-hostile-") as tmp:
        yield make_project(Path(tmp))


COMMANDS = st.sampled_from(["plan", "validate", "report"])


@EXAMPLES
@given(data=st.binary(max_size=2000), command=COMMANDS)
def test_random_bytes_as_a_stack_file(project: Path, data: bytes, command: str) -> None:
    (project / STACK_FILE).write_bytes(data)
    _check(project, command)


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(["Reader", "Owner", "msp-readers", "PT8H", "9dd01112-b6af-4f0b-a950-5ef7cf0c4a8f"])
)
KEYS = st.sampled_from(
    [
        "lighthouse-iac:customer",
        "lighthouse-iac:offers",
        "lighthouse-iac:onboarding",
        "lighthouse-iac:managingTenant",
        "name",
        "tenantId",
        "key",
        "authorizations",
        "principal",
        "role",
        "scopes",
        "subscription",
        "resourceGroups",
        "delegatedRoles",
    ]
) | st.text(max_size=10)
VALUES: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)


@EXAMPLES
@given(config=st.dictionaries(KEYS, VALUES, max_size=5), command=COMMANDS, top=st.booleans())
def test_random_yaml_as_a_stack_file(project: Path, config: dict[str, Any], command: str, top: bool) -> None:
    document = {"config": config} if top else config
    (project / STACK_FILE).write_text(yaml.safe_dump(document, allow_unicode=True))
    _check(project, command)


def _mutate(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Apply edits (position, length to delete, text to insert), positions taken modulo the length."""
    for position, length, insert in edits:
        at = position % (len(text) + 1)
        text = text[:at] + insert + text[at + length :]
    return text


EDITS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10_000),
        st.integers(min_value=0, max_value=12),
        st.text(max_size=8)
        | st.sampled_from(["\n", ": ", "- ", "&a ", "*a", "[", "{", '"', "  ", "\t", "\x1b"]),
    ),
    min_size=1,
    max_size=6,
)


@EXAMPLES
@given(edits=EDITS, command=COMMANDS)
def test_random_mutations_of_the_example_stack(
    project: Path, edits: list[tuple[int, int, str]], command: str
) -> None:
    (project / STACK_FILE).write_text(_mutate(BASELINE, edits))
    _check(project, command)


@EXAMPLES
@given(edits=EDITS, command=COMMANDS)
def test_random_mutations_of_the_project_file(
    project: Path, edits: list[tuple[int, int, str]], command: str
) -> None:
    original = (project / "Pulumi.yaml").read_text()
    (project / STACK_FILE).write_text(BASELINE)
    try:
        (project / "Pulumi.yaml").write_text(_mutate(original, edits))
        _check(project, command)
    finally:
        (project / "Pulumi.yaml").write_text(original)


def _import(template: Path, parameters: Path | None) -> None:
    args = ["import", str(template), *([str(parameters)] if parameters else [])]
    code, printed = _run(*args, "--customer", "relecloud", "--subscription", SUBSCRIPTION)
    assert code in EXIT_CODES["import"], printed


@EXAMPLES
@given(data=st.binary(max_size=2000) | VALUES.map(lambda v: json.dumps(v).encode()))
def test_random_bytes_and_json_as_a_template(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "template.json").write_bytes(data)
    _import(tmp_path / "template.json", None)


SAMPLES = st.sampled_from(
    ["subscription", "rg", "multi-rg", "eligible-subscription-approvers", "eligible-rg"]
)


@EXAMPLES
@given(name=SAMPLES, edits=EDITS, which=st.sampled_from(["template", "parameters"]))
def test_random_mutations_of_microsofts_templates(
    tmp_path: Path, name: str, edits: list[tuple[int, int, str]], which: str
) -> None:
    template, parameters = sample_paths(name)
    files = {"template": template, "parameters": parameters}
    assert parameters is not None
    target = files[which]
    assert target is not None
    mutated = tmp_path / f"{which}.json"
    mutated.write_text(_mutate(target.read_text(), edits))
    _import(mutated if which == "template" else template, mutated if which == "parameters" else parameters)
