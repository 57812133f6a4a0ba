"""The whole monthly routine in headless Chromium, with only what the page shows: ``rcm-tables serve`` started as a
user starts it, the exports uploaded in one go (one of them faulty), the problem seen, the file replaced, Build,
the workbook and the documents downloaded and compared with the command line's, Ctrl-C.

Chromium is Debian's (/usr/bin/chromium with /usr/bin/chromedriver; RCM_CHROMIUM / RCM_CHROMEDRIVER to point
elsewhere). Without it the test skips, except in CI (CI=true), where it fails. RCM_SCREENSHOTS=DIR keeps the
page's main states as PNG (docs/web-*.png are made so).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.web.browser import CHROMEDRIVER, CHROMIUM, Served, chromium, find, quit_chromium, wait_for_download
from tests.web.compare import cli_build, docx_text, same_tables
from tests.web.webfixtures import LAST_EXPORT, SAMPLE, changed_export, tree

pytestmark = pytest.mark.slow


@pytest.fixture
def browser(tmp_path):
    missing = [name for name, found in (("chromium", find(CHROMIUM, "RCM_CHROMIUM")),
                                        ("chromedriver", find(CHROMEDRIVER, "RCM_CHROMEDRIVER"))) if not found]
    if missing:
        message = f"{' and '.join(missing)} not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = chromium(downloads)
    driver.downloads = downloads
    yield driver
    quit_chromium(driver)


def shoot(driver, name: str) -> None:
    folder = os.environ.get("RCM_SCREENSHOTS")
    if folder:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1280, min(max(height, 800), 2400))
        driver.save_screenshot(str(Path(folder) / f"web-{name}.png"))
        driver.set_window_size(1280, 1000)


def by_css(driver, selector: str):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, selector)


def submit_with(driver, field) -> None:
    """Click the submit button of the form ``field`` is in, as a person does, and wait for the answer."""
    from selenium.webdriver.common.by import By

    click_and_wait(driver, field.find_element(By.XPATH, "./ancestor::form//button[@type='submit']"))


def click_and_wait(driver, button, seconds: int = 300) -> None:
    """Click ``button`` and wait until the next page has loaded.

    The old page is marked and the wait is for a complete page without the mark. Selenium's ``staleness_of``
    is not used: while the next page loads, ChromeDriver can answer its check with an "unknown error" (Node with
    given id does not belong to the document; SeleniumHQ/selenium#15401) instead of a stale element, which
    failed this test at random in CI. Errors while the page changes are ignored until the new one is there."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("window.rcmTablesOldPage = true;")
    button.click()
    WebDriverWait(driver, seconds, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("return !window.rcmTablesOldPage && document.readyState === 'complete';"))


def test_the_monthly_routine_in_chromium(browser, tmp_path):
    from selenium.webdriver.common.by import By

    root = tmp_path / "RCM"
    (root / "exports").mkdir(parents=True)
    shutil.copy(SAMPLE / "reference.xlsx", root / "reference.xlsx")
    faulty = changed_export(tmp_path, {"M9": "abc"})  # IOM_LineItems_2012-11.xlsx, Panama's amount mistyped
    files = [SAMPLE / "exports" / p.name for p in sorted((SAMPLE / "exports").iterdir()) if p.name != LAST_EXPORT]
    with Served(root) as served:
        assert served.address.startswith("http://127.0.0.1:") and served.seconds < 20
        browser.get(served.address)
        assert "no exports in the folder" in browser.page_source
        shoot(browser, "1-empty")
        chooser = by_css(browser, "input[type=file][multiple]")
        chooser.send_keys("\n".join(str(p) for p in files + [faulty]))
        submit_with(browser, chooser)
        aside = by_css(browser, "#set-aside")
        assert "amount is not a number" in aside.text and "abc" in aside.text
        assert not (root / "exports" / LAST_EXPORT).exists()
        assert (root / "incoming" / LAST_EXPORT).read_bytes() == faulty.read_bytes()
        shoot(browser, "2-set-aside")
        corrected = by_css(browser, "#set-aside input[type=file]")
        corrected.send_keys(str(SAMPLE / "exports" / LAST_EXPORT))
        submit_with(browser, corrected)
        assert tree(root / "exports") == tree(SAMPLE / "exports")
        assert by_css(browser, "#verdict h2").text == "Ready to build"
        assert by_css(browser, "input[type=date]").get_attribute("value") == "2012-11-09"
        shoot(browser, "3-ready")
        _filter_and_sort_the_problems(browser)
        button = next(b for b in browser.find_elements(By.TAG_NAME, "button") if "Build" in b.text)
        click_and_wait(browser, button, 600)
        assert browser.find_elements(By.CSS_SELECTOR, "a[href$='.docx']")
        shoot(browser, "4-built")
        links = {a.get_attribute("href").rsplit("/", 1)[1]: a
                 for a in browser.find_elements(By.CSS_SELECTOR, "#latest-build a")}
        for name in ("rcm-report.xlsx", "rcm-report.docx", "rcm-report.es.docx"):
            links[name].click()
            wait_for_download(browser.downloads, name)
        assert "Table 1" in by_css(browser, "#tables").text
        _hostile_partner_shows_as_text(browser, tmp_path)
        (root / "exports" / "IOM_LineItems_2012-12.xlsx").unlink()  # the command line builds what the page built
        code, said = served.stop()
    assert code == 0 and "the page is stopped" in said
    cli = cli_build(root, tmp_path / "cli", "--docx", str(tmp_path / "cli" / "rcm-report.docx"), "--lang", "en,es")
    same_tables(browser.downloads / "rcm-report.xlsx", cli / "rcm-report.xlsx")
    assert (browser.downloads / "rcm-report.xlsx").read_bytes() == (cli / "rcm-report.xlsx").read_bytes()
    for name in ("rcm-report.docx", "rcm-report.es.docx"):
        assert docx_text(browser.downloads / name) == docx_text(cli / name)


def _hostile_partner_shows_as_text(browser, tmp_path) -> None:
    """A partner written as HTML, in an export sent through the page: shown as text, run never."""
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    hostile = "<img src=x onerror=alert(document.domain)>"
    path = changed_export(tmp_path / "hostile", {"C8": "1412000099", "I8": hostile}, name="IOM_LineItems_2012-12.xlsx")
    chooser = by_css(browser, "input[type=file][multiple]")
    chooser.send_keys(str(path))
    submit_with(browser, chooser)
    problems = by_css(browser, "#problems-table")
    assert f"unknown partner '{hostile}'" in problems.text
    assert problems.find_elements(By.TAG_NAME, "img") == []
    try:
        browser.switch_to.alert
    except NoAlertPresentException:
        pass
    else:
        raise AssertionError("the partner's HTML ran")


def _filter_and_sort_the_problems(browser) -> None:
    """The problems table's filter box and sortable headings (the page's own JavaScript)."""
    from selenium.webdriver.common.by import By

    def shown(column: int) -> list[str]:
        rows = browser.find_elements(By.CSS_SELECTOR, "#problems-table tbody tr")
        return [r.find_elements(By.TAG_NAME, "td")[column].text for r in rows if r.is_displayed()]

    codes = shown(8)
    assert codes.count("scale-shares") == 2 and len(codes) == 6  # the sample's warnings and notes
    box = by_css(browser, "input.filter")
    box.send_keys("scale")
    assert shown(8) == ["scale-shares", "scale-shares"] and shown(3) == ["2", "13"]
    row_heading = by_css(browser, "#problems-table th[data-key=row]")
    row_heading.click()
    row_heading.click()  # descending
    assert shown(3) == ["13", "2"]  # as numbers: 13 after 2 ascending, first descending
    box.clear()
    box.send_keys(" ")
    box.send_keys("\b")
    assert len(shown(8)) == 6
