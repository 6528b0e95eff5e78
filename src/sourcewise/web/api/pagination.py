"""The one convention of API lists (docs/web.md, "API lists: pagination, filtering and
sorting"): ``?limit=&offset=`` pages, ``?sort=`` orders by the items' own fields (``-`` first
for descending, commas for ties), filters are query parameters named after fields, and every
list answer carries ``X-Total-Count`` and a ``Link`` header (RFC 8288) to its neighbour pages.

One dependency, ``Pagination``, serves every list: the fields a list may be sorted by are
the scalar fields of the items its route declares (``response_model``), so a new list gets
sorting by declaring its items, and the OpenAPI document names them (``web.openapi``).
"""

from __future__ import annotations

import types
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar, Union, get_args, get_origin

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, Field

from sourcewise.web.problems import ApiError
from sourcewise.web.settings import WebSettings

T = TypeVar("T")
SCALARS = (str, int, float, bool, date, datetime, Decimal)


class Page(BaseModel, Generic[T]):
    """One page of a list: ``total`` items match the filters (null when not counted)."""

    total: int | None = Field(description="Items matching the filters; null if not counted.")
    limit: int = Field(description="Items per page asked for (or the default page size).")
    offset: int = Field(description="Items skipped before this page.")
    items: list[T] = Field(description="This page's items, in the asked order.")


@dataclass(frozen=True, slots=True)
class SortKey:
    field: str
    descending: bool

    def __str__(self) -> str:
        return f"-{self.field}" if self.descending else self.field


def sortable_fields(model: Any) -> tuple[str, ...]:
    """The fields a list of ``model`` items may be sorted by: its scalar fields, and those of
    the models it nests one level down as ``outer.inner`` (``residual.score``)."""
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return ()
    found: list[str] = []
    for name, info in model.model_fields.items():
        kind = _plain(info.annotation)
        if _is_scalar(kind):
            found.append(name)
        elif isinstance(kind, type) and issubclass(kind, BaseModel):
            found += [
                f"{name}.{inner}"
                for inner, nested in kind.model_fields.items()
                if _is_scalar(_plain(nested.annotation))
            ]
    return tuple(found)


def item_model(response_model: Any) -> Any:
    """The item type of a list answer: ``Page[X]``, ``list[X]`` or a model with ``items``."""
    if get_origin(response_model) is list:
        return get_args(response_model)[0]
    if isinstance(response_model, type) and issubclass(response_model, BaseModel):
        items = response_model.model_fields.get("items")
        if items is not None and get_origin(items.annotation) is list:
            return get_args(items.annotation)[0]
    return None


def _plain(annotation: Any) -> Any:
    """``X | None`` as ``X``."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _is_scalar(kind: Any) -> bool:
    if get_origin(kind) is not None and str(get_origin(kind)) == "typing.Literal":
        return True
    return isinstance(kind, type) and (issubclass(kind, SCALARS) or issubclass(kind, Enum))


def _value(item: Any, path: str) -> Any:
    value = item
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        if value is None:
            return None
    return value.value if isinstance(value, Enum) else value


def sort_key(value: Any) -> tuple[int, Any]:
    """How a value sorts: money and other exact decimals are strings in the answers, and
    sort by their number ("9" before "10"); other text after numbers, alphabetically."""
    if isinstance(value, str):
        try:
            number = Decimal(value)
        except InvalidOperation:
            return (1, value)
        return (0, number) if number.is_finite() else (1, value)
    return (0, value)


def ordered(items: Sequence[T], keys: Sequence[SortKey]) -> list[T]:
    """``items`` sorted by ``keys`` (the first decides, the next break ties), stably, so the
    list's own order breaks the last tie; a missing value sorts last either way."""
    out = list(items)
    for key in reversed(keys):
        present = [i for i in out if _value(i, key.field) is not None]
        absent = [i for i in out if _value(i, key.field) is None]
        present.sort(key=lambda i: sort_key(_value(i, key.field)), reverse=key.descending)
        out = present + absent
    return out


@dataclass(frozen=True, slots=True)
class Paging:
    """A list request's page and order, and where its answer's headers go."""

    limit: int
    offset: int
    sort: tuple[SortKey, ...] = ()
    limited: bool = True
    """False when the client sent no ``limit``: a legacy array (``window``) then answers all."""
    request: Request | None = None
    response: Response | None = None

    def page(self, items: Sequence[T]) -> Page[T]:
        """The page of an in-memory list, sorted first."""
        found = ordered(items, self.sort)
        self._headers(len(found), self.limit)
        chosen = found[self.offset : self.offset + self.limit]
        return Page[T](total=len(found), limit=self.limit, offset=self.offset, items=chosen)

    def read_page(self, items: Sequence[T]) -> Page[T]:
        """The page of a list the store read only as far as this page (``offset + limit``
        items, in the list's own order, which such a list cannot change): ``total`` is not
        known, and a full page links to the next."""
        chosen = list(items[self.offset : self.offset + self.limit])
        more = len(chosen) == self.limit
        self._headers(None, self.limit, more)
        return Page[T](total=None, limit=self.limit, offset=self.offset, items=chosen)

    def window(self, items: Sequence[T]) -> list[T]:
        """A list /api/v1 first published as a bare JSON array: sorted and cut the same way,
        but whole when no ``limit`` is asked for (as it always was)."""
        found = ordered(items, self.sort)
        size = self.limit if self.limited else max(len(found) - self.offset, 0)
        self._headers(len(found), size)
        return found[self.offset : self.offset + size]

    def list_headers(self) -> dict[str, str]:
        """The list headers this page set, for a route that answers a ``Response`` of its own
        (FastAPI adds a dependency's headers only to the answers it serialises)."""
        if self.response is None:
            return {}
        names = ("X-Total-Count", "Link")
        return {n: self.response.headers[n] for n in names if n in self.response.headers}

    def _headers(self, total: int | None, size: int, more: bool = False) -> None:
        if self.response is None or self.request is None:
            return
        if total is not None:
            self.response.headers["X-Total-Count"] = str(total)
            more = self.offset + size < total
        links = [f'<{url}>; rel="{rel}"' for rel, url in self._links(more, size)]
        if links:
            self.response.headers["Link"] = ", ".join(links)

    def _links(self, more: bool, size: int) -> Iterator[tuple[str, str]]:
        assert self.request is not None
        url = self.request.url
        size = max(size, 1)
        if more:
            yield "next", str(url.include_query_params(offset=self.offset + size, limit=size))
        if self.offset > 0:
            before = max(self.offset - size, 0)
            yield "prev", str(url.include_query_params(offset=before, limit=size))


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(
        422, "Invalid request", "fix every listed field", [{"field": field, "message": message}]
    )


def parse_sort(text: str | None, allowed: Sequence[str]) -> tuple[SortKey, ...]:
    """``-score,name`` as sort keys; 422 naming ``query.sort`` for a field not allowed."""
    if not text:
        return ()
    keys = []
    for part in text.split(","):
        name = part.strip()
        key = SortKey(name.removeprefix("-"), name.startswith("-"))
        if key.field not in allowed:
            choices = ", ".join(allowed) or "none"
            raise _invalid("query.sort", f"cannot sort by '{key.field}'; sort by: {choices}")
        keys.append(key)
    return tuple(keys)


SORTABLE = "x-sortable"
"""An operation's own list of sort fields (``openapi_extra``), for a list the store reads in
a fixed order; without it, every scalar field of the items."""


def route_sort_fields(route: Any) -> tuple[str, ...]:
    """The fields the list answered by ``route`` (an ``APIRoute``) may be sorted by."""
    declared = (getattr(route, "openapi_extra", None) or {}).get(SORTABLE)
    if declared is not None:
        return tuple(declared)
    return sortable_fields(item_model(getattr(route, "response_model", None)))


SORT_HELP = (
    "Order by these fields of the items, comma-separated, '-' first for descending "
    "(e.g. '-score,name'); ties keep the list's own order."
)


def paging(
    request: Request,
    response: Response,
    limit: Annotated[int | None, Query(ge=1, description="Items per page.")] = None,
    offset: Annotated[int, Query(ge=0, description="Items to skip.")] = 0,
    sort: Annotated[str | None, Query(max_length=200, description=SORT_HELP)] = None,
) -> Paging:
    settings: WebSettings = request.app.state.settings
    if limit is not None and limit > settings.max_page_size:
        raise _invalid("query.limit", f"at most {settings.max_page_size}")
    keys = parse_sort(sort, route_sort_fields(request.scope.get("route")))
    size = limit or settings.page_size
    return Paging(size, offset, keys, limit is not None, request, response)


Pagination = Annotated[Paging, Depends(paging)]
"""Every list endpoint takes this: ``limit``, ``offset`` and ``sort``."""


def paging_by_route(
    request: Request,
    response: Response,
    limit: Annotated[int | None, Query(ge=1, description="Items per page.")] = None,
    offset: Annotated[int, Query(ge=0, description="Items to skip.")] = 0,
) -> Paging:
    """The pages of a list that takes ``sort`` itself (its own keys, ``x-sortable``)."""
    return paging(request, response, limit, offset, None)


PaginationSortedByRoute = Annotated[Paging, Depends(paging_by_route)]
"""For a list that sorts itself by the keys it declares in ``x-sortable``."""
