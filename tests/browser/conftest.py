"""Fixtures for tests that open pages in a real headless Chromium (see chromium.py): one browser
for the whole session, a fresh context and page for every test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from playwright.async_api import Browser, Page, async_playwright

from tests.browser.chromium import launch_chromium

DEFAULT_TIMEOUT_MS = 15_000


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def chromium() -> AsyncIterator[Browser]:
    """Debian's Chromium, started once via Playwright and closed at the end of the session.
    Fails (never skips) when /usr/bin/chromium is missing."""
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        try:
            yield browser
        finally:
            await browser.close()


@pytest_asyncio.fixture(loop_scope="session")
async def page(chromium: Browser) -> AsyncIterator[Page]:
    """A page in a new browser context (no cookies, storage or cache shared between tests),
    Dutch locale and Amsterdam time, as the report's readers have them."""
    context = await chromium.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        yield await context.new_page()
    finally:
        await context.close()
