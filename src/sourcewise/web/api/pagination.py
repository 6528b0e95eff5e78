"""Pagination of API lists (``?limit=&offset=``) and the page envelope every list returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query, Request
from pydantic import BaseModel, Field

from sourcewise.web.problems import ApiError
from sourcewise.web.settings import WebSettings

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: ``total`` items match the filters (null when not counted)."""

    total: int | None = Field(description="Items matching the filters; null if not counted.")
    limit: int
    offset: int
    items: list[T]


@dataclass(frozen=True, slots=True)
class Paging:
    limit: int
    offset: int

    def page(self, items: Sequence[T]) -> Page[T]:
        """The page of an in-memory list."""
        return Page[T](
            total=len(items),
            limit=self.limit,
            offset=self.offset,
            items=list(items[self.offset : self.offset + self.limit]),
        )


def paging(
    request: Request,
    limit: Annotated[int | None, Query(ge=1, description="Items per page.")] = None,
    offset: Annotated[int, Query(ge=0, description="Items to skip.")] = 0,
) -> Paging:
    settings: WebSettings = request.app.state.settings
    if limit is not None and limit > settings.max_page_size:
        raise ApiError(
            422,
            "Invalid request",
            "fix every listed field",
            [{"field": "query.limit", "message": f"at most {settings.max_page_size}"}],
        )
    return Paging(limit or settings.page_size, offset)


Pagination = Annotated[Paging, Depends(paging)]
