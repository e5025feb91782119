"""Browser tests: headless Chromium (Debian's, never a downloaded build) driving the app
through pytest-django's live server, with axe-core checks and a screenshot of every page.

Run them on their own test database, as the rest of the suite may be running at the same
time on the same PostgreSQL server:

    CLEARSIGHT_MODE=test CLEARSIGHT_TEST_DB_NAME=test_clearsight_browser \
        .venv/bin/pytest tests/browser -q
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from clearsight.accounts.models import User
from tests.conftest import totp_code
from tests.factories import PASSWORD

PROJECT_ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = PROJECT_ROOT / "var" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
BLOCKING_IMPACTS = {"serious", "critical"}


# --- Live server and database ------------------------------------------------------------


def _no_static_handler(application: Any) -> Any:
    return application


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[Any]:
    """pytest-django's live server, but with static files left to WhiteNoise.

    pytest-django wraps the app in staticfiles' StaticFilesHandler, which answers every
    /static/ request from the finders and so 404s the hashed names that
    CompressedManifestStaticFilesStorage puts in the pages. Passing requests straight
    through lets WhiteNoise serve var/static, as it does in production.
    """
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    server.thread.static_handler = _no_static_handler
    server.start()
    yield server
    server.stop()


@pytest.fixture
def _connection_closed_after_flush(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    yield
    with django_db_blocker.unblock():
        # Opened while Playwright runs (see browser below), so close it here: Django would
        # not find it again once Playwright stops, and it would block dropping the test
        # database.
        connection.close()


@pytest.fixture
def transactional_db(
    _connection_closed_after_flush: None, transactional_db: None
) -> Iterator[None]:
    """pytest-django's transactional_db (which live_server pulls in). Emptying the tables
    afterwards uses TRUNCATE, which the audit trigger allows in test databases only
    (audit migration 0004)."""
    yield


# --- Browser ----------------------------------------------------------------------------


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for all the browser tests, stopped after the last of them.

    While Playwright's sync API runs, its asyncio loop counts as running in this thread.
    Django then refuses ORM calls unless DJANGO_ALLOW_ASYNC_UNSAFE is set, and keeps this
    thread's database connections apart from those it opened before. So the browser lives
    for this package only (not the whole session), and the variable is set only meanwhile:
    the rest of a full test run keeps Django's async-safety check and its connections.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class PageProblems:
    """What the browser complained about since the last checkpoint."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return [*self.console_errors, *self.page_errors, *self.failed_responses]

    def clear(self) -> None:
        self.console_errors.clear()
        self.page_errors.clear()
        self.failed_responses.clear()


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(browser: Browser, live_server: Any, page_problems: PageProblems) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies), with the page CSP enforced."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    new_page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        # "Failed to load resource" repeats what the response handler below records, and
        # is also logged for pages that are meant to answer 4xx (a refused page, say).
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            page_problems.console_errors.append(f"console error: {message.text}")

    new_page.on("console", on_console)
    new_page.on("pageerror", lambda error: page_problems.page_errors.append(f"JS error: {error}"))
    new_page.on(
        "response",
        lambda response: (
            page_problems.failed_responses.append(f"HTTP {response.status} for {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )
    new_page.on(
        "requestfailed",
        lambda request: (
            page_problems.failed_responses.append(
                f"request failed ({request.failure}) for {request.url}"
            )
            # A click that leaves the page cancels what it was still fetching (often the
            # favicon): the browser reports ERR_ABORTED, which is not a fault of the page.
            if "ERR_ABORTED" not in (request.failure or "")
            else None
        ),
    )
    yield new_page
    context.close()


# --- Accessibility checks and screenshots -------------------------------------------------


def _axe_violations(page: Page) -> list[dict[str, Any]]:
    # add_script_tag would add an inline <script>, which the page CSP (script-src 'self')
    # blocks. Evaluating the source through the DevTools protocol is not subject to the
    # CSP, so the pages are checked exactly as users get them, CSP and all.
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_PATH.read_text())
    return page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({
                    target: n.target.join(" "),
                    html: n.html,
                    summary: n.failureSummary,
                })),
            }));
        }"""
    )


def format_violations(where: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} violation(s) on {where}:"]
    for violation in violations:
        lines.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"      at {node['target']}: {node['html'][:160]}")
            if summary:
                lines.append(f"         {summary[:400]}")
    return "\n".join(lines)


@dataclass
class Journey:
    """Checkpoints along one user journey: each saves a full-page screenshot as
    var/screenshots/<journey>-<nn>-<step>.png and fails on serious or critical axe-core
    violations, on JavaScript or console errors and on failed sub-resources."""

    name: str
    page: Page
    problems: PageProblems
    step: int = 0
    findings: list[dict[str, Any]] = field(default_factory=list)

    def checkpoint(self, step: str) -> None:
        self.step += 1
        self.page.wait_for_load_state("load")
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        path = SCREENSHOT_DIR / f"{self.name}-{self.step:02d}-{slug}.png"
        self.page.screenshot(path=str(path), full_page=True)

        where = f"{self.name} step {self.step} '{step}' ({self.page.url})"
        violations = _axe_violations(self.page)
        self.findings.append({"step": step, "url": self.page.url, "violations": violations})
        if violations:
            print(format_violations(where, violations))
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, format_violations(where, blocking)

        problems = self.problems.all()
        self.problems.clear()
        assert not problems, f"The browser reported problems on {where}:\n  " + "\n  ".join(
            problems
        )


@pytest.fixture
def journey(page: Page, page_problems: PageProblems) -> Iterator[Callable[[str], Journey]]:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    journeys: list[Journey] = []

    def start(name: str) -> Journey:
        journeys.append(Journey(name=name, page=page, problems=page_problems))
        return journeys[-1]

    yield start
    for each in journeys:
        report = SCREENSHOT_DIR / f"{each.name}-axe.json"
        report.write_text(json.dumps(each.findings, indent=2))


# --- Signing in ---------------------------------------------------------------------------


def current_code(user: User) -> str:
    """The code the user's authenticator app shows now (the device is re-read, as the
    server updates its drift and last-used step)."""
    return totp_code(TOTPDevice.objects.get(user=user, confirmed=True))


def enter_password(page: Page, user: User, password: str = PASSWORD) -> None:
    page.goto("/sign-in/")
    page.locator("#id_email").fill(user.email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/sign-in/code/"))


def enter_code(page: Page, code: str) -> None:
    page.locator("#id_code").fill(code)
    page.get_by_role("button", name="Continue").click()


@pytest.fixture
def sign_in(page: Page) -> Callable[..., None]:
    """Signs a user in through the real pages: password, then the current TOTP code."""

    def _sign_in(user: User, password: str = PASSWORD) -> None:
        enter_password(page, user, password)
        enter_code(page, current_code(user))
        expect(page).not_to_have_url(re.compile(r"/sign-in/"))

    return _sign_in
