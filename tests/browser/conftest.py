"""Browser tests: Playwright for Python driving Debian's Chromium against the live server.

Never ``playwright install`` (it downloads a browser); the system's /usr/bin/chromium is
used, and the tests skip with a clear reason when it is missing (CI installs it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

CHROMIUM = Path(os.environ.get("CALENDLY_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "browser-pw"
BROWSER_TIMEZONE = "Europe/Berlin"  # not the server's UTC: the page must send the browser's


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One browser per test module, closed after it: while it runs, this thread has an
    asyncio loop (Playwright's), which no test outside tests/browser should ever see."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
    )
    # Playwright's sync API keeps an asyncio loop running in this thread, so Django would
    # refuse the test's own (plain sync) ORM calls as "from an async context" while the
    # browser is up. The live server answers in its own threads, where the check still holds.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(
        viewport={"width": 1100, "height": 900}, timezone_id=BROWSER_TIMEZONE, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def member(transactional_db: Any) -> Any:
    return get_user_model().objects.create_user("ada", password=PASSWORD)


def log_in(page: Any, live_server: Any, username: str, next_path: str) -> None:
    """Log in through the demo's login form, as a person would."""
    page.goto(f"{live_server.url}{next_path}")
    assert "/login/" in page.url  # the page asked for a login first
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{next_path}")


def shot(page: Any, name: str) -> Path:
    """A full-page screenshot in the temp dir, to look at after a run."""
    path = Path(os.environ.get("CALENDLY_TEST_SCREENSHOTS", "/tmp")) / f"calendly-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
