"""JUnit XML for pipelines that show test reports: a test suite per stack, a test case per rule."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .rules import RULES, RuleSettings
from .validation import Report, verdict_line


def render_junit(report: Report, settings: RuleSettings | None = None) -> str:
    settings = settings or RuleSettings()
    root = ET.Element("testsuites", name="lighthouse-iac validate")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    if report.settings_problems:
        suite = ET.SubElement(root, "testsuite", name="policy settings", tests="1", failures="0", errors="1")
        case = ET.SubElement(suite, "testcase", classname="settings", name="configuration")
        error = ET.SubElement(case, "error", type="invalid-input", message="invalid policy settings")
        error.text = "\n".join(p.render() for p in report.settings_problems)
        totals["tests"] += 1
        totals["errors"] += 1
    for stack in report.stacks:
        suite = ET.SubElement(root, "testsuite", name=stack.stack)
        if stack.file:
            suite.set("file", stack.file)
        if stack.problems:
            case = ET.SubElement(suite, "testcase", classname=stack.stack, name="configuration")
            what = "stack configuration" if stack.kind == "stack" else stack.kind
            error = ET.SubElement(case, "error", type="invalid-input", message=f"invalid {what}")
            error.text = "\n".join(p.render() for p in stack.problems)
            suite.set("tests", "1")
            suite.set("failures", "0")
            suite.set("errors", "1")
            totals["tests"] += 1
            totals["errors"] += 1
            continue
        failures = skipped = 0
        for rule in RULES:
            case = ET.SubElement(suite, "testcase", classname=stack.stack, name=rule.name)
            if settings.effective(rule) is None:
                ET.SubElement(case, "skipped", message="disabled by configuration")
                skipped += 1
                continue
            found = [v for v in stack.verdicts if v.rule == rule.name]
            mandatory = [v for v in found if v.level == "mandatory"]
            if mandatory:
                failures += 1
                failure = ET.SubElement(
                    case, "failure", type="mandatory", message=f"{len(mandatory)} mandatory violation(s)"
                )
                failure.text = "\n".join(verdict_line(v) for v in mandatory)
            advisory = [v for v in found if v.level == "advisory"]
            if advisory:  # advisories never fail a pipeline; they are shown with the test
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(verdict_line(v) for v in advisory)
        suite.set("tests", str(len(RULES)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skipped))
        totals["tests"] += len(RULES)
        totals["failures"] += failures
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
