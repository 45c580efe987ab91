"""The review workspace end to end: a real `dtpc serve` on 127.0.0.1 driven in headless Chromium — log
in, upload a sample, wait for it, dismiss a flag with a reason, correct a field and watch its finding
go, decide, and export the province's 推荐表."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.test_report import CHROMEDRIVER, CHROMIUM, _need_browser

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "corpus" / "a07-digital.pdf"
PASSWORD = "henan-reviewer-pass-42"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _dtpc(*args: str, stdin: str | None = None) -> str:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", "dtpc.cli", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120, check=True)
    return done.stdout


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path, str]]:
    """(base URL, server log, API token) of a `dtpc serve` over a fresh data folder, with one 河南省 reviewer."""
    data = tmp_path / "data"
    _dtpc("user", "add", "hn-reviewer", "--role", "province", "--province", "河南省", "--password-stdin",
          "--data", str(data), stdin=PASSWORD + "\n")
    token = _dtpc("user", "token", "hn-reviewer", "--data", str(data)).strip()
    port = _free_port()
    log = tmp_path / "server.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    with log.open("w") as sink:
        process = subprocess.Popen([sys.executable, "-m", "dtpc.cli", "-v", "serve", "--data", str(data), "--port",
                                    str(port), "--files", "1"], cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/login", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"server did not start: {log.read_text()[-2000:]}") from None
                time.sleep(0.3)
        yield base, log, token
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[tuple[Any, Path]]:
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1600", "--lang=zh-CN"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver, downloads
    finally:
        driver.quit()


def _finding(driver: Any, code: str) -> Any:
    from selenium.webdriver.common.by import By

    found = driver.find_elements(By.CSS_SELECTOR, f'#findings article[data-code="{code}"]')
    return found[0] if found else None


def test_a_reviewer_works_a_package_through_in_the_browser(server: tuple[str, Path, str],
                                                          chromium: tuple[Any, Path]) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as until
    from selenium.webdriver.support.ui import Select, WebDriverWait

    base, log, token = server
    driver, downloads = chromium
    # The findings list is drawn again after each action: an element found just before that is stale, so
    # the waits look again rather than fail.
    wait = WebDriverWait(driver, 30, ignored_exceptions=[StaleElementReferenceException])

    driver.get(f"{base}/")
    wait.until(until.presence_of_element_located((By.ID, "login")))
    driver.find_element(By.NAME, "name").send_keys("hn-reviewer")
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "#login button").click()
    wait.until(until.presence_of_element_located((By.ID, "upload-file"))).send_keys(str(SAMPLE))
    driver.find_element(By.CSS_SELECTOR, "#upload button").click()

    WebDriverWait(driver, 180, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda d: d.find_element(By.ID, "status").get_attribute("data-status") == "done")
    assert _finding(driver, "INVESTOR_COUNT_MISMATCH") is not None
    images = driver.find_elements(By.CSS_SELECTOR, "#findings .evidence img")
    assert images and all(driver.execute_script("return arguments[0].naturalWidth", img) > 0 for img in images)

    attachment = _finding(driver, "ATTACHMENT_MISSING")
    attachment.find_element(By.CSS_SELECTOR, "input.reason").send_keys("附3表3 已随补充材料另行报送")
    attachment.find_element(By.CSS_SELECTOR, "button.dismiss").click()
    # While the list is drawn again the finding is briefly absent: the wait looks again then, too.
    wait.until(lambda d: (found := _finding(d, "ATTACHMENT_MISSING")) is not None
               and found.find_elements(By.CSS_SELECTOR, '[data-review="dismissed"]'))
    assert "另行报送" in _finding(driver, "ATTACHMENT_MISSING").text

    form = driver.find_element(By.ID, "correction-form")
    form.find_element(By.NAME, "path").send_keys("basic_info.resources[1].investors")
    form.find_element(By.NAME, "value").send_keys("4")
    form.find_element(By.NAME, "reason").send_keys("基本情况表 2025 年投融资机构数误读，原件为 4 家")
    form.find_element(By.CSS_SELECTOR, "button").click()
    wait.until(lambda d: d.find_elements(By.ID, "correction-list"))
    assert _finding(driver, "INVESTOR_COUNT_MISMATCH") is None
    assert driver.find_elements(By.CSS_SELECTOR, '#resolved li[data-code="INVESTOR_COUNT_MISMATCH"]')
    assert _finding(driver, "PROVIDER_COUNT_MISMATCH") is not None  # the other checks ran again and still find it

    decision = driver.find_element(By.ID, "decision-form")
    Select(decision.find_element(By.NAME, "decision")).select_by_value("recommend")
    decision.find_element(By.NAME, "rank").send_keys("1")
    decision.find_element(By.NAME, "policies").send_keys("省级专项资金 300 万元")
    decision.find_element(By.CSS_SELECTOR, "button").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '#current-decision[data-decision="recommend"]'))

    driver.find_element(By.LINK_TEXT, "河南省推荐表").click()
    wait.until(until.presence_of_element_located((By.ID, "recommended")))
    assert all(item.get_attribute("data-ok") == "true" for item in driver.find_elements(By.CSS_SELECTOR, "#quota li"))
    applicant = driver.find_element(By.CSS_SELECTOR, "#recommended tbody td:nth-child(2) a").text
    assert applicant
    driver.find_element(By.ID, "export").click()
    deadline = time.monotonic() + 30
    # The browser names the file before it has written all of it: a workbook is there once it is a whole zip.
    while not (files := [p for p in downloads.glob("*.xlsx") if zipfile.is_zipfile(p)]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert files, "no workbook was downloaded"
    rows = list(load_workbook(files[0])["推荐表"].iter_rows(values_only=True))
    assert rows[2][:2] == (1, applicant) and rows[2][3] == "省级专项资金 300 万元"

    problems = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert not [message for message in problems if "Content Security Policy" in message], problems
    text = log.read_text()
    assert PASSWORD not in text and token not in text
    assert "POST /login" in text  # the log is the server's access log, and it was read
