"""The browser harness itself: on two small static pages, a good one and a bad one, it must see
what is right and catch what is wrong. Served from a local HTTP server; no system needed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.async_api import Page

from tests.browser.chromium import Heading, count_pdf_pages, open_page, print_pdf

GOOD = """<!doctype html>
<html lang="nl">
<head>
  <meta charset="utf-8">
  <title>Voortgangsrapportage Rotterdam-Zuid</title>
  <style>
    body { font-family: sans-serif; color: #1a1a1a; background: #ffffff; }
    .nieuwe-pagina { break-before: page; }
  </style>
</head>
<body>
  <main>
    <h1>Voortgangsrapportage Rotterdam-Zuid</h1>
    <h2>Indicatoren</h2>
    <table>
      <caption>Laatste metingen</caption>
      <thead><tr><th scope="col">Indicator</th><th scope="col">Waarde</th></tr></thead>
      <tbody><tr><th scope="row">Werkloosheid</th><td>4,1 %</td></tr></tbody>
    </table>
    <svg role="img" aria-labelledby="grafiek-titel" width="200" height="100"
         viewBox="0 0 200 100">
      <title id="grafiek-titel">Werkloosheid per jaar</title>
      <rect x="10" y="40" width="30" height="60" fill="#154273"></rect>
      <svg x="60" y="20" width="30" height="80"><rect width="30" height="80"></rect></svg>
    </svg>
    <svg style="display: none" aria-hidden="true"><rect width="5" height="5"></rect></svg>
    <h2 class="nieuwe-pagina">Toelichting</h2>
    <p>De werkloosheid daalt.</p>
  </main>
</body>
</html>"""

BAD = """<!doctype html>
<html>
<head>
  <meta charset="utf-8">
  <title>Slechte pagina</title>
  <link rel="stylesheet" href="/ontbreekt.css">
</head>
<body>
  <h1>Rapport</h1>
  <h4>Te diep</h4>
  <img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
       width="20" height="20">
  <p style="color: #c8c8c8; background: #ffffff">Nauwelijks leesbaar</p>
  <script>
    console.error("bewust fout gelogd");
    throw new Error("onverwachte fout");
  </script>
</body>
</html>"""

# A strict Content-Security-Policy refuses axe's injected <script>; the harness must still run it.
STRICT_CSP = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Streng</title></head>
<body><main><h1>Streng</h1><p style="color: #c8c8c8">Nauwelijks leesbaar</p></main></body>
</html>"""

PAGES: dict[str, tuple[str, dict[str, str]]] = {
    "/goed": (GOOD, {}),
    "/slecht": (BAD, {}),
    "/streng": (STRICT_CSP, {"Content-Security-Policy": "default-src 'none'; "
                                                         "style-src 'unsafe-inline'"}),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body, headers = PAGES.get(self.path, ("<!doctype html><title>Niet gevonden</title>", {}))
        data = body.encode()
        self.send_response(200 if self.path in PAGES else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


async def test_good_page_is_clean(page: Page, site: str) -> None:
    report = await open_page(page, f"{site}/goed")

    assert report.status == 200
    assert (report.console_errors, report.page_errors, report.failed_requests) == ([], [], []), \
        report.describe()
    assert report.headings == [
        Heading(1, "Voortgangsrapportage Rotterdam-Zuid"),
        Heading(2, "Indicatoren"),
        Heading(2, "Toelichting"),
    ]
    assert report.skipped_heading_levels() == []
    # the chart counts once (not its nested <svg>), the display:none one not at all
    assert report.visible_svgs == 1
    assert report.serious_violations == [], report.describe()


async def test_good_page_prints_to_pdf(page: Page, site: str) -> None:
    await open_page(page, f"{site}/goed", axe=False)

    pdf = await print_pdf(page)

    assert pdf.data.startswith(b"%PDF-")
    assert pdf.pages >= 1
    assert pdf.pages == 2  # "Toelichting" starts a new page in print


async def test_bad_page_is_caught(page: Page, site: str) -> None:
    report = await open_page(page, f"{site}/slecht")

    assert report.status == 200
    assert any("bewust fout gelogd" in m for m in report.console_errors), report.describe()
    assert any("onverwachte fout" in m for m in report.page_errors), report.describe()
    assert any(m.startswith("404 GET ") and m.endswith("/ontbreekt.css")
               for m in report.failed_requests), report.describe()
    assert [h.level for h in report.headings] == [1, 4]
    assert report.skipped_heading_levels() == [(Heading(1, "Rapport"), Heading(4, "Te diep"))]
    assert report.visible_svgs == 0
    assert {"image-alt", "color-contrast", "html-has-lang"} <= report.violation_ids, \
        report.describe()
    assert {v.id for v in report.serious_violations} >= {"image-alt", "color-contrast"}


async def test_missing_page_reports_its_status(page: Page, site: str) -> None:
    report = await open_page(page, f"{site}/bestaat-niet", axe=False)

    assert report.status == 404


async def test_axe_runs_under_a_strict_content_security_policy(page: Page, site: str) -> None:
    report = await open_page(page, f"{site}/streng")

    assert "color-contrast" in report.violation_ids, report.describe()


def test_pdf_pages_are_counted_without_the_page_tree() -> None:
    data = (b"%PDF-1.4\n1 0 obj <</Type /Pages /Kids [2 0 R 3 0 R] /Count 2>> endobj\n"
            b"2 0 obj <</Type /Page /Parent 1 0 R>> endobj\n"
            b"3 0 obj <</Type/Page/Parent 1 0 R>> endobj\n")

    assert count_pdf_pages(data) == 2
