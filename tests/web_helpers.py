"""Helpers of the browser tests and scripts/screenshots.py: `rasad serve` on a free port of
127.0.0.1 and headless Chromium through Selenium (Debian's chromium and chromedriver, given by
path, so Selenium Manager never downloads anything)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("RASAD_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("RASAD_CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-background-networking",
                  "--disable-component-update", "--disable-gpu", "--disable-dev-shm-usage",
                  "--no-first-run", "--disable-sync", "--lang=ar")


def browser_missing() -> str | None:
    """Why headless Chromium cannot run here (None when it can)."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (Path(path).is_file() or shutil.which(path)):
            return f"{path} is not installed (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rasad(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the rasad command line of this checkout (``python -m rasad``)."""
    return subprocess.run([sys.executable, "-m", "rasad", *args], capture_output=True,
                          text=True, check=check)


@contextmanager
def serve(db: Path, token: str | None = None, timeout: float = 60, workers: int = 1
          ) -> Iterator[str]:
    """``rasad serve --db DB`` on a free port of 127.0.0.1; yields its base URL."""
    with serve_process(db, token, timeout, workers) as (base, _):
        yield base


@contextmanager
def serve_process(db: Path, token: str | None = None, timeout: float = 60, workers: int = 1,
                  pythonpath: str | None = None
                  ) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`serve`, yielding the base URL and the server's process; `pythonpath` (another
    checkout's ``src``) runs that code instead of this one."""
    port = free_port()
    env = {**os.environ, "RASAD_TOKEN": token or ""}
    if pythonpath is not None:
        env["PYTHONPATH"] = pythonpath
    process = subprocess.Popen([sys.executable, "-m", "rasad", "serve", "--db", str(db),
                                "--port", str(port), "--workers", str(workers)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(base + "/api/facets", timeout=5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read() if process.stdout else ""
                    raise RuntimeError(f"rasad serve did not start: {output}") from None
                time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def chromium(width: int = 1400, height: int = 900) -> Any:
    """A headless Chromium WebDriver (quit it when done)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--window-size={width},{height}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def open_page(driver: Any, url: str, timeout: float = 30) -> float:
    """Load the page and wait until it has drawn its data; returns the seconds it took."""
    start = time.monotonic()
    driver.get(url)
    wait_for(driver, "return document.body.dataset.ready", timeout)
    ready = driver.execute_script("return document.body.dataset.ready")
    if ready != "1":
        raise RuntimeError(f"the page failed: {driver.find_element('id', 'side').text}")
    return time.monotonic() - start


def wait_for(driver: Any, script: str, timeout: float = 20) -> Any:
    """Run `script` until it returns a true value (which is returned)."""
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script(script)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout} s: {script}")
        time.sleep(0.1)
