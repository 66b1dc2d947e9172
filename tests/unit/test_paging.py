"""nplv_shared.paging.paginate: the page body, X-Total-Count and the RFC 8288 Link header."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import Request, Response

from nplv_shared.paging import PageParams, paginate

LINK = re.compile(r'<([^>]*)>; rel="([a-z]+)"')


def request(query: str = "", path: str = "/v1/focusgebieden") -> Request:
    return Request({"type": "http", "method": "GET", "path": path, "root_path": "",
                    "query_string": query.encode(), "scheme": "https",
                    "server": ("api.nplv.test", 443),
                    "headers": [(b"host", b"api.nplv.test")]})


def links(response: Response) -> dict[str, dict[str, list[str]]]:
    """rel → parsed query of its URL."""
    found = LINK.findall(response.headers["Link"])
    assert ", ".join(f'<{u}>; rel="{r}"' for u, r in found) == response.headers["Link"]
    return {rel: parse_qs(urlsplit(url).query) for url, rel in found}


def page_numbers(response: Response) -> dict[str, int]:
    return {rel: int(query["page"][0]) for rel, query in links(response).items()}


def run(page: int, total: int, *, page_size: int = 10, query: str = "") -> Response:
    params = PageParams(page=page, page_size=page_size)
    return paginate(request(query or f"page={page}&pageSize={page_size}"),
                    items=[], total=total, params=params)


class TestPaginate:
    def test_first_page_links_first_last_and_next_but_no_prev(self) -> None:
        assert page_numbers(run(1, 35)) == {"first": 1, "last": 4, "next": 2}

    def test_middle_page_links_all_four(self) -> None:
        assert page_numbers(run(2, 35)) == {"first": 1, "last": 4, "prev": 1, "next": 3}

    def test_last_page_links_prev_but_no_next(self) -> None:
        assert page_numbers(run(4, 35)) == {"first": 1, "last": 4, "prev": 3}

    def test_exactly_full_last_page_is_not_followed_by_an_empty_page(self) -> None:
        assert page_numbers(run(3, 30)) == {"first": 1, "last": 3, "prev": 2}

    def test_empty_result_has_a_single_page(self) -> None:
        response = run(1, 0)
        assert page_numbers(response) == {"first": 1, "last": 1}
        assert response.headers["X-Total-Count"] == "0"

    def test_page_past_the_end_links_prev_to_the_last_page(self) -> None:
        assert page_numbers(run(9, 35)) == {"first": 1, "last": 4, "prev": 4}

    def test_links_keep_other_query_parameters_and_the_page_size(self) -> None:
        response = run(2, 35, query="gemeente=GM0599&page=2&pageSize=10&sorteer=naam")
        for query in links(response).values():
            assert query["gemeente"] == ["GM0599"]
            assert query["sorteer"] == ["naam"]
            assert query["pageSize"] == ["10"]
            assert len(query["page"]) == 1

    def test_links_add_page_and_page_size_when_the_request_had_none(self) -> None:
        response = paginate(request("gemeente=GM0599"), items=[], total=50,
                            params=PageParams(page=1, page_size=20))
        assert links(response)["next"] == {"gemeente": ["GM0599"], "page": ["2"],
                                           "pageSize": ["20"]}

    def test_links_are_absolute_urls_on_the_request_path(self) -> None:
        response = run(1, 35)
        urls = [url for url, _ in LINK.findall(response.headers["Link"])]
        assert all(url.startswith("https://api.nplv.test/v1/focusgebieden?") for url in urls)

    def test_body_reports_total_page_and_page_size(self) -> None:
        response = paginate(request(), items=["a", "b"], total=12,
                            params=PageParams(page=2, page_size=10))
        assert json.loads(response.body) == {"resultaten": ["a", "b"], "totaal": 12,
                                             "pagina": 2, "paginaGrootte": 10}
        assert response.headers["X-Total-Count"] == "12"


class TestPageParams:
    @pytest.mark.parametrize(("page", "size", "offset"), [(1, 20, 0), (3, 20, 40), (2, 7, 7)])
    def test_offset_skips_the_previous_pages(self, page: int, size: int, offset: int) -> None:
        assert PageParams(page=page, page_size=size).offset == offset
