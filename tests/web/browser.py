"""Headless Chromium (Debian's /usr/bin/chromium, driven by Selenium through /usr/bin/chromedriver) and the page
served by the real command, for the tests in tests/web/."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMEDRIVER = ("/usr/bin/chromedriver",)
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1000")


def find(candidates, env: str) -> str | None:
    given = os.environ.get(env)
    if given:
        return given
    return next((c for c in candidates if Path(c).exists()), shutil.which(Path(candidates[0]).name))


def chromium(downloads: Path):
    """A fresh headless Chromium (its own profile) that saves downloads into ``downloads``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = find(CHROMIUM, "RCM_CHROMIUM")
    profile = tempfile.mkdtemp(prefix="rcm-chromium-")
    for flag in FLAGS + (f"--user-data-dir={profile}",):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False,
                                              "safebrowsing.enabled": False})
    driver = webdriver.Chrome(service=Service(find(CHROMEDRIVER, "RCM_CHROMEDRIVER")), options=options)
    driver.set_page_load_timeout(600)
    driver._rcm_profile = profile
    return driver


def quit_chromium(driver) -> None:
    try:
        driver.quit()
    finally:
        shutil.rmtree(driver._rcm_profile, ignore_errors=True)


class Served:
    """``rcm-tables serve DIR --no-browser`` as a user starts it; ``address`` is the first line it prints."""

    def __init__(self, folder: Path, *options: str, env: dict | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rcm_tables", "serve", str(folder), "--no-browser", *options],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
        self.started = time.monotonic()
        self.address = ""
        self.before: list[str] = []  # what it printed before the address
        for line in self.process.stdout:
            self.before.append(line)
            if line.startswith("http://"):
                self.before.pop()
                self.address = line.strip()
                break
        self.seconds = time.monotonic() - self.started
        if not self.address:
            raise RuntimeError(f"no address printed: {self.process.stderr.read()}")

    def stop(self) -> tuple[int, str]:
        """Ctrl-C, as a person stops it: (exit code, what it printed after the address)."""
        self.process.send_signal(signal.SIGINT)
        try:
            out, _err = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        return self.process.returncode, out

    def __enter__(self) -> "Served":
        return self

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def wait_for_download(folder: Path, name: str, timeout: float = 60) -> Path:
    path = folder / name
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and not (folder / f"{name}.crdownload").exists() and path.stat().st_size:
            return path
        time.sleep(0.2)
    raise TimeoutError(f"{name} was not downloaded into {folder}: {sorted(p.name for p in folder.iterdir())}")
