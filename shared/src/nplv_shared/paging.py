"""page/pageSize paging with an RFC 8288 Link header (NL API pagination module)."""

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Query, Request
from pydantic import BaseModel, Field

from nplv_shared.responses import JsonResponse

T = TypeVar("T")


@dataclass(frozen=True)
class PageParams:
    page: int
    page_size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


async def page_params(
    page: Annotated[int, Query(ge=1, le=100_000, description="Paginanummer, vanaf 1")] = 1,
    pageSize: Annotated[int, Query(ge=1, le=100, description="Aantal per pagina (max 100)")] = 20,
) -> PageParams:
    return PageParams(page=page, page_size=pageSize)


class Page(BaseModel, Generic[T]):
    resultaten: list[T]
    totaal: int = Field(description="Totaal aantal resultaten over alle pagina's")
    pagina: int
    paginaGrootte: int


def paginate(request: Request, items: list[T], total: int, params: PageParams) -> JsonResponse:
    """The page as a response, with an RFC 8288 `Link` header and `X-Total-Count`."""
    last = max((total + params.page_size - 1) // params.page_size, 1)
    links = {"first": 1, "last": last}
    if params.page > 1:
        links["prev"] = min(params.page - 1, last)
    if params.page < last:
        links["next"] = params.page + 1
    link = ", ".join(
        f'<{request.url.include_query_params(page=n, pageSize=params.page_size)}>; rel="{rel}"'
        for rel, n in links.items()
    )
    page = Page[T](resultaten=items, totaal=total, pagina=params.page,
                   paginaGrootte=params.page_size)
    return JsonResponse(page, headers={"Link": link, "X-Total-Count": str(total)})
