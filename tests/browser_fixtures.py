"""Chromium for browser tests: Debian's headless Chromium driven by Playwright's sync API.

`new_page(width, height)` opens a Korean-locale page in one browser per test; the browser
closes after the test. Tests take screenshots with `screenshot(page, name)` into
test-artifacts/ (gitignored) and log in with `login_through_form`.
"""

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def new_page(monkeypatch):
    """Factory: new_page(width, height) → a ko-KR page of that viewport in headless Chromium."""
    # Playwright's sync API keeps an event loop running in this thread, and Django refuses
    # ORM calls from a thread with a running loop unless told this is on purpose.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)

        def make(width: int, height: int, enforce_csp: bool = False):
            # Playwright's string waits (wait_for_function) eval in the page, which our
            # Content-Security-Policy forbids; tests/browser/test_content_security_policy.py
            # enforces it to prove the pages themselves never need that.
            return browser.new_page(
                viewport={"width": width, "height": height}, locale="ko-KR", bypass_csp=not enforce_csp
            )

        yield make
        browser.close()


def screenshot(page, name: str, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def submit_login_form(page, username: str, password: str) -> None:
    """Fill and send the login form the page is showing."""
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="로그인").click()


def login_through_form(page, base_url: str, username: str, password: str, next_path: str = "") -> None:
    """Open the login page (optionally with ?next=) and log in as a user would."""
    page.goto(f"{base_url}/accounts/login/" + (f"?next={next_path}" if next_path else ""))
    submit_login_form(page, username, password)
