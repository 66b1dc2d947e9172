"""Open a page in a real headless Chromium and report what a reader (and a screen reader) gets.

Debian's `chromium` (/usr/bin/chromium, installed by scripts/local/chromium.sh) driven by
Playwright for Python; Playwright's own browser download is not used. The accessibility check
is axe-core from node_modules (package.json, installed by `npm ci`). A missing Chromium or
axe-core fails the test with a message saying how to install it; it never skips.

    browser = await launch_chromium(playwright)
    report = await open_page(page, url)        # errors, headings, SVGs, axe violations
    pdf = await print_pdf(page)                 # A4, backgrounds, print media; pdf.pages
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Response,
)
from playwright.async_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
# As root Chromium needs --no-sandbox. The network flags keep it from calling home (component
# updates, sync, QUIC): on a closed network those connections are refused and only add noise.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
SERIOUS = frozenset({"serious", "critical"})
# Page objects of a PDF: `/Type /Page`, not the `/Type /Pages` tree nodes.
_PDF_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")

_HEADINGS_JS = """() => Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
    .map(h => [Number(h.tagName.substring(1)), h.textContent.replace(/\\s+/g, ' ').trim()])"""
_VISIBLE_JS = """(selector) => Array.from(document.querySelectorAll(selector)).filter(e => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.height > 0
        && e.checkVisibility({opacityProperty: true, visibilityProperty: true});
}).length"""
_AXE_RUN_JS = """async (tags) => {
    const result = await axe.run(document, {
        runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
    });
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
        targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
    }));
}"""


@dataclass(frozen=True)
class Heading:
    level: int  # 1 for h1 … 6 for h6
    text: str


@dataclass(frozen=True)
class AxeViolation:
    id: str  # the axe rule, e.g. "color-contrast"
    impact: str | None  # minor, moderate, serious or critical
    help: str
    nodes: int  # how many elements break the rule
    targets: tuple[str, ...] = ()  # CSS selectors of the first few

    @property
    def serious(self) -> bool:
        return self.impact in SERIOUS


@dataclass
class PageReport:
    url: str
    status: int | None  # HTTP status of the main document
    console_errors: list[str] = field(default_factory=list)  # console messages of type error
    page_errors: list[str] = field(default_factory=list)  # uncaught exceptions (pageerror)
    failed_requests: list[str] = field(default_factory=list)  # "404 GET url" / "failed GET url: …"
    headings: list[Heading] = field(default_factory=list)  # document order
    visible_svgs: int = 0  # outermost <svg> elements with a visible, non-empty box
    axe_violations: list[AxeViolation] = field(default_factory=list)

    @property
    def serious_violations(self) -> list[AxeViolation]:
        return [v for v in self.axe_violations if v.serious]

    @property
    def violation_ids(self) -> set[str]:
        return {v.id for v in self.axe_violations}

    def skipped_heading_levels(self) -> list[tuple[Heading, Heading]]:
        """Pairs where a heading goes more than one level deeper than the one before it (h1
        then h4). axe's heading-order rule is best practice, not WCAG, so it is checked here."""
        return [(a, b) for a, b in zip(self.headings, self.headings[1:], strict=False)
                if b.level > a.level + 1]

    def describe(self) -> str:
        """Everything found, one item a line: for assertion messages."""
        lines = [f"{self.url} -> HTTP {self.status}"]
        lines += [f"console error: {m}" for m in self.console_errors]
        lines += [f"page error: {m}" for m in self.page_errors]
        lines += [f"request: {m}" for m in self.failed_requests]
        lines += [f"h{h.level}: {h.text}" for h in self.headings]
        lines.append(f"visible svg: {self.visible_svgs}")
        lines += [f"axe {v.id} ({v.impact}, {v.nodes}x): {v.help} {list(v.targets)}"
                  for v in self.axe_violations]
        return "\n".join(lines)


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int


def require_chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} ontbreekt: draai scripts/local/chromium.sh (make test doet dat)")
    return CHROMIUM


def require_axe() -> Path:
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT.relative_to(ROOT)} ontbreekt: draai npm ci (make node; "
                    "make test doet dat)")
    return AXE_SCRIPT


async def launch_chromium(playwright: Playwright) -> Browser:
    """Start Debian's Chromium headless; fails the test when it is not installed."""
    return await playwright.chromium.launch(
        executable_path=str(require_chromium()), args=list(CHROMIUM_ARGS), headless=True)


async def open_page(page: Page, url: str, *, axe: bool = True) -> PageReport:
    """Go to `url`, wait for the load event and report what the page did and shows.

    Console errors, page errors and failed requests are those that happen until the report is
    made; the axe run (skipped with axe=False) comes last and adds nothing to them."""
    report = PageReport(url=url, status=None)

    def on_console(message: ConsoleMessage) -> None:
        where = message.location.get("url", "")
        if message.type == "error" and not _implicit_favicon(where):
            report.console_errors.append(f"{message.text} ({where})" if where else message.text)

    def on_page_error(error: PlaywrightError) -> None:
        report.page_errors.append(f"{error.name}: {error.message}" if error.name else error.message)

    def on_response(response: Response) -> None:
        if response.status >= 400:
            report.failed_requests.append(
                f"{response.status} {response.request.method} {response.url}")

    def on_request_failed(request: Request) -> None:
        report.failed_requests.append(f"failed {request.method} {request.url}: {request.failure}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    try:
        response = await page.goto(url, wait_until="load")
        report.status = response.status if response is not None else None
        rows = await page.evaluate(_HEADINGS_JS)
        report.headings = [Heading(level=int(level), text=str(text)) for level, text in rows]
        report.visible_svgs = await visible_count(page, "svg:not(svg svg)")
    finally:
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_page_error)
        page.remove_listener("response", on_response)
        page.remove_listener("requestfailed", on_request_failed)
    if axe:
        report.axe_violations = await run_axe(page)
    return report


def _implicit_favicon(url: str) -> bool:
    """Chromium asks every origin for /favicon.ico unless the page names an icon, and logs a 404
    as a console error; that is the browser's request, not the page's. An icon the page does
    name has its own URL and still counts."""
    return urlsplit(url).path == "/favicon.ico"


async def visible_count(page: Page, selector: str) -> int:
    """How many elements matching `selector` have a visible, non-empty box."""
    return int(await page.evaluate(_VISIBLE_JS, selector))


async def run_axe(page: Page, tags: tuple[str, ...] = AXE_TAGS) -> list[AxeViolation]:
    """Inject axe-core into the page (once) and return the violations of the WCAG 2.1 A/AA
    rules. A page whose Content-Security-Policy refuses the injected <script> gets axe through
    the DevTools protocol instead, which CSP does not govern."""
    if not await page.evaluate("() => typeof window.axe !== 'undefined'"):
        source = require_axe()
        with contextlib.suppress(PlaywrightError):  # refused by the page's CSP: see below
            await page.add_script_tag(path=source)
        if not await page.evaluate("() => typeof window.axe !== 'undefined'"):
            await page.evaluate(source.read_text(encoding="utf-8") + "\n;undefined")
    rows = await page.evaluate(_AXE_RUN_JS, list(tags))
    return [AxeViolation(id=r["id"], impact=r["impact"], help=r["help"], nodes=int(r["nodes"]),
                         targets=tuple(r["targets"])) for r in rows]


async def print_pdf(page: Page) -> Pdf:
    """Print the page as the browser's print dialog would: print media, A4, backgrounds."""
    await page.emulate_media(media="print")
    try:
        data = await page.pdf(format="A4", print_background=True)
    finally:
        await page.emulate_media(media="null")
    return Pdf(data=data, pages=count_pdf_pages(data))


def count_pdf_pages(data: bytes) -> int:
    return len(_PDF_PAGE.findall(data))
