"""The tests mirror the source tree: `tests/<package>/test_<module>.py` tests `<package>/<module>.py`.

A test file may add an aspect after the module's name (`test_validate_base.py` tests `cli/validate.py`'s
`--base`), and `test_<package>.py` tests a package as a whole. Only the few files below that test no one
module, each with its reason, are left out; a new test file that names no module fails here.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"

# Where the sources of each test folder live; any other `tests/<name>/` mirrors `lighthouse_iac/<name>/`.
SOURCES = {
    ".": ROOT / "lighthouse_iac",
    "components": ROOT / "components" / "lighthouse_iac_components",
    "policies": ROOT / "policies",
}

# Test files whose subject is not a module of those folders: what they test instead.
ELSEWHERE = {
    "test_program.py": "__main__.py",  # the Pulumi program under the mock engine
    "test_bench.py": "bench",
    "test_workflows.py": ".github/workflows",
    "test_workflows_report.py": ".github/workflows",
}

# Test files that test every command or every output at once, rather than one module.
CROSS_CUTTING = {
    "test_golden.py": "every command's output on a fixed project, byte for byte",
    "test_docs_agree.py": "the docs against what the tools do",
    "test_examples.py": "whichever customers stacks/ holds, through plan, validate and export",
    "test_hostile_inputs.py": "random input through every command",
    "test_outputs.py": "names from a pull request through every output format",
    "test_layout.py": "this check",
    "test_module_state.py": "no module-level mutable state, in every source folder",
    "test_import_cycles.py": "no import cycle among all of lighthouse_iac's modules",
}

# Property tests drive a package through its entry points together, whichever modules they reach.
PROPERTY_TESTS = "test_properties.py"

# The engine's folder is laid out one test file per rule module by its own owner (issue 10).
NOT_CHECKED = {"rules"}


def _modules(folder: Path) -> set[str]:
    """The names a test file may start with: the folder's modules (`import_.py` as `import`) and packages."""
    names = {p.stem.rstrip("_") for p in folder.glob("*.py") if p.stem != "__init__"}
    names |= {p.parent.name for p in folder.glob("*/__init__.py")}
    return names | {folder.name if folder != ROOT / "lighthouse_iac" else "lighthouse_iac"}


def _subject(test: Path) -> str | None:
    """Why the test file is where it is, or None if it names nothing that exists."""
    folder = test.parent.relative_to(TESTS).as_posix()
    sources = SOURCES.get(folder, ROOT / "lighthouse_iac" / folder)
    stem = test.stem.removeprefix("test_")
    if folder == ".":
        if test.name in ELSEWHERE:
            return ELSEWHERE[test.name] if (ROOT / ELSEWHERE[test.name]).exists() else None
        if test.name in CROSS_CUTTING:
            return CROSS_CUTTING[test.name]
    if not sources.is_dir():
        return None
    if test.name == PROPERTY_TESTS:
        return f"{sources.relative_to(ROOT)} (properties)"
    named = [m for m in _modules(sources) if stem == m or stem.startswith(m + "_")]
    if not named:
        return None
    module = max(named, key=len)
    folder_name = sources.relative_to(ROOT).as_posix()
    return folder_name if module in (sources.name, "lighthouse_iac") else f"{folder_name}/{module}"


def _test_files() -> list[Path]:
    return sorted(
        p
        for p in TESTS.rglob("test_*.py")
        if p.relative_to(TESTS).parts[0] not in NOT_CHECKED and "__pycache__" not in p.parts
    )


def test_every_test_file_names_the_module_it_tests() -> None:
    unmapped = [str(p.relative_to(ROOT)) for p in _test_files() if _subject(p) is None]
    assert not unmapped, (
        "these test files name no source module: call them tests/<package>/test_<module>[_<aspect>].py "
        f"after the module they test (see {Path(__file__).name}): {unmapped}"
    )


def test_the_lists_of_exceptions_are_current() -> None:
    top = {p.name for p in TESTS.glob("test_*.py")}
    assert set(ELSEWHERE) <= top and set(CROSS_CUTTING) <= top, "an exception names a file that is gone"
    for name, subject in ELSEWHERE.items():
        assert (ROOT / subject).exists(), f"{name} tests {subject}, which does not exist"


def test_the_mapping_finds_the_module_or_says_none() -> None:
    # The rule itself, on names that must and must not map.
    def subject(relative: str) -> str | None:
        return _subject(TESTS / relative)

    assert subject("test_plan.py") == "lighthouse_iac/plan"
    assert subject("cli/test_validate_base.py") == "lighthouse_iac/cli/validate"
    assert subject("cli/test_import_merge.py") == "lighthouse_iac/cli/import_merge"
    assert subject("cli/test_import.py") == "lighthouse_iac/cli/import"
    assert subject("arm/test_importer.py") == "lighthouse_iac/arm/importer"
    assert subject("report/test_report.py") == "lighthouse_iac/report"
    assert subject("components/test_package.py") == "components/lighthouse_iac_components/package"
    assert subject("cli/test_nothing_here.py") is None
    assert subject("nowhere/test_plan.py") is None
    assert subject("test_planner.py") is None
