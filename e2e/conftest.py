"""Browser tests: Playwright (sync API) driving Debian's system Chromium against live_server.

Never downloads a browser: Chromium comes from `apt-get install chromium fonts-noto-cjk`.
Without /usr/bin/chromium (or without the playwright package) the tests are skipped, unless
HOUQIN_REQUIRE_BROWSER=1 (set by .ci/run), in which case they fail. Test modules import
playwright only through `pytest.importorskip` and get the browser through the fixtures here.

Screenshots go to e2e/artifacts/ (gitignored): tests take named ones with the `screenshot`
fixture, and every failing test leaves one named FAILED-<test>.png.
"""

import contextlib
import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
TIMEOUT_MS = 15_000


def browser_unavailable_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} 不存在：浏览器测试需要 `apt-get install chromium fonts-noto-cjk`"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "未安装 Python 包 playwright：请运行 `make install-test`"
    return None


def _skip_or_fail_without_browser() -> None:
    reason = browser_unavailable_reason()
    if reason is None:
        return
    if os.environ.get("HOUQIN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"HOUQIN_REQUIRE_BROWSER=1 但无法运行浏览器测试：{reason}", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the item so the page fixture can screenshot failures.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="module")
def browser(django_db_setup):
    """One Chromium per test module; stopped with the module so no event loop outlives it."""
    _skip_or_fail_without_browser()
    # Playwright's sync API runs an asyncio event loop in this thread; Django would otherwise
    # refuse ORM calls from the test body ("You cannot call this from an async context").
    # Set only while the browser runs, so the rest of the suite keeps Django's safety check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _run_browser()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _run_browser():
    from django.db import connections
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)  # CI machines can be slow; the default is 5 s
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        # Close the connections opened inside the loop, or PostgreSQL cannot drop the test DB.
        connections.close_all()


def _new_page(browser, viewport):
    context = browser.new_context(
        viewport=viewport,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        is_mobile=viewport is PHONE,
        has_touch=viewport is PHONE,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    # JavaScript errors and console errors (CSP violations land here) for assertions.
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    return context, page


def _finish(context, page, request):
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        # A failing screenshot must not hide the test's own failure.
        with contextlib.suppress(Exception):
            page.screenshot(path=str(ARTIFACTS / f"FAILED-{name}.png"), full_page=True)
    context.close()


@pytest.fixture(autouse=True)
def _migrated_data(transactional_db):
    """Put back what migrations create: the flush after each transactional test removes it
    (ranks and area standards from the data migrations themselves, role groups from the code
    that runs on post_migrate)."""
    from houqin.core.testing import restore_migrated_data

    restore_migrated_data()


@pytest.fixture
def page(browser, request):
    """A phone-sized page (390×844, zh-CN) in a fresh context (no cookies)."""
    context, page = _new_page(browser, PHONE)
    yield page
    _finish(context, page, request)


@pytest.fixture
def desktop_page(browser, request):
    """A desktop-sized page (1366×900, zh-CN) in a fresh context (no cookies)."""
    context, page = _new_page(browser, DESKTOP)
    yield page
    _finish(context, page, request)


@pytest.fixture
def screenshot():
    """`screenshot(page, "name")` saves e2e/artifacts/name.png (full page) for debugging."""

    def take(page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
