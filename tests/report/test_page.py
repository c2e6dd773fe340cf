"""The HTML page: self-contained, and in headless Chromium it renders the matrix, filters and sorts.

The browser is Debian's chromium with its matching chromium-driver (`.ci/run` installs both), driven by
selenium; nothing is downloaded. Screenshots are kept in test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from lighthouse_iac.fleet import load_fleet
from lighthouse_iac.report import page
from lighthouse_iac.report.access import Access
from lighthouse_iac.report.diff import compare
from lighthouse_iac.report.page import render_page
from lighthouse_iac.report.summary import Report, build_report

from ..engine import FIXTURE, ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = ROOT / "test-artifacts"


def _report() -> Report:
    return build_report(load_fleet(FIXTURE).require_valid())


# --- without a browser ------------------------------------------------------------------------------


def test_the_page_fetches_nothing() -> None:
    page = render_page(_report())
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page
    assert "url(" not in page
    assert "default-src 'none'" in page  # and the browser is told to refuse anything else


def test_a_hostile_name_cannot_end_the_data_script() -> None:
    report = _report()
    hostile = "</script><script>document.title='pwned'</script>"
    first = report.access[0]
    page = render_page(replace(report, access=(replace(first, role=hostile),)))
    assert hostile not in page
    assert page.count("</script>") == 2  # the data element and the page script, nothing more


def test_the_page_script_is_every_part_once_in_one_function() -> None:
    folder = Path(page.__file__).parent / "page_script"
    assert sorted(page.SCRIPT_PARTS) == sorted(p.name for p in folder.glob("*.js"))  # none left out
    script = "".join((folder / part).read_text("utf-8") for part in page.SCRIPT_PARTS)
    assert script.startswith('"use strict";\n') and script.endswith("\n})();\n")
    assert script.count("(function () {") == 1 and script.count("})();") == 1
    assert script in render_page(_report())


# --- in Chromium ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        pytest.skip("needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (pip install -e '.[dev]')")
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    profile = tempfile.mkdtemp(prefix="lighthouse-iac-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",  # the tests run as root in CI containers
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1400,1000",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _open(driver: Any, page: str, tmp_path: Path) -> list[dict[str, Any]]:
    """Load the page from a file and return what it logged to the console."""
    path = tmp_path / "report.html"
    path.write_text(page, "utf-8")
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(path.as_uri())
    logs: list[dict[str, Any]] = driver.get_log("browser")
    return logs


def _matrix(driver: Any) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(principal, stack) -> {(role, kind)} as the matrix shows them; empty cells included."""
    cells = {}
    for td in driver.find_elements("css selector", "#matrix td[data-stack]"):
        chips = td.find_elements("css selector", ".chip")
        cells[td.get_attribute("data-principal"), td.get_attribute("data-stack")] = {
            (c.get_attribute("data-role"), c.get_attribute("data-kind")) for c in chips
        }
    return cells


def _expected_matrix(rows: tuple[Access, ...] | list[Access]) -> dict[tuple[str, str], set[tuple[str, str]]]:
    principals = sorted({r.principal for r in rows})
    stacks = sorted({r.stack for r in rows})
    cells: dict[tuple[str, str], set[tuple[str, str]]] = {(p, s): set() for p in principals for s in stacks}
    for r in rows:
        cells[r.principal, r.stack].add((r.role, r.kind))
    return cells


def _screenshot(driver: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(1400, min(int(height) + 40, 6000))
    driver.save_screenshot(str(ARTIFACTS / name))
    driver.set_window_size(1400, 1000)


def test_the_matrix_shows_every_principal_at_every_customer(browser: Any, tmp_path: Path) -> None:
    report = _report()
    logs = _open(browser, render_page(report), tmp_path)
    assert logs == []
    assert _matrix(browser) == _expected_matrix(report.access)
    assert browser.find_element("css selector", "#filter-count").text == (
        f"{len(report.access)} of {len(report.access)} authorizations shown"
    )
    # The matrix has a cell for each principal and customer, empty or not.
    header = [
        th.get_attribute("data-stack") for th in browser.find_elements("css selector", "#matrix th.customer")
    ]
    assert header == ["contoso", "tailspin", "wingtip"]
    assert len(browser.find_elements("css selector", "#access tbody tr")) == len(report.access)
    _screenshot(browser, "report.png")


def test_a_filter_narrows_the_matrix_and_the_table(browser: Any, tmp_path: Path) -> None:
    report = _report()
    _open(browser, render_page(report), tmp_path)
    search = browser.find_element("css selector", "#filter-text")
    search.send_keys("security")

    def matches(r: Access) -> bool:
        text = "\n".join(
            [r.customer, r.stack, r.principal, r.principal_display_name, r.role, r.offer, r.scope_label]
        )
        return "security" in text.lower()

    expected = [r for r in report.access if matches(r)]
    assert 0 < len(expected) < len(report.access)
    assert _matrix(browser) == _expected_matrix(expected)
    assert len(browser.find_elements("css selector", "#access tbody tr")) == len(expected)
    assert browser.find_element("css selector", "#filter-count").text == (
        f"{len(expected)} of {len(report.access)} authorizations shown"
    )

    browser.find_element("css selector", "#filter-reset").click()
    kind = browser.find_element("css selector", "#filter-kind")
    kind.find_element("css selector", "option[value=eligible]").click()
    eligible = [r for r in report.access if r.eligible]
    assert _matrix(browser) == _expected_matrix(eligible)
    assert {c.get_attribute("data-kind") for c in browser.find_elements("css selector", "#matrix .chip")} == {
        "eligible"
    }
    _screenshot(browser, "report-eligible.png")
    assert browser.get_log("browser") == []


def test_tables_sort_by_a_clicked_column(browser: Any, tmp_path: Path) -> None:
    report = _report()
    _open(browser, render_page(report), tmp_path)
    header = browser.find_element("xpath", "//table[@id='principals']//th[text()='Customers']")
    header.click()
    header.click()  # the second click sorts descending
    shown = [
        int(tr.find_elements("css selector", "td")[4].text)
        for tr in browser.find_elements("css selector", "#principals tbody tr")
    ]
    assert shown == sorted((p.customers for p in report.principals), reverse=True)
    assert header.get_attribute("aria-sort") == "descending"

    browser.find_element("css selector", "#sort-principals option[value=reach]").click()
    rows = [
        tr.get_attribute("data-principal") for tr in browser.find_elements("css selector", "#matrix tbody tr")
    ]
    reach = {p.principal: p.customers for p in report.principals if p.customers}  # the matrix shows access
    assert rows == sorted(reach, key=lambda p: (-reach[p], p))


def test_the_diff_page_shows_gained_and_lost(browser: Any, tmp_path: Path) -> None:
    rows = _report().access
    base = [r for r in rows if r.principal != "msp-security"]
    head = [r for r in rows if r.stack != "wingtip"]
    diff = compare(base, head, "origin/main", ["contoso", "tailspin", "wingtip"], ["contoso", "tailspin"])
    logs = _open(browser, render_page(_report(), diff), tmp_path)
    assert logs == []
    changes = browser.find_elements("css selector", "#changes-table tbody tr")
    kinds = [tr.get_attribute("class") for tr in changes]
    assert kinds.count("change-gained") == len(diff.gained) > 0
    assert kinds.count("change-lost") == len(diff.lost) > 0
    assert browser.find_element("css selector", "#base").text == "origin/main"
    _screenshot(browser, "report-diff.png")


def test_names_from_the_stack_files_are_shown_as_text(browser: Any, tmp_path: Path) -> None:
    report = _report()
    hostile = "<img src=x onerror=\"document.title='pwned'\">"
    access = tuple(replace(r, role=hostile) if r.principal == "msp-readers" else r for r in report.access)
    logs = _open(browser, render_page(replace(report, access=access)), tmp_path)
    assert logs == []
    assert browser.title == "Access report: lighthouse-iac"
    assert browser.find_elements("css selector", "#matrix img") == []
    chips = browser.find_elements("css selector", "#matrix tr[data-principal=msp-readers] .chip")
    assert {c.text for c in chips} == {hostile}
